from enum import StrEnum


class PortalError(StrEnum):
    EMAIL_TAKEN = "email_taken"
    SIGNUP_INVALID = "signup_invalid"
    FORM_INVALID = "form_invalid"
