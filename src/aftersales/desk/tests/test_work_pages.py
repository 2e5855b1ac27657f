"""The work-record pages of the desk through the real actions: the technician's visit screen
(arrive, photos, sign-off with a drawn signature, refusal, a failed visit turned into a
carry-in), the repair card panel on the work order page (open — linked to the unit's earlier
repair —, labour, parts from a reservation or from stock with their cost, close), the
inspection (pass, send back, history) and the supervisors' queue; who may do what; the queue's
constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerFactory, UnitFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.desk.tests.work_support import (
    bench_job,
    dispatched,
    image_bytes,
    signature_bytes,
    signature_data_url,
    stock,
    waiting_for_inspection,
)
from aftersales.parts.actions import stock_reserve
from aftersales.parts.models import Reservation, StockLevel
from aftersales.repairs.actions_work import inspection_record, visit_finish, visit_start
from aftersales.repairs.models import WorkOrder
from aftersales.repairs.models_work import Inspection, LabourEntry, PartUsed, RepairCard, Visit, VisitPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(team):
    return case_open(customer=CustomerFactory(name="Chen Da"), subject="Washer will not drain", actor=None, team=team,
                     unit=UnitFactory(serial_number="SN-123"))


@pytest.fixture
def on_site(agent, technician, case):
    return dispatched(agent, technician, case=case, address="5 Lane, Taipei", phone="021 555")


def _visit_url(wo, step=""):
    return f"/desk/work-orders/{wo.pk}/visit/{step + '/' if step else ''}"


def _card_url(wo, step):
    return f"/desk/work-orders/{wo.pk}/card/{step}/"


# ---- the visit screen ---------------------------------------------------------------------------------

def test_the_technician_arrives_and_signs_off_with_a_drawn_signature(technician, on_site):
    client = client_for(technician)
    page = client.get(_visit_url(on_site)).content.decode()
    assert on_site.number in page and "5 Lane, Taipei" in page and 'href="tel:021555"' in page
    assert "I have arrived: start the visit" in page and "desk/signature.js" in page

    before = timezone.now()
    response = client.post(_visit_url(on_site, "start"), **HTMX)
    assert response.status_code == 200
    visit = Visit.objects.get(work_order=on_site)
    assert visit.technician == technician and before <= visit.arrived_at <= timezone.now()
    html = response.content.decode()
    assert 'id="visit-main"' in html and "data-signature" in html and "<canvas" in html
    assert 'accept="image/*" capture="environment"' in html
    on_site.refresh_from_db()
    assert on_site.status == "in_progress"

    drawn = signature_bytes()
    response = client.post(_visit_url(on_site, "finish"), {
        "visit": visit.pk, "findings": "Pump blocked by a coin", "work_done": "Cleared the pump",
        "outcome": "signed_off", "signed_by": "Chen Da", "signature": signature_data_url(drawn),
        "refusal_reason": ""}, **HTMX)
    assert response.status_code == 200
    visit.refresh_from_db()
    assert (visit.outcome, visit.signed_by, visit.findings) == ("signed_off", "Chen Da", "Pump blocked by a coin")
    with visit.signature.open("rb") as stored:
        assert stored.read() == drawn
    html = response.content.decode()
    assert "Signed by Chen Da" in html and f"/visits/{visit.pk}/signature.png" in html
    image = client.get(f"/desk/work-orders/{on_site.pk}/visits/{visit.pk}/signature.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == drawn
    assert "sandbox" in image["Content-Security-Policy"]


def test_a_sign_off_without_a_drawn_signature_is_refused_beside_the_form(technician, on_site):
    """What a browser without JavaScript posts: the name, but an empty signature field."""
    client = client_for(technician)
    visit = visit_start(work_order=on_site, actor=technician)
    data = {"visit": visit.pk, "outcome": "signed_off", "signed_by": "Chen Da", "signature": "",
            "findings": "kept as typed"}
    response = client.post(_visit_url(on_site, "finish"), data, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-error-for="finish"' in html and "drawn signature" in html and "kept as typed" in html
    plain = client.post(_visit_url(on_site, "finish"), data)
    assert plain.status_code == 302 and plain["Location"] == _visit_url(on_site)
    assert "drawn signature" in client.get(plain["Location"]).content.decode()
    visit.refresh_from_db()
    assert (visit.departed_at, visit.outcome, visit.signature.name) == (None, "", "")


def test_a_refused_sign_off_keeps_what_was_drawn(technician, on_site):
    visit = visit_start(work_order=on_site, actor=technician)
    url = signature_data_url()
    response = client_for(technician).post(_visit_url(on_site, "finish"), {
        "visit": visit.pk, "outcome": "signed_off", "signed_by": "", "signature": url}, **HTMX)
    assert response.status_code == 422
    assert f'name="signature" value="{url}"' in response.content.decode()


def test_a_refusal_needs_its_reason(technician, on_site):
    client = client_for(technician)
    visit = visit_start(work_order=on_site, actor=technician)
    response = client.post(_visit_url(on_site, "finish"), {"visit": visit.pk, "outcome": "refused"}, **HTMX)
    assert response.status_code == 422 and "why the customer refused" in response.content.decode()
    response = client.post(_visit_url(on_site, "finish"), {
        "visit": visit.pk, "outcome": "refused", "refusal_reason": "Wants a new machine"}, **HTMX)
    assert response.status_code == 200
    visit.refresh_from_db()
    assert (visit.outcome, visit.refusal_reason, visit.signature.name) == ("refused", "Wants a new machine", "")
    assert "Wants a new machine" in response.content.decode()


def test_photos_are_added_to_the_visit_and_served_to_staff_only(technician, on_site, customer_user):
    client = client_for(technician)
    visit = visit_start(work_order=on_site, actor=technician)
    jpeg = image_bytes("JPEG")
    response = client.post(_visit_url(on_site, "photos"), {
        "visit": visit.pk, "caption": "Pump", "photo": SimpleUploadedFile("pump.jpg", jpeg, "image/jpeg")}, **HTMX)
    assert response.status_code == 200
    photo = VisitPhoto.objects.get()
    assert (photo.visit, photo.content_type, photo.caption) == (visit, "image/jpeg", "Pump")
    assert f"/desk/work-orders/{on_site.pk}/photos/{photo.pk}/" in response.content.decode()
    served = client.get(f"/desk/work-orders/{on_site.pk}/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == jpeg
    assert client_for(customer_user).get(f"/desk/work-orders/{on_site.pk}/photos/{photo.pk}/").status_code == 404
    other = dispatched(UserFactory(role=Role.SUPERVISOR), technician)
    assert client.get(f"/desk/work-orders/{other.pk}/photos/{photo.pk}/").status_code == 404


def test_a_failed_visit_offers_the_carry_in_and_converts(technician, on_site):
    client = client_for(technician)
    visit = visit_start(work_order=on_site, actor=technician)
    assert "Convert to a carry-in repair" not in client.get(_visit_url(on_site)).content.decode()
    visit_finish(visit=visit, outcome="failed", findings="Motor burnt", actor=technician)
    page = client.get(_visit_url(on_site)).content.decode()
    assert "Convert to a carry-in repair" in page and "Motor burnt" in page
    refused = client.post(_visit_url(on_site, "carry-in"), {"reason": "  "}, **HTMX)
    assert refused.status_code == 422 and 'data-error-for="carry_in"' in refused.content.decode()
    response = client.post(_visit_url(on_site, "carry-in"), {"reason": "Needs the bench"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/desk/work-orders/{on_site.pk}/"
    on_site.refresh_from_db()
    assert on_site.kind == "carry_in"
    page = client.get(_visit_url(on_site)).content.decode()
    assert "This is a carry-in repair" in page and "start the visit" not in page and "Start another visit" not in page


def test_the_plain_post_fallback_starts_a_visit(technician, on_site):
    client = client_for(technician)
    response = client.post(_visit_url(on_site, "start"))
    assert response.status_code == 302 and response["Location"] == _visit_url(on_site)
    assert Visit.objects.filter(work_order=on_site, departed_at__isnull=True).count() == 1
    again = client.post(_visit_url(on_site, "start"), **HTMX)
    # the start button is gone (the visit is open): the refusal shows at the top
    assert again.status_code == 409 and 'data-error-for="start">A visit to this customer' in again.content.decode()
    assert Visit.objects.count() == 1


def test_my_jobs_links_the_visit_screen(technician, on_site):
    html = client_for(technician).get("/desk/my-jobs/").content.decode()
    assert f'href="{_visit_url(on_site)}"' in html


# ---- the repair card panel ----------------------------------------------------------------------------

def test_the_card_panel_opens_a_card_linked_to_the_units_earlier_repair(supervisor, technician, team):
    unit = UnitFactory(serial_number="SN-9")
    customer = CustomerFactory()
    earlier = waiting_for_inspection(supervisor, customer=customer, unit=unit)
    inspection_record(card=earlier.repair_card, outcome="passed", actor=supervisor)
    wo = bench_job(supervisor, customer=customer, unit=unit, card=False)
    client = client_for(technician)
    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert "Open the repair card" in page
    response = client.post(_card_url(wo, "open"), **HTMX)
    assert response.status_code == 200
    card = RepairCard.objects.get(work_order=wo)
    assert card.repeat_of == earlier.repair_card
    html = response.content.decode()
    assert f"repeat of {earlier.number}" in html and f'href="/desk/work-orders/{earlier.pk}/"' in html
    again = client.post(_card_url(wo, "open"), **HTMX)
    assert again.status_code == 409 and 'data-error-for="card_open"' in again.content.decode()
    assert RepairCard.objects.filter(work_order=wo).count() == 1


def test_labour_and_parts_are_recorded_with_their_totals(technician, supervisor):
    wo = bench_job(supervisor, technician=technician, billing_class="C", billing_reason="Under warranty")
    card = wo.repair_card
    van_part, van = stock(technician=technician, sku="PUMP-1", cost="40.00", name="Drain pump")
    belt, warehouse = stock(sku="BELT-2", cost="12.35", name="Drive belt")
    reservation = stock_reserve(part=belt, location=warehouse, quantity=3, reference=wo.number, actor=supervisor)
    client = client_for(technician)

    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert f'value="{van_part.pk}:{van.pk}"' in page and f'value="{belt.pk}:{warehouse.pk}"' in page
    assert page.index(f'value="{van_part.pk}:{van.pk}"') < page.index(f'value="{belt.pk}:{warehouse.pk}"')
    assert f'<option value="{reservation.pk}"' in page

    for minutes in ("45", "45"):
        response = client.post(_card_url(wo, "labour"), {"card": card.pk, "technician": technician.pk,
                                                          "minutes": minutes, "note": "Bench test"}, **HTMX)
        assert response.status_code == 200
    assert list(LabourEntry.objects.values_list("minutes", "technician", "note")) == [
        (45, technician.pk, "Bench test"), (45, technician.pk, "Bench test")]
    assert '<td class="num nowrap" data-field="labour-total">1 h 30 min</td>' in response.content.decode()

    response = client.post(_card_url(wo, "parts"), {"card": card.pk, "reservation": reservation.pk,
                                                    "quantity": "2", "note": ""}, **HTMX)
    assert response.status_code == 200
    response = client.post(_card_url(wo, "parts"), {"card": card.pk, "stock": f"{van_part.pk}:{van.pk}",
                                                    "quantity": "1", "note": "new pump"}, **HTMX)
    assert response.status_code == 200
    used = list(PartUsed.objects.order_by("id").values_list("part__sku", "location", "quantity", "unit_cost"))
    assert [(sku, loc, qty, str(cost)) for sku, loc, qty, cost in used] == [
        ("BELT-2", warehouse.pk, 2, "12.35"), ("PUMP-1", van.pk, 1, "40.00")]
    reservation.refresh_from_db()
    assert reservation.state == "consumed"
    assert StockLevel.objects.get(part=belt, location=warehouse).on_hand == 8
    assert StockLevel.objects.get(part=van_part, location=van).on_hand == 9
    html = response.content.decode()
    assert "24.70 CNY" in html and "40.00 CNY" in html
    assert '<td class="num nowrap" data-field="parts-total">64.70 CNY</td>' in html

    response = client.post(_card_url(wo, "close"), {"card": card.pk, "result": "fixed", "fault_code": "e21",
                                                    "root_cause": "Worn belt"}, **HTMX)
    assert response.status_code == 200
    card.refresh_from_db()
    wo.refresh_from_db()
    assert (card.result, card.fault_code, wo.status) == ("fixed", "E21", "inspecting")
    html = response.content.decode()
    assert "Waiting for inspection" in html and "Add labour" not in html and "Use this part" not in html


def test_closing_needs_a_result_and_a_fault_code(technician, supervisor):
    wo = bench_job(supervisor)
    response = client_for(technician).post(_card_url(wo, "close"), {
        "card": wo.repair_card.pk, "result": "", "fault_code": "", "root_cause": "kept"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-error-for="card_close"' in html and ">kept</textarea>" in html
    wo.refresh_from_db()
    assert wo.status == "in_progress" and wo.repair_card.closed_at is None


def test_an_agent_may_not_take_parts(agent):
    wo = bench_job(agent)
    part, location = stock()
    client = client_for(agent)
    assert "Use this part" not in client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    response = client.post(_card_url(wo, "parts"), {"card": wo.repair_card.pk, "stock": f"{part.pk}:{location.pk}",
                                                    "quantity": "1"}, **HTMX)
    assert response.status_code == 403
    assert not PartUsed.objects.exists() and not Reservation.objects.exists()


# ---- inspection -----------------------------------------------------------------------------------------

def test_a_supervisor_sends_back_then_passes(supervisor, technician):
    wo = waiting_for_inspection(technician)
    client = client_for(supervisor)
    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'name="outcome" value="passed"' in page and 'name="outcome" value="sent_back"' in page
    unexplained = client.post(_card_url(wo, "inspect"), {"card": wo.repair_card.pk, "outcome": "sent_back",
                                                         "note": ""}, **HTMX)
    assert unexplained.status_code == 422 and 'data-error-for="inspect"' in unexplained.content.decode()
    assert not Inspection.objects.exists()
    response = client.post(_card_url(wo, "inspect"), {"card": wo.repair_card.pk, "outcome": "sent_back",
                                                      "note": "Hose clamp loose"}, **HTMX)
    assert response.status_code == 200
    wo.refresh_from_db()
    assert wo.status == "in_progress" and wo.repair_card.closed_at is None
    assert "Hose clamp loose" in response.content.decode() and "Sent back" in response.content.decode()
    from aftersales.repairs.actions_work import repair_card_close

    repair_card_close(card=wo.repair_card, result="fixed", fault_code="E21", root_cause="Clamp", actor=technician)
    response = client.post(_card_url(wo, "inspect"), {"card": wo.repair_card.pk, "outcome": "passed"}, **HTMX)
    assert response.status_code == 200
    wo.refresh_from_db()
    assert wo.status == "ready"
    assert list(Inspection.objects.order_by("id").values_list("outcome", "inspector")) == [
        ("sent_back", supervisor.pk), ("passed", supervisor.pk)]
    html = response.content.decode()
    history = html[html.index('<ol class="wo-inspections">'):]
    assert history.index("Sent back") < history.index("Passed") and "Passed inspection" in html
    assert 'name="outcome" value="passed"' not in html


@pytest.mark.parametrize("role", [Role.AGENT, Role.TECHNICIAN])
def test_only_supervisors_inspect(role, team):
    user = UserFactory(role=role, teams=[team])
    wo = waiting_for_inspection(user)
    client = client_for(user)
    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'name="outcome" value="passed"' not in page and "Waiting for a supervisor" in page
    response = client.post(_card_url(wo, "inspect"), {"card": wo.repair_card.pk, "outcome": "passed"}, **HTMX)
    assert response.status_code == 403
    wo.refresh_from_db()
    assert wo.status == "inspecting" and not Inspection.objects.exists()
    assert client.get("/desk/inspections/").status_code == 403
    assert "/desk/inspections/" not in client.get("/desk/").content.decode()


# ---- the inspection queue -------------------------------------------------------------------------------

def test_the_queue_lists_waiting_cards_oldest_first(supervisor, technician):
    now = timezone.now()
    newer = waiting_for_inspection(technician, at=now - timedelta(hours=2), customer=CustomerFactory(name="Newer"))
    older = waiting_for_inspection(technician, at=now - timedelta(hours=30), customer=CustomerFactory(name="Older"))
    passed = waiting_for_inspection(technician, customer=CustomerFactory(name="Done"))
    inspection_record(card=passed.repair_card, outcome="passed", actor=supervisor)
    bench_job(technician)  # a card still open is not waiting
    client = client_for(supervisor)
    assert "/desk/inspections/" in client.get("/desk/").content.decode()  # the nav entry
    html = client.get("/desk/inspections/").content.decode()
    assert html.index(older.number) < html.index(newer.number)
    assert passed.number not in html
    assert "Older" in html and "Newer" in html and "Fixed" in html and str(technician) in html
    assert 'data-field="queue-count">2<' in html
    assert "1\xa0day, 6\xa0hours" in html and "2\xa0hours" in html
    assert 'class="long-wait"' in html


def test_the_queue_keeps_its_query_count(supervisor, technician, django_assert_num_queries):
    client = client_for(supervisor)
    waiting_for_inspection(technician)
    client.get("/desk/inspections/")
    with CaptureQueriesContext(connection) as one:
        response = client.get("/desk/inspections/")
    assert response.content.decode().count("data-work-order=") == 1
    for _n in range(9):
        waiting_for_inspection(UserFactory(role=Role.TECHNICIAN), customer=CustomerFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/desk/inspections/")
    assert response.content.decode().count("data-work-order=") == 10


# ---- who may reach the pages ----------------------------------------------------------------------------

PAGES = ["/desk/work-orders/{wo}/visit/", "/desk/inspections/", "/desk/work-orders/{wo}/visits/{visit}/signature.png"]
WRITES = ["/desk/work-orders/{wo}/visit/start/", "/desk/work-orders/{wo}/visit/finish/",
          "/desk/work-orders/{wo}/visit/photos/", "/desk/work-orders/{wo}/visit/carry-in/",
          "/desk/work-orders/{wo}/card/open/", "/desk/work-orders/{wo}/card/labour/",
          "/desk/work-orders/{wo}/card/parts/", "/desk/work-orders/{wo}/card/close/",
          "/desk/work-orders/{wo}/card/inspect/"]


@pytest.fixture
def signed(technician, on_site):
    visit = visit_start(work_order=on_site, actor=technician)
    visit_finish(visit=visit, outcome="signed_off", signed_by="Chen", signature=signature_bytes(), actor=technician)
    return visit


def _state():
    return (Visit.objects.count(), Visit.objects.filter(departed_at__isnull=True).count(), VisitPhoto.objects.count(),
            RepairCard.objects.count(), LabourEntry.objects.count(), PartUsed.objects.count(),
            Inspection.objects.count(), sorted(WorkOrder.objects.values_list("status", "kind")))


@pytest.mark.parametrize("path", PAGES + WRITES)
def test_customers_get_a_404_and_anonymous_people_sign_in(customer_user, client, on_site, signed, path):
    url = path.format(wo=on_site.pk, visit=signed.pk)
    before = _state()
    customer = client_for(customer_user)
    if path in WRITES:
        assert customer.post(url, {"visit": signed.pk, "reason": "x"}, **HTMX).status_code == 404
        assert client.post(url, {"reason": "x"})["Location"].startswith("/login/")
    else:
        assert customer.get(url).status_code == 404
        assert client.get(url)["Location"].startswith("/login/")
    assert _state() == before


def test_a_work_order_out_of_sight_is_a_404(other_team, on_site, signed):
    outsider = UserFactory(role=Role.TECHNICIAN, teams=[other_team])
    client = client_for(outsider)
    assert client.get(_visit_url(on_site)).status_code == 404
    assert client.get(f"/desk/work-orders/{on_site.pk}/visits/{signed.pk}/signature.png").status_code == 404
    before = _state()
    assert client.post(_card_url(on_site, "open"), **HTMX).status_code == 404
    assert client.post(_visit_url(on_site, "carry-in"), {"reason": "x"}, **HTMX).status_code == 404
    assert _state() == before
