"""SLA clocks on cases: chosen, started, paused, stopped and re-targeted as the case actions
announce what happened (`cases.signals`, connected in `SlaConfig.ready`). Everything runs
inside the case action's transaction. The rules are in `sla/clock.py` and decision 0018.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, Min, OuterRef, Prefetch

from aftersales.cases import workflow
from aftersales.cases.events import event_write
from aftersales.cases.models import NO_DUE, Case
from aftersales.sla import calendar as engine
from aftersales.sla import clock
from aftersales.sla.models import (
    BusinessCalendar,
    CaseClock,
    ClockState,
    EscalationStep,
    SlaMilestone,
    SlaPause,
    SlaPolicy,
)

RULE_FIELDS = ("severity", "type", "channel", "team")
DEFAULT_PAUSING = ("waiting_customer", "waiting_parts")

_ENGINES: dict[tuple[int, datetime | None], engine.BusinessCalendar] = {}


def engine_calendar(calendar: BusinessCalendar) -> engine.BusinessCalendar:
    """The pure calendar of a row, built once per version of the row in this process."""
    key = (calendar.pk, calendar.updated_at)
    found = _ENGINES.get(key)
    if found is None:
        if len(_ENGINES) > 256:
            _ENGINES.clear()
        found = _ENGINES[key] = calendar.engine()
    return found


# ---- choosing the policy -------------------------------------------------------------------

def active_policies() -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(is_active=True).order_by("position", "code").prefetch_related(
        "teams", "names", Prefetch("targets__calendar"), "steps"))


def choose_policy(case: Case, policies: Iterable[SlaPolicy] | None = None) -> SlaPolicy | None:
    policies = active_policies() if policies is None else policies
    rules = [clock.PolicyRule(key=p, severities=frozenset(p.severities or ()), types=frozenset(p.types or ()),
                              channels=frozenset(p.channels or ()), tiers=frozenset(p.tiers or ()),
                              teams=frozenset(t.pk for t in p.teams.all())) for p in policies]
    facts = clock.CaseFacts(severity=case.severity, type=case.type, channel=case.channel,
                            tier=case.customer.tier, team=case.team_id)
    return clock.choose(rules, facts)  # type: ignore[return-value]


def policy_targets(policy: SlaPolicy | None) -> dict[str, tuple[int, BusinessCalendar]]:
    """Metric → (business minutes, calendar) for the policy, progress updates included."""
    if policy is None:
        return {}
    out = {t.metric: (t.minutes, t.calendar) for t in policy.targets.all()}
    if policy.progress_update_minutes and policy.progress_calendar_id:
        out[clock.PROGRESS_UPDATE] = (policy.progress_update_minutes, policy.progress_calendar)
    return out


def steps_for(policy_steps: Iterable[EscalationStep], metric: str) -> list[clock.Step]:
    if metric == clock.PROGRESS_UPDATE:
        return []
    return [clock.Step(key=f"step:{s.pk}", trigger=s.trigger, delay=s.delay_minutes)
            for s in policy_steps if s.metric in ("", metric)]


def pausing_statuses(policy: SlaPolicy | None) -> frozenset[str]:
    return frozenset(policy.pause_statuses if policy is not None else DEFAULT_PAUSING)


# ---- one clock ---------------------------------------------------------------------------

def engine_clock(row: CaseClock, policy_steps: Iterable[EscalationStep] = ()) -> clock.Clock:
    return clock.Clock(calendar=engine_calendar(row.calendar), started=row.started_at, target=row.target_minutes,
                       warning_percent=100 if row.metric == clock.PROGRESS_UPDATE else row.warning_percent,
                       paused=row.paused_minutes, paused_since=row.paused_since,
                       steps=steps_for(policy_steps, row.metric))


def schedule(row: CaseClock, policy_steps: Iterable[EscalationStep], done: Iterable[str]) -> None:
    """Set the clock's warning, due and next-check instants from its state (not saved)."""
    if row.stopped_at is not None:
        row.next_check_at = None
        return
    ec = engine_clock(row, policy_steps)
    if ec.is_paused:
        row.due_at = row.warn_at = row.next_check_at = None
        return
    row.due_at = ec.due()
    row.warn_at = ec.warn() if ec.warning_minutes() < ec.target else None
    pending = ec.pending(done)
    row.next_check_at = pending[0][0] if pending else None


def _steps(policy: SlaPolicy | None) -> list[EscalationStep]:
    return list(policy.steps.all()) if policy is not None else []


def _done(rows: Iterable[CaseClock]) -> dict[int, set[str]]:
    ids = [r.pk for r in rows if r.pk]
    done: dict[int, set[str]] = {i: set() for i in ids}
    for clock_id, key in SlaMilestone.objects.filter(clock_id__in=ids).values_list("clock_id", "key"):
        done[clock_id].add(key)
    return done


def live_clocks(case: Case) -> dict[str, CaseClock]:
    """The case's running or paused clocks by metric, locked until the transaction ends."""
    rows = (CaseClock.objects.select_for_update(of=("self",)).filter(case=case, stopped_at__isnull=True)
            .select_related("calendar", "policy"))
    return {row.metric: row for row in rows}


def _start(case: Case, policy: SlaPolicy, metric: str, minutes: int, calendar: BusinessCalendar,
           at: datetime) -> CaseClock:
    row = CaseClock(case=case, metric=metric, policy=policy, calendar=calendar, target_minutes=minutes,
                    warning_percent=policy.warning_percent, started_at=at)
    if case.status in pausing_statuses(policy) and metric != clock.PROGRESS_UPDATE:
        row.paused_since = at
    schedule(row, _steps(policy), ())
    row.save()
    if row.paused_since is not None:
        SlaPause.objects.create(clock=row, status=case.status, started_at=at)
    return row


def _stop(row: CaseClock, at: datetime, state: str) -> None:
    if row.paused_since is not None:
        _resume(row, at)
    row.stopped_at = max(at, row.started_at)
    row.state = state
    row.next_check_at = None
    row.save()


def _outcome(row: CaseClock, at: datetime) -> str:
    late = row.breached_at is not None or (row.due_at is not None and at > row.due_at)
    return ClockState.MISSED if late else ClockState.MET


def _pause(row: CaseClock, status: str, at: datetime) -> None:
    row.paused_since = max(at, row.started_at)
    row.state = ClockState.PAUSED
    SlaPause.objects.create(clock=row, status=status, started_at=row.paused_since)


def _resume(row: CaseClock, at: datetime) -> int:
    ec = engine_clock(row)
    minutes = ec.resume(max(at, row.started_at))
    row.paused_minutes = ec.paused
    row.paused_since = None
    row.state = ClockState.RUNNING
    SlaPause.objects.filter(clock=row, ended_at__isnull=True).update(ended_at=max(at, row.started_at),
                                                                     minutes=minutes)
    return minutes


def refresh_case_due(case: Case) -> None:
    """`Case.sla_due_at`: the soonest due instant among running response/resolution clocks."""
    due = (CaseClock.objects.filter(case=case, stopped_at__isnull=True, paused_since__isnull=True,
                                    due_at__isnull=False)
           .exclude(metric=clock.PROGRESS_UPDATE).aggregate(m=Min("due_at"))["m"]) or NO_DUE
    if case.sla_due_at != due:
        case.sla_due_at = due
        Case.objects.filter(pk=case.pk).update(sla_due_at=due)


def _policy_event(case: Case, policy: SlaPolicy | None, previous: SlaPolicy | None, at: datetime, actor) -> None:
    def ref(p):
        return {"code": p.code, "names": {n.language: n.name for n in p.names.all()}} if p else None
    event_write(case=case, event="sla_policy", actor=actor, data={"before": ref(previous), "after": ref(policy)},
                at=at)


def _route(case: Case, policy: SlaPolicy | None, at: datetime) -> None:
    if policy is not None and policy.route_team_id and case.team_id != policy.route_team_id:
        from aftersales.cases.actions import case_set_team

        case_set_team(case=case, team=policy.route_team, actor=None, at=at)


# ---- what the case actions announce ----------------------------------------------------------

def on_case_opened(*, case: Case, at: datetime, actor=None, **_kw) -> None:
    policy = choose_policy(case)
    if policy is None:
        return
    for metric, (minutes, calendar) in policy_targets(policy).items():
        if metric == clock.NEXT_RESPONSE or (metric == clock.FIRST_RESPONSE and case.first_response_at):
            continue
        _start(case, policy, metric, minutes, calendar, at)
    refresh_case_due(case)
    _route(case, policy, at)


def on_message_posted(*, case: Case, at: datetime, from_customer: bool, public: bool, **_kw) -> None:
    if not public:
        return
    live = live_clocks(case)
    if not live and not from_customer:
        return
    if from_customer:
        if case.first_response_at is None or clock.NEXT_RESPONSE in live or not case.is_open:
            return
        policy = choose_policy(case)
        target = policy_targets(policy).get(clock.NEXT_RESPONSE)
        if target is not None:
            _start(case, policy, clock.NEXT_RESPONSE, target[0], target[1], at)
            refresh_case_due(case)
        return
    for metric in (clock.FIRST_RESPONSE, clock.NEXT_RESPONSE):
        if metric in live:
            _stop(live[metric], at, _outcome(live[metric], at))
    progress = live.get(clock.PROGRESS_UPDATE)
    if progress is not None:
        # A person's public reply is a progress report: the schedule starts again from it.
        _stop(progress, at, ClockState.MET)
        _start(case, progress.policy or choose_policy(case), clock.PROGRESS_UPDATE, progress.target_minutes,
               progress.calendar, at)
    refresh_case_due(case)


def on_status_changed(*, case: Case, at: datetime, source: str, target: str, reopened: bool, **_kw) -> None:
    live = live_clocks(case)
    if target in workflow.DONE:
        for metric, row in live.items():
            state = _outcome(row, at) if metric == clock.RESOLUTION else (
                ClockState.MISSED if row.breached_at else ClockState.CANCELLED)
            _stop(row, at, state)
        refresh_case_due(case)
        return
    if reopened:
        policy = choose_policy(case)
        for metric, (minutes, calendar) in policy_targets(policy).items():
            if metric in (clock.RESOLUTION, clock.PROGRESS_UPDATE) and metric not in live:
                _start(case, policy, metric, minutes, calendar, at)
        refresh_case_due(case)
        return
    changed = False
    done = None
    for row in live.values():
        if row.metric == clock.PROGRESS_UPDATE:
            continue
        pausing = case.status in pausing_statuses(row.policy)
        if pausing and row.paused_since is None:
            _pause(row, case.status, at)
        elif not pausing and row.paused_since is not None:
            _resume(row, at)
        else:
            continue
        done = done if done is not None else _done(live.values())
        schedule(row, _steps(row.policy), done.get(row.pk, ()))
        row.save()
        changed = True
    if changed:
        refresh_case_due(case)


def on_fields_changed(*, case: Case, at: datetime, changed: dict, actor=None, **_kw) -> None:
    if not set(changed) & set(RULE_FIELDS) or not case.is_open:
        return
    retarget(case, at=at, actor=actor)


def retarget(case: Case, *, at: datetime, actor=None) -> None:
    """Choose the policy again and re-time every live clock from its own start (decision 0018)."""
    live = live_clocks(case)
    policy = choose_policy(case)
    previous = next((row.policy for row in live.values() if row.policy_id), None)
    targets = policy_targets(policy)
    done = _done(live.values())
    touched = False
    for metric, row in live.items():
        if metric not in targets:
            _stop(row, at, ClockState.MISSED if row.breached_at else ClockState.CANCELLED)
            touched = True
            continue
        minutes, calendar = targets[metric]
        if (row.policy_id, row.target_minutes, row.calendar_id, row.warning_percent) == (
                policy.pk, minutes, calendar.pk, policy.warning_percent):
            continue
        if row.calendar_id != calendar.pk:
            _remeasure_pauses(row, calendar)
        row.policy, row.target_minutes, row.calendar = policy, minutes, calendar
        row.warning_percent = policy.warning_percent
        schedule(row, _steps(policy), done.get(row.pk, ()))
        row.save()
        touched = True
    if policy is not None:
        for metric, (minutes, calendar) in targets.items():
            if metric in live or metric == clock.NEXT_RESPONSE:
                continue
            if metric == clock.FIRST_RESPONSE and case.first_response_at is not None:
                continue
            started = case.created_at if metric == clock.FIRST_RESPONSE or not case.reopen_count else at
            if metric == clock.PROGRESS_UPDATE:
                started = at
            _start(case, policy, metric, minutes, calendar, started)
            touched = True
    if getattr(previous, "pk", None) != getattr(policy, "pk", None):
        _policy_event(case, policy, previous, at, actor)
        touched = True
    if touched:
        refresh_case_due(case)
    if policy is not None and getattr(previous, "pk", None) != policy.pk:
        _route(case, policy, at)


def _remeasure_pauses(row: CaseClock, calendar: BusinessCalendar) -> None:
    """Pauses in business minutes of the new calendar (an open pause is measured on resume)."""
    cal = engine_calendar(calendar)
    total = 0
    for pause in SlaPause.objects.filter(clock=row, ended_at__isnull=False):
        minutes = max(0, engine.business_minutes_between(cal, pause.started_at, pause.ended_at))
        if minutes != pause.minutes:
            SlaPause.objects.filter(pk=pause.pk).update(minutes=minutes)
        total += minutes
    row.paused_minutes = total


def start_missing_clocks(*, batch: int = 500) -> int:
    """Give every open case without a live clock the clocks its policy asks for, counted from
    the case's open time (for cases that predate the SLA, or after a policy is switched on).
    A case waiting in a pausing status is taken as paused since it opened: the history of its
    earlier statuses is not replayed. Returns how many cases got clocks."""
    from django.db import transaction

    started = 0
    last = 0
    while True:
        has_live = Exists(CaseClock.objects.filter(case=OuterRef("pk"), stopped_at__isnull=True))
        ids = list(Case.objects.filter(is_open__in=[True], pk__gt=last).filter(~has_live)
                   .order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return started
        last = ids[-1]
        with transaction.atomic():
            for case in Case.objects.filter(pk__in=ids).select_related("customer", "team"):
                on_case_opened(case=case, at=case.created_at)
                started += 1
