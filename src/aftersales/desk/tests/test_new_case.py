"""New case at the desk: who may use it, a case for a customer on file or a new one, and
refused input that writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.accounts.models import Role, Team
from aftersales.cases.models import Attachment, Case, CaseEntry, Channel, EntryKind
from aftersales.core.tests.api_support import db_state, png_bytes
from aftersales.core.tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    OrderLineFactory,
    ProductModelFactory,
    PurchaseFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.customers.models import Customer, CustomerIdentity
from aftersales.desk.tests.conftest import HTMX, client_for

pytestmark = pytest.mark.django_db
URL = "/desk/new/"


@pytest.fixture
def caller():
    """A customer on file who phones in: a phone number, a washer and the order it came with."""
    customer = CustomerFactory(name="Lin Meiling", language="zh-hant", tier="vip")
    IdentityFactory(customer=customer, kind="phone", value="+886912345678")
    line = OrderLineFactory(purchase=PurchaseFactory(customer=customer, order_number="TM-2026-0042"),
                            product_model=ProductModelFactory(names={"en": "Front loader"}))
    unit = UnitFactory(customer=customer, product_model=line.product_model, serial_number="WM-0001", order_line=line)
    return customer, unit, line.purchase


def _case_fields(**extra) -> dict:
    return {"channel": "phone", "type": "repair", "severity": "urgent", "subject": "Washer stops at E21",
            "body": "It stops mid-cycle and shows E21.", **extra}


# Who may use it

@pytest.mark.parametrize("url", [URL, f"{URL}customers/?q=Lin", f"{URL}customer/"])
def test_anonymous_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", [URL, f"{URL}customers/?q=Lin", f"{URL}customer/"])
def test_customers_get_404_and_technicians_403(customer_user, technician, url):
    assert client_for(customer_user).get(url, **HTMX).status_code == 404
    assert client_for(technician).get(url, **HTMX).status_code == 403


@pytest.mark.parametrize(("role", "status"), [
    (Role.CUSTOMER, 404), (Role.TECHNICIAN, 403), (Role.AGENT, 302), (Role.SUPERVISOR, 302), (Role.ADMINISTRATOR, 302),
])
def test_who_may_open_a_case_for_a_customer(role, status, team, caller):
    customer, _unit, _purchase = caller
    user = UserFactory(role=role, teams=[team])
    before = Case.objects.count()
    response = client_for(user).post(URL, _case_fields(customer=customer.pk))
    assert response.status_code == status
    assert Case.objects.count() == before + (1 if status == 302 else 0)


@pytest.mark.parametrize(("role", "offered"), [
    (Role.TECHNICIAN, False), (Role.AGENT, True), (Role.SUPERVISOR, True), (Role.ADMINISTRATOR, True),
])
def test_the_desk_header_offers_new_case_to_those_who_may(role, offered, team):
    response = client_for(UserFactory(role=role, teams=[team])).get("/desk/")
    assert (f'href="{URL}"' in response.content.decode()) is offered


# Opening cases

def test_an_agent_opens_a_case_for_a_caller_on_file(agent, team, caller):
    customer, unit, purchase = caller
    client = client_for(agent)
    response = client.post(URL, _case_fields(
        customer=customer.pk, unit=unit.pk, purchase=purchase.pk, assign_to_me="on", team=team.pk,
        files=[SimpleUploadedFile("label.png", png_bytes(3), content_type="image/png")],
    ))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/cases/{case.pk}/"
    assert (case.customer, case.unit, case.purchase) == (customer, unit, purchase)
    assert (case.assignee, case.team) == (agent, team)
    assert (case.channel, case.type, case.severity) == ("phone", "repair", "urgent")
    assert case.subject == "Washer stops at E21"
    assert case.language == "zh-hant"  # the customer's
    assert case.created_by == agent
    message = case.entries.get(kind=EntryKind.MESSAGE)
    assert (message.body, message.from_customer, message.is_public) == ("It stops mid-cycle and shows E21.", True, True)
    assert [a.filename for a in message.attachments.all()] == ["label.png"]
    page = client.get(response["Location"])
    assert f"Case {case.number} is open." in page.content.decode()


def test_the_case_language_can_differ_from_the_customers(agent, caller):
    customer, _unit, _purchase = caller
    client_for(agent).post(URL, _case_fields(customer=customer.pk, language="en"))
    assert Case.objects.get().language == "en"


def test_a_new_customer_and_their_case_are_created_together(agent, team):
    response = client_for(agent).post(URL, _case_fields(
        new_name="  Chen Wei ", new_email="Chen.Wei@Example.COM", new_phone="0912 000 111", new_language="zh-hant",
        new_tier="standard", channel="walk_in",
    ))
    assert response.status_code == 302
    customer = Customer.objects.get(name="Chen Wei")
    assert customer.language == "zh-hant"
    assert sorted(customer.identities.values_list("kind", "value")) == [
        ("email", "chen.wei@example.com"), ("phone", "+886912000111")]
    case = Case.objects.get()
    assert (case.customer, case.channel, case.language, case.team) == (customer, Channel.WALK_IN, "zh-hant", team)
    assert case.entries.get(kind=EntryKind.MESSAGE).from_customer is True


def test_a_new_customer_needs_only_one_way_to_reach_them(agent):
    response = client_for(agent).post(URL, _case_fields(new_name="Walk-in", new_phone="+82 10 1234 5678",
                                                        new_language="ko"))
    assert response.status_code == 302
    assert list(Customer.objects.get().identities.values_list("value", flat=True)) == ["+821012345678"]


def test_a_case_that_goes_out_of_the_agents_sight_sends_them_to_the_queues(caller):
    customer, _unit, _purchase = caller
    loner = UserFactory(role=Role.AGENT)  # in no team: the case goes to the default team
    response = client_for(loner).post(URL, _case_fields(customer=customer.pk))
    assert response.status_code == 302
    assert response["Location"] == "/desk/"
    assert Case.objects.get().team == Team.objects.get(is_default=True)


def test_supervisors_may_send_the_case_to_any_team(supervisor, other_team, caller):
    customer, _unit, _purchase = caller
    client_for(supervisor).post(URL, _case_fields(customer=customer.pk, team=other_team.pk))
    assert Case.objects.get().team == other_team


# Refused input: the form comes back with a 4xx and nothing is written

REFUSED = {
    "no subject": _case_fields(subject=""),
    "blank subject": _case_fields(subject="   "),
    "no description": _case_fields(body=""),
    "subject too long": _case_fields(subject="x" * 301),
    "description too long": _case_fields(body="x" * 50_001),
    "NUL in the subject": _case_fields(subject="E21\x00"),
    "NUL in the description": _case_fields(body="E21\x00"),
    "unknown channel": _case_fields(channel="carrier-pigeon"),
    "a channel the desk does not take": _case_fields(channel="portal"),
    "unknown type": _case_fields(type="prayer"),
    "unknown severity": _case_fields(severity="apocalyptic"),
    "unknown case language": _case_fields(language="xx"),
    "a team the agent is not in": _case_fields(team="{other_team}"),
    "a team that is not a number": _case_fields(team="desk"),
    "customer id not a number": _case_fields(customer="1 OR 1=1"),
    "customer id negative": _case_fields(customer="-1"),
    "customer id beyond any row": _case_fields(customer=str(2**64)),
    "unit id not a number": _case_fields(unit="x"),
}
NEW_CUSTOMER = {"new_name": "Chen Wei", "new_phone": "0912 000 111", "new_language": "zh-hant", "new_tier": "standard"}
REFUSED_NEW = {
    "nobody at all": {},
    "new customer without a name": {**NEW_CUSTOMER, "new_name": " "},
    "new customer without e-mail or phone": {**NEW_CUSTOMER, "new_phone": ""},
    "new customer with a bad e-mail": {**NEW_CUSTOMER, "new_email": "chen@"},
    "new customer with a bad phone": {**NEW_CUSTOMER, "new_phone": "12"},
    "new customer with an unknown language": {**NEW_CUSTOMER, "new_language": "xx"},
    "new customer with an unknown tier": {**NEW_CUSTOMER, "new_tier": "platinum"},
    "new customer with a name too long": {**NEW_CUSTOMER, "new_name": "x" * 201},
    "new customer with NUL in the name": {**NEW_CUSTOMER, "new_name": "Chen\x00Wei"},
}


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_refused_case_input_writes_nothing(agent, other_team, caller, data):
    customer, _unit, _purchase = caller
    data = {"customer": customer.pk, **data}
    data = {k: v.format(other_team=other_team.pk) if isinstance(v, str) else v for k, v in data.items()}
    before = db_state()
    response = client_for(agent).post(URL, data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize("data", REFUSED_NEW.values(), ids=REFUSED_NEW.keys())
def test_refused_new_customers_write_nothing(agent, data):
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(**data))
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert db_state() == before


def test_the_form_comes_back_with_what_was_typed_and_the_error_by_its_field(agent, caller):
    customer, unit, _purchase = caller
    response = client_for(agent).post(URL, _case_fields(customer=customer.pk, unit=unit.pk, body="",
                                                        subject="Keep <this>"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="Keep &lt;this&gt;"' in html
    assert "This field is required." in html
    assert f'name="unit" value="{unit.pk}" checked' in html
    assert f'name="customer" value="{customer.pk}"' in html


def test_an_identity_on_file_points_at_its_customer(agent, caller):
    customer, _unit, _purchase = caller
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(**{**NEW_CUSTOMER, "new_phone": "0912-345-678"}))
    html = response.content.decode()
    assert response.status_code == 422
    assert "“+886912345678” already belongs to Lin Meiling." in html
    assert f"?customer={customer.pk}" in html  # the way to pick them instead
    assert db_state() == before


def test_a_new_customer_whose_case_fails_is_not_kept(agent, caller):
    """The customer is written first; the case refuses another customer's unit; both go."""
    _customer, unit, _purchase = caller
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(**NEW_CUSTOMER, unit=unit.pk))
    assert response.status_code == 422
    assert "That unit belongs to another customer." in response.content.decode()
    assert db_state() == before


def test_another_customers_purchase_is_refused(agent, caller):
    customer, _unit, _purchase = caller
    foreign = PurchaseFactory(customer=CustomerFactory())
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(customer=customer.pk, purchase=foreign.pk))
    assert response.status_code == 422
    assert "That purchase belongs to another customer." in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(("name", "content", "status"), [
    ("page.html", b"<html><script>alert(1)</script></html>", 415),
    ("empty.png", b"", 422),
])
def test_a_refused_file_writes_nothing(agent, caller, name, content, status):
    customer, _unit, _purchase = caller
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(customer=customer.pk,
                                                        files=[SimpleUploadedFile(name, content)]))
    html = response.content.decode()
    assert response.status_code == status
    assert name in html
    assert "Files are not kept when the form comes back" in html
    assert db_state() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(agent, caller, settings):
    settings.AFTERSALES_MAX_UPLOAD_BYTES = 1000
    customer, _unit, _purchase = caller
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(
        customer=customer.pk, files=[SimpleUploadedFile("big.png", png_bytes() + b"\0" * 2000)]))
    assert response.status_code == 413
    assert db_state() == before


def test_too_many_files_are_refused(agent, caller):
    customer, _unit, _purchase = caller
    files = [SimpleUploadedFile(f"p{i}.png", png_bytes(i)) for i in range(11)]
    before = db_state()
    response = client_for(agent).post(URL, _case_fields(customer=customer.pk, files=files))
    assert response.status_code == 422
    assert "Attach at most 10 files." in response.content.decode()
    assert db_state() == before
    assert not Attachment.objects.exists()


# Customers, units and purchases out of sight

def test_a_customer_that_does_not_exist_is_a_404(agent):
    before = db_state()
    assert client_for(agent).post(URL, _case_fields(customer=999_999)).status_code == 404
    assert client_for(agent).get(URL, {"customer": 999_999}).status_code == 404
    assert db_state() == before


def test_a_unit_or_purchase_that_does_not_exist_is_a_404(agent, caller):
    customer, _unit, _purchase = caller
    before = db_state()
    assert client_for(agent).post(URL, _case_fields(customer=customer.pk, unit=999_999)).status_code == 404
    assert client_for(agent).post(URL, _case_fields(customer=customer.pk, purchase=999_999)).status_code == 404
    assert db_state() == before


@pytest.fixture
def narrow_sight(monkeypatch):
    """A deployment whose agents do not see every customer: the role table without
    `customer.view_all`. The page must ask `customers.access` for every customer it touches."""
    from aftersales.accounts.permissions import ROLE_OPERATIONS, Op

    monkeypatch.setitem(ROLE_OPERATIONS, Role.AGENT, ROLE_OPERATIONS[Role.AGENT] - {Op.CUSTOMER_VIEW_ALL})
    hidden = CustomerFactory(name="Hidden Person")
    IdentityFactory(customer=hidden, kind="email", value="hidden@example.com")
    return hidden


def test_a_customer_out_of_sight_cannot_be_given_a_case(agent, narrow_sight):
    hidden = narrow_sight
    before = db_state()
    client = client_for(agent)
    assert client.post(URL, _case_fields(customer=hidden.pk)).status_code == 404
    assert client.get(URL, {"customer": hidden.pk}).status_code == 404
    assert client.get(f"{URL}customer/", {"customer": hidden.pk}, **HTMX).status_code == 404
    assert db_state() == before
    for term in ("hidden@example.com", "Hidden"):
        found = client.get(f"{URL}customers/", {"q": term}, **HTMX)
        assert found.context["search"].customers == []
        assert "Hidden Person" not in found.content.decode()


# The page and its fragments

def test_the_page_starts_with_the_search_and_phone_as_channel(agent, team):
    response = client_for(agent).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="nc-q"' in html
    assert '<option value="phone" selected>' in html
    assert f'<option value="{team.pk}" selected>' in html
    assert "Assign to me" in html


def test_without_javascript_the_search_and_the_choice_are_plain_pages(agent, caller):
    customer, unit, purchase = caller
    client = client_for(agent)
    found = client.get(URL, {"q": "wm-0001"})
    assert found.status_code == 200
    assert f"?customer={customer.pk}&amp;unit={unit.pk}" in found.content.decode()
    chosen = client.get(URL, {"customer": customer.pk, "unit": unit.pk})
    html = chosen.content.decode()
    assert "Lin Meiling" in html and "Front loader" in html and "TM-2026-0042" in html
    assert f'name="unit" value="{unit.pk}" checked' in html
    assert f'name="purchase" value="{purchase.pk}"' in html
    assert client.get(f"{URL}customer/", {"customer": customer.pk}).status_code == 302  # no htmx: the page


def test_the_customer_step_fragment_shows_units_purchases_and_open_cases(agent, team, caller):
    customer, unit, purchase = caller
    CaseFactory(customer=customer, team=team)
    CaseFactory(customer=customer, team=TeamFactory(code="hidden-team"))  # out of this agent's sight
    response = client_for(agent).get(f"{URL}customer/", {"customer": customer.pk, "purchase": purchase.pk}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 open case" in html
    assert "+886912345678" in html
    assert f'name="purchase" value="{purchase.pk}" checked' in html
    assert 'name="unit" value="" checked' in html
    assert "WM-0001" in html


def test_a_searched_phone_fills_the_new_customer_form(agent):
    response = client_for(agent).get(f"{URL}customer/", {"new": "0912 000 111"}, **HTMX)
    html = response.content.decode()
    assert 'value="0912 000 111"' in html
    assert "<details class=\"nc-new\" id=\"nc-new\" open>" in html


def test_the_chosen_unit_is_listed_even_when_it_is_not_among_the_newest(agent, caller):
    customer, unit, _purchase = caller
    for n in range(21):
        UnitFactory(customer=customer, serial_number=f"NEWER-{n}")
    html = client_for(agent).get(f"{URL}customer/", {"customer": customer.pk, "unit": unit.pk}, **HTMX).content.decode()
    assert f'name="unit" value="{unit.pk}" checked' in html
    assert "Only the newest 20 units are listed" in html


def test_the_message_is_from_the_customer_on_the_case_page(agent, caller):
    customer, _unit, _purchase = caller
    response = client_for(agent).post(URL, _case_fields(customer=customer.pk), follow=True)
    entry = CaseEntry.objects.get(kind=EntryKind.MESSAGE)
    assert f'id="entry-{entry.pk}"' in response.content.decode()
    assert CustomerIdentity.objects.count() == 1
