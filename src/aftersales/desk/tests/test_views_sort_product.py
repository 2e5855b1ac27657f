"""The queue page's product filter and sort, and the views each person saves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import Case, Status
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import (
    CaseFactory,
    CustomerFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.desk.actions import MAX_SAVED_VIEWS
from aftersales.desk.models import SavedView
from aftersales.desk.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _subjects(response) -> list[str]:
    return [c.subject for c in response.context["cases"]]


@pytest.fixture
def products():
    return ProductModelFactory(sku="PHONE-1"), ProductModelFactory(sku="FRIDGE-9")


def test_a_case_knows_its_product_from_the_unit_or_a_one_model_purchase(products, agent, team):
    phone, fridge = products
    customer = CustomerFactory()
    unit = UnitFactory(product_model=fridge, customer=customer)
    by_unit = actions.case_open(customer=customer, subject="Fridge noise", actor=agent, unit=unit, team=team)
    single = PurchaseFactory(customer=customer)
    OrderLineFactory(purchase=single, product_model=phone)
    OrderLineFactory(purchase=single, product_model=phone)
    by_purchase = actions.case_open(customer=customer, subject="Phone", actor=agent, purchase=single, team=team)
    mixed = PurchaseFactory(customer=customer)
    OrderLineFactory(purchase=mixed, product_model=phone)
    OrderLineFactory(purchase=mixed, product_model=fridge)
    ambiguous = actions.case_open(customer=customer, subject="Which?", actor=agent, purchase=mixed, team=team)
    assert (by_unit.product_model, by_purchase.product_model, ambiguous.product_model) == (fridge, phone, None)
    actions.case_set_fields(case=ambiguous, unit=unit, actor=agent)
    assert Case.objects.get(pk=ambiguous.pk).product_model == fridge


def test_the_product_filter_shows_only_that_products_cases(products, agent, team):
    phone, fridge = products
    CaseFactory(team=team, subject="Phone case", product_model=phone, status=Status.OPEN)
    CaseFactory(team=team, subject="Fridge case", product_model=fridge, status=Status.OPEN)
    CaseFactory(team=team, subject="No product", status=Status.OPEN)
    client = client_for(agent)
    assert _subjects(client.get("/desk/", {"view": "open", "product": fridge.pk})) == ["Fridge case"]
    everything = client.get("/desk/", {"view": "open", "product": "not-a-number"})
    assert sorted(_subjects(everything)) == ["Fridge case", "No product", "Phone case"]
    unknown = client.get("/desk/", {"view": "open", "product": "999999"})
    assert len(_subjects(unknown)) == 3  # a value outside the choices is dropped, never trusted
    assert "PHONE-1" in client.get("/desk/").content.decode()


def test_oldest_first_turns_the_order_and_pages_on(agent, team):
    start = timezone.now() - timedelta(days=10)
    for i in range(5):
        CaseFactory(team=team, status=Status.OPEN, subject=f"case {i}", updated_at=start + timedelta(hours=i))
    client = client_for(agent)
    newest = _subjects(client.get("/desk/", {"view": "open"}))
    oldest = _subjects(client.get("/desk/", {"view": "open", "sort": "oldest"}))
    assert newest == [f"case {i}" for i in range(4, -1, -1)]
    assert oldest == list(reversed(newest))
    bogus = client.get("/desk/", {"view": "open", "sort": "sideways"})
    assert _subjects(bogus) == newest


def test_saving_a_view_keeps_its_queue_filters_and_sort(agent, team):
    CaseFactory(team=team, status=Status.OPEN, severity="urgent", subject="Urgent one")
    client = client_for(agent)
    response = client.post("/desk/views/", {"name": "  My   urgent ", "view": "open", "severity": "urgent",
                                            "sort": "oldest", "cursor": "ignored"})
    assert response.status_code == 302
    saved = SavedView.objects.get(user=agent)
    assert saved.name == "My urgent"
    assert saved.query == {"view": "open", "severity": "urgent", "sort": "oldest"}
    assert response["Location"] == "/desk/?view=open&severity=urgent&sort=oldest"
    page = client.get(response["Location"])
    assert [v["name"] for v in page.context["saved_views"]] == ["My urgent"]
    assert page.context["saved_as"] == "My urgent"
    assert 'aria-current="page" class="current">My urgent</a>' in page.content.decode()
    assert AuditEntry.objects.filter(action="saved_view.created", object_id=str(saved.pk)).exists()


@pytest.mark.parametrize(("name", "status", "code_text"), [
    ("", 422, "Give the view a name"),
    ("x" * 61, 422, "Give the view a name"),
    ("bad\u0000name", 422, "Give the view a name"),
    ("Taken", 409, "already have a view"),
])
def test_a_bad_name_shows_the_page_again_and_saves_nothing(agent, name, status, code_text):
    SavedView.objects.create(user=agent, name="Taken", query={"view": "open"})
    response = client_for(agent).post("/desk/views/", {"name": name, "view": "closed"})
    assert response.status_code == status
    assert code_text in response.content.decode()
    assert SavedView.objects.filter(user=agent).count() == 1


def test_there_is_a_limit_on_saved_views(agent):
    SavedView.objects.bulk_create([SavedView(user=agent, name=f"v{i}", query={}) for i in range(MAX_SAVED_VIEWS)])
    response = client_for(agent).post("/desk/views/", {"name": "one more", "view": "open"})
    assert response.status_code == 422
    assert SavedView.objects.filter(user=agent).count() == MAX_SAVED_VIEWS


def test_views_are_private_and_only_their_owner_deletes_them(agent, team):
    colleague = UserFactory(role=Role.AGENT, teams=[team])
    theirs = SavedView.objects.create(user=colleague, name="Theirs", query={"view": "open"})
    mine = SavedView.objects.create(user=agent, name="Mine", query={"view": "open"})
    client = client_for(agent)
    assert [v["name"] for v in client.get("/desk/").context["saved_views"]] == ["Mine"]
    assert client.post(f"/desk/views/{theirs.pk}/delete/").status_code == 404
    assert client.get(f"/desk/views/{mine.pk}/delete/").status_code == 405
    assert client.post(f"/desk/views/{mine.pk}/delete/").status_code == 302
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Theirs"]


def test_customers_cannot_save_views(customer_user):
    assert client_for(customer_user).post("/desk/views/", {"name": "x", "view": "open"}).status_code == 404
    assert not SavedView.objects.exists()
