"""Reads for the desk's SLA screens: the "at risk" queue's count and a case's SLA panel
(its live clocks and their whole history). A fixed number of queries each."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.db.models import Q

from aftersales.cases.access import case_lanes_visible_to
from aftersales.cases.models import Case
from aftersales.sla import clock
from aftersales.sla.selectors_clock import AT_RISK_MINUTES, ClockHistory, case_sla_history, escalation_step_labels

# The sidebar shows "999+" past this: counting stops there, so it stays a short index read.
AT_RISK_CAP = 1000


def at_risk_cutoff(now: datetime) -> datetime:
    """Open cases due at or before this instant are "at risk" (overdue ones included)."""
    return now + timedelta(minutes=AT_RISK_MINUTES)


def at_risk_count(*, user, now: datetime, cap: int = AT_RISK_CAP) -> int:
    """How many open cases the person may see are overdue or due within AT_RISK_MINUTES,
    counted up to `cap`. Read lane by lane along the `*_due_idx` indexes (decision 0013):
    each lane stops after `cap` entries, and the database counts at most `cap` ids."""
    lanes = case_lanes_visible_to(user)
    if lanes == []:
        return 0
    due = Case.objects.filter(is_open__in=[True], sla_due_at__lte=at_risk_cutoff(now))
    if lanes is None:
        return due[:cap].count()
    each = [Q(pk__in=due.filter(**lane).order_by("sla_due_at", "id").values("pk")[:cap]) for lane in lanes]
    return Case.objects.filter(reduce(operator.or_, each))[:cap].count()


@dataclass(frozen=True)
class SlaPanel:
    """A case's clocks for its page: the running and paused response and resolution clocks
    (soonest due first), every clock it has had (oldest first), the live clocks' policies and
    what each fired escalation step did."""

    live: list[ClockHistory]
    history: list[ClockHistory]
    policies: list[str]
    step_labels: dict[str, str]


def _live_order(h: ClockHistory) -> tuple:
    return (h.view.paused, h.view.due_at or datetime.max.replace(tzinfo=h.view.started_at.tzinfo), h.view.id)


def sla_panel(*, case: Case, now: datetime) -> SlaPanel:
    history = case_sla_history(case, now)
    live = sorted((h for h in history if h.view.stopped_at is None and h.view.metric != clock.PROGRESS_UPDATE),
                  key=_live_order)
    policies = list(dict.fromkeys(h.policy for h in live))
    return SlaPanel(live=live, history=history, policies=policies, step_labels=escalation_step_labels(history))
