from enum import StrEnum


class AccountError(StrEnum):
    UNKNOWN_USER = "unknown_user"
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - an error code
