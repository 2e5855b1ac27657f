from enum import StrEnum


class SlaError(StrEnum):
    CALENDAR_INVALID = "calendar_invalid"  # the weekly hours, closures or openings do not validate
    CALENDAR_CODE_TAKEN = "calendar_code_taken"
    START_NOT_AWARE = "start_not_aware"  # a start instant without a UTC offset
    INVALID_START = "invalid_start"  # not an ISO-8601 date and time
    NEVER_OPENS = "calendar_never_opens"  # closed for years in a row: no due instant
    OUT_OF_RANGE = "due_out_of_range"  # the due instant would lie past the year 9999
    NOTIFICATION_NOT_FOUND = "notification_not_found"  # not one of the reader's own notifications
    POLICY_INVALID = "sla_policy_invalid"  # conditions, targets, ladder or progress settings do not validate
    POLICY_CODE_TAKEN = "sla_policy_code_taken"
