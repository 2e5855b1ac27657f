"""What the charges tests share: a CNY price list (labour 120.00 an hour, visit fee 20.00,
13 % VAT), work orders in each billing class with recorded work, and readers of the timeline
and audit log."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.cases.models import CaseEntry
from aftersales.charges.models import PriceItemKind, PriceList, PriceListItem, QuotaKind, ServiceContract
from aftersales.core.audit import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, UnitFactory, UserFactory
from aftersales.repairs.actions import work_order_dispatch, work_order_open

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def price_list(*, currency: str = "CNY", tax: str = "13.00", labour: str | None = "120.00",
               visit: str | None = "20.00", valid_from: date = date(2020, 1, 1), name: str = "Standard",
               **kw) -> PriceList:
    pl = PriceList.objects.create(name=name, currency=currency, tax_rate=Decimal(tax), valid_from=valid_from, **kw)
    if labour is not None:
        PriceListItem.objects.create(price_list=pl, kind=PriceItemKind.LABOUR_HOUR, unit_price=Decimal(labour))
    if visit is not None:
        PriceListItem.objects.create(price_list=pl, kind=PriceItemKind.VISIT_FEE, unit_price=Decimal(visit))
    return pl


def staff():
    return (UserFactory(role=Role.SUPERVISOR, display_name="Wang Supervisor"),
            UserFactory(role=Role.TECHNICIAN, display_name="Li Technician"))


def work_order(*, billing_class: str = "A", customer=None, kind: str = "on_site", actor=None, team=None,
               when: str = "2026-03-02 09:00", language: str = "en"):
    """A work order on a case (opened `when`) for a customer who has a portal account."""
    if customer is None:
        customer = CustomerUserFactory(language=language, customer__language=language).customer
    actor = actor or UserFactory(role=Role.SUPERVISOR)
    case = case_open(customer=customer, subject="Washer leaks", actor=None, unit=UnitFactory(), team=team,
                     at=at(when))
    return work_order_open(actor=actor, kind=kind, case=case, billing_class=billing_class, at=at(when))


def dispatched(wo, *, tech, actor, day: str = "2026-03-03"):
    work_order_dispatch(work_order=wo, technician=tech, window_start=at(f"{day} 09:00"),
                        window_end=at(f"{day} 12:00"), actor=actor, at=at(f"{day} 08:00"))
    wo.refresh_from_db()
    return wo


def worked(wo, *, tech, actor, minutes: int = 90):
    """Dispatched, one visit signed off, a repair card with `minutes` of labour."""
    from aftersales.repairs.actions_work import labour_add, repair_card_open, visit_finish, visit_start
    from aftersales.repairs.tests.test_work_records import png

    dispatched(wo, tech=tech, actor=actor)
    visit = visit_start(work_order=wo, actor=tech, at=at("2026-03-03 09:20"))
    visit_finish(visit=visit, outcome="signed_off", signed_by="Chen", signature=png(), actor=tech,
                 at=at("2026-03-03 10:30"))
    card = repair_card_open(work_order=wo, actor=tech, at=at("2026-03-03 09:30"))
    if minutes:
        labour_add(card=card, technician=tech, minutes=minutes, actor=tech, at=at("2026-03-03 10:00"))
    wo.refresh_from_db()
    return card


def contract(customer, *, start: date = date(2026, 1, 1), end: date = date(2026, 12, 31),
             **quotas) -> ServiceContract:
    from aftersales.charges.models import ContractQuota

    sc = ServiceContract.objects.create(number=f"SC-T-{ServiceContract.objects.count() + 1}", customer=customer,
                                        period_start=start, period_end=end)
    for kind, quantity in (quotas or {QuotaKind.PRODUCT_UPDATE: 60, QuotaKind.ARTICLE_UPDATE: 100}).items():
        ContractQuota.objects.create(contract=sc, kind=kind, quantity=quantity)
    return sc


def events_of(wo) -> list[str]:
    return list(CaseEntry.objects.filter(case=wo.case).exclude(event="").exclude(event__isnull=True)
                .order_by("created_at", "id").values_list("event", flat=True))


def audited() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
