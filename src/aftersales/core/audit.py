"""Audit rows, written by actions in the same transaction as the change they record."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from aftersales.core.models import AuditEntry


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON values (foreign keys by id)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attr = field.attname if isinstance(field, models.ForeignKey) else name
        out[name] = jsonable(getattr(obj, attr))
    return out


def audit_record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        before=jsonable(before or {}),
        after=jsonable(after or {}),
    )


def audit_changes(
    *, actor: Any, obj: models.Model, action: str, before: dict[str, Any], after: dict[str, Any]
) -> AuditEntry | None:
    """Record only the fields that really changed; nothing when nothing did."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    if not changed:
        return None
    return audit_record(
        actor=actor,
        obj=obj,
        action=action,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )
