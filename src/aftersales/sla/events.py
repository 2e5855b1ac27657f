"""The SLA's timeline events on a case, and how each reads (in the reader's language)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.sla.models import Metric, StepAction

POLICY = "sla_policy"
WARNING = "sla_warning"
BREACH = "sla_breached"
ESCALATED = "sla_escalated"
PROGRESS = "sla_progress_update"


def _policy_name(ref: dict[str, Any] | None) -> str:
    if not ref:
        return _("none")
    names = ref.get("names") or {}
    lang = translation.get_language() or "en"
    for code in ({"zh-hant": ["zh-hant", "zh-hans"], "zh-hans": ["zh-hans", "zh-hant"]}.get(lang, [lang]) + ["en"]):
        if names.get(code):
            return names[code]
    return ref.get("code", "")


def _metric(data: dict[str, Any]) -> str:
    value = data.get("metric")
    return str(Metric(value).label) if value in Metric.values else str(value)


def policy(data: dict[str, Any]) -> str:
    if not data.get("before"):
        return _("Service level: %(after)s") % {"after": _policy_name(data.get("after"))}
    return _("Service level changed from %(before)s to %(after)s") % {
        "before": _policy_name(data.get("before")), "after": _policy_name(data.get("after"))}


def warning(data: dict[str, Any]) -> str:
    return _("SLA warning: %(metric)s is due soon") % {"metric": _metric(data)}


def breach(data: dict[str, Any]) -> str:
    return _("SLA breached: %(metric)s is overdue") % {"metric": _metric(data)}


def escalated(data: dict[str, Any]) -> str:
    action = data.get("action")
    label = str(StepAction(action).label) if action in StepAction.values else str(action)
    people = ", ".join(data.get("to") or []) or "—"
    return _("Escalation (%(metric)s): %(action)s — %(people)s") % {
        "metric": _metric(data), "action": label, "people": people}


def progress(data: dict[str, Any]) -> str:
    return _("Scheduled progress update")


def register() -> None:
    from aftersales.cases.events import register_event

    for name, text in ((POLICY, policy), (WARNING, warning), (BREACH, breach), (ESCALATED, escalated)):
        register_event(name, text)
    register_event(PROGRESS, progress, public=True)
