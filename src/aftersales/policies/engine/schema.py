"""`validate_policy`: what is wrong with a policy document, in plain sentences.

The schema is described in `../data/README.md`; this module is its executable form. Each
family lists its rules; each rule its fields, with a type and whether it is required. Every
rule carries a `source` (the citation shown to customers) and may carry a `note`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .money import MINOR_UNITS
from .vocabulary import CAUSES, COMPONENTS, EXCLUDED_GOODS, PAYERS, START_EVENTS
from .workdays import SUPPORTED_CALENDARS

LANGUAGES = ("en", "zh-hant", "zh-hans", "ko")
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TOP_LEVEL = {"code", "version", "family", "jurisdiction", "calendar", "currency", "names", "source", "components",
             "rules", "description"}
LIMITS = {"days": 36_500, "working_days": 3_650, "months": 1_200, "years": 100}
MAX_COUNT = 36_500  # days, repairs, times …
MAX_KM = 10_000_000


@dataclass(frozen=True)
class Rule:
    fields: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (kind, required)
    duration: str | None = None  # "period" (days|months|years), "days", "months", "deadline" (+ working_days)
    required: bool = True


def _opt(**fields: tuple[str, bool]) -> Rule:
    return Rule(dict(fields), required=False)


START = Rule({"precedence": ("events", True)})
EXCLUSIONS = Rule({"causes": ("causes", True)})
CARRIAGE = Rule({"payer": ("payer", True)}, required=False)
MARKER = _opt()  # a rule that only cites its source (e.g. "time in repair extends the periods")
RETURNS = {
    "window": Rule(duration="days"),
    "excluded_goods": _opt(always=("goods", False), if_confirmed=("goods", False)),
    "condition": MARKER,
    "refund": Rule(duration="deadline"),
    "carriage": _opt(return_payer=("payer", True), first_shipping_payer=("payer", False),
                     free_shipping_deduction=("bool", False)),
    "bundle": MARKER,
}
FAMILIES: dict[str, dict[str, Rule]] = {
    "cn_sanbao": {
        "start": START,
        "no_proof": _opt(days_after_factory=("int", True)),
        "return": Rule(duration="days"),
        "exchange": Rule(duration="days"),
        "warranty": Rule(duration="period"),
        "main_parts": Rule({"components": ("components", True)}, duration="period", required=False),
        "accessories": _opt(parts=("parts", True)),
        "repeat_failure": Rule({"repairs": ("pos_int", True)}),
        "parts_supply": _opt(days=("pos_int", True)),
        "repair_delay": _opt(days=("pos_int", True)),
        "refund": Rule({"daily_depreciation_percent": ("percent", True)}),
        "repair_time": MARKER,
        "exchange_restart": MARKER,
        "exclusions": EXCLUSIONS,
        "carriage": CARRIAGE,
    },
    "cn_household_car": {
        "start": START,
        "warranty": Rule({"km": ("km", True)}, duration="period"),
        "sanbao": Rule({"km": ("km", True)}, duration="period"),
        "return_7d": Rule({"components": ("components", True)}, duration="days", required=False),
        "serious_60d": Rule({"km": ("km", True), "components": ("components", True)}, duration="days",
                            required=False),
        "major_unit_60d": _opt(components=("components", True)),
        "safety_repairs": _opt(repairs=("pos_int", True)),
        "major_unit_replacements": _opt(times=("pos_int", True), components=("components", True)),
        "cumulative_repair": _opt(days=("pos_int", True)),
        "same_problem_repairs": _opt(more_than=("int", True)),
        "replacement_car": _opt(after_days=("int", True)),
        "refund": Rule({"usage_percent_per_1000_km": ("percent", True)}),
        "repair_time": MARKER,
        "exchange_restart": MARKER,
        "exclusions": EXCLUSIONS,
        "carriage": CARRIAGE,
    },
    "cn_online_return": RETURNS,
    "cn_return_promise": RETURNS,
    "kr_online_withdrawal": RETURNS,
    "cn_late_shipment": {
        "compensation": Rule({"percent": ("percent", True), "minimum": ("money", False), "maximum": ("money", False)}),
        "platform": MARKER,
    },
    "cn_counterfeit": {
        "compensation": Rule({"multiplier": ("multiplier", True)}),
        "carriage": CARRIAGE,
        "statutory_fraud": _opt(multiplier=("multiplier", True), minimum=("money", False)),
        "platform": MARKER,
    },
    "cn_damage_in_transit": {
        "reshipment": Rule({"free_reshipments": ("int", True)}),
        "refund": MARKER,
        "claim_window": Rule(duration="days", required=False),
        "platform": MARKER,
    },
    "cn_arrival_promise": {
        "claim_window": Rule(duration="days"),
        "compensation": _opt(percent=("percent", True), minimum=("money", False), maximum=("money", False)),
        "platform": MARKER,
    },
    "kr_smartphone": {
        "start": START,
        "refund_window": Rule(duration="days"),
        "exchange_window": Rule(duration="months"),
        "warranty": Rule(duration="period"),
        "parts_warranty": _opt(parts=("parts", True)),
        "recurrence": _opt(same_defect_repairs=("pos_int", True), any_defect_repairs=("pos_int", True),
                           lookback_months=("pos_int", True)),
        "exchanged_unit": Rule(duration="months"),
        "repair_impossible": Rule(),
        "depreciation_refund": _opt(useful_life_months=("pos_int", True), bonus_percent=("percent", True)),
        "parts_retention": _opt(months=("pos_int", True)),
        "exchange_restart": MARKER,
        "exclusions": EXCLUSIONS,
    },
}
NEEDS_COMPONENTS = {"cn_sanbao", "cn_household_car", "kr_smartphone"}


def validate_policy(doc: Mapping[str, Any]) -> list[str]:
    """Every problem found in `doc`, as a sentence naming where it is; [] when it is fine."""
    if not isinstance(doc, Mapping):
        return ["The policy must be a mapping of keys to values."]
    problems: list[str] = []
    for key in sorted(str(k) for k in doc if k not in TOP_LEVEL):
        problems.append(f"Unknown key {key!r}.")
    code = doc.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        problems.append("code: must be lower-case letters and digits joined by hyphens, e.g. 'cn-mobile-phone'.")
    if "version" in doc and not _is_int(doc["version"], 1):
        problems.append("version: must be a whole number from 1.")
    family = doc.get("family")
    family = family if isinstance(family, str) else None  # a list or mapping here is not hashable
    if family not in FAMILIES:
        problems.append(f"family: must be one of {', '.join(sorted(FAMILIES))}.")
    jurisdiction = doc.get("jurisdiction")
    if not isinstance(jurisdiction, str) or not re.fullmatch(r"[A-Z]{2}", jurisdiction):
        problems.append("jurisdiction: must be a two-letter country code such as 'CN' or 'KR'.")
    currency = doc.get("currency")
    if not isinstance(currency, str) or currency not in MINOR_UNITS:
        problems.append(f"currency: must be one of {', '.join(MINOR_UNITS)}.")
    calendar = doc.get("calendar", jurisdiction)
    if "calendar" in doc and calendar not in SUPPORTED_CALENDARS:
        problems.append(f"calendar: must be one of {', '.join(SUPPORTED_CALENDARS)}.")
    names = doc.get("names")
    if not isinstance(names, Mapping):
        problems.append(f"names: must give the policy's name in {', '.join(LANGUAGES)}.")
    else:
        for lang in LANGUAGES:
            if not _text(names.get(lang)):
                problems.append(f"names.{lang}: missing.")
        for lang in sorted(str(k) for k in names if k not in LANGUAGES):
            problems.append(f"names.{lang}: unknown language; use {', '.join(LANGUAGES)}.")
    if not _text(doc.get("source")):
        problems.append("source: missing (the law or rule this policy follows).")
    if "description" in doc and not isinstance(doc["description"], str):
        problems.append("description: must be text.")
    components = doc.get("components")
    if components is not None or family in NEEDS_COMPONENTS:
        problems += _words("components", components, COMPONENTS, required=True)
    rules = doc.get("rules")
    if not isinstance(rules, Mapping):
        problems.append("rules: must be a mapping of rule names to their numbers and source.")
        return problems
    if family not in FAMILIES:
        return problems
    spec = FAMILIES[family]
    for name in sorted(str(k) for k in rules if k not in spec):
        problems.append(f"rules.{name}: not a rule of the {family} family (known: {', '.join(spec)}).")
    for name, rule_spec in spec.items():
        if name not in rules:
            if rule_spec.required:
                problems.append(f"rules.{name}: missing.")
            continue
        problems += _rule(f"rules.{name}", rules[name], rule_spec, calendar)
    problems += _consistency(doc, rules)
    return problems


def _rule(where: str, rule: Any, spec: Rule, calendar: Any) -> list[str]:
    if not isinstance(rule, Mapping):
        return [f"{where}: must be a mapping with at least a source."]
    problems = []
    if not _text(rule.get("source")):
        problems.append(f"{where}.source: missing (cite the law or rule).")
    if "note" in rule and not isinstance(rule["note"], str):
        problems.append(f"{where}.note: must be text.")
    allowed = {"source", "note", *spec.fields}
    units = _units(spec.duration)
    allowed |= set(units)
    for key in sorted(str(k) for k in rule if k not in allowed):
        problems.append(f"{where}.{key}: unknown key.")
    if spec.duration is not None:
        given = [u for u in units if u in rule]
        if len(given) != 1:
            problems.append(f"{where}: give exactly one of {', '.join(units)}.")
        for unit in given:
            if not _is_int(rule[unit], 0, LIMITS[unit]):
                problems.append(f"{where}.{unit}: must be a whole number from 0 to {LIMITS[unit]}.")
            if unit == "working_days" and calendar not in SUPPORTED_CALENDARS:
                problems.append(f"{where}.working_days: needs a calendar ({', '.join(SUPPORTED_CALENDARS)}).")
    for key, (kind, required) in spec.fields.items():
        if key not in rule:
            if required:
                problems.append(f"{where}.{key}: missing.")
            continue
        problems += _field(f"{where}.{key}", kind, rule[key])
    low, high = rule.get("minimum"), rule.get("maximum")
    if _decimal(low) is not None and _decimal(high) is not None and _decimal(low) > _decimal(high):  # type: ignore[operator]
        problems.append(f"{where}: the minimum is above the maximum.")
    return problems


def _units(duration: str | None) -> tuple[str, ...]:
    return {
        None: (),
        "days": ("days",),
        "months": ("months",),
        "period": ("days", "months", "years"),
        "deadline": ("days", "working_days"),
    }[duration]


def _field(where: str, kind: str, value: Any) -> list[str]:
    if kind == "int":
        return [] if _is_int(value, 0, MAX_COUNT) else [f"{where}: must be a whole number from 0 to {MAX_COUNT}."]
    if kind == "pos_int":
        return [] if _is_int(value, 1, MAX_COUNT) else [f"{where}: must be a whole number from 1 to {MAX_COUNT}."]
    if kind == "km":
        return [] if _is_int(value, 1, MAX_KM) else [f"{where}: must be a whole number from 1 to {MAX_KM}."]
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{where}: must be true or false."]
    if kind == "percent":
        number = _decimal(value)
        return [] if number is not None and 0 <= number <= 100 else [f"{where}: must be a percentage from 0 to 100."]
    if kind == "multiplier":
        number = _decimal(value)
        return [] if number is not None and 0 < number <= 1000 else [f"{where}: must be a number above 0."]
    if kind == "money":
        number = _decimal(value)
        return [] if number is not None and number >= 0 else [f"{where}: must be an amount of 0 or more."]
    if kind == "payer":
        return [] if value in PAYERS else [f"{where}: must be one of {', '.join(sorted(PAYERS))}."]
    if kind == "events":
        problems = _words(where, value, frozenset(START_EVENTS), required=True)
        return problems
    if kind == "causes":
        return _words(where, value, CAUSES, required=False)
    if kind == "components":
        return _words(where, value, COMPONENTS, required=True)
    if kind == "goods":
        return _words(where, value, EXCLUDED_GOODS, required=False)
    if kind == "parts":
        if not isinstance(value, Mapping) or not value:
            return [f"{where}: must map components to their periods."]
        problems = []
        for name, period in value.items():
            if name not in COMPONENTS:
                problems.append(f"{where}.{name}: unknown component.")
            problems += _rule(f"{where}.{name}", {"source": "-", **period} if isinstance(period, Mapping) else period,
                              Rule(duration="period"), None)
        return problems
    raise AssertionError(kind)


def _words(where: str, value: Any, known: frozenset[str], *, required: bool) -> list[str]:
    if not isinstance(value, list) or (required and not value):
        return [f"{where}: must be a list{' (not empty)' if required else ''}."]
    problems = [f"{where}: unknown word {word!r}." for word in value if not isinstance(word, str) or word not in known]
    if len(set(map(str, value))) != len(value):
        problems.append(f"{where}: a word is listed twice.")
    return problems


def _consistency(doc: Mapping[str, Any], rules: Mapping[str, Any]) -> list[str]:
    """Components the rules name must be components the policy lists."""
    components = doc.get("components")
    listed = {c for c in components if isinstance(c, str)} if isinstance(components, list) else set()
    if not listed:
        return []
    problems = []
    named: list[tuple[str, Any]] = []
    for name, rule in rules.items():
        if isinstance(rule, Mapping):
            words = rule.get("components")
            if isinstance(words, list):
                named += [(f"rules.{name}.components", c) for c in words if isinstance(c, str)]
            parts = rule.get("parts")
            if isinstance(parts, Mapping):
                named += [(f"rules.{name}.parts", c) for c in parts if isinstance(c, str)]
    for where, component in named:
        if component not in listed:
            problems.append(f"{where}: {component!r} is not in the policy's components.")
    return problems


def _is_int(value: Any, low: int, high: int = 10**9) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
