"""The arithmetic of an SLA clock, as plain Python (no Django): which policy a case gets,
when a target is due, when it warns, when each escalation step fires, and what is left.

The rules (decision 0018):
- A clock counts business minutes on its target's calendar from `started` (the case's
  open time; a reopen or a customer's message starts a new clock).
- Time in a pausing status does not count: the business minutes of each pause are added
  to `paused`, and the clock is due at `started + (target + paused)` business minutes.
  So a pause moves the due instant by exactly the paused business time.
- A change of severity or type re-chooses the policy and recomputes every running clock
  from its own `started` with the new target (not from the moment of the change): the
  case is judged as if it had had the new severity all along, with its pauses kept.
- Warning at `ceil(target × percent / 100)` business minutes, breach at the target.
- An escalation step fires `delay` business minutes after its trigger's instant (the
  clock's start, or the computed warning or due instant, not the moment a sweep noticed it), so every consumer
  agrees on when it is due.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from aftersales.sla.calendar import BusinessCalendar, add_business_minutes, business_minutes_between

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
RESOLUTION = "resolution"
PROGRESS_UPDATE = "progress_update"
METRICS = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION)

START = "start"
WARNING = "warning"
BREACH = "breach"


@dataclass(frozen=True)
class PolicyRule:
    """When a policy applies: each non-empty set must contain the case's value."""

    key: object
    severities: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    tiers: frozenset[str] = frozenset()
    teams: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    severity: str
    type: str
    channel: str
    tier: str
    team: int | None


def matches(rule: PolicyRule, facts: CaseFacts) -> bool:
    return all((
        not rule.severities or facts.severity in rule.severities,
        not rule.types or facts.type in rule.types,
        not rule.channels or facts.channel in rule.channels,
        not rule.tiers or facts.tier in rule.tiers,
        not rule.teams or facts.team in rule.teams,
    ))


def choose(rules: Iterable[PolicyRule], facts: CaseFacts) -> object | None:
    """The key of the first rule (in the order given) that matches, or None."""
    for rule in rules:
        if matches(rule, facts):
            return rule.key
    return None


@dataclass(frozen=True)
class Step:
    """An escalation step: `delay` business minutes after the clock's `trigger` instant."""

    key: object
    trigger: str  # START, WARNING or BREACH
    delay: int = 0


@dataclass
class Clock:
    calendar: BusinessCalendar
    started: datetime
    target: int  # business minutes
    warning_percent: int = 80
    paused: int = 0  # business minutes spent paused so far
    paused_since: datetime | None = None
    steps: Sequence[Step] = field(default_factory=tuple)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def due(self) -> datetime:
        return add_business_minutes(self.calendar, self.started, self.target + self.paused)

    def warning_minutes(self) -> int:
        return min(self.target, math.ceil(self.target * self.warning_percent / 100))

    def warn(self) -> datetime:
        return add_business_minutes(self.calendar, self.started, self.warning_minutes() + self.paused)

    def trigger_instant(self, trigger: str) -> datetime:
        if trigger == START:
            return self.started
        return self.warn() if trigger == WARNING else self.due()

    def step_instant(self, step: Step) -> datetime:
        return add_business_minutes(self.calendar, self.trigger_instant(step.trigger), step.delay)

    def elapsed(self, now: datetime) -> int:
        """Business minutes counted so far (pauses excluded; frozen while paused)."""
        until = self.paused_since if self.paused_since is not None else now
        return max(0, business_minutes_between(self.calendar, self.started, until) - self.paused)

    def left(self, now: datetime) -> int:
        """Business minutes left before the breach; negative once past it."""
        return self.target - self.elapsed(now)

    def pause(self, at: datetime) -> None:
        if self.paused_since is None:
            self.paused_since = max(at, self.started)

    def resume(self, at: datetime) -> int:
        """End the pause; returns its business minutes (already added to `paused`)."""
        if self.paused_since is None:
            return 0
        minutes = max(0, business_minutes_between(self.calendar, self.paused_since, at))
        self.paused += minutes
        self.paused_since = None
        return minutes

    def pending(self, done: Iterable[object]) -> list[tuple[datetime, object]]:
        """Every milestone not yet `done` (WARNING, BREACH, then step keys) with its instant,
        soonest first. Empty while paused: nothing fires on a stopped clock."""
        if self.is_paused:
            return []
        done = set(done)
        due = self.due()
        warn = self.warn() if self.warning_minutes() < self.target else due
        out: list[tuple[datetime, object]] = []
        if WARNING not in done and warn < due:
            out.append((warn, WARNING))
        if BREACH not in done:
            out.append((due, BREACH))
        for step in self.steps:
            if step.key not in done:
                base = {START: self.started, WARNING: warn}.get(step.trigger, due)
                out.append((add_business_minutes(self.calendar, base, step.delay) if step.delay else base, step.key))
        return sorted(out, key=lambda pair: pair[0])

    def due_now(self, now: datetime, done: Iterable[object]) -> list[object]:
        """The milestones that have come due by `now`, in order."""
        return [key for at, key in self.pending(done) if at <= now]
