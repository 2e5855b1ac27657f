"""The entitlement engine: what a customer may claim under a policy, how much, by when, and why.

Pure Python (no Django), deterministic. The Django side (`aftersales.policies`) stores the
policy versions, resolves the policy code, and translates the explanations.

    evaluate(policy, claim) -> Decision     policy: the parsed YAML document (+ code, version)
    validate_policy(doc) -> list[str]       problems with a policy document, [] when fine
    io.claim_from_json / io.decision_to_json   the HTTP contract
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import Policy, PolicyError
from .rules import FAMILIES
from .schema import validate_policy
from .types import Claim, ClaimError, Decision, gettext_noop

__all__ = ["ClaimError", "Decision", "PolicyError", "evaluate", "validate_policy"]


def evaluate(policy: Mapping[str, Any], claim: Claim) -> Decision:
    """Decide `claim` under `policy`. Raises `ClaimError` for facts the policy cannot decide on
    (a currency other than the policy's, a component it does not cover, a missing date) and
    `PolicyError` for a policy document that `validate_policy` would have refused."""
    view = Policy(policy)
    family = FAMILIES.get(str(policy.get("family")))
    if family is None:
        raise PolicyError(f"policy {view.code!r} names an unknown family {policy.get('family')!r}")
    if claim.currency != view.currency:
        raise ClaimError("currency_mismatch", gettext_noop(
            "The claim is in %(currency)s but the policy %(policy)s is in %(policy_currency)s."),
            currency=claim.currency, policy=view.code, policy_currency=view.currency)
    return family(view, claim)
