"""Every case in the API carries its clocks; lists sort by the soonest due and filter to the
cases at risk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_change_status, case_open, case_post_message
from aftersales.core.tests.api_support import API, api_client, assert_error
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def opened(customer, hours_ago: float, **kw):
    return case_open(customer=customer, subject=f"{hours_ago} h ago", body="Help.", actor=None,
                     at=timezone.now() - timedelta(hours=hours_ago), **kw)


@pytest.fixture
def supervisor():
    return UserFactory(role=Role.SUPERVISOR)


def test_a_case_carries_its_running_and_paused_clocks(supervisor):
    customer = CustomerUserFactory().customer
    case = opened(customer, 0.5, channel="chat", severity="ordinary")
    body = api_client(supervisor).get(f"{API}/cases/{case.pk}").json()
    clocks = {c["metric"]: c for c in body["sla"]}
    assert set(clocks) == {"first_response", "resolution"}
    first = clocks["first_response"]
    # live chat: 30 minutes round the clock, 80 % warning; opened half an hour ago → at or past due
    assert first["label"] == "First response" and first["paused"] is False
    assert first["minutes_left"] <= 0 and first["breached"] is True
    case_post_message(case=case, actor=supervisor, body="Hello!", public=True)
    case_change_status(case=case, target="waiting_customer", actor=supervisor)
    body = api_client(supervisor).get(f"{API}/cases/{case.pk}").json()
    assert [(c["metric"], c["state"], c["paused"], c["due_at"]) for c in body["sla"]] == [
        ("resolution", "paused", True, None)]


def test_due_soonest_order_and_the_at_risk_filter(supervisor):
    customer = CustomerUserFactory().customer
    late = opened(customer, 1, channel="chat")  # chat first response 30 min: overdue
    soon = opened(customer, 0, channel="chat")  # due in 30 min
    later = opened(customer, 0, type="complaint")  # complaint: 24 h to answer
    waiting = opened(customer, 0)
    case_post_message(case=waiting, actor=supervisor, body="Which model?", public=True)
    case_change_status(case=waiting, target="waiting_customer", actor=supervisor)  # nothing running
    client = api_client(supervisor)
    numbers = [c["number"] for c in client.get(f"{API}/cases", {"order": "due"}).json()["items"]]
    assert numbers == [late.number, soon.number, later.number, waiting.number]
    # page by page, the order holds
    first = client.get(f"{API}/cases", {"order": "due", "limit": 2}).json()
    rest = client.get(f"{API}/cases", {"order": "due", "limit": 2, "cursor": first["next_cursor"]}).json()
    assert [c["number"] for c in first["items"] + rest["items"]] == numbers
    at_risk = [c["number"] for c in client.get(f"{API}/cases", {"order": "due", "at_risk": "true"}).json()["items"]]
    assert at_risk == [late.number, soon.number]


def test_a_customer_sees_only_their_own_cases_in_due_order():
    me, other = CustomerUserFactory(), CustomerUserFactory()
    mine = opened(me.customer, 1, channel="chat")
    opened(other.customer, 2, channel="chat")
    items = api_client(me).get(f"{API}/cases", {"order": "due", "at_risk": "true"}).json()["items"]
    assert [c["number"] for c in items] == [mine.number]


def test_an_unknown_order_is_a_422(supervisor):
    assert_error(api_client(supervisor).get(f"{API}/cases", {"order": "fastest"}), 422, "invalid_input")


def test_the_clocks_are_the_staffs():
    me = CustomerUserFactory()
    case = opened(me.customer, 1, channel="chat")
    assert api_client(me).get(f"{API}/cases/{case.pk}").json()["sla"] == []
