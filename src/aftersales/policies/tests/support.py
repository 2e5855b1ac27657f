"""What the policies tests share: a small policy of our own (so the tests do not hang on the
numbers of the shipped ones), and a way to send a claim."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.test import Client

from aftersales.core.tests.api_support import API
from aftersales.policies import actions
from aftersales.policies.models import Policy

EVALUATE = f"{API}/entitlements/evaluate"

# A seller's 7-day return promise, written for the tests.
RETURN_PROMISE: dict[str, Any] = {
    "code": "test-return-promise",
    "family": "cn_return_promise",
    "jurisdiction": "CN",
    "currency": "CNY",
    "names": {"en": "Return promise (test)", "zh-hant": "退貨承諾（測試）", "zh-hans": "退货承诺（测试）",
              "ko": "반품 약속(테스트)"},
    "source": "Reference document 003",
    "rules": {"window": {"days": 7, "source": "Reference document 003"},
              "refund": {"days": 7, "source": "Reference document 003"}},
}

# A claim on it: signed for on 03-01, asked on 03-05 (day 4 of 7).
RETURN_CLAIM: dict[str, Any] = {
    "policy": "test-return-promise", "price": "100.00", "currency": "CNY", "claim_date": "2025-03-05",
    "signed_at": "2025-03-01", "dates": {"delivered": "2025-03-01"},
}


def document(**rules_days: int) -> dict[str, Any]:
    """RETURN_PROMISE with other numbers of days, e.g. document(window=30)."""
    doc = copy.deepcopy(RETURN_PROMISE)
    for rule, days in rules_days.items():
        doc["rules"][rule]["days"] = days
    return doc


def make_policy(doc: dict[str, Any] | None = None, actor=None) -> Policy:
    return actions.policy_create(document=doc or RETURN_PROMISE, actor=actor, note="test")


def evaluate(client: Client, body: Any, query: str = "", **headers: str):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(EVALUATE + (f"?{query}" if query else ""), data, content_type="application/json", **headers)
