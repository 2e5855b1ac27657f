"""The calendar module is plain Python: importing and running it never touches Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

MODULE = Path(__file__).resolve().parents[2] / "calendar"

SCRIPT = """
import sys
sys.modules["django"] = None  # any `import django…` now fails
from datetime import datetime
from zoneinfo import ZoneInfo
from aftersales.sla.calendar import add_business_minutes, calendar_from_json
cal = calendar_from_json({"time_zone": "Asia/Shanghai", "holiday_region": "CN",
                          "weekly": {"mon": [["09:00", "12:00"], ["13:30", "18:00"]]}})
print(add_business_minutes(cal, datetime(2025, 3, 4, 11, 30, tzinfo=ZoneInfo("Asia/Shanghai")), 60).isoformat())
print(sorted(m for m in sys.modules if m.split(".")[0] == "django"))
"""


def test_the_module_runs_with_django_unimportable():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["2025-03-10T10:00:00+08:00", "['django']"]


def test_no_calendar_module_imports_django():
    for path in MODULE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] in ("django", "ninja") for n in names), (path, names)
