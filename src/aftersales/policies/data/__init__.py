"""The shipped policies: one YAML document per policy code (schema: README.md).

Pure Python (PyYAML), no Django: the engine's tests, the bench and the migration that loads
the first version of each policy all read them through here."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


def shipped_codes() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in DATA_DIR.glob("*.yaml")))


@cache
def _load(code: str) -> dict[str, Any]:
    path = DATA_DIR / f"{code}.yaml"
    if path.parent != DATA_DIR or not path.is_file():
        raise KeyError(code)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_shipped(code: str) -> dict[str, Any]:
    """A fresh copy of the shipped document for `code` (KeyError when there is none)."""
    import copy

    return copy.deepcopy(_load(code))
