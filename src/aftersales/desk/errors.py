from enum import StrEnum


class DeskError(StrEnum):
    VIEW_NAME_INVALID = "view_name_invalid"
    VIEW_NAME_TAKEN = "view_name_taken"
    TOO_MANY_VIEWS = "too_many_views"
    VIEW_NOT_FOUND = "view_not_found"
