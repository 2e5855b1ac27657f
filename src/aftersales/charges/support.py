"""What the charges actions share: text checks, locks, the case timeline, minor units."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.cases.events import event_write
from aftersales.catalog.models import CURRENCY_MINOR_UNITS
from aftersales.charges.errors import ChargeError
from aftersales.charges.money import MAX_AMOUNT, fits_places
from aftersales.core.api_parser import reject_unstorable_text
from aftersales.core.errors import ValidationFailed
from aftersales.repairs.models import WorkOrder


def user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def text(value: str, limit: int, what: str, *, required: bool = False) -> str:
    """One line of text: NUL refused (422, not PostgreSQL's 500), spaces collapsed, length checked."""
    if not isinstance(value, str):
        value = ""
    reject_unstorable_text(value)
    value = " ".join(value.split())
    if required and not value:
        raise ValidationFailed(ChargeError.INVALID, _("%(what)s is required.") % {"what": what})
    if len(value) > limit:
        raise ValidationFailed(ChargeError.INVALID, _("%(what)s is longer than %(n)d characters.")
                               % {"what": what, "n": limit})
    return value


def places(currency: str) -> int:
    return CURRENCY_MINOR_UNITS.get(currency, 2)


def checked_amount(value: object, currency: str) -> Decimal:
    """A positive amount in the currency's minor units (CNY 12.34, KRW 1200), at most 12 digits."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationFailed(ChargeError.AMOUNT_INVALID, _("Give the amount as a number, e.g. 120.00."))
    amount = Decimal(value)
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or not fits_places(amount, places(currency)):
        raise ValidationFailed(ChargeError.AMOUNT_INVALID,
                               _("The amount must be more than zero, at most %(max)s, with at most %(places)d "
                                 "decimals in %(currency)s.")
                               % {"max": "999,999,999,999", "places": places(currency), "currency": currency})
    return amount


def lock_work_order(work_order: WorkOrder) -> WorkOrder:
    return (WorkOrder.objects.select_for_update(of=("self",)).select_related("case", "customer")
            .get(pk=work_order.pk))


def case_event(wo: WorkOrder, event: str, actor, data: dict[str, Any], at: datetime) -> None:
    if wo.case_id is not None:
        event_write(case=wo.case, event=event, actor=actor, data={"number": wo.number, **data}, at=at)


def local_day(at: datetime) -> date:
    return timezone.localdate(at)


def work_order_day(wo: WorkOrder) -> date:
    """The day the work order was registered (the day that decides price lists and contracts)."""
    return timezone.localdate(wo.created_at)
