from enum import StrEnum


class PolicyError(StrEnum):
    UNKNOWN_POLICY = "unknown_policy"
    POLICY_INACTIVE = "policy_inactive"
    POLICY_INVALID = "policy_invalid"
    POLICY_CODE_TAKEN = "policy_code_taken"
    POLICY_CODE_INVALID = "policy_code_invalid"
    REMEDY_ALREADY_APPLIED = "remedy_already_applied"
    OVERRIDE_NEEDS_REASON = "override_needs_reason"
    REMEDY_INVALID = "remedy_invalid"
    FILE_UNREADABLE = "file_unreadable"  # the CLI's, for a file it cannot open
