"""Every write to the business calendars and the SLA policies: validated first, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import Team
from aftersales.cases import workflow
from aftersales.cases.models import CaseType, Channel, Severity, Status
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.customers.models import Tier
from aftersales.sla.errors import SlaError
from aftersales.sla.models import (
    BusinessCalendar,
    EscalationStep,
    Metric,
    SlaPolicy,
    SlaPolicyName,
    SlaTarget,
    StepAction,
    Trigger,
)
from aftersales.sla.selectors import MAX_MINUTES, check_calendar

FIELDS = ["code", "time_zone", "holiday_region", "weekly_hours", "closures", "openings"]


@transaction.atomic
def calendar_save(*, calendar: BusinessCalendar, actor) -> BusinessCalendar:
    """Create or change a calendar (the admin's save). Checked first; audited."""
    check_calendar(calendar)
    if calendar.pk is None:
        if BusinessCalendar.objects.filter(code=calendar.code).exists():
            raise ValidationFailed(SlaError.CALENDAR_CODE_TAKEN, _("A calendar with this code exists already."))
        calendar.save()
        audit_record(actor=actor, obj=calendar, action="calendar_created", after=snapshot(calendar, FIELDS))
        return calendar
    stored = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
    before = snapshot(stored, FIELDS)
    calendar.save()
    audit_changes(actor=actor, obj=calendar, action="calendar_changed", before=before,
                  after=snapshot(calendar, FIELDS))
    return calendar


# ---- SLA policies ----------------------------------------------------------------------------

POLICY_FIELDS = ["code", "position", "is_active", "severities", "types", "channels", "tiers", "warning_percent",
                 "pause_statuses", "route_team", "progress_update_minutes", "progress_calendar"]
CONDITION_CHOICES = {"severities": Severity, "types": CaseType, "channels": Channel, "tiers": Tier}
# A resolved or closed case has no running clock to pause.
PAUSABLE_STATUSES = [status for status in Status.values if status not in workflow.DONE]
TEAM_ACTIONS = frozenset({StepAction.NOTIFY_TEAM, StepAction.REASSIGN_TEAM})
TARGET_METRICS = [value for value, _label in Metric.choices[:3]]


def policy_problems(policy: SlaPolicy) -> dict[str, str]:
    """What is wrong with the policy row's own fields, by field name (empty when nothing is)."""
    problems: dict[str, str] = {}
    for name, choices in CONDITION_CHOICES.items():
        values = getattr(policy, name)
        if not isinstance(values, list) or any(v not in choices.values for v in values):
            problems[name] = _("Choose from the values offered.")
    if not isinstance(policy.pause_statuses, list) or any(v not in Status.values for v in policy.pause_statuses):
        problems["pause_statuses"] = _("Choose from the values offered.")
    elif any(v in workflow.DONE for v in policy.pause_statuses):
        problems["pause_statuses"] = _("A resolved or closed case has no clock to pause; choose statuses of "
                                       "open cases.")
    if policy.warning_percent is None or not 1 <= policy.warning_percent <= 99:
        problems["warning_percent"] = _("Warn at between 1 and 99 per cent of a target's time.")
    minutes, calendar = policy.progress_update_minutes, policy.progress_calendar_id
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        problems["progress_update_minutes"] = _("Enter between 1 and %(max)d business minutes.") % {"max": MAX_MINUTES}
    elif minutes is not None and calendar is None:
        problems["progress_calendar"] = _("Progress updates need a calendar to count their minutes on.")
    elif minutes is None and calendar is not None:
        problems["progress_update_minutes"] = _("Progress updates need an interval; or clear the calendar to "
                                                "send none.")
    return problems


def target_problems(target: SlaTarget) -> dict[str, str]:
    if target.minutes is None or not 1 <= target.minutes <= MAX_MINUTES:
        return {"minutes": _("Enter between 1 and %(max)d business minutes.") % {"max": MAX_MINUTES}}
    return {}


def step_problems(step: EscalationStep) -> dict[str, str]:
    problems: dict[str, str] = {}
    if step.action in TEAM_ACTIONS and step.team_id is None:
        problems["team"] = _("This action needs a team.")
    if step.delay_minutes is None or not 0 <= step.delay_minutes <= MAX_MINUTES:
        problems["delay_minutes"] = _("Enter between 0 and %(max)d business minutes.") % {"max": MAX_MINUTES}
    return problems


def targets_problem(targets: Sequence[SlaTarget]) -> str | None:
    """What is wrong with a policy's set of targets as a whole, if anything."""
    if not targets:
        return _("A policy needs at least one target.")
    metrics = [t.metric for t in targets]
    if len(set(metrics)) != len(metrics):
        return _("A policy has at most one target of each kind.")
    return None


def check_policy(*, policy: SlaPolicy, names: Sequence[SlaPolicyName], targets: Sequence[SlaTarget],
                 steps: Sequence[EscalationStep]) -> None:
    """422 `invalid_input` listing every problem of a policy with the rows it is to have."""
    errors = [{"field": field, "detail": detail} for field, detail in policy_problems(policy).items()]
    problem = targets_problem(targets)
    if problem:
        errors.append({"field": "targets", "detail": problem})
    for i, target in enumerate(targets):
        if target.metric not in TARGET_METRICS:
            errors.append({"field": f"targets.{i}.metric", "detail": _("Choose from the values offered.")})
        errors += [{"field": f"targets.{i}.{f}", "detail": d} for f, d in target_problems(target).items()]
    for i, step in enumerate(steps):
        for field, values in (("metric", ["", *TARGET_METRICS]), ("trigger", Trigger.values),
                              ("action", StepAction.values)):
            if getattr(step, field) not in values:
                errors.append({"field": f"steps.{i}.{field}", "detail": _("Choose from the values offered.")})
        errors += [{"field": f"steps.{i}.{f}", "detail": d} for f, d in step_problems(step).items()]
    languages = [n.language for n in names]
    if len(set(languages)) != len(languages):
        errors.append({"field": "names", "detail": _("A policy has one name per language.")})
    if errors:
        raise ValidationFailed(SlaError.POLICY_INVALID, _("The SLA policy is not valid: %(errors)s")
                               % {"errors": "; ".join(str(e["detail"]) for e in errors)}, errors=errors)


def policy_document(policy: SlaPolicy) -> dict:
    """The stored policy with its teams, names, targets and ladder, as the audit row shows it."""
    return {
        **snapshot(policy, POLICY_FIELDS),
        "teams": sorted(policy.teams.values_list("pk", flat=True)),
        "names": dict(policy.names.order_by("language").values_list("language", "name")),
        "targets": {t.metric: {"minutes": t.minutes, "calendar": t.calendar_id}
                    for t in policy.targets.order_by("metric")},
        "steps": [{"id": s.pk, "metric": s.metric, "trigger": s.trigger, "delay_minutes": s.delay_minutes,
                   "action": s.action, "team": s.team_id} for s in policy.steps.order_by("pk")],
    }


@transaction.atomic
def policy_save(*, policy: SlaPolicy, actor, teams: Iterable[Team] | None = None,
                names: Sequence[SlaPolicyName] | None = None, targets: Sequence[SlaTarget] | None = None,
                steps: Sequence[EscalationStep] | None = None) -> SlaPolicy:
    """Create or change a policy with its teams, names, targets and escalation ladder (the
    admin's save). Each of those given is the whole new set; one left out (None) stays as it
    is. Steps keep their ids, because a clock records its handled steps by step id: a step
    given with its id is changed in place, a stored step not given is deleted. Checked first;
    one audit row for the lot.

    Clocks already running keep their target minutes; the new ladder and pausing statuses
    reach them at their next change, the new targets reach clocks started afterwards."""
    created = policy.pk is None
    stored = None if created else SlaPolicy.objects.select_for_update().get(pk=policy.pk)
    rows: dict[str, Sequence] = {"names": names, "targets": targets, "steps": steps}
    for relation, given in rows.items():
        if given is None:
            rows[relation] = list(getattr(stored, relation).all()) if stored is not None else []
    check_policy(policy=policy, **rows)
    if created and SlaPolicy.objects.filter(code=policy.code).exists():
        detail = _("An SLA policy with this code exists already.")
        raise Conflict(SlaError.POLICY_CODE_TAKEN, detail, errors=[{"field": "code", "detail": detail}])
    before = {} if stored is None else policy_document(stored)
    policy.save()
    if teams is not None:
        policy.teams.set(teams)
    # Names and targets are nobody else's to point at, so they are replaced whole (and
    # swapping two targets' kinds cannot trip the one-per-kind constraint half-way).
    if names is not None:
        policy.names.all().delete()
        SlaPolicyName.objects.bulk_create([SlaPolicyName(policy=policy, language=n.language, name=n.name)
                                           for n in names])
    if targets is not None:
        policy.targets.all().delete()
        SlaTarget.objects.bulk_create([SlaTarget(policy=policy, metric=t.metric, minutes=t.minutes,
                                                 calendar_id=t.calendar_id) for t in targets])
    if steps is not None:
        ours = set(policy.steps.values_list("pk", flat=True))
        policy.steps.exclude(pk__in=[s.pk for s in steps if s.pk is not None]).delete()
        for step in steps:
            if step.pk not in ours:
                step.pk = None  # new, or another policy's: added to this ladder as a new step
            step.policy = policy
            step.save()
    after = policy_document(policy)
    if created:
        audit_record(actor=actor, obj=policy, action="policy_created", after=after)
    else:
        audit_changes(actor=actor, obj=policy, action="policy_changed", before=before, after=after)
    return policy
