"""The technicians' monthly report page: jobs done through the real actions, the figures per
technician and for the team, CSV, refusals, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import CustomerFactory, UnitFactory, UserFactory
from aftersales.desk.tests.conftest import client_for
from aftersales.repairs.actions import work_order_dispatch, work_order_move, work_order_open
from aftersales.repairs.actions_work import (
    inspection_record,
    labour_add,
    repair_card_close,
    repair_card_open,
    visit_finish,
    visit_start,
)
from aftersales.repairs.tests.support import signature_bytes

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
URL = "/desk/reports/technicians/"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people():
    supervisor = UserFactory(role=Role.SUPERVISOR, display_name="Supervisor Wang", time_zone="Asia/Shanghai")
    return supervisor, UserFactory(role=Role.TECHNICIAN, display_name="Li"), UserFactory(role=Role.TECHNICIAN,
                                                                                         display_name="Chen")


def on_site_job(supervisor, tech, day: str, *, visits: int = 1):
    """Fixed at the customer's, signed off, completed the same day (no repair card)."""
    wo = work_order_open(actor=supervisor, kind="on_site", customer=CustomerFactory(), billing_class="C",
                         at=at(f"{day} 08:00"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at(f"{day} 09:00"), window_end=at(f"{day} 12:00"),
                        actor=supervisor, at=at(f"{day} 08:05"))
    for n in range(visits):
        visit = visit_start(work_order=wo, actor=tech, at=at(f"{day} 1{n}:00"))
        last = n == visits - 1
        visit_finish(visit=visit, outcome="signed_off" if last else "no_one_home", actor=tech,
                     signed_by="Customer" if last else "", signature=signature_bytes() if last else None,
                     at=at(f"{day} 1{n}:30"))
    for target in ("inspecting", "ready", "completed"):
        work_order_move(work_order=wo, target=target, actor=supervisor, at=at(f"{day} 16:00"))
    return wo


def bench_job(supervisor, tech, day: str, *, result: str = "fixed", unit=None, sent_back: bool = False,
              done: str | None = None, before_done=None):
    """A carry-in repair: the card, labour, inspection (sent back once if asked), completed."""
    wo = work_order_open(actor=supervisor, kind="carry_in", customer=CustomerFactory(), unit=unit,
                         billing_class="A", at=at(f"{day} 08:00"))
    work_order_move(work_order=wo, target="in_progress", actor=supervisor, at=at(f"{day} 08:10"))
    card = repair_card_open(work_order=wo, actor=tech, at=at(f"{day} 08:20"))
    labour_add(card=card, technician=tech, minutes=45, actor=tech, at=at(f"{day} 09:00"))
    cause = "" if result == "no_fault_found" else "Worn bearing"
    repair_card_close(card=card, result=result, fault_code="E1", root_cause=cause, actor=tech, at=at(f"{day} 10:00"))
    if sent_back:
        inspection_record(card=card, outcome="sent_back", note="Again", actor=supervisor, at=at(f"{day} 11:00"))
        repair_card_close(card=card, result=result, fault_code="E1", root_cause=cause, actor=tech,
                          at=at(f"{day} 12:00"))
    inspection_record(card=card, outcome="passed", actor=supervisor, at=at(f"{day} 13:00"))
    if before_done is not None:
        before_done(wo)
    work_order_move(work_order=wo, target="completed", actor=supervisor, at=at(done or f"{day} 18:00"))
    return wo


def cells(html: str, name: str) -> dict[str, str]:
    """The data-cell values of the row headed `name`."""
    import re

    row = re.search(r"<th scope=\"row\">" + re.escape(name) + r"</th>(.*?)</tr>", html, re.S)
    assert row, name
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split())
            for key, value in re.findall(r'data-cell="([^"]+)">(.*?)</td>', row.group(1), re.S)}


def test_the_month_per_technician_and_for_the_team(people):
    supervisor, li, chen = people
    unit = UnitFactory()
    on_site_job(supervisor, li, "2026-06-03")
    on_site_job(supervisor, li, "2026-06-04", visits=2)
    bench_job(supervisor, chen, "2026-06-05", unit=unit, sent_back=True)
    bench_job(supervisor, chen, "2026-06-08", result="no_fault_found")
    bench_job(supervisor, chen, "2026-05-20")  # completed in May: not in June's report
    bench_job(supervisor, chen, "2026-06-30", done="2026-07-01 00:30")  # completed in July (Shanghai time)
    bench_job(supervisor, li, "2026-07-20", unit=unit)  # the unit came back 45 days later: a repeat for Chen
    response = client_for(supervisor).get(URL, {"month": "2026-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert cells(html, "Li") == {"jobs": "2", "class-A": "0", "class-C": "2", "ftf": "50.0%", "turnaround": "8.0 h",
                                 "repeats": "0", "nff": "—", "labour": "0 min", "revenue": "—", "parts": "—"}
    assert cells(html, "Chen") == {"jobs": "2", "class-A": "2", "class-C": "0", "ftf": "0.0%",
                                   "turnaround": "10.0 h", "repeats": "1 (50.0%)", "nff": "50.0%",
                                   "labour": "90 min", "revenue": "—", "parts": "—"}
    assert cells(html, "All technicians")["jobs"] == "4"
    assert cells(html, "All technicians")["ftf"] == "25.0%"
    # the CSV has the same figures, names safe from spreadsheet formulas
    data = client_for(supervisor).get(URL, {"month": "2026-06", "format": "csv"})
    assert data["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(data.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Technician", "Jobs", "Class A", "Class C"]
    assert [r[:2] for r in rows[1:]] == [["Chen", "2"], ["Li", "2"], ["All technicians", "4"]]


def test_a_csv_cell_never_starts_a_formula(people):
    supervisor, li, _chen = people
    li.display_name = "=HYPERLINK(\"http://x\")"
    li.save()
    on_site_job(supervisor, li, "2026-06-03")
    rows = list(csv.reader(io.StringIO(client_for(supervisor).get(
        URL, {"month": "2026-06", "format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=")


@pytest.mark.parametrize("month", ["2026-13", "June", "２０２６-０６", "9" * 5000, "2026-06\x00", "1999-12"])
def test_a_bad_month_is_refused_readably(people, month):
    response = client_for(people[0]).get(URL, {"month": month})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def test_only_supervisors_read_it(people):
    supervisor, li, _chen = people
    assert client_for(li).get(URL).status_code == 403
    agent = UserFactory(role=Role.AGENT)
    assert client_for(agent).get(URL).status_code == 403
    customer = UserFactory(role=Role.CUSTOMER)
    assert client_for(customer).get(URL).status_code == 404


def test_the_report_keeps_its_query_count(people, django_assert_num_queries):
    supervisor, li, chen = people
    client = client_for(supervisor)
    on_site_job(supervisor, li, "2026-06-03")
    client.get(URL, {"month": "2026-06"})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"month": "2026-06"})
    on_site_job(supervisor, chen, "2026-06-04", visits=2)
    bench_job(supervisor, chen, "2026-06-05", sent_back=True)
    bench_job(supervisor, li, "2026-06-06", result="no_fault_found")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL, {"month": "2026-06"})


def test_revenue_is_the_net_of_the_jobs_live_invoices_by_class(people):
    from decimal import Decimal

    from aftersales.charges.actions import quote_accept, quote_build_from_work, quote_send
    from aftersales.charges.actions_invoices import invoice_issue, invoice_void
    from aftersales.charges.tests.support import price_list

    supervisor, li, chen = people
    price_list()  # labour 120.00 an hour, 13 % VAT
    invoices = []

    def invoiced(wo):
        quote = quote_build_from_work(work_order=wo, actor=supervisor)
        quote_send(quote=quote, actor=supervisor)
        quote_accept(quote=quote, actor=supervisor, channel="on_site", name="Customer")
        invoices.append(invoice_issue(work_order=wo, actor=supervisor))

    bench_job(supervisor, chen, "2026-06-05", before_done=invoiced)  # 45 minutes of labour
    bench_job(supervisor, chen, "2026-06-06", before_done=invoiced)
    invoice_void(invoice=invoices[1], reason="Wrong customer", actor=supervisor)
    html = client_for(supervisor).get(URL, {"month": "2026-06"}).content.decode()
    assert invoices[0].net_total == Decimal("90.00")  # 0.75 h × 120.00
    assert cells(html, "Chen")["revenue"] == "A: CNY 90.00"  # the voided invoice counts for nothing
