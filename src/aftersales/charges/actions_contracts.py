"""Draws on service contracts (class B work). The contract row is locked for every draw, so
two work orders reaching for the last unit of a quota at once cannot both have it: one wins,
the other is refused with `contract_quota_exhausted`, and what is left never goes below zero."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.charges import events
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import ContractDraw, ContractQuota, QuotaKind, ServiceContract
from aftersales.charges.support import case_event, lock_work_order, text, user_or_none, work_order_day
from aftersales.core.audit import audit_record
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.repairs.models import BillingClass, WorkOrder

MAX_DRAW = 1000


def used_of(contract: ServiceContract, kind: str) -> int:
    return ContractDraw.objects.filter(contract=contract, kind=kind).aggregate(n=Sum("quantity"))["n"] or 0


def _lock_contract(contract: ServiceContract) -> ServiceContract:
    return ServiceContract.objects.select_for_update().get(pk=contract.pk)


def _check_applies(contract: ServiceContract, wo: WorkOrder) -> None:
    day = work_order_day(wo)
    if contract.customer_id != wo.customer_id:
        raise Conflict(ChargeError.CONTRACT_NOT_APPLICABLE, _("Contract %(contract)s is not this customer's.")
                       % {"contract": contract.number})
    if not contract.is_active:
        raise Conflict(ChargeError.CONTRACT_NOT_APPLICABLE, _("Contract %(contract)s is not active.")
                       % {"contract": contract.number})
    if not contract.period_start <= day <= contract.period_end:
        raise Conflict(ChargeError.CONTRACT_NOT_APPLICABLE,
                       _("Contract %(contract)s runs from %(start)s to %(end)s; work order %(number)s is of %(day)s.")
                       % {"contract": contract.number, "start": contract.period_start.isoformat(),
                          "end": contract.period_end.isoformat(), "number": wo.number, "day": day.isoformat()})


def _draw_data(draw: ContractDraw, contract: ServiceContract, left: int, **extra) -> dict:
    return {"contract": contract.number, "contract_id": contract.pk, "draw": draw.pk, "kind": draw.kind,
            "quantity": abs(draw.quantity), "left": left, **extra}


@transaction.atomic
def contract_draw(*, work_order: WorkOrder, contract: ServiceContract, kind: str, actor, quantity: int = 1,
                  note: str = "", at: datetime | None = None) -> ContractDraw:
    """Class B work uses `quantity` of the contract's quota of `kind`. The contract must be the
    work order's customer's, active, and cover the day the work order was registered."""
    at = at or timezone.now()
    wo = lock_work_order(work_order)
    if wo.billing_class != BillingClass.B:
        raise Conflict(ChargeError.NOT_CONTRACT_WORK, _("Only contract work (class B) draws on a service contract."))
    if kind not in QuotaKind.values:
        raise ValidationFailed(ChargeError.QUOTA_KIND_INVALID, _("Choose what the work used."))
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= MAX_DRAW:
        raise ValidationFailed(ChargeError.QUANTITY_INVALID, _("The quantity is a whole number from 1 to %(max)d.")
                               % {"max": MAX_DRAW})
    note = text(note, 500, _("The note"))
    contract = _lock_contract(contract)
    _check_applies(contract, wo)
    quota = ContractQuota.objects.filter(contract=contract, kind=kind).first()
    if quota is None:
        raise ValidationFailed(ChargeError.QUOTA_KIND_INVALID, _("Contract %(contract)s includes no “%(kind)s”.")
                               % {"contract": contract.number, "kind": QuotaKind(kind).label})
    left = quota.quantity - used_of(contract, kind)
    if quantity > left:
        raise Conflict(ChargeError.QUOTA_EXHAUSTED,
                       _("Contract %(contract)s has %(left)d of “%(kind)s” left; %(quantity)d asked for.")
                       % {"contract": contract.number, "left": max(left, 0), "kind": QuotaKind(kind).label,
                          "quantity": quantity})
    draw = ContractDraw.objects.create(contract=contract, kind=kind, quantity=quantity, work_order=wo, note=note,
                                       actor=user_or_none(actor), at=at)
    case_event(wo, events.CONTRACT_DRAW, actor, _draw_data(draw, contract, left - quantity), at)
    audit_record(actor=actor, obj=draw, action="contract.drawn", after={
        "contract": contract.number, "work_order": wo.number, "kind": kind, "quantity": quantity,
        "left": left - quantity, "note": note})
    return draw


@transaction.atomic
def contract_draw_reverse(*, draw: ContractDraw, reason: str, actor, at: datetime | None = None) -> ContractDraw:
    """Give a draw back (a supervisor, with a reason): a negative draw that names it."""
    require(actor, Op.REPAIR_INSPECT)
    at = at or timezone.now()
    reason = text(reason, 500, _("The reason"))
    if not reason:
        raise ValidationFailed(ChargeError.REASON_REQUIRED, _("Say why the draw is given back."))
    wo = lock_work_order(draw.work_order)
    contract = _lock_contract(draw.contract)
    draw = ContractDraw.objects.get(pk=draw.pk)
    if draw.quantity < 0 or ContractDraw.objects.filter(reverses=draw).exists():
        raise Conflict(ChargeError.DRAW_NOT_REVERSIBLE, _("That draw has been given back already, or is a reversal."))
    reversal = ContractDraw.objects.create(contract=contract, kind=draw.kind, quantity=-draw.quantity,
                                           work_order=wo, reverses=draw, note=reason, actor=user_or_none(actor), at=at)
    quota = ContractQuota.objects.filter(contract=contract, kind=draw.kind).values_list("quantity", flat=True).first()
    left = (quota or 0) - used_of(contract, draw.kind)
    case_event(wo, events.CONTRACT_DRAW_REVERSED, actor, _draw_data(reversal, contract, left, reason=reason), at)
    audit_record(actor=actor, obj=reversal, action="contract.draw_reversed", after={
        "contract": contract.number, "work_order": wo.number, "reverses": draw.pk, "kind": draw.kind,
        "quantity": reversal.quantity, "left": left, "reason": reason})
    return reversal
