from enum import StrEnum


class GuaranteeError(StrEnum):
    NO_PURCHASE = "no_purchase"  # the case has no purchase to claim on
    GUARANTEE_NOT_OFFERED = "guarantee_not_offered"  # the seller did not offer it on this purchase
    GUARANTEE_NOT_CLAIMABLE = "guarantee_not_claimable"  # not a compensation guarantee (returns go elsewhere)
    NO_POLICY = "guarantee_policy_missing"  # nothing maps the guarantee to a policy
    CURRENCY_MISMATCH = "currency_mismatch"
    FACT_NOT_ALLOWED = "fact_not_allowed"  # a fact this guarantee does not take
    FACT_INVALID = "fact_invalid"
    NOTHING_PAYABLE = "nothing_payable"  # the engine gives no remedy
    CLAIM_ALREADY_OPEN = "claim_already_open"  # 409
    INVALID_TRANSITION = "claim_invalid_transition"  # 409: not possible from the claim's status
    REASON_REQUIRED = "reason_required"
    REFERENCE_REQUIRED = "payment_reference_required"
    NOTE_REQUIRED = "note_required"
    AMOUNT_REQUIRED = "amount_required"  # a compensation the policy leaves to the platform
    AMOUNT_INVALID = "amount_invalid"
    OUTCOME_INVALID = "ruling_outcome_invalid"
