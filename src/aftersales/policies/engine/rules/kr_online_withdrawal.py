"""Korea: withdrawal of an online purchase (전자상거래법 art. 17–18, 청약철회): 7 days from supply,
refund within 3 business days of getting the goods back on the Korean calendar.

The logic is shared with the other no-reason return families: see `returns.py`."""

from __future__ import annotations

from ..context import Policy
from ..types import Claim, Decision
from . import returns


def evaluate(policy: Policy, claim: Claim) -> Decision:
    return returns.evaluate(policy, claim, "kr.withdrawal")
