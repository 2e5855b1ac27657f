"""China: online 7-day no-reason return (消费者权益保护法 art. 25; 网络购买商品七日无理由退货暂行办法).

The logic is shared with the other no-reason return families: see `returns.py`."""

from __future__ import annotations

from ..context import Policy
from ..types import Claim, Decision
from . import returns


def evaluate(policy: Policy, claim: Claim) -> Decision:
    return returns.evaluate(policy, claim, "cn.online_return")
