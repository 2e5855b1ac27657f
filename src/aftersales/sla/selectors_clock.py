"""Reads of the SLA clocks: what a case's clocks say now (for the API, the desk's badges and
the case page) and a case's whole SLA history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from aftersales.cases.models import Case
from aftersales.catalog.models import localized_name
from aftersales.sla import calendar as engine
from aftersales.sla import clock
from aftersales.sla.actions_clock import engine_calendar
from aftersales.sla.models import CaseClock, ClockState, EscalationStep, SlaMilestone, SlaPause

LIVE = "live_sla_clocks"
# A clock is "at risk" from its warning instant on, or within this many minutes of its due
# (business minutes on the badge; wall-clock minutes for the desk's "at risk" list).
AT_RISK_MINUTES = 120


def with_live_clocks(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Prefetch each case's running and paused clocks (one query for the whole page)."""
    return qs.prefetch_related(Prefetch(
        "sla_clocks", queryset=CaseClock.objects.filter(stopped_at__isnull=True).select_related("calendar")
        .order_by("id"), to_attr=LIVE))


@dataclass(frozen=True)
class ClockView:
    id: int
    metric: str
    label: str
    state: str
    started_at: datetime
    due_at: datetime | None
    warn_at: datetime | None
    paused: bool
    paused_minutes: int
    minutes_left: int  # business minutes; negative once overdue
    breached: bool
    warned: bool
    stopped_at: datetime | None

    @property
    def at_risk(self) -> bool:
        return not self.paused and not self.breached and self.stopped_at is None and (
            self.warned or self.minutes_left <= AT_RISK_MINUTES)


def minutes_left(row: CaseClock, now: datetime) -> int:
    """Business minutes before the breach (negative after), without re-reading the whole
    history: measured between now and the due instant when running."""
    cal = engine_calendar(row.calendar)
    if row.stopped_at is not None:
        end = row.stopped_at
        if row.due_at is not None:
            return engine.business_minutes_between(cal, end, row.due_at)
        return 0
    if row.paused_since is not None or row.due_at is None:
        counted = engine.business_minutes_between(cal, row.started_at, row.paused_since or now) - row.paused_minutes
        return row.target_minutes - max(0, counted)
    return engine.business_minutes_between(cal, now, row.due_at)


def clock_view(row: CaseClock, now: datetime) -> ClockView:
    left = minutes_left(row, now)
    overdue = row.due_at is not None and (row.stopped_at or now) > row.due_at
    return ClockView(
        id=row.pk, metric=row.metric, label=str(row.get_metric_display()), state=row.state,
        started_at=row.started_at, due_at=row.due_at, warn_at=row.warn_at, paused=row.paused_since is not None,
        paused_minutes=row.paused_minutes, minutes_left=left,
        breached=row.breached_at is not None or bool(overdue) or row.state == ClockState.MISSED,
        warned=row.warned_at is not None, stopped_at=row.stopped_at)


def live_clocks_of(case: Case) -> list[CaseClock]:
    rows = getattr(case, LIVE, None)
    if rows is None:
        rows = list(case.sla_clocks.filter(stopped_at__isnull=True).select_related("calendar").order_by("id"))
    return rows


def case_sla(case: Case, now: datetime) -> list[ClockView]:
    """The case's response and resolution clocks now, soonest due first (progress updates
    are the customer's schedule, not a target, and are left out)."""
    views = [clock_view(row, now) for row in live_clocks_of(case) if row.metric != clock.PROGRESS_UPDATE]
    return sorted(views, key=lambda v: (v.paused, v.due_at or datetime.max.replace(tzinfo=now.tzinfo), v.id))


def soonest(case: Case, now: datetime) -> ClockView | None:
    views = case_sla(case, now)
    return views[0] if views else None


@dataclass(frozen=True)
class ClockHistory:
    view: ClockView
    policy: str
    pauses: list[SlaPause]
    milestones: list[SlaMilestone]


def _policy_name(policy) -> str:
    return (localized_name(policy, "names") or policy.code) if policy is not None else "—"


def case_sla_history(case: Case, now: datetime) -> list[ClockHistory]:
    """Every clock the case has had, oldest first, with its pauses and handled milestones."""
    rows = (case.sla_clocks.select_related("calendar", "policy").order_by("started_at", "id")
            .prefetch_related("policy__names",
                              Prefetch("pauses", queryset=SlaPause.objects.order_by("started_at", "id")),
                              Prefetch("milestones", queryset=SlaMilestone.objects.order_by("at", "id"))))
    return [ClockHistory(view=clock_view(row, now), policy=_policy_name(row.policy),
                         pauses=list(row.pauses.all()), milestones=list(row.milestones.all())) for row in rows]


def escalation_step_labels(history: list[ClockHistory]) -> dict[str, str]:
    """What each escalation-step milestone in `history` did ("step:<id>" → the step's action
    and team, in the active language): one query, none when no step has fired. A step since
    removed from its policy is left out (the reader shows a generic label)."""
    ids = {int(key[5:]) for h in history for key in (m.key for m in h.milestones)
           if key.startswith("step:") and key[5:].isdigit()}
    if not ids:
        return {}
    steps = EscalationStep.objects.filter(pk__in=ids).select_related("team")
    return {f"step:{s.pk}": f"{s.get_action_display()} — {s.team}" if s.team_id else str(s.get_action_display())
            for s in steps}
