"""What every rule module shares: reading the policy document and building the decision.

`Policy` is a read-only view of the parsed YAML document (see `../data/README.md`);
`Outcome` collects the remedies, periods and explanations as the rules apply, and turns
them into a `Decision` in a canonical order so that equal facts give equal output.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .days import period_end
from .types import Claim, ClaimError, Decision, Explanation, Period, Remedy, RemedyKind, gettext_noop

REMEDY_ORDER: tuple[RemedyKind, ...] = (
    "return", "exchange", "refund", "repair", "replace_part", "replacement_car", "reshipment", "compensation",
    "paid_repair",
)


class PolicyError(ValueError):
    """The policy document lacks something the rules need (`validate_policy` finds these first)."""


class Policy:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.code: str = str(doc.get("code", ""))
        self.version: int = int(doc.get("version", 1))
        self.currency: str = str(doc.get("currency", ""))
        self.jurisdiction: str = str(doc.get("jurisdiction", ""))
        self.calendar: str = str(doc.get("calendar", self.jurisdiction))
        self.rules: Mapping[str, Mapping[str, Any]] = doc.get("rules") or {}
        self.source: str = str(doc.get("source", ""))

    def has(self, name: str) -> bool:
        return name in self.rules

    def rule(self, name: str) -> Mapping[str, Any]:
        try:
            return self.rules[name]
        except KeyError:
            raise PolicyError(f"policy {self.code!r} has no rule {name!r}") from None

    def get(self, name: str) -> Mapping[str, Any] | None:
        return self.rules.get(name)

    def end(self, name: str, start: date) -> date:
        return period_end(start, self.rule(name), calendar_code=self.calendar)

    def number(self, name: str, key: str, default: Any = None) -> Any:
        value = self.rule(name).get(key, default)
        if value is None:
            raise PolicyError(f"policy {self.code!r} rule {name!r} has no {key!r}")
        return value

    def decimal(self, name: str, key: str, default: Any = None) -> Decimal:
        return Decimal(str(self.number(name, key, default)))

    def optional_decimal(self, name: str, key: str) -> Decimal | None:
        value = self.rule(name).get(key)
        return None if value is None else Decimal(str(value))

    def words(self, name: str, key: str) -> tuple[str, ...]:
        return tuple(self.rule(name).get(key) or ())

    def components(self) -> tuple[str, ...]:
        return tuple(self.doc.get("components") or ())


class Outcome:
    def __init__(self, policy: Policy, claim: Claim) -> None:
        self.policy = policy
        self.claim = claim
        self.currency = policy.currency
        self.remedies: dict[str, Remedy] = {}
        self.periods: list[Period] = []
        self.explanation: list[Explanation] = []

    def explain(self, rule_id: str, rule_name: str | None, template: str, **params: Any) -> None:
        """`rule_name` names the policy rule whose `source` is cited (None: the policy's own)."""
        source = self.policy.source
        if rule_name is not None and self.policy.has(rule_name):
            source = str(self.policy.rules[rule_name].get("source", source))
        entry = Explanation(rule_id, source, template, params)
        if entry not in self.explanation:
            self.explanation.append(entry)

    def offer(self, kind: RemedyKind, *, amount: Decimal | None = None, deadline: date | None = None) -> None:
        """Add a remedy; the same kind twice keeps the later deadline (no deadline = open)."""
        remedy = Remedy(kind, amount, self.currency if amount is not None else None, deadline)
        old = self.remedies.get(kind)
        if old is not None:
            deadline = None if old.deadline is None or deadline is None else max(old.deadline, deadline)
            remedy = Remedy(kind, old.amount if old.amount is not None else amount,
                            old.currency or remedy.currency, deadline)
        self.remedies[kind] = remedy

    def withdraw(self, kind: RemedyKind) -> None:
        self.remedies.pop(kind, None)

    def period(self, name: str, start: date, ends: date, extended_by_days: int = 0) -> Period:
        period = Period(name, start, ends, extended_by_days)
        self.periods.append(period)
        return period

    def decide(self) -> Decision:
        claim = self.claim
        if claim.requested is not None:
            if claim.requested in self.remedies:
                self.explain("engine.requested", None, gettext_noop("The remedy the customer asked for is available."))
            else:
                self.explain("engine.requested", None, gettext_noop(
                    "The remedy the customer asked for is not available; the remedies listed are."))
        remedies = tuple(self.remedies[k] for k in REMEDY_ORDER if k in self.remedies)
        covered = any(r.kind != "paid_repair" for r in remedies)
        return Decision(covered, remedies, tuple(self.periods), tuple(self.explanation), self.policy.code,
                        self.policy.version)


def iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def require(value: Any, field_name: str) -> Any:
    if value is None:
        raise ClaimError("missing_field", gettext_noop("The field %(field)s is required for this policy."),
                         field=field_name)
    return value
