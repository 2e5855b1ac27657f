from enum import StrEnum


class CaseError(StrEnum):
    INVALID_TRANSITION = "invalid_transition"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    CASE_CLOSED = "case_closed"
    CASE_INVALID = "case_invalid"
    ASSIGNEE_INVALID = "assignee_invalid"
    TEAM_INVALID = "team_invalid"
    UNIT_INVALID = "unit_invalid"
    PURCHASE_INVALID = "purchase_invalid"
    MESSAGE_EMPTY = "message_empty"
    MESSAGE_TOO_LONG = "message_too_long"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_EMPTY = "attachment_empty"
    ATTACHMENT_TYPE = "unsupported_file_type"
    TOO_MANY_TAGS = "too_many_tags"
    TAG_INVALID = "tag_invalid"
