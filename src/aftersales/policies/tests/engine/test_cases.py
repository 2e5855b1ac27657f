"""Every case in `../cases/*.yaml`, through the JSON contract, compared exactly."""

from __future__ import annotations

from collections import Counter

import pytest

from aftersales.policies.data import shipped_codes
from aftersales.policies.engine.types import ClaimError

from .support import load_cases, respond

CASES = load_cases()


def test_case_names_are_unique():
    assert [n for n, c in Counter(c["name"] for c in CASES).items() if c > 1] == []


def test_there_are_enough_cases_across_every_shipped_policy():
    assert len(CASES) >= 46
    used = {c["request"]["policy"] for c in CASES}
    assert used == set(shipped_codes())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(ClaimError) as refused:
            respond(case["request"])
        assert refused.value.code == expect["error"]
        return
    got = respond(case["request"])
    assert got["policy"] == case["request"]["policy"]
    assert got["policy_version"] == 1
    assert got["covered"] is expect["covered"]
    assert got["remedies"] == expect["remedies"]
    for period in expect.get("periods", []):
        assert period in got["periods"], got["periods"]
    rules = {e["rule"] for e in got["explanation"]}
    assert set(expect.get("rules", [])) <= rules, rules
    assert all(e["text"] and e["source"] for e in got["explanation"])
