"""The sentences of the timeline events this app writes on a case."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from aftersales.policies.labels import REMEDIES, label


def _remedy(d: dict[str, Any]) -> str:
    remedy = d.get("remedy") or {}
    text = label(REMEDIES, remedy.get("kind"))
    if remedy.get("amount"):
        text = f"{text} {remedy['amount']} {remedy.get('currency') or ''}".strip()
    return text


def remedy_applied(d: dict[str, Any]) -> str:
    return _("Remedy given: %(remedy)s (policy %(policy)s, version %(version)s)") % {
        "remedy": _remedy(d), "policy": d.get("policy", ""), "version": d.get("version", "")}


def remedy_overridden(d: dict[str, Any]) -> str:
    return _("Remedy given against the policy: %(remedy)s (policy %(policy)s, version %(version)s). "
             "Reason: %(reason)s") % {"remedy": _remedy(d), "policy": d.get("policy", ""),
                                      "version": d.get("version", ""), "reason": d.get("reason", "")}


def register() -> None:
    from aftersales.cases.events import register_event

    register_event("remedy_applied", remedy_applied)
    register_event("remedy_overridden", remedy_overridden)
