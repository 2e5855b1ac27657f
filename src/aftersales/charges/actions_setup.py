"""Writes to the charges' master data — price lists with their items and part prices, service
contracts with their quotas — as the admin saves them: checked, saved, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.charges.actions_contracts import used_of
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import ContractQuota, PartPrice, PriceList, PriceListItem, ServiceContract
from aftersales.core.audit import audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.repairs.numbering import next_number

AUDITED: dict[type, list[str]] = {
    PriceList: ["name", "currency", "tax_rate", "valid_from", "valid_until", "is_active"],
    PriceListItem: ["price_list", "kind", "work_order_kind", "unit_price"],
    PartPrice: ["price_list", "part", "unit_price"],
    ServiceContract: ["number", "customer", "period_start", "period_end", "is_active", "note"],
    ContractQuota: ["contract", "kind", "quantity"],
}


def _checked(obj: models.Model) -> None:
    try:
        obj.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        raise ValidationFailed(ChargeError.PRICE_LIST_INVALID, "; ".join(exc.messages)) from exc


@transaction.atomic
def setup_save(*, obj: models.Model, actor) -> models.Model:
    """Save a price list, price list item, part price, service contract or quota. A contract
    without a number gets SC-YYYY-NNNNNN; a quota is never cut below what has been drawn."""
    fields = AUDITED[type(obj)]
    created = obj.pk is None
    before = {} if created else snapshot(type(obj).objects.get(pk=obj.pk), fields)
    if isinstance(obj, ServiceContract) and not obj.number:
        obj.number = next_number("SC", timezone.localdate().year)
    if isinstance(obj, ContractQuota) and not created:
        used = used_of(obj.contract, obj.kind)
        if obj.quantity < used:
            raise Conflict(ChargeError.QUOTA_BELOW_USED, _("%(used)d have been used already; the quota cannot be less.")
                           % {"used": used})
    _checked(obj)
    obj.save()
    label = obj._meta.model_name
    audit_record(actor=actor, obj=obj, action=f"{label}.{'created' if created else 'updated'}", before=before,
                 after=snapshot(obj, fields))
    return obj


@transaction.atomic
def setup_delete(*, obj: models.Model, actor) -> None:
    """Delete an item, a part price or a quota nothing has drawn on. Price lists used by a
    quote and contracts with draws are kept (the database refuses: PROTECT)."""
    if isinstance(obj, ContractQuota) and used_of(obj.contract, obj.kind):
        raise Conflict(ChargeError.QUOTA_BELOW_USED, _("Work orders have drawn on this quota; it is kept."))
    audit_record(actor=actor, obj=obj, action=f"{obj._meta.model_name}.deleted",
                 before=snapshot(obj, AUDITED[type(obj)]))
    obj.delete()
