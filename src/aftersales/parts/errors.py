from enum import StrEnum


class PartsError(StrEnum):
    OUT_OF_STOCK = "out_of_stock"  # fewer available (on hand − reserved) than asked for
    BELOW_RESERVED = "below_reserved"  # an adjustment would leave less on hand than is reserved
    PART_INACTIVE = "part_inactive"
    LOCATION_INACTIVE = "location_inactive"
    INVALID_QUANTITY = "invalid_quantity"
    RESERVATION_NOT_ACTIVE = "reservation_not_active"
    SAME_LOCATION = "same_location"  # a transfer to where the parts already are
    REFERENCE_REQUIRED = "reference_required"  # reservations and consumption name their work order
    REASON_REQUIRED = "reason_required"  # a stock-take correction says why
