"""Hostile form input on the repair pages: NUL characters, digits that are not ASCII, numbers
too large for any integer column, over-long text. Each answer is a 4xx (or the page redrawn)
— never a 500 — and writes nothing."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.core.tests.factories import CustomerFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.repairs.actions import custody_intake, work_order_open
from aftersales.repairs.models import Appointment, CustodyEntry, IntakeReceipt, WorkOrder

pytestmark = pytest.mark.django_db

# (An unpaired surrogate cannot arrive in a form: browsers send UTF-8 and Django decodes bad bytes as U+FFFD.)
HOSTILE = ["a\x00b", "²", "١٢", "9" * 30, "9" * 5000, "x" * 20_000, "-1", ""]


def _state():
    return (WorkOrder.objects.count(), Appointment.objects.count(), IntakeReceipt.objects.count(),
            CustodyEntry.objects.count(), sorted(WorkOrder.objects.values_list("status", "billing_class")))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_500_and_write_nothing(agent, team, value):
    case = case_open(customer=CustomerFactory(), subject="Dryer", actor=None, team=team)
    carry = work_order_open(actor=agent, kind="carry_in", case=case)
    custody_intake(work_order=carry, condition="ok", location="counter", actor=agent)
    onsite = work_order_open(actor=agent, kind="on_site", case=case)
    UserFactory(role=Role.TECHNICIAN)
    client = client_for(agent)
    posts = [
        (f"/desk/cases/{case.pk}/work-orders/open/", {"kind": value}),
        (f"/desk/work-orders/{onsite.pk}/status/", {"status": value}),
        (f"/desk/work-orders/{onsite.pk}/dispatch/", {"technician": value, "window_start": value,
                                                      "window_end": value, "reason": value}),
        (f"/desk/work-orders/{onsite.pk}/billing/", {"billing_class": value, "reason": value}),
        (f"/desk/work-orders/{onsite.pk}/intake/", {"condition": value, "location": value}),
        (f"/desk/work-orders/{carry.pk}/custody/", {"move": "correction", "corrects": value, "location": value,
                                                    "holder": value, "note": value}),
        (f"/desk/work-orders/{carry.pk}/custody/", {"move": value, "location": value, "holder": value}),
        ("/desk/work-orders/new/", {"customer": value, "kind": "on_site", "contact_name": "x"}),
        ("/desk/work-orders/new/", {"lookup": value, "kind": "on_site", "contact_name": value}),
    ]
    before = _state()
    for url, data in posts:
        for extra in ({}, HTMX):
            response = client.post(url, data, **extra)
            assert response.status_code < 500, (url, data, response.status_code)
    assert _state() == before
    for url in (f"/desk/dispatch/?day={value}", f"/desk/custody-register/?from={value}&to={value}"):
        assert client.get(url).status_code < 500, url


def test_nul_in_a_signature_is_refused_beside_its_form(agent, team):
    case = case_open(customer=CustomerFactory(), subject="Dryer", actor=None, team=team)
    carry = work_order_open(actor=agent, kind="carry_in", case=case)
    receipt = custody_intake(work_order=carry, condition="ok", location="counter", actor=agent)
    client = client_for(agent)
    response = client.post(f"/desk/work-orders/{carry.pk}/hand-back/", {"signed_by": "Chen\x00", "location": "x"},
                           **HTMX)
    assert response.status_code == 422
    assert "NUL" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.voided_at is None
    # the message probe: a desk reply with NUL is refused too, not a 500
    reply = client.post(f"/desk/cases/{case.pk}/messages/", {"body": "hi\x00", "kind": "reply"}, **HTMX)
    assert reply.status_code < 500
    assert case.entries.filter(kind="message").count() == 0
