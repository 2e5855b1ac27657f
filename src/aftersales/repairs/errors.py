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
    NOT_READY = "work_order_not_ready"  # the item goes back only after the repair passed inspection (or was cancelled)
    # the work records (actions_work.py)
    NOT_ON_SITE = "work_order_not_on_site"  # visits and the carry-in conversion are for work at the customer's
    NOT_WORKABLE = "work_order_not_in_progress"  # the work order is not in progress (or waiting for parts)
    VISIT_OPEN = "visit_in_progress"  # a technician is still at the customer's: finish that visit first
    VISIT_FINISHED = "visit_finished"
    VISIT_TIMES_INVALID = "visit_times_invalid"  # leaving before arriving, or a time without a time zone
    VISIT_OUTCOME_INVALID = "visit_outcome_invalid"
    SIGNATURE_INVALID = "signature_invalid"  # not a real PNG, bad base64, or odd dimensions
    SIGNATURE_TOO_LARGE = "signature_too_large"
    PHOTO_INVALID = "visit_photo_invalid"  # only photos may be attached to a visit
    CARD_EXISTS = "repair_card_exists"
    CARD_CLOSED = "repair_card_closed"  # closed for inspection: nothing is added until it is sent back
    CARD_NOT_CLOSED = "repair_card_not_closed"  # only a closed card is inspected
    CARD_INCOMPLETE = "repair_card_incomplete"  # closing needs a result, a fault code and (unless no fault) a cause
    MINUTES_INVALID = "labour_minutes_invalid"
    RESERVATION_OTHER = "reservation_other_work_order"  # the reservation was made for another work order
    INSPECTION_OUTCOME_INVALID = "inspection_outcome_invalid"
