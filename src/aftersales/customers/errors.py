from enum import StrEnum


class CustomerError(StrEnum):
    IDENTITY_TAKEN = "identity_taken"
    IDENTITY_INVALID = "identity_invalid"
    CUSTOMER_INVALID = "customer_invalid"
    IDENTITY_PROTECTED = "identity_protected"
