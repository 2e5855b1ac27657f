from enum import StrEnum


class RepairError(StrEnum):
    INVALID_TRANSITION = "work_order_invalid_transition"
    INVALID = "work_order_invalid"  # a field is missing, too long or unknown
    TECHNICIAN_INVALID = "technician_invalid"  # not an active technician
    WINDOW_INVALID = "appointment_window_invalid"  # the window ends before it starts, or has no time zone
    REASON_REQUIRED = "reason_required"  # a billing class change needs a reason
    NOT_CARRY_IN = "not_carry_in"  # only carried-in items get a receipt
    RECEIPT_EXISTS = "receipt_exists"
    CUSTODY_INVALID = "custody_move_invalid"  # the move cannot follow the item's last one
    RECEIPT_VOIDED = "receipt_voided"
    SIGNATURE_REQUIRED = "signature_required"
