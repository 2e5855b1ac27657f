"""The New case page's customer search: what a term finds, paging, odd input, and a fixed
number of queries whatever the number of matches."""

from __future__ import annotations

import itertools

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.models import Status
from aftersales.core.tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    OrderLineFactory,
    PurchaseFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.customers.models import Customer
from aftersales.desk.tests.conftest import HTMX, client_for

pytestmark = pytest.mark.django_db
URL = "/desk/new/customers/"
serial = itertools.count()


@pytest.fixture
def people():
    lin = CustomerFactory(name="Lin Meiling", language="zh-hant")
    IdentityFactory(customer=lin, kind="phone", value="+886912345678")
    IdentityFactory(customer=lin, kind="email", value="meiling@example.com")
    park = CustomerFactory(name="Park Jiwoo", language="ko")
    IdentityFactory(customer=park, kind="marketplace", marketplace="coupang", value="CP-buyer-77")
    chen = CustomerFactory(name="Chen Hao")
    UnitFactory(customer=chen, serial_number="WM-0042", imei="490154203237518")
    wang = CustomerFactory(name="Wang Fang")
    PurchaseFactory(customer=wang, order_number="TM-7788")
    return {"lin": lin, "park": park, "chen": chen, "wang": wang}


def _names(response) -> list[str]:
    return [c.name for c in response.context["search"].customers]


@pytest.mark.parametrize(("term", "who"), [
    ("meiling", "Lin Meiling"),                 # part of the name, any case
    ("MeiLing@Example.com", "Lin Meiling"),     # e-mail, normalised
    ("0912 345 678", "Lin Meiling"),            # phone as dialled in Taiwan
    ("+886-912-345-678", "Lin Meiling"),        # phone with the country code
    ("CP-buyer-77", "Park Jiwoo"),              # marketplace buyer id
    ("wm-0042", "Chen Hao"),                    # serial number, typed in lower case
    ("490154203237518", "Chen Hao"),            # IMEI
    ("TM-7788", "Wang Fang"),                   # order number
    ("  Park   Jiwoo ", "Park Jiwoo"),          # spaces collapsed
])
def test_a_term_finds_the_customer_it_names(agent, people, term, who):
    response = client_for(agent).get(URL, {"q": term}, **HTMX)
    assert response.status_code == 200
    assert _names(response) == [who]
    assert who in response.content.decode()


def test_a_unit_or_order_match_picks_it_when_the_customer_is_chosen(agent, people):
    unit = people["chen"].units.get()
    html = client_for(agent).get(URL, {"q": "WM-0042"}, **HTMX).content.decode()
    assert f"customer={people['chen'].pk}&amp;unit={unit.pk}" in html
    assert "Owns the unit with this serial number." in html
    purchase = people["wang"].purchases.get()
    html = client_for(agent).get(URL, {"q": "TM-7788"}, **HTMX).content.decode()
    assert f"customer={people['wang'].pk}&amp;purchase={purchase.pk}" in html


def test_results_show_tier_identities_and_open_cases_the_agent_may_see(agent, team, people):
    lin = people["lin"]
    CaseFactory(customer=lin, team=team)
    CaseFactory(customer=lin, team=team, status=Status.OPEN)
    CaseFactory(customer=lin, team=team, status=Status.CLOSED)
    CaseFactory(customer=lin, team=TeamFactory(code="not-mine"))
    response = client_for(agent).get(URL, {"q": "Lin"}, **HTMX)
    html = response.content.decode()
    assert response.context["search"].customers[0].open_cases == 2
    assert "2 open cases" in html
    assert "+886912345678" in html and "meiling@example.com" in html
    assert 'class="badge tier-standard"' in html


@pytest.mark.parametrize(("term", "hint"), [
    ("", "Type at least 2 characters."),
    ("a", "Type at least 2 characters."),
    ("\x00", "Type at least 2 characters."),
    ("x" * 101, "That is too long to search for"),
])
def test_too_short_or_too_long_terms_are_not_searched(agent, people, term, hint):
    response = client_for(agent).get(URL, {"q": term}, **HTMX)
    assert response.status_code == 200
    assert response.context["search"] is None
    assert hint in response.content.decode()


@pytest.mark.parametrize(("term", "found"), [
    ("%%", []), ("__", []), ("' OR 1=1 --", []), ("🙂🙂", []),
    ("Lin\x00Meiling", ["Lin Meiling"]),  # a control character reads as a space (PostgreSQL refuses NUL)
    ("Lin\tMeiling\r\n", ["Lin Meiling"]),
])
def test_odd_terms_are_just_searched(agent, people, term, found):
    response = client_for(agent).get(URL, {"q": term}, **HTMX)
    assert response.status_code == 200
    assert _names(response) == found


def test_what_was_typed_is_shown_escaped(agent):
    CustomerFactory(name="<b>Bold</b> Buyer")
    html = client_for(agent).get(URL, {"q": "<b>"}, **HTMX).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Buyer" in html
    html = client_for(agent).get(URL, {"q": "<script>x"}, **HTMX).content.decode()
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_no_match_offers_a_new_customer_with_what_was_typed(agent, people):
    html = client_for(agent).get(URL, {"q": "chen.wei@example.com"}, **HTMX).content.decode()
    assert "No customer matches “chen.wei@example.com”." in html
    assert "new=chen.wei%40example.com" in html


def test_results_come_ten_at_a_time_newest_first(agent):
    made = [CustomerFactory(name=f"Sam {n:02d}") for n in range(12)]
    client = client_for(agent)
    first = client.get(URL, {"q": "Sam"}, **HTMX)
    page = first.context["search"]
    assert [c.pk for c in page.customers] == [c.pk for c in reversed(made)][:10]
    assert page.next_cursor
    second = client.get(URL, {"q": "Sam", "cursor": page.next_cursor}, **HTMX)
    assert [c.pk for c in second.context["search"].customers] == [made[1].pk, made[0].pk]
    assert second.context["search"].next_cursor is None
    assert not second.content.decode().lstrip().startswith("<ul")  # more rows for the same list


def test_a_forged_cursor_starts_again(agent):
    CustomerFactory(name="Sam")
    response = client_for(agent).get(URL, {"q": "Sam", "cursor": "not-a-cursor"}, **HTMX)
    assert response.status_code == 200
    assert _names(response) == ["Sam"]


def _grow(size: int, team) -> None:
    """Customers that all match "Buyer", each with identities, a unit, an order and open cases."""
    while Customer.objects.filter(name__startswith="Buyer ").count() < size:
        n = next(serial)
        customer = CustomerFactory(name=f"Buyer {n}", tier="vip")
        IdentityFactory(customer=customer, kind="email", value=f"buyer{n}@example.com")
        IdentityFactory(customer=customer, kind="phone", value=f"+8869120{n:05d}")
        UnitFactory(customer=customer)
        PurchaseFactory(customer=customer)
        CaseFactory(customer=customer, team=team)


# session, user, [team ids], unit matches, order matches, customers with counts, identities
SEARCH_BUDGETS = {Role.AGENT: 7, Role.SUPERVISOR: 6, Role.ADMINISTRATOR: 6}


@pytest.mark.parametrize("role", SEARCH_BUDGETS)
def test_the_search_costs_the_same_for_3_and_30_matches(role, django_assert_num_queries):
    team = TeamFactory(code="desk")
    client = client_for(UserFactory(role=role, teams=[team]))
    for size in (3, 30):
        _grow(size, team)
        with django_assert_num_queries(SEARCH_BUDGETS[role]):
            response = client.get(URL, {"q": "Buyer"}, **HTMX)
        assert len(response.context["search"].customers) == min(size, 10)


def test_the_customer_step_costs_the_same_for_few_and_many_products(agent, team, django_assert_num_queries):
    """session, user, customer, identities, team ids (open-case count), units, product names,
    purchases, order lines, product names of the lines."""
    customer = CustomerFactory()
    client = client_for(agent)
    for size in (2, 15):
        while customer.units.count() < size:
            UnitFactory(customer=customer)
            PurchaseFactory(customer=customer)
            OrderLineFactory(purchase=customer.purchases.first())
        with django_assert_num_queries(10):
            response = client.get("/desk/new/customer/", {"customer": customer.pk}, **HTMX)
        assert len(response.context["products"].units) == size
