"""The SLA sweep: handle every clock milestone (warning, breach, escalation step, progress
update) whose instant has passed, exactly once.

It never scans cases. Each clock keeps `next_check_at`, its soonest unhandled milestone
(NULL when paused or stopped), under a partial index; a sweep reads only rows where that
instant has passed, a batch at a time, each batch in one transaction:

- On PostgreSQL the batch is read `FOR UPDATE SKIP LOCKED`: consumers sweeping at once take
  disjoint batches, and a case action holding a clock (a reply stopping it) is skipped.
  On SQLite writers are serialised (`BEGIN IMMEDIATE`), so batches cannot overlap.
- Handled milestones are rows (`SlaMilestone`, unique per clock and key): read before
  acting, and the constraint is the last guard. So however often and by however many
  consumers the sweep runs, each milestone writes one timeline event and one notification
  per person.
- Work is re-derived from the database on every run, never carried in a job's arguments:
  a lost or repeated job cannot lose or double a milestone (decision 0017's gap).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from aftersales.accounts.models import Role, User
from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.core.jobs import enqueue_after_commit
from aftersales.sla import calendar as engine
from aftersales.sla import clock, events
from aftersales.sla.actions_clock import engine_clock, schedule
from aftersales.sla.models import (
    CaseClock,
    EscalationStep,
    NotificationKind,
    SlaMilestone,
    SlaNotification,
    StepAction,
)

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SweepResult:
    clocks: int = 0
    milestones: int = 0
    notifications: int = 0
    by_key: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def sla_sweep(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Sweep until nothing is due at `now` (default: the moment of the call)."""
    now = now or timezone.now()
    result = SweepResult()
    while True:
        taken = _sweep_batch(now=now, batch=batch, result=result)
        if taken < batch:
            return result


def _due_clocks(now: datetime, batch: int) -> list[CaseClock]:
    qs = (CaseClock.objects.filter(next_check_at__lte=now).order_by("next_check_at", "id")
          .select_related("calendar", "policy", "case", "case__customer", "case__team", "case__team__lead",
                          "case__assignee"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:batch])


class _Recipients:
    """Who each ladder action reaches, read once per batch."""

    def __init__(self, rows: list[CaseClock]):
        self._supervisors: dict[int, list[User]] | None = None
        self._team_ids = {row.case.team_id for row in rows if row.case.team_id}
        self._members: dict[int, list[User]] = {}

    def _team_supervisors(self, team_id: int | None) -> list[User]:
        if self._supervisors is None:
            self._supervisors = defaultdict(list)
            rows = User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.ADMINISTRATOR],
                                       teams__in=self._team_ids).values_list("teams", "pk")
            users = User.objects.in_bulk({pk for _t, pk in rows})
            for team, pk in rows:
                self._supervisors[team].append(users[pk])
        return self._supervisors.get(team_id, []) if team_id else []

    def team_lead(self, case: Case) -> list[User]:
        team = case.team
        if team is not None and team.lead is not None and team.lead.is_active:
            return [team.lead]
        return self._team_supervisors(case.team_id)

    def assignee(self, case: Case) -> list[User]:
        if case.assignee is not None and case.assignee.is_active:
            return [case.assignee]
        return self.team_lead(case)

    def members(self, team_id: int | None) -> list[User]:
        if team_id is None:
            return []
        if team_id not in self._members:
            self._members[team_id] = list(User.objects.filter(teams=team_id, is_active=True)
                                          .exclude(role=Role.CUSTOMER).order_by("pk"))
        return self._members[team_id]


@transaction.atomic
def _sweep_batch(*, now: datetime, batch: int, result: SweepResult) -> int:
    rows = _due_clocks(now, batch)
    if not rows:
        return 0
    ids = [row.pk for row in rows]
    done: dict[int, set[str]] = defaultdict(set)
    for clock_id, key in SlaMilestone.objects.filter(clock_id__in=ids).values_list("clock_id", "key"):
        done[clock_id].add(key)
    steps: dict[int, list[EscalationStep]] = defaultdict(list)
    for step in EscalationStep.objects.filter(policy_id__in={r.policy_id for r in rows if r.policy_id}):
        steps[step.policy_id].append(step)
    step_by_key = {f"step:{s.pk}": s for group in steps.values() for s in group}
    recipients = _Recipients(rows)

    milestones: list[SlaMilestone] = []
    entries: list[CaseEntry] = []
    pending_people: list[tuple[int, list[User], str, CaseClock]] = []  # milestone index, people, kind, clock
    deferred: list[tuple[str, CaseClock, EscalationStep | None]] = []
    for row in rows:
        policy_steps = steps.get(row.policy_id, [])
        try:
            due = engine_clock(row, policy_steps).pending(done[row.pk])
        except engine.CalendarError:
            log.exception("SLA clock %s cannot be timed on its calendar; left out of the sweep", row.pk)
            row.next_check_at = None
            continue
        for at, key in due:
            if at > now:
                break
            index = len(milestones)
            milestones.append(SlaMilestone(clock=row, key=key, at=at, handled_at=now))
            done[row.pk].add(key)
            result.by_key[key if not key.startswith("step:") else "step"] += 1
            data = {"metric": row.metric, "clock": row.pk, "due": at.isoformat()}
            if row.metric == clock.PROGRESS_UPDATE:
                deferred.append(("progress", row, None))
                continue
            if key == clock.WARNING:
                row.warned_at = row.warned_at or now
                entries.append(_event(row.case, events.WARNING, data, now))
            elif key == clock.BREACH:
                row.breached_at = row.breached_at or now
                entries.append(_event(row.case, events.BREACH, data, now))
            else:
                step = step_by_key.get(key)
                if step is None:
                    continue
                if step.action == StepAction.REASSIGN_TEAM:
                    deferred.append(("reassign", row, step))
                    continue
                people = {
                    StepAction.NOTIFY_ASSIGNEE: recipients.assignee,
                    StepAction.NOTIFY_TEAM_LEAD: recipients.team_lead,
                }.get(step.action, lambda case, s=step: recipients.members(s.team_id))(row.case)
                kind = {clock.WARNING: NotificationKind.WARNING, clock.BREACH: NotificationKind.BREACH}.get(
                    step.trigger, NotificationKind.ESCALATION)
                pending_people.append((index, people, kind, row))
                entries.append(_event(row.case, events.ESCALATED, {**data, "action": step.action,
                                                                   "to": [str(p) for p in people]}, now))
        schedule(row, policy_steps, done[row.pk])

    SlaMilestone.objects.bulk_create(milestones)
    CaseEntry.objects.bulk_create(entries)
    notifications = [
        SlaNotification(user=person, case_id=row.case_id, milestone=milestones[index], kind=kind, metric=row.metric,
                        created_at=now)
        for index, people, kind, row in pending_people for person in people
    ]
    SlaNotification.objects.bulk_create(notifications)
    CaseClock.objects.bulk_update(rows, ["warned_at", "breached_at", "next_check_at", "due_at", "warn_at"])
    for action, row, step in deferred:
        if action == "reassign":
            _reassign(row, step, now)
        else:
            _progress_update(row, now)
    if notifications:
        from aftersales.sla.tasks import sla_mail_notifications

        enqueue_after_commit(sla_mail_notifications)
    result.clocks += len(rows)
    result.milestones += len(milestones)
    result.notifications += len(notifications)
    return len(rows)


def _event(case: Case, name: str, data: dict, at: datetime) -> CaseEntry:
    return CaseEntry(case=case, kind=EntryKind.EVENT, is_public=False, event=name, data=data, created_at=at)


def _reassign(row: CaseClock, step: EscalationStep, now: datetime) -> None:
    from aftersales.cases.actions import case_assign, case_set_team
    from aftersales.cases.events import event_write

    case = Case.objects.select_related("customer", "team", "assignee").get(pk=row.case_id)
    previous = str(case.assignee) if case.assignee else None
    case_set_team(case=case, team=step.team, actor=None, at=now)
    case_assign(case=case, assignee=None, actor=None, at=now)
    event_write(case=case, event=events.ESCALATED, actor=None, at=now,
                data={"metric": row.metric, "clock": row.pk, "action": step.action,
                      "to": [str(step.team)] + ([previous] if previous else [])})


def _progress_update(row: CaseClock, now: datetime) -> None:
    """Tell the customer where their case stands, and start the next interval."""
    from aftersales.cases.events import event_write
    from aftersales.sla.actions_clock import _start, _stop, choose_policy
    from aftersales.sla.models import ClockState
    from aftersales.sla.tasks import sla_mail_progress

    case = row.case
    entry = event_write(case=case, event=events.PROGRESS, actor=None, at=now,
                        data={"status": case.status, "team": str(case.team) if case.team else None})
    fresh = CaseClock.objects.select_related("calendar", "policy").get(pk=row.pk)
    _stop(fresh, now, ClockState.MET)
    policy = fresh.policy or choose_policy(case)
    if policy is not None and case.is_open:
        _start(case, policy, clock.PROGRESS_UPDATE, fresh.target_minutes, fresh.calendar, now)
    enqueue_after_commit(sla_mail_progress, entry.pk)
