"""The admin: parts with their names inline, locations and minimums (audited); the ledger,
the levels and the reservations can be read but not added, changed or deleted."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import UserFactory
from aftersales.parts import actions
from aftersales.parts.models import Part, StockMovement
from aftersales.parts.tests.factories import LocationFactory, MinimumFactory, PartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def browser(boss) -> Client:
    client = Client()
    client.force_login(boss)
    return client


@pytest.fixture
def stocked(boss):
    part, location = PartFactory(sku="PUMP-01", names={"en": "Drain pump"}), LocationFactory(code="wh-main")
    actions.stock_receive(part=part, location=location, quantity=3, actor=boss)
    actions.stock_reserve(part=part, location=location, quantity=1, reference="WO-1", actor=boss)
    MinimumFactory(part=part, location=location, minimum=5)
    MinimumFactory(part=PartFactory(sku="BELT-02"), location=location, minimum=1)
    actions.stock_receive(part=Part.objects.get(sku="BELT-02"), location=location, quantity=4, actor=boss)
    return part, location


@pytest.mark.parametrize("model", ["part", "stocklocation", "minimumstock", "stockmovement", "stocklevel",
                                   "reservation"])
def test_every_list_opens(browser, stocked, model):
    response = browser.get(f"/admin/parts/{model}/")
    assert response.status_code == 200


def test_the_minimum_list_filters_to_what_is_below(browser, stocked):
    page = browser.get("/admin/parts/minimumstock/", {"below": "yes"}).content.decode()
    assert "PUMP-01" in page and "BELT-02" not in page


def test_a_part_is_added_with_its_names_and_audited(browser):
    response = browser.post("/admin/parts/part/add/", {
        "sku": "FILTER-9", "unit_cost": "1.00", "unit_price": "3.00", "currency": "CNY", "is_active": "on",
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-language": "en", "names-0-name": "Lint filter",
        "names-1-language": "zh-hans", "names-1-name": "过滤网",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    part = Part.objects.get(sku="FILTER-9")
    assert sorted(part.names.values_list("language", "name")) == [("en", "Lint filter"), ("zh-hans", "过滤网")]
    assert AuditEntry.objects.filter(action="part.created", object_id=str(part.pk)).exists()


def test_movements_cannot_be_added_changed_or_deleted(browser, stocked):
    movement = StockMovement.objects.get(part__sku="PUMP-01")
    assert browser.get("/admin/parts/stockmovement/add/").status_code == 403
    assert browser.get(f"/admin/parts/stockmovement/{movement.pk}/delete/").status_code == 403
    page = browser.get(f"/admin/parts/stockmovement/{movement.pk}/change/")
    assert page.status_code == 200 and b'name="quantity"' not in page.content
    assert browser.post(f"/admin/parts/stockmovement/{movement.pk}/change/", {"quantity": "99"}).status_code == 403
    movement.refresh_from_db()
    assert movement.quantity == 3
