"""How the desk words an SLA clock: its state, the time left or overdue, a capped count.
Used by the `desk_sla` template tags and the views; every word goes through gettext."""

from __future__ import annotations

from django.utils.translation import gettext as _

from aftersales.sla import clock
from aftersales.sla.selectors_clock import ClockView

MINUTES_PER_DAY = 24 * 60

# The states a badge shows, each with its own words (not only its colour).
RUNNING = "running"
AT_RISK = "at-risk"
OVERDUE = "overdue"
PAUSED = "paused"


def duration(minutes: int) -> str:
    """A length of time, short: "35m", "2h 10m", "3h", "2d 4h", "5d". Days are 24-hour days of
    the counted (business) minutes, as the clock counts them; minutes are dropped past a day."""
    minutes = abs(int(minutes))
    if minutes < 60:
        return _("%(m)dm") % {"m": minutes}
    hours, rest = divmod(minutes, 60)
    if minutes < MINUTES_PER_DAY:
        if rest:
            return _("%(h)dh %(m)dm") % {"h": hours, "m": rest}
        return _("%(h)dh") % {"h": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return _("%(d)dd %(h)dh") % {"d": days, "h": hours}
    return _("%(d)dd") % {"d": days}


def clock_state(view: ClockView) -> str:
    if view.stopped_at is None and view.paused:
        return PAUSED
    if view.minutes_left < 0 or view.breached:
        return OVERDUE
    if view.at_risk:
        return AT_RISK
    return RUNNING


def clock_text(view: ClockView) -> str:
    """What the badge says after the target's name: "Paused", "Overdue 35m", "2h 10m left"."""
    state = clock_state(view)
    if state == PAUSED:
        return _("Paused")
    if state == OVERDUE:
        if view.minutes_left < 0:
            return _("Overdue %(time)s") % {"time": duration(view.minutes_left)}
        return _("Breached")
    return _("%(time)s left") % {"time": duration(view.minutes_left)}


def capped(count: int, cap: int) -> str:
    """A count read up to `cap`: the number, or "999+" (for a cap of 1000) when it reached it."""
    return str(count) if count < cap else _("%(n)d+") % {"n": cap - 1}


def milestone_text(key: str, metric: str, step_labels: dict[str, str]) -> str:
    if metric == clock.PROGRESS_UPDATE:
        return _("Progress update sent")
    if key == clock.WARNING:
        return _("Warning")
    if key == clock.BREACH:
        return _("Breach")
    if key in step_labels:
        return _("Escalation: %(step)s") % {"step": step_labels[key]}
    return _("Escalation step")
