"""What the work-record page tests share: work orders brought to a given step through the real
actions, stock to take parts from, and small images."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from aftersales.core.tests.factories import CustomerFactory
from aftersales.parts.actions import stock_receive
from aftersales.parts.models import LocationKind
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.repairs.actions import work_order_dispatch, work_order_move, work_order_open
from aftersales.repairs.actions_work import repair_card_close, repair_card_open
from aftersales.repairs.tests.support import signature_bytes, signature_data_url

__all__ = ["bench_job", "dispatched", "image_bytes", "signature_bytes", "signature_data_url", "stock",
           "waiting_for_inspection"]


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(out, fmt)
    return out.getvalue()


def dispatched(actor, tech, *, case=None, kind: str = "on_site", **fields):
    """An on-site work order (by default) sent to `tech` for a window around now."""
    if case is None:
        fields.setdefault("customer", CustomerFactory())
    wo = work_order_open(actor=actor, kind=kind, case=case, **fields)
    now = timezone.now()
    work_order_dispatch(work_order=wo, technician=tech, window_start=now - timedelta(hours=1),
                        window_end=now + timedelta(hours=2), actor=actor)
    wo.refresh_from_db()
    return wo


def bench_job(actor, *, case=None, card: bool = True, technician=None, **fields):
    """A carry-in work order in progress (given to `technician` when named), with its repair
    card open (unless `card=False`)."""
    if case is None:
        fields.setdefault("customer", CustomerFactory())
    wo = work_order_open(actor=actor, kind="carry_in", case=case, **fields)
    if technician is not None:
        now = timezone.now()
        work_order_dispatch(work_order=wo, technician=technician, window_start=now, window_end=now + timedelta(hours=4),
                            actor=actor)
    work_order_move(work_order=wo, target="in_progress", actor=actor)
    if card:
        repair_card_open(work_order=wo, actor=actor)
    wo.refresh_from_db()
    return wo


def waiting_for_inspection(actor, *, at=None, **fields):
    """A carry-in work order whose repair card is closed: waiting for the supervisor."""
    wo = bench_job(actor, **fields)
    repair_card_close(card=wo.repair_card, result="fixed", fault_code="E21", root_cause="Drain pump blocked",
                      actor=actor, at=at)
    wo.refresh_from_db()
    return wo


def stock(*, quantity: int = 10, sku: str | None = None, cost: str = "12.50", location=None, technician=None,
          name: str = "Drain pump"):
    """A part received into a warehouse (or `technician`'s van)."""
    part = PartFactory(**({"sku": sku} if sku else {}), unit_cost=Decimal(cost), names={"en": name})
    if location is None:
        location = (LocationFactory(kind=LocationKind.TECHNICIAN_VAN, technician=technician, name="Van")
                    if technician else LocationFactory(kind=LocationKind.WAREHOUSE, name="Main warehouse"))
    stock_receive(part=part, location=location, quantity=quantity, actor=None)
    return part, location
