from enum import StrEnum


class SearchError(StrEnum):
    QUERY_EMPTY = "search_query_empty"
    QUERY_TOO_LONG = "search_query_too_long"
    SCOPE_INVALID = "search_scope_invalid"
    LANGUAGE_INVALID = "search_language_invalid"
