"""SLA words and badges on the desk's pages.

`{% case_soonest_clock case as clock %}` picks the case's soonest clock (no query: the lists
prefetch the live clocks) and `{% sla_badge clock %}` shows it; `{{ minutes|sla_duration }}` a length of
time; `{% unread_notifications as n %}` the header's count (one capped, indexed query)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from aftersales.cases.models import Status
from aftersales.desk import sla_text
from aftersales.sla.models import ClockState
from aftersales.sla.selectors_clock import ClockView, soonest
from aftersales.sla.selectors_notify import UNREAD_CAP, unread_count

register = template.Library()


def _now(context) -> datetime:
    """One instant for the whole page (the view's `sla_now`), so every row is measured alike."""
    return context.get("sla_now") or timezone.now()


@register.inclusion_tag("desk/partials/sla_badge.html")
def sla_badge(view: ClockView | None, show_target: bool = True) -> dict:
    if view is None:
        return {"view": None}
    return {"view": view, "state": sla_text.clock_state(view), "text": sla_text.clock_text(view),
            "show_target": show_target}


@register.simple_tag(takes_context=True)
def case_soonest_clock(context, case) -> ClockView | None:
    """`{% case_soonest_clock case as clock %}`: the clock a row's badge shows (soonest due, a paused one last)."""
    return soonest(case, _now(context))


@register.filter
def sla_duration(minutes: int) -> str:
    return sla_text.duration(minutes)


@register.filter
def sla_state_label(state: str) -> str:
    """A clock's state (running, paused, met, missed, cancelled) in the reader's language."""
    return str(ClockState(state).label) if state in ClockState.values else state


@register.filter
def case_status_label(status: str) -> str:
    """A case status code (as a pause records it) in the reader's language."""
    return str(Status(status).label) if status in Status.values else status


@register.simple_tag
def milestone_label(milestone, metric: str, step_labels: dict[str, str]) -> str:
    """What a handled milestone was: the warning, the breach (for a progress-update clock: the
    update sent), or an escalation step and what it did."""
    return sla_text.milestone_text(milestone.key, metric, step_labels)


@register.filter
def capped(count: int, cap: int) -> str:
    return sla_text.capped(count, int(cap))


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_count(user=request.user) if request is not None else 0


@register.simple_tag
def unread_cap() -> int:
    return UNREAD_CAP
