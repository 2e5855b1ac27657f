"""Explanation templates: English literals inside `gettext_noop(…)`, so `makemessages` finds them,
with `%(name)s` placeholders only; every template a decision uses is one of them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from aftersales.policies.engine import evaluate
from aftersales.policies.engine.io import claim_from_json

from .support import load_cases, policy

ENGINE = Path(__file__).resolve().parents[2] / "engine"
PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")


def marked_templates() -> set[str]:
    found = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                if path.name == "types.py":
                    continue  # the definition's docstring example
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant), (path, node.lineno)
                found.add(node.args[0].value)
    return found


def test_templates_are_literals_with_named_placeholders_only():
    templates = marked_templates()
    assert len(templates) > 50
    for template in templates:
        stripped = PLACEHOLDER.sub("", template)
        assert "%" not in stripped, template
        assert template == template.strip() and (template[0].isupper() or template[0] == "%"), template


def test_every_explanation_uses_a_marked_template_with_all_its_parameters():
    templates = marked_templates()
    used = set()
    for case in load_cases():
        if "error" in case["expect"]:
            continue
        decision = evaluate(policy(case["request"]["policy"]), claim_from_json(case["request"]))
        for entry in decision.explanation:
            assert entry.template in templates, entry.template
            assert set(PLACEHOLDER.findall(entry.template)) == set(entry.params), entry
            assert all(isinstance(v, str) for v in entry.params.values()), entry
            used.add(entry.rule)
    assert len(used) >= 60
