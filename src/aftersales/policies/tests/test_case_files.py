"""Every case in `cases/*.yaml` (the engine engineer's and the worked examples of RULES.md),
sent through the HTTP endpoint with the policies the migration loaded, compared as each
case specifies (`cases/README.md`): the remedies exactly, the periods and rule ids listed
present, a refusal as 422 with its code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from aftersales.accounts.models import Role
from aftersales.core.tests.api_support import api_client, assert_error
from aftersales.core.tests.factories import UserFactory
from aftersales.policies.tests.support import EVALUATE

pytestmark = pytest.mark.django_db

CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append({**case, "file": path.name})
    return cases


CASES = load_cases()


@pytest.fixture
def client(db):
    return api_client(UserFactory(role=Role.TECHNICIAN))


def check(response, case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        assert_error(response, 422, expect["error"])
        return
    assert response.status_code == 200, response.content[:500]
    got = response.json()
    assert got["policy"] == case["request"]["policy"]
    assert got["policy_version"] == 1
    assert got["covered"] is expect["covered"]
    assert got["remedies"] == expect["remedies"]
    for period in expect.get("periods", []):
        assert period in got["periods"], got["periods"]
    rules = {e["rule"] for e in got["explanation"]}
    assert set(expect.get("rules", [])) <= rules, rules
    assert all(e["text"] and e["source"] for e in got["explanation"]), got["explanation"]


def test_there_are_case_files():
    assert CASES, f"no cases in {CASES_DIR}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}::{c['name']}" for c in CASES])
def test_case_through_the_endpoint(client, case):
    body = json.dumps(case["request"], ensure_ascii=False)
    check(client.post(EVALUATE, body, content_type="application/json"), case)
