"""Policy documents as files and as stored JSON.

A document is read from YAML (the shipped files in `data/`, or what an administrator types)
and stored as JSON. Both must give the engine the same values, so a document is normalised
once, before it is validated and stored: dates become ISO strings, tuples lists, keys strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class DocumentError(ValueError):
    pass


def normalise(value: Any) -> Any:
    """`value` as plain JSON values; refuses what JSON cannot hold (NaN, sets, objects)."""
    if isinstance(value, Mapping):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise DocumentError(f"{value!r} is not a number a document can hold.")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise DocumentError(f"A document cannot hold a {type(value).__name__}.")


def canonical(document: Mapping[str, Any]) -> str:
    """One text per document, so an unchanged document is recognised (key order and
    formatting do not count)."""
    return json.dumps(normalise(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def parse_text(text: str) -> dict[str, Any]:
    """A document typed as YAML (JSON is YAML too). Raises DocumentError when it is not a mapping."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DocumentError(str(exc)) from exc
    if not isinstance(loaded, Mapping):
        raise DocumentError("A policy document must be a mapping of names to values.")
    return normalise(loaded)


def read_file(path: Path) -> dict[str, Any]:
    return parse_text(path.read_text(encoding="utf-8"))


def dump_text(document: Mapping[str, Any]) -> str:
    """The document as YAML for editing, keys in the order they were written."""
    return yaml.safe_dump(dict(document), allow_unicode=True, sort_keys=False, width=100)


def shipped_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []
