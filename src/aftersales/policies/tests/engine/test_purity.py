"""The engine is plain Python: importing and running it never touches Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"

SCRIPT = """
import sys
sys.modules["django"] = None  # any `import django…` now fails
from aftersales.policies.data import load_shipped, shipped_codes
from aftersales.policies.engine import evaluate, validate_policy
from aftersales.policies.engine.io import claim_from_json, decision_to_json
for code in shipped_codes():
    assert validate_policy(load_shipped(code)) == [], code
doc = {**load_shipped("cn-mobile-phone"), "version": 1}
claim = claim_from_json({"price": "4000", "currency": "CNY", "dates": {"delivered": "2025-03-03"},
                         "claim_date": "2025-03-09"})
print(decision_to_json(evaluate(doc, claim))["remedies"][0]["kind"])
print(sorted(m for m in sys.modules if m.split(".")[0] == "django"))
"""


def test_the_engine_runs_with_django_unimportable():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["return", "['django']"]


def test_no_engine_module_imports_django():
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] in ("django", "ninja") for n in names), (path, names)
