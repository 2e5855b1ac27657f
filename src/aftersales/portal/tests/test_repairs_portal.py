"""My repairs in the portal: a customer sees only their own work orders, each with where it
stands (the stepper), the appointment window in their own time zone and language, the
technician's first name, the documents they may download; the case page lists its repairs and
its timeline tells the customer what concerns them — and nothing of the workshop's internals."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerUserFactory, ProductModelFactory, UnitFactory, UserFactory
from aftersales.parts.actions import stock_receive
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.portal.tests.helpers import signed_in
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_dispatch,
    work_order_move,
    work_order_open,
    work_order_reserve_part,
    work_order_set_billing_class,
)
from aftersales.repairs.actions_work import (
    inspection_record,
    labour_add,
    part_use,
    repair_card_close,
    repair_card_open,
    visit_finish,
    visit_start,
)
from aftersales.repairs.tests.support import signature_bytes

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def alice():
    user = CustomerUserFactory(username="alice")
    user.time_zone = "Asia/Seoul"  # an hour ahead of the dispatcher in Shanghai
    user.save(update_fields=["time_zone"])
    return user


@pytest.fixture
def bob():
    return CustomerUserFactory(username="bob")


@pytest.fixture
def staff():
    supervisor = UserFactory(role=Role.SUPERVISOR, display_name="Wang Supervisor", time_zone="Asia/Shanghai")
    tech = UserFactory(role=Role.TECHNICIAN, display_name="Ming Li-Technician", first_name="Ming",
                       last_name="Li-Technician", email="ming.li@staff.example", time_zone="Asia/Shanghai")
    return supervisor, tech


def washer_unit(customer, name="Washer WM-800"):
    return UnitFactory(customer=customer, product_model=ProductModelFactory(names={"en": name, "ko": "세탁기 WM-800"}))


class Steps(HTMLParser):
    """The stepper as a reader meets it: each step's label, its classes and whether it is current."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[dict] = []
        self._in_label = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "li" and "step" in classes:
            self.steps.append({"label": "", "classes": classes, "current": attrs.get("aria-current") == "step",
                               "key": attrs.get("data-step")})
        elif tag == "span" and "step-label" in classes:
            self._in_label = True

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_label = False

    def handle_data(self, data):
        if self._in_label and self.steps:
            self.steps[-1]["label"] += data


def stepper(html: str) -> list[dict]:
    parser = Steps()
    parser.feed(html)
    for step in parser.steps:
        step["label"] = " ".join(step["label"].split())
    return parser.steps


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---- who sees what ------------------------------------------------------------------------------

def test_my_repairs_lists_only_mine_newest_first_with_where_each_stands(alice, bob, staff):
    supervisor, tech = staff
    older = work_order_open(actor=supervisor, kind="carry_in", customer=alice.customer,
                            unit=washer_unit(alice.customer), at=at("2026-03-01 09:00"))
    newer = work_order_open(actor=supervisor, kind="on_site", customer=alice.customer, model_text="Dryer D-2",
                            at=at("2026-03-02 09:00"))
    theirs = work_order_open(actor=supervisor, kind="on_site", customer=bob.customer, model_text="Bob's fridge",
                             at=at("2026-03-03 09:00"))

    html = signed_in(alice).get("/repairs/").content.decode()

    assert html.index(newer.number) < html.index(older.number)
    assert theirs.number not in html and "Bob's fridge" not in html
    assert f'href="/repairs/{newer.pk}/"' in html and f'href="/repairs/{older.pk}/"' in html
    text = text_of(html)
    assert "Dryer D-2 Booked" in text and "step 1 of 4" in text and "We will arrange a time with you." in text
    assert "Washer WM-800 Received" in text and "step 1 of 7" in text
    assert "We are waiting for your item to reach us." in text
    assert '<a href="/repairs/">My repairs</a>' in html  # in the portal's navigation


def test_no_repairs_yet_and_a_bad_cursor_starts_from_the_top(alice):
    client = signed_in(alice)
    assert "No repairs yet." in client.get("/repairs/").content.decode()
    for cursor in ("not-a-cursor", "%00", "W10", "x" * 5000, "²"):
        assert client.get(f"/repairs/?cursor={cursor}").status_code == 200


def test_older_repairs_are_on_the_next_page(alice, staff):
    supervisor, _tech = staff
    orders = [work_order_open(actor=supervisor, kind="on_site", customer=alice.customer,
                              at=at(f"2026-03-{day:02d} 09:00")) for day in range(1, 23)]
    client = signed_in(alice)
    first = client.get("/repairs/").content.decode()
    assert orders[-1].number in first and orders[1].number not in first
    cursor = re.search(r'href="\?cursor=([^"]+)"', first).group(1)
    second = client.get(f"/repairs/?cursor={cursor}").content.decode()
    assert orders[1].number in second and orders[0].number in second and orders[-1].number not in second


def test_strangers_are_sent_to_sign_in_and_staff_to_the_desk(alice, staff):
    supervisor, _tech = staff
    wo = work_order_open(actor=supervisor, kind="on_site", customer=alice.customer)
    for url in ("/repairs/", f"/repairs/{wo.pk}/"):
        response = Client().get(url)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")
        desk = signed_in(supervisor).get(url)
        assert (desk.status_code, desk["Location"]) == (302, "/desk/")


@pytest.mark.parametrize("raw", ["{theirs}", "abc", "0", "-1", "1.5", "9" * 18, "9" * 19, "9" * 30, "9" * 5000,
                                 "²", "١٢", "%00", "{mine}%00", "%20{mine}"])
def test_another_customers_or_an_impossible_id_is_a_404(alice, bob, staff, raw):
    supervisor, _tech = staff
    mine = work_order_open(actor=supervisor, kind="on_site", customer=alice.customer)
    theirs = work_order_open(actor=supervisor, kind="carry_in", customer=bob.customer, model_text="Bob's fridge")
    response = signed_in(alice).get(f"/repairs/{raw.format(theirs=theirs.pk, mine=mine.pk)}/")
    assert response.status_code == 404
    assert "Bob's fridge" not in response.content.decode()


def test_a_work_order_of_a_customer_without_an_account_is_nobodys(alice, staff):
    from aftersales.core.tests.factories import CustomerFactory

    supervisor, _tech = staff
    walk_in = work_order_open(actor=supervisor, kind="carry_in", customer=CustomerFactory())
    assert signed_in(alice).get(f"/repairs/{walk_in.pk}/").status_code == 404


def test_the_list_costs_the_same_number_of_queries_for_one_or_five(alice, staff, django_assert_num_queries):
    supervisor, tech = staff
    client = signed_in(alice)

    def add(n: int) -> None:
        wo = work_order_open(actor=supervisor, kind=("carry_in", "on_site")[n % 2], customer=alice.customer,
                             unit=washer_unit(alice.customer, f"Washer {n}"))
        work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                            window_end=at("2026-03-03 12:00"), actor=supervisor)
        if wo.kind == "carry_in":
            custody_intake(work_order=wo, condition="scratched", location="counter", actor=supervisor)
        work_order_move(work_order=wo, target="in_progress", actor=supervisor)
        repair_card_open(work_order=wo, actor=tech)

    add(0)
    client.get("/repairs/")  # the session and the account are read once either way
    with CaptureQueriesContext(connection) as one:
        assert client.get("/repairs/").status_code == 200
    # the session, the account, the page of work orders with their facts, the product names
    assert len(one.captured_queries) == 4, [q["sql"] for q in one.captured_queries]
    for n in range(1, 5):
        add(n)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get("/repairs/").content.decode()
    assert html.count('class="repair-row"') == 5


# ---- one work order ------------------------------------------------------------------------------

def test_the_stepper_marks_the_current_step_and_ticks_the_done_ones(alice, staff):
    supervisor, tech = staff
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=alice.customer, unit=washer_unit(alice.customer),
                         problem="It does not drain.\nE21 on the display")
    custody_intake(work_order=wo, condition="scratched lid", location="counter", actor=supervisor)
    work_order_move(work_order=wo, target="in_progress", actor=supervisor)
    card = repair_card_open(work_order=wo, actor=tech)
    labour_add(card=card, technician=tech, minutes=30, actor=tech)
    client = signed_in(alice)

    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    steps = stepper(html)
    assert [s["label"] for s in steps] == ["Received (done)", "Diagnosing (done)", "Waiting for parts not needed",
                                           "Repairing", "Final check", "Ready for pickup", "Handed back"]
    assert [s["key"] for s in steps if s["current"]] == ["repairing"]
    assert [s["key"] for s in steps if "is-done" in s["classes"]] == ["received", "diagnosing"]
    assert html.count('aria-current="step"') == 1
    assert '<ol class="stepper"' in html and 'id="repair-state">Repairing<' in html
    assert "It does not drain.<br>E21 on the display" in html

    work_order_move(work_order=wo, target="waiting_parts", actor=supervisor)
    steps = stepper(client.get(f"/repairs/{wo.pk}/").content.decode())
    assert [s["key"] for s in steps if s["current"]] == ["waiting_parts"]
    assert "We are waiting for parts to arrive." in client.get(f"/repairs/{wo.pk}/").content.decode()


def test_a_cancelled_repair_shows_its_cancelled_state_and_says_to_collect_the_item(alice, staff):
    supervisor, _tech = staff
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=alice.customer)
    custody_intake(work_order=wo, condition="ok", location="counter", actor=supervisor)
    work_order_move(work_order=wo, target="cancelled", actor=supervisor)
    html = signed_in(alice).get(f"/repairs/{wo.pk}/").content.decode()
    assert stepper(html) == [] and 'aria-current="step"' not in html
    assert "This repair was cancelled. Your item is still with us: please collect it." in html
    assert 'class="repair-state state-cancelled" id="repair-state">Cancelled<' in html
    assert "Appointment" not in html


def test_the_appointment_is_to_be_arranged_then_shown_in_my_zone_with_changes(alice, staff):
    supervisor, tech = staff
    wo = work_order_open(actor=supervisor, kind="on_site", customer=alice.customer, phone="0912 345 678")
    client = signed_in(alice)
    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    assert "To be arranged" in html and 'data-field="technician"' not in html

    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 12:00"), actor=supervisor, at=at("2026-03-02 10:00"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-04 14:00"),
                        window_end=at("2026-03-04 17:00"), actor=supervisor, reason="Customer asked for Wednesday",
                        at=at("2026-03-02 11:00"))
    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    text = text_of(html)
    # Seoul is an hour ahead of Shanghai, where the dispatcher works
    assert "When Wednesday, March 4, 2026, 15:00–18:00 (Asia/Seoul)" in text
    assert "changed from Tuesday, March 3, 2026, 10:00–13:00" in text
    assert "Technician Ming" in text
    assert "Li-Technician" not in html and "ming.li@staff.example" not in html
    assert "Customer asked for Wednesday" not in html  # the dispatcher's reason is the desk's business
    assert [s["key"] for s in stepper(html) if s["current"]] == ["on_the_way"]

    # a visit that could not finish the job, then another one: an earlier visit, not a change
    visit = visit_start(work_order=wo, actor=tech, at=at("2026-03-04 14:30"))
    assert "The technician is with you now." in client.get(f"/repairs/{wo.pk}/").content.decode()
    visit_finish(visit=visit, outcome="no_one_home", actor=tech, at=at("2026-03-04 14:40"))
    assert "we will arrange another one" in client.get(f"/repairs/{wo.pk}/").content.decode()
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-06 09:00"),
                        window_end=at("2026-03-06 10:00"), actor=supervisor, at=at("2026-03-05 09:00"))
    text = text_of(client.get(f"/repairs/{wo.pk}/").content.decode())
    assert "Friday, March 6, 2026, 10:00–11:00" in text and "changed from" not in text
    assert "Another visit is booked." in text


def test_the_window_reads_in_my_language(alice, staff):
    supervisor, tech = staff
    alice.language = "ko"
    alice.save(update_fields=["language"])
    wo = work_order_open(actor=supervisor, kind="on_site", customer=alice.customer, unit=washer_unit(alice.customer))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-04 01:00"), actor=supervisor)
    html = signed_in(alice).get(f"/repairs/{wo.pk}/").content.decode()
    assert '<html lang="ko">' in html
    assert "<h1>세탁기 WM-800</h1>" in html  # the product's name in the reader's language
    assert "화요일" in html and "2026년 3월 3일" in html and "10:00" in html and "2026년 3월 4일" in html


def test_documents_link_to_the_pdfs_the_work_order_has(alice, staff):
    supervisor, _tech = staff
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=alice.customer)
    client = signed_in(alice)
    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    links = re.findall(r'href="(/repairs/\d+/documents/[^"]+)"', html)
    assert links == [f"/repairs/{wo.pk}/documents/voucher.pdf"]
    custody_intake(work_order=wo, condition="ok", location="counter", actor=supervisor)
    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    links = re.findall(r'href="(/repairs/\d+/documents/[^"]+)"', html)
    assert links == [f"/repairs/{wo.pk}/documents/voucher.pdf", f"/repairs/{wo.pk}/documents/receipt.pdf"]


# ---- the case page -------------------------------------------------------------------------------

def test_the_case_page_lists_its_repairs(alice, bob, staff):
    supervisor, _tech = staff
    case = case_open(customer=alice.customer, subject="Washer leaks", actor=alice)
    wo = work_order_open(actor=supervisor, kind="carry_in", case=case)
    other = case_open(customer=alice.customer, subject="Kettle", actor=alice)
    client = signed_in(alice)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Repairs on this case" in html and f'href="/repairs/{wo.pk}/"' in html
    assert "We are waiting for your item to reach us." in html
    assert "Repairs on this case" not in client.get(f"/cases/{other.pk}/").content.decode()
    detail = client.get(f"/repairs/{wo.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/#reply"' in detail and case.number in detail


def test_the_case_timeline_tells_the_customer_what_concerns_them_and_nothing_internal(alice, staff):
    supervisor, tech = staff
    part = PartFactory(sku="WM-PUMP-01", unit_cost=Decimal("85.00"), unit_price=Decimal("160.00"))
    warehouse = LocationFactory(code="main", name="Main warehouse")
    stock_receive(part=part, location=warehouse, quantity=2, actor=None, reference="PO-1")
    case = case_open(customer=alice.customer, subject="Washer leaks", actor=alice)
    wo = work_order_open(actor=supervisor, kind="carry_in", case=case, at=at("2026-03-02 09:00"))
    work_order_set_billing_class(work_order=wo, billing_class="D", reason="SECRET goodwill for a VIP", actor=supervisor)
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 12:00"), actor=supervisor, at=at("2026-03-02 10:00"))
    receipt = custody_intake(work_order=wo, condition="scratched", location="Front counter", actor=supervisor,
                             at=at("2026-03-03 09:30"))
    custody_move(receipt=receipt, move="sent_to_workshop", location="Workshop", holder="Bench 2 Zhang San",
                 actor=supervisor, at=at("2026-03-03 10:00"))
    work_order_move(work_order=wo, target="in_progress", actor=supervisor, at=at("2026-03-03 10:05"))
    card = repair_card_open(work_order=wo, actor=tech, at=at("2026-03-03 10:10"))
    reservation = work_order_reserve_part(work_order=wo, part=part, location=warehouse, quantity=1, actor=tech)
    part_use(card=card, reservation=reservation, actor=tech, note="SECRET pump note")
    labour_add(card=card, technician=tech, minutes=47, actor=tech, note="SECRET labour note")
    repair_card_close(card=card, result="fixed", fault_code="E21", root_cause="SECRET coin in the pump", actor=tech)
    inspection_record(card=card, outcome="sent_back", note="SECRET tighten the clamp", actor=supervisor)
    repair_card_close(card=card, result="fixed", fault_code="E21", root_cause="coin", actor=tech)
    inspection_record(card=card, outcome="passed", actor=supervisor)
    custody_hand_back(receipt=receipt, signed_by="Alice", signature=signature_bytes(), actor=supervisor)
    work_order_move(work_order=wo, target="completed", actor=supervisor)

    html = signed_in(alice).get(f"/cases/{case.pk}/").content.decode()
    timeline = text_of(html[html.index('id="timeline"'):])
    number = wo.number
    # what the customer is told: the window (in their zone, the technician's first name), the item
    # received and handed back, ready and completed
    assert f"Work order {number}: Ming will come between 2026-03-03 10:00 and 13:00" in timeline
    assert f"Item of {number}: Received — Front counter" in timeline
    assert f"Item of {number}: Handed to the customer" in timeline
    assert f"Work order {number}: Ready" in timeline and f"Work order {number}: Completed" in timeline
    # and nothing of the internals: billing reasons, labour, parts, inspection notes, who holds the item
    for secret in ("SECRET", "billed as", "minutes of work", "WM-PUMP-01", "set aside", "inspection", "85.00",
                   "Zhang San", "Wang Supervisor", "Li-Technician"):
        assert secret not in html, secret
    steps = stepper(signed_in(alice).get(f"/repairs/{wo.pk}/").content.decode())
    assert all("is-done" in s["classes"] for s in steps) and steps[-1]["current"]


# ---- a quote waiting for an answer ---------------------------------------------------------------

def test_a_quote_waiting_for_my_answer_is_shown_with_its_total_and_link(alice, staff):
    from aftersales.charges.actions import quote_add_line, quote_build_from_work, quote_decline, quote_send
    from aftersales.charges.models import PriceList

    supervisor, _tech = staff
    PriceList.objects.create(name="Standard", currency="CNY", tax_rate=Decimal("13.00"),
                             valid_from=datetime(2020, 1, 1, tzinfo=SH).date())
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=alice.customer, billing_class="A")
    client = signed_in(alice)
    quote = quote_build_from_work(work_order=wo, actor=supervisor, currency="CNY")
    quote_add_line(quote=quote, kind="other", actor=supervisor, quantity=1, description="Drain pump",
                   unit_price=Decimal("1000.00"))
    assert "A quote is waiting for your answer" not in client.get(f"/repairs/{wo.pk}/").content.decode()  # a draft

    quote_send(quote=quote, actor=supervisor)
    html = client.get(f"/repairs/{wo.pk}/").content.decode()
    assert "A quote is waiting for your answer" in html
    assert "Total: 1,130.00 CNY" in html and f'href="/quotes/{quote.pk}/"' in html

    quote_decline(quote=quote, actor=alice, channel="portal")
    assert "A quote is waiting for your answer" not in client.get(f"/repairs/{wo.pk}/").content.decode()
