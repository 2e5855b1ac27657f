"""China: a seller's no-reason return promise on a marketplace (退货承诺, reference document 003);
the promised days and who pays carriage are the seller's, in the policy data.

The logic is shared with the other no-reason return families: see `returns.py`."""

from __future__ import annotations

from ..context import Policy
from ..types import Claim, Decision
from . import returns


def evaluate(policy: Policy, claim: Claim) -> Decision:
    return returns.evaluate(policy, claim, "cn.return_promise")
