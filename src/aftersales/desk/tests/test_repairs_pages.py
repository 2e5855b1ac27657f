"""The desk's repair pages: the case card, the work order page and each of its forms through the
real actions, the phone-call form, the dispatch board, my jobs and the printable custody
register; refusals give a 4xx and write nothing; customers get a 404; lists keep their
query counts whatever their length."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerFactory, UnitFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_dispatch,
    work_order_move,
    work_order_open,
)
from aftersales.repairs.models import Appointment, CustodyEntry, IntakeReceipt, WorkOrder
from aftersales.repairs.tests.support import signature_bytes, signature_data_url

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def tech(team):
    return UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Li Technician", time_zone="Asia/Shanghai")


@pytest.fixture
def case(team):
    return case_open(customer=CustomerFactory(name="Chen"), subject="Washer will not drain", actor=None, team=team,
                     unit=UnitFactory(serial_number="SN-123"))


@pytest.fixture
def carry_in(case, agent):
    return work_order_open(actor=agent, kind="carry_in", case=case)


def _url(wo, step=""):
    return f"/desk/work-orders/{wo.pk}/{step + '/' if step else ''}"


# ---- the case card --------------------------------------------------------------------------------

def test_the_case_card_lists_work_orders_and_opens_one(agent, case):
    client = client_for(agent)
    existing = work_order_open(actor=agent, kind="on_site", case=case)
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert f"/desk/cases/{case.pk}/work-orders/" in page  # the card loads itself
    card = client.get(f"/desk/cases/{case.pk}/work-orders/").content.decode()
    assert existing.number in card and "On-site visit" in card and "Not dispatched" in card
    response = client.post(f"/desk/cases/{case.pk}/work-orders/open/", {"kind": "carry_in"}, **HTMX)
    assert response.status_code == 200
    opened = WorkOrder.objects.exclude(pk=existing.pk).get()
    assert (opened.case, opened.kind, opened.customer) == (case, "carry_in", case.customer)
    assert opened.number in response.content.decode()


def test_an_unknown_kind_is_refused_beside_the_form(agent, case):
    response = client_for(agent).post(f"/desk/cases/{case.pk}/work-orders/open/", {"kind": "teleport"}, **HTMX)
    assert response.status_code == 422
    assert "Unknown kind of work" in response.content.decode()
    assert not WorkOrder.objects.exists()


# ---- the work order page ----------------------------------------------------------------------------

def test_the_page_shows_the_voucher_and_the_moves_the_status_allows(agent, carry_in):
    html = client_for(agent).get(_url(carry_in)).content.decode()
    assert carry_in.number in html and "Chen" in html and "SN-123" in html
    assert "A — paid" in html
    assert 'name="status" value="in_progress"' in html and 'name="status" value="cancelled"' in html
    assert 'name="status" value="completed"' not in html
    assert 'name="status" value="dispatched"' not in html  # the dispatch form does that
    assert "Take the item in and issue a receipt" in html


def test_ready_is_offered_only_to_who_may_make_it_ready(agent, carry_in):
    from aftersales.repairs.actions_work import repair_card_open

    supervisor = UserFactory(role=Role.SUPERVISOR)
    for target in ("in_progress", "inspecting"):
        work_order_move(work_order=carry_in, target=target, actor=supervisor)
    ready = 'name="status" value="ready"'
    assert ready not in client_for(agent).get(_url(carry_in)).content.decode()  # may not inspect
    assert ready in client_for(supervisor).get(_url(carry_in)).content.decode()  # no card: the supervisor may
    work_order_move(work_order=carry_in, target="in_progress", actor=supervisor)
    repair_card_open(work_order=carry_in, actor=supervisor)
    work_order_move(work_order=carry_in, target="inspecting", actor=supervisor)
    assert ready not in client_for(supervisor).get(_url(carry_in)).content.decode()  # the card's inspection does


def test_a_status_move_goes_through_the_action(agent, carry_in):
    response = client_for(agent).post(_url(carry_in, "status"), {"status": "in_progress"}, **HTMX)
    assert response.status_code == 200
    carry_in.refresh_from_db()
    assert carry_in.status == "in_progress"
    assert carry_in.case.entries.filter(event="work_order_status").count() == 1


def test_a_move_the_machine_forbids_is_a_409_and_changes_nothing(agent, carry_in):
    response = client_for(agent).post(_url(carry_in, "status"), {"status": "completed"}, **HTMX)
    assert response.status_code == 409
    assert 'data-error-for="status"' in response.content.decode()
    carry_in.refresh_from_db()
    assert carry_in.status == "registered"


def test_without_htmx_a_refusal_is_a_message_on_the_page(agent, carry_in):
    client = client_for(agent)
    response = client.post(_url(carry_in, "status"), {"status": "archived"})
    assert response.status_code == 302
    assert "cannot go from" in client.get(response["Location"]).content.decode()


def test_dispatch_reads_the_window_in_the_viewers_zone_and_keeps_the_history(agent, tech, carry_in):
    agent.time_zone = "Asia/Shanghai"
    agent.save()
    client = client_for(agent)
    response = client.post(_url(carry_in, "dispatch"), {"technician": tech.pk, "window_start": "2026-03-03T09:00",
                                                        "window_end": "2026-03-03T12:00"}, **HTMX)
    assert response.status_code == 200
    client.post(_url(carry_in, "dispatch"), {"technician": tech.pk, "window_start": "2026-03-04T14:00",
                                             "window_end": "2026-03-04T17:00", "reason": "customer asked"}, **HTMX)
    carry_in.refresh_from_db()
    assert (carry_in.status, carry_in.technician, carry_in.window_start) == ("dispatched", tech, at("2026-03-04 14:00"))
    assert list(Appointment.objects.filter(work_order=carry_in).values_list("window_start", flat=True)) == [
        at("2026-03-03 09:00"), at("2026-03-04 14:00")]
    html = client.get(_url(carry_in)).content.decode()
    assert "customer asked" in html and "Li Technician" in html


@pytest.mark.parametrize(("form", "message"), [
    ({"window_start": "2026-03-03T12:00", "window_end": "2026-03-03T09:00"}, "must end after it starts"),
    ({"window_start": "tomorrow", "window_end": "2026-03-03T09:00"}, "give a date and a time"),
    ({"technician": "", "window_start": "2026-03-03T09:00", "window_end": "2026-03-03T10:00"}, "active technician"),
])
def test_a_bad_dispatch_is_refused_and_writes_nothing(agent, tech, carry_in, form, message):
    data = {"technician": tech.pk, **form}
    response = client_for(agent).post(_url(carry_in, "dispatch"), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_agent_cannot_be_dispatched(agent, carry_in):
    response = client_for(agent).post(_url(carry_in, "dispatch"), {
        "technician": agent.pk, "window_start": "2026-03-03T09:00", "window_end": "2026-03-03T10:00"}, **HTMX)
    assert response.status_code == 422
    assert not Appointment.objects.exists()


def test_the_billing_class_changes_only_with_a_reason(agent, carry_in):
    client = client_for(agent)
    refused = client.post(_url(carry_in, "billing"), {"billing_class": "C", "reason": " "}, **HTMX)
    assert refused.status_code == 422
    assert "Say why the billing class changes." in refused.content.decode()
    carry_in.refresh_from_db()
    assert carry_in.billing_class == "A"
    done = client.post(_url(carry_in, "billing"), {"billing_class": "C", "reason": "warranty card found"}, **HTMX)
    assert done.status_code == 200
    carry_in.refresh_from_db()
    assert (carry_in.billing_class, carry_in.billing_reason) == ("C", "warranty card found")
    assert "warranty card found" in done.content.decode()


# ---- carry-in: intake, the register, hand-back -------------------------------------------------------

def test_intake_issues_a_receipt_with_its_serial_check(agent, carry_in):
    client = client_for(agent)
    response = client.post(_url(carry_in, "intake"), {
        "condition": "Scratched lid", "accessories": "power cord， hose, , manual", "serial_seen": "sn-123",
        "location": "Front counter"}, **HTMX)
    assert response.status_code == 200
    receipt = IntakeReceipt.objects.get()
    assert receipt.accessories == ["power cord", "hose", "manual"]
    assert receipt.serial_matches is True
    html = response.content.decode()
    assert receipt.number in html and "matches the record" in html
    assert CustodyEntry.objects.get().location == "Front counter"


def test_intake_needs_the_condition_and_writes_nothing_without_it(agent, carry_in):
    response = client_for(agent).post(_url(carry_in, "intake"), {"condition": "", "location": "Counter"}, **HTMX)
    assert response.status_code == 422
    assert 'data-error-for="intake"' in response.content.decode()
    assert not IntakeReceipt.objects.exists() and not CustodyEntry.objects.exists()


def test_an_on_site_order_takes_nothing_in(agent, case):
    wo = work_order_open(actor=agent, kind="on_site", case=case)
    assert "Take the item in" not in client_for(agent).get(_url(wo)).content.decode()
    response = client_for(agent).post(_url(wo, "intake"), {"condition": "ok", "location": "Counter"}, **HTMX)
    assert response.status_code == 409
    assert not IntakeReceipt.objects.exists()


def test_movements_corrections_and_hand_back(agent, carry_in):
    receipt = custody_intake(work_order=carry_in, condition="ok", location="Counter", actor=agent)
    first = receipt.entries.get()
    client = client_for(agent)
    moved = client.post(_url(carry_in, "custody"), {"move": "sent_to_workshop", "location": "Workshop",
                                                    "holder": "Bench 2", "note": ""}, **HTMX)
    assert moved.status_code == 200
    # a correction must name the entry it corrects
    refused = client.post(_url(carry_in, "custody"), {"move": "correction", "location": "Counter",
                                                      "holder": "Desk", "note": "typo"}, **HTMX)
    assert refused.status_code == 422
    assert "names the entry it corrects" in refused.content.decode()
    corrected = client.post(_url(carry_in, "custody"), {"move": "correction", "corrects": first.pk,
                                                        "location": "Counter 2", "holder": "Desk",
                                                        "note": "it was counter 2"}, **HTMX)
    assert corrected.status_code == 200
    assert CustodyEntry.objects.get(move="correction").corrects == first
    early = client.post(_url(carry_in, "hand-back"), {"signed_by": "Chen Da", "signature": signature_data_url()},
                        **HTMX)
    assert early.status_code == 409  # not inspected yet: the item stays with us
    assert "has not passed inspection" in early.content.decode()
    supervisor = UserFactory(role=Role.SUPERVISOR)  # ready: someone who may inspect passed the work
    for target in ("in_progress", "inspecting", "ready"):
        work_order_move(work_order=carry_in, target=target, actor=supervisor)
    unsigned = client.post(_url(carry_in, "hand-back"), {"signed_by": "Chen Da"}, **HTMX)
    assert unsigned.status_code == 422
    back = client.post(_url(carry_in, "hand-back"), {"signed_by": "Chen Da", "signature": signature_data_url()},
                       **HTMX)
    assert back.status_code == 200
    receipt.refresh_from_db()
    assert (receipt.voided_signed_by, receipt.voided_at is not None) == ("Chen Da", True)
    assert receipt.voided_signature.read() == signature_bytes()
    assert "signed by Chen Da" in back.content.decode()
    again = client.post(_url(carry_in, "custody"), {"move": "sent_to_vendor", "location": "V", "holder": "V"}, **HTMX)
    assert again.status_code == 409
    assert CustodyEntry.objects.count() == 4


def test_a_movement_before_intake_is_refused(agent, carry_in):
    response = client_for(agent).post(_url(carry_in, "custody"), {"move": "sent_to_workshop", "location": "W",
                                                                  "holder": "B"}, **HTMX)
    assert response.status_code == 422
    assert not CustodyEntry.objects.exists()


# ---- the phone call ----------------------------------------------------------------------------------

def test_a_phone_call_registers_a_work_order_for_a_chosen_customer(agent):
    customer = CustomerFactory(name="Wang")
    client = client_for(agent)
    assert "Wang" in client.get("/desk/work-orders/new/").content.decode()
    response = client.post("/desk/work-orders/new/", {
        "customer": customer.pk, "contact_name": "", "address": "1 Road", "phone": "0912 345 678",
        "model_text": "WM-800", "problem": "No spin", "kind": "on_site"})
    wo = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(wo)
    assert (wo.customer, wo.contact_name, wo.phone) == (customer, "Wang", "0912 345 678")
    # the call is a phone case in the caller's words, so every step of the job reaches its timeline
    assert (wo.case.customer, wo.case.channel, wo.case.type) == (customer, "phone", "repair")
    assert wo.case.subject == "No spin"
    assert wo.case.entries.filter(event="work_order_opened").exists()


def test_a_phone_call_finds_the_customer_by_id(agent):
    customer = CustomerFactory(name="Lee")
    response = client_for(agent).post("/desk/work-orders/new/", {"lookup": f"#{customer.pk}", "kind": "installation"})
    assert response.status_code == 302
    assert WorkOrder.objects.get().customer == customer


def test_a_phone_call_without_a_customer_is_refused(agent):
    response = client_for(agent).post("/desk/work-orders/new/", {"lookup": "nobody@example.com", "kind": "on_site",
                                                                "problem": "kept"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "No customer has that id" in html and "kept" in html
    assert not WorkOrder.objects.exists()


# ---- the board and my jobs ----------------------------------------------------------------------------

def _dispatched(agent, tech, day: str, hour: int, hours: int = 2) -> WorkOrder:
    wo = work_order_open(actor=agent, kind="on_site", customer=CustomerFactory(), address="5 Lane", phone="021 555")
    work_order_dispatch(work_order=wo, technician=tech, window_start=at(f"{day} {hour:02d}:00"),
                        window_end=at(f"{day} {hour + hours:02d}:00"), actor=agent)
    return wo


def test_the_board_shows_each_technicians_day_and_load(agent, tech):
    agent.time_zone = "Asia/Shanghai"
    agent.save()
    a = _dispatched(agent, tech, "2026-03-03", 9)
    b = _dispatched(agent, tech, "2026-03-03", 13, 3)
    other_day = _dispatched(agent, tech, "2026-03-04", 9)
    waiting = work_order_open(actor=agent, kind="maintenance", customer=CustomerFactory())
    html = client_for(agent).get("/desk/dispatch/?day=2026-03-03").content.decode()
    assert a.number in html and b.number in html and waiting.number in html
    assert other_day.number not in html
    assert "2 jobs · 5.0 h" in html
    assert "09:00–11:00" in html


def test_the_board_refuses_a_bad_day(agent):
    response = client_for(agent).get("/desk/dispatch/?day=2026-13-45")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_board_keeps_its_query_count(agent, tech, django_assert_num_queries):
    client = client_for(agent)
    _dispatched(agent, tech, "2026-03-03", 9)
    client.get("/desk/dispatch/?day=2026-03-03")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/dispatch/?day=2026-03-03")
    for hour in (11, 13, 15):
        _dispatched(agent, tech, "2026-03-03", hour)
    for _n in range(3):
        work_order_open(actor=agent, kind="on_site", customer=CustomerFactory())
    UserFactory(role=Role.TECHNICIAN)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/desk/dispatch/?day=2026-03-03")


def test_my_jobs_lists_todays_work_with_a_phone_link(agent, tech):
    now = timezone.now().astimezone(SH)
    today = now.date().isoformat()
    mine = _dispatched(agent, tech, today, 1)
    tomorrow = _dispatched(agent, tech, (now.date() + timedelta(days=1)).isoformat(), 1)
    html = client_for(tech).get("/desk/my-jobs/").content.decode()
    assert mine.number in html and tomorrow.number not in html
    assert 'href="tel:021555"' in html and "5 Lane" in html


def test_my_jobs_keeps_its_query_count(agent, tech, django_assert_num_queries):
    client = client_for(tech)
    today = timezone.now().astimezone(SH).date().isoformat()
    _dispatched(agent, tech, today, 1)
    client.get("/desk/my-jobs/")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/my-jobs/")
    for hour in (4, 7, 10):
        _dispatched(agent, tech, today, hour)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/desk/my-jobs/")


# ---- the custody register -------------------------------------------------------------------------

def _item(agent, case, *, received: str, back: str | None = None, moved: str | None = None):
    wo = work_order_open(actor=agent, kind="carry_in", case=case, at=at(received))
    receipt = custody_intake(work_order=wo, condition="ok", location="Counter", actor=agent, at=at(received))
    if moved:
        custody_move(receipt=receipt, move="sent_to_workshop", location="Workshop", holder="Bench 1", actor=agent,
                     at=at(moved))
    if back:
        work_order_move(work_order=wo, target="cancelled", actor=agent)  # taken back unrepaired
        custody_hand_back(receipt=receipt, signed_by="Chen", signature=signature_bytes(), actor=agent, at=at(back))
    return receipt


def test_the_register_reconciles_in_the_viewers_zone(agent, case):
    agent.time_zone = "Asia/Shanghai"
    agent.save()
    before = _item(agent, case, received="2026-02-27 10:00", moved="2026-03-02 08:00")
    returned = _item(agent, case, received="2026-03-02 00:30", back="2026-03-03 17:00")
    gone = _item(agent, case, received="2026-02-20 10:00", back="2026-02-21 10:00")
    later = _item(agent, case, received="2026-03-04 00:10")
    response = client_for(agent).get("/desk/custody-register/?from=2026-03-01&to=2026-03-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert before.number in html and returned.number in html
    assert gone.number not in html and later.number not in html
    assert "held at Workshop by Bench 1" in html and "handed back to Chen" in html
    for key, value in {"brought_forward": 1, "received": 1, "handed_back": 1, "still_held": 1}.items():
        assert f'data-total="{key}">{value}<' in html
    assert "desk/repairs.css" in html  # its @media print block hides the navigation and the form


@pytest.mark.parametrize("query", ["from=2026-03-05&to=2026-03-01", "from=yesterday", "from=2026-01-01&to=2027-06-01"])
def test_the_register_refuses_bad_dates_readably(agent, query):
    response = client_for(agent).get(f"/desk/custody-register/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_register_keeps_its_query_count(agent, case, django_assert_num_queries):
    client = client_for(agent)
    _item(agent, case, received="2026-03-02 10:00")
    url = "/desk/custody-register/?from=2026-03-01&to=2026-03-03"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in ("2026-03-01 09:00", "2026-03-02 11:00", "2026-03-03 12:00"):
        _item(agent, case, received=day, moved=day.replace(":00", ":30", 1), back=day.replace(" 0", " 1", 1))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# ---- permissions --------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/desk/work-orders/{wo}/", "/desk/work-orders/new/", "/desk/dispatch/",
                                  "/desk/my-jobs/", "/desk/custody-register/", "/desk/cases/{case}/work-orders/"])
def test_customers_get_a_404(customer_user, carry_in, path):
    url = path.format(wo=carry_in.pk, case=carry_in.case_id)
    assert client_for(customer_user).get(url).status_code == 404


def test_customers_cannot_write(customer_user, carry_in):
    response = client_for(customer_user).post(_url(carry_in, "status"), {"status": "cancelled"}, **HTMX)
    assert response.status_code == 404
    carry_in.refresh_from_db()
    assert carry_in.status == "registered"


def test_anonymous_people_are_sent_to_sign_in(client, carry_in):
    assert client.get(_url(carry_in))["Location"].startswith("/login/")


def test_a_work_order_on_a_case_out_of_sight_is_a_404(other_team, carry_in):
    outsider = UserFactory(role=Role.AGENT, teams=[other_team])
    assert client_for(outsider).get(_url(carry_in)).status_code == 404
    assert client_for(outsider).post(_url(carry_in, "status"), {"status": "cancelled"}, **HTMX).status_code == 404


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_every_staff_role_may_work_a_work_order(role, team, carry_in):
    user = UserFactory(role=role, teams=[team])
    response = client_for(user).post(_url(carry_in, "status"), {"status": "in_progress"}, **HTMX)
    assert response.status_code == 200
    carry_in.refresh_from_db()
    assert carry_in.status == "in_progress"


def test_the_work_order_page_keeps_its_query_count(agent, tech, carry_in, django_assert_num_queries):
    client = client_for(agent)
    receipt = custody_intake(work_order=carry_in, condition="ok", location="Counter", actor=agent)
    work_order_dispatch(work_order=carry_in, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 10:00"), actor=agent)
    client.get(_url(carry_in))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(carry_in))
    for n in range(3):
        custody_move(receipt=receipt, move="loaner_issued", location=f"L{n}", holder="Chen", actor=agent)
        work_order_dispatch(work_order=carry_in, technician=tech, window_start=at(f"2026-03-0{4 + n} 09:00"),
                            window_end=at(f"2026-03-0{4 + n} 10:00"), actor=agent)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(_url(carry_in))
