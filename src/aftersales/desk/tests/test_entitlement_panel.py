"""The entitlement panel on the desk's case page: the live windows and remedies under the
product's policy, corrected facts, and a remedy given (or overridden with a reason) on the
case's timeline with the decision it came from."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import CaseEntry
from aftersales.catalog.models import ProductCategory
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import (
    CustomerFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.policies.models import EntitlementDecision

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@pytest.fixture
def phone_case(team, agent):
    """A ¥4,000 phone signed for `days_ago` days before today, and a repair case on it."""
    def make(days_ago: int, *, case_type: str = "repair"):
        customer = CustomerFactory(name="Chen Jing")
        phone = ProductModelFactory(category=ProductCategory.objects.get(code="mobile-phone"))
        purchase = PurchaseFactory(customer=customer, amount=Decimal("4000.00"), signed_at=_at(days_ago),
                                   invoice_date=timezone.localdate() - timedelta(days=days_ago))
        line = OrderLineFactory(purchase=purchase, product_model=phone, unit_price=Decimal("4000.00"))
        unit = UnitFactory(product_model=phone, customer=customer, order_line=line)
        return actions.case_open(customer=customer, subject="Screen flickers", body="It flickers.", actor=agent,
                                 team=team, type=case_type, unit=unit, purchase=purchase)
    return make


def test_a_fault_on_day_three_offers_return_exchange_and_repair(phone_case, agent):
    case = phone_case(3, case_type="return")
    response = client_for(agent).get(f"/desk/cases/{case.pk}/entitlement/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    kinds = [r["kind"] for r in response.context["remedies"]]
    assert set(kinds) == {"return", "exchange", "repair"}
    refund = next(r for r in response.context["remedies"] if r["kind"] == "return")
    assert refund["amount"] == "4000.00"
    windows = {w["name"]: w for w in response.context["windows"]}
    assert windows["return"]["days_left"] == 4 and windows["return"]["open"]
    assert windows["exchange"]["days_left"] == 12
    assert "Return window" in html and "4 days left" in html
    assert "Covered" in html


def test_after_fifteen_days_only_free_repair_and_the_windows_say_they_ended(phone_case, agent):
    case = phone_case(20)
    response = client_for(agent).get(f"/desk/cases/{case.pk}/entitlement/")
    assert [r["kind"] for r in response.context["remedies"]] == ["repair"]
    windows = {w["name"]: w for w in response.context["windows"]}
    assert not windows["return"]["open"] and not windows["exchange"]["open"]
    assert "ended on" in response.content.decode()


def test_the_agent_corrects_the_cause_and_the_engine_decides_again(phone_case, agent):
    case = phone_case(3)
    response = client_for(agent).get(f"/desk/cases/{case.pk}/entitlement/",
                                     {"adjusted": "1", "cause": "water_damage", "component": "nonsense"})
    assert response.context["result"]["covered"] is False
    assert [r["kind"] for r in response.context["remedies"]] == ["paid_repair"]
    assert response.context["facts"]["fault"]["component"] == "main_unit"  # unknown words are ignored
    assert "Not covered" in response.content.decode()


def test_the_explanation_reads_in_the_agents_language(phone_case, team):
    case = phone_case(3)
    english = client_for(UserFactory(role=Role.AGENT, teams=[team], language="en"))
    korean = client_for(UserFactory(role=Role.AGENT, teams=[team], language="ko"))
    en = english.get(f"/desk/cases/{case.pk}/entitlement/").context["result"]["explanation"]
    ko = korean.get(f"/desk/cases/{case.pk}/entitlement/").context["result"]["explanation"]
    assert [e["rule"] for e in en] == [e["rule"] for e in ko]
    assert all(a["text"] != b["text"] for a, b in zip(en, ko, strict=True))


def test_giving_an_offered_remedy_records_the_decision_on_the_timeline(phone_case, agent):
    case = phone_case(3, case_type="return")
    response = client_for(agent).post(f"/desk/cases/{case.pk}/entitlement/give/",
                                      {"kind": "return", "amount": "4000.00", "adjusted": "1",
                                       "same_model_available": "on", "requested": "return"}, **HTMX)
    assert response.status_code == 200
    decision = EntitlementDecision.objects.get(case=case)
    assert decision.applied_remedy["kind"] == "return" and decision.applied_remedy["amount"] == "4000.00"
    assert decision.override_reason == "" and decision.policy_version.policy.code == "cn-mobile-phone"
    event = CaseEntry.objects.get(case=case, event="remedy_applied")
    assert event.data["decision"] == decision.pk and not event.is_public
    page = client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "Remedy given: Return for a full refund 4000.00 CNY (policy cn-mobile-phone, version 1)" in page


def test_a_remedy_the_policy_does_not_give_needs_a_reason_and_is_audited(phone_case, agent):
    case = phone_case(20)
    client = client_for(agent)
    refused = client.post(f"/desk/cases/{case.pk}/entitlement/give/", {"kind": "exchange"}, **HTMX)
    assert refused.status_code == 422
    assert "say why" in refused.content.decode()
    assert not EntitlementDecision.objects.filter(case=case).exists()
    assert not CaseEntry.objects.filter(case=case, event__startswith="remedy").exists()
    given = client.post(f"/desk/cases/{case.pk}/entitlement/give/",
                        {"kind": "exchange", "reason": "Goodwill: third visit this month"}, **HTMX)
    assert given.status_code == 200
    decision = EntitlementDecision.objects.get(case=case)
    assert decision.override_reason == "Goodwill: third visit this month"
    assert CaseEntry.objects.filter(case=case, event="remedy_overridden").exists()
    assert AuditEntry.objects.filter(action="remedy_overridden", object_id=str(decision.pk)).exists()


@pytest.mark.parametrize("data", [{"kind": "teleport"}, {"kind": ""}, {"kind": "refund", "amount": "-5",
                                                                      "reason": "x"}])
def test_bad_remedies_are_refused_and_nothing_is_written(phone_case, agent, data):
    case = phone_case(3)
    response = client_for(agent).post(f"/desk/cases/{case.pk}/entitlement/give/", data, **HTMX)
    assert 400 <= response.status_code < 500
    assert not EntitlementDecision.objects.filter(case=case).exists()


def test_who_may_see_and_give(phone_case, agent, team, other_team, customer_user):
    case = phone_case(3)
    technician = UserFactory(role=Role.TECHNICIAN, teams=[team])
    outsider = UserFactory(role=Role.AGENT, teams=[other_team])
    assert client_for(technician).get(f"/desk/cases/{case.pk}/entitlement/").status_code == 200
    assert client_for(technician).post(f"/desk/cases/{case.pk}/entitlement/give/",
                                       {"kind": "repair"}).status_code == 403
    assert client_for(outsider).get(f"/desk/cases/{case.pk}/entitlement/").status_code == 404
    assert client_for(customer_user).get(f"/desk/cases/{case.pk}/entitlement/").status_code == 404
    assert not EntitlementDecision.objects.exists()


def test_a_case_without_a_product_says_so(agent, team):
    case = actions.case_open(customer=CustomerFactory(), subject="Question", actor=agent, team=team)
    response = client_for(agent).get(f"/desk/cases/{case.pk}/entitlement/")
    assert response.status_code == 200
    assert "No policy decides claims" in response.content.decode()


def test_a_purchase_in_another_currency_is_not_decided_by_a_foreign_policy(team, agent):
    customer = CustomerFactory()
    phone = ProductModelFactory(category=ProductCategory.objects.get(code="mobile-phone"))
    purchase = PurchaseFactory(customer=customer, amount=Decimal("12000.00"), currency="TWD", signed_at=_at(3))
    line = OrderLineFactory(purchase=purchase, product_model=phone, unit_price=Decimal("12000.00"))
    unit = UnitFactory(product_model=phone, customer=customer, order_line=line)
    case = actions.case_open(customer=customer, subject="Screen", actor=agent, team=team, unit=unit,
                             purchase=purchase)
    response = client_for(agent).get(f"/desk/cases/{case.pk}/entitlement/")
    html = response.content.decode()
    assert response.status_code == 200 and "result" not in response.context
    assert "no shipped policy decides claims on a purchase paid in TWD" in html
    given = client_for(agent).post(f"/desk/cases/{case.pk}/entitlement/give/", {"kind": "repair"})
    assert given.status_code == 409
    assert not EntitlementDecision.objects.exists()
