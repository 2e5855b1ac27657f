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
from enum import Enum

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from aftersales.accounts.models import Role, Team, User
from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.core.jobs import enqueue_after_commit
from aftersales.sla import calendar as engine
from aftersales.sla import clock, events
from aftersales.sla.actions_clock import engine_clock, schedule
from aftersales.sla.models import (
    BusinessCalendar,
    CaseClock,
    EscalationStep,
    NotificationKind,
    SlaMilestone,
    SlaNotification,
    SlaPolicy,
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
    qs = CaseClock.objects.filter(next_check_at__lte=now).order_by("next_check_at", "id").select_related("case")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    rows = list(qs[:batch])
    _attach(rows)
    return rows


def _attach(rows: list[CaseClock]) -> None:
    """Give the rows their calendar, policy, and their cases' team (with its lead) and assignee.

    A batch names a handful of each: reading them once by id costs a few queries, where joining
    them to every row built thousands of identical objects. The case's customer is not read: only a
    progress update needs it, and loads it then."""
    if not rows:
        return
    calendars = BusinessCalendar.objects.in_bulk({row.calendar_id for row in rows})
    policies = SlaPolicy.objects.in_bulk({row.policy_id for row in rows if row.policy_id})
    teams = Team.objects.select_related("lead").in_bulk({row.case.team_id for row in rows if row.case.team_id})
    users = User.objects.in_bulk({row.case.assignee_id for row in rows if row.case.assignee_id})
    for row in rows:
        row.calendar = calendars[row.calendar_id]
        row.policy = policies.get(row.policy_id) if row.policy_id else None
        case = row.case
        case.team = teams.get(case.team_id) if case.team_id else None
        case.assignee = users.get(case.assignee_id) if case.assignee_id else None


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

    # Rows to write, as column values (building model objects for them cost more than the SQL).
    milestones: list[tuple[int, str, datetime, datetime]] = []  # clock, key, due, handled
    entries: list[tuple[int, str, dict]] = []  # case, event, data
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
            milestones.append((row.pk, key, at, now))
            done[row.pk].add(key)
            result.by_key[key if not key.startswith("step:") else "step"] += 1
            data = {"metric": row.metric, "clock": row.pk, "due": at.isoformat()}
            if row.metric == clock.PROGRESS_UPDATE:
                deferred.append(("progress", row, None))
                continue
            if key == clock.WARNING:
                row.warned_at = row.warned_at or now
                entries.append((row.case_id, events.WARNING, data))
            elif key == clock.BREACH:
                row.breached_at = row.breached_at or now
                entries.append((row.case_id, events.BREACH, data))
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
                entries.append((row.case_id, events.ESCALATED, {**data, "action": step.action,
                                                                "to": [str(p) for p in people]}))
        schedule(row, policy_steps, done[row.pk])

    _insert(SlaMilestone, ("clock", "key", "at", "handled_at"), milestones)
    written: dict[tuple[int, str], int] = {}
    if pending_people:
        # The new milestones' ids, for their notifications ((clock, key) is unique).
        written = {(clock_id, key): pk for pk, clock_id, key in SlaMilestone.objects.filter(
            clock_id__in={m[0] for m in milestones}).values_list("pk", "clock_id", "key")}
    _insert(CaseEntry, ("case", "kind", "is_public", "event", "data", "created_at"),
            [(case_id, EntryKind.EVENT, False, name, data, now) for case_id, name, data in entries])
    notifications = [
        (person.pk, row.case_id, written[milestones[index][:2]], kind, row.metric, now)
        for index, people, kind, row in pending_people for person in people
    ]
    _insert(SlaNotification, ("user", "case", "milestone", "kind", "metric", "created_at"), notifications)
    _save_times(rows)
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


_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)
_PG_ROWS = 1000  # rows per statement on PostgreSQL


def _many(cursor, head: str, row: str, params: list[list], tail: str = "") -> None:
    """Run `head VALUES row, row, … tail` for every parameter row: on PostgreSQL a statement
    per thousand rows (one round trip each), on SQLite one prepared statement run per row
    (the driver loops in C; SQLite has no round trips)."""
    if connection.vendor == "postgresql":
        for i in range(0, len(params), _PG_ROWS):
            chunk = params[i:i + _PG_ROWS]
            cursor.execute(f"{head} VALUES {', '.join([row] * len(chunk))} {tail}", [v for p in chunk for v in p])
    else:
        cursor.executemany(f"{head} VALUES {row} {tail}", params)


def _insert(model: type[models.Model], names: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as values of the fields `names` (every other field gets its default):
    `bulk_create` without model objects or per-value SQL compilation, the rows get no ids back.
    Plain columns go to the driver as they are; dates, times and JSON through their field."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    given = [meta.get_field(name) for name in names]
    rest = [f for f in meta.concrete_fields if f not in given and not isinstance(f, models.AutoField)]
    for f in given + rest:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            raise TypeError(f"{model.__name__}.{f.name} is set on save; use bulk_create")
    db = connections[DEFAULT_DB_ALIAS]  # the object itself: `connection` is a proxy, costly per value
    defaults = [f.get_db_prep_save(f.get_default(), db) for f in rest]
    prep = [None if isinstance(f, _PLAIN) else f for f in given]
    times: dict[tuple[type, datetime], object] = {}  # a batch's rows share a few instants (the sweep's `now`)

    def value(f: models.Field | None, v):
        if f is None:
            return v.value if isinstance(v, Enum) else v
        if isinstance(v, datetime):
            key = (type(f), v)
            if key not in times:
                times[key] = f.get_db_prep_save(v, db)
            return times[key]
        return f.get_db_prep_save(v, db)

    def values(row: tuple) -> list:
        return [value(f, v) for f, v in zip(prep, row, strict=True)] + defaults

    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in given + rest)})"
    with connection.cursor() as cursor:
        _many(cursor, head, f"({', '.join(['%s'] * (len(given) + len(rest)))})", [values(row) for row in rows])


TIMES = ("warned_at", "breached_at", "next_check_at", "due_at", "warn_at")


def _save_times(rows: list[CaseClock]) -> None:
    """Write back the times the sweep moved. `bulk_update` builds a CASE WHEN per column over
    the batch, and compiling those expressions cost more than the rest of the sweep together."""
    meta = CaseClock._meta
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = [quote(meta.get_field(name).column) for name in TIMES]
    params = [[row.pk] + [adapt(getattr(row, name)) for name in TIMES] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # one UPDATE … FROM (VALUES …) per thousand rows
            _many(cursor, f"UPDATE {table} AS c SET {', '.join(f'{c} = v.{c}' for c in columns)} FROM (",  # noqa: S608
                  f"(%s::bigint{', %s::timestamptz' * len(columns)})", params,
                  f") AS v ({pk}, {', '.join(columns)}) WHERE c.{pk} = v.{pk}")
        else:
            sets = ", ".join(f"{c} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s",  # noqa: S608
                               [p[1:] + p[:1] for p in params])


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
