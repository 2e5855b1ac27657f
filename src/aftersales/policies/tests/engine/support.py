"""Helpers for the engine tests: shipped policies and the case files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aftersales.policies.data import load_shipped
from aftersales.policies.engine import evaluate
from aftersales.policies.engine.io import claim_from_json, decision_to_json

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"


def policy(code: str, version: int = 1) -> dict[str, Any]:
    doc = load_shipped(code)
    doc["version"] = version
    return doc


def respond(request: dict[str, Any], doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the endpoint answers for `request` (the policy from `doc`, else the shipped one)."""
    doc = doc if doc is not None else policy(request["policy"])
    return decision_to_json(evaluate(doc, claim_from_json(request)))


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["file"] = path.name
            cases.append(case)
    return cases
