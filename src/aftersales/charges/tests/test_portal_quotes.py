"""The customer's quote page in the portal: their own quote only (another customer, staff
and strangers get a 404 or the sign-in page), accept or decline with an optional reason,
a second answer is a 409 that changes nothing, drafts never show, and the case page links
the quotes waiting for an answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.charges.actions import (
    quote_accept,
    quote_add_line,
    quote_build_from_work,
    quote_send,
    quote_withdraw,
)
from aftersales.charges.models import Quote
from aftersales.charges.tests.support import price_list, work_order
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sent():
    price_list()
    agent = UserFactory(role=Role.AGENT)
    wo = work_order(actor=agent, language="en")
    quote = quote_build_from_work(work_order=wo, actor=agent)
    quote_add_line(quote=quote, kind="labour", quantity=Decimal("2"), description="Replace the drain pump",
                   actor=agent)
    quote_add_line(quote=quote, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=quote, actor=agent)
    quote.refresh_from_db()
    return quote


def test_the_customer_reads_and_accepts_their_quote(sent):
    owner = client_for(sent.work_order.customer.user)
    page = owner.get(f"/quotes/{sent.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert sent.number in html and "Replace the drain pump" in html and "Visit fee" in html
    assert 'data-field="quote-gross">293.80<' in html  # (240.00 + 20.00) × 1.13
    assert "Accept the quote" in html and "Decline the quote" in html
    response = owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/quotes/{sent.pk}/"
    sent.refresh_from_db()
    assert (sent.status, sent.decision_channel, sent.decided_by) == (
        "accepted", "portal", sent.work_order.customer.user)
    html = owner.get(f"/quotes/{sent.pk}/").content.decode()
    assert "Accepted by" in html and "Accept the quote" not in html
    again = owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "accept"})
    assert again.status_code == 409 and "cannot be answered now" in again.content.decode()
    twice = owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "decline"})
    assert twice.status_code == 409
    sent.refresh_from_db()
    assert sent.status == "accepted"
    assert list(sent.work_order.case.entries.filter(event="quote_accepted").values_list("is_public", flat=True)) == [
        True]


def test_the_customer_declines_with_a_reason(sent):
    owner = client_for(sent.work_order.customer.user)
    refused = owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "decline", "reason": "bad\x00"})
    assert refused.status_code == 422 and 'value="decline"' in refused.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"
    owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "decline", "reason": "Too expensive for an old washer"})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == ("declined", "Too expensive for an old washer")
    html = owner.get(f"/quotes/{sent.pk}/").content.decode()
    assert "Declined by" in html and "Too expensive for an old washer" in html
    assert owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "bogus"}).status_code == 422


def test_nobody_else_sees_the_quote(sent):
    for user in (CustomerUserFactory(), UserFactory(role=Role.CUSTOMER)):
        client = client_for(user)
        assert client.get(f"/quotes/{sent.pk}/").status_code == 404
        assert client.post(f"/quotes/{sent.pk}/answer/", {"answer": "accept"}).status_code == 404
    staff = client_for(UserFactory(role=Role.SUPERVISOR))
    assert staff.get(f"/quotes/{sent.pk}/").status_code == 302  # staff belong on the desk
    assert staff.post(f"/quotes/{sent.pk}/answer/", {"answer": "accept"}).status_code == 302
    anonymous = Client()
    assert anonymous.get(f"/quotes/{sent.pk}/")["Location"].startswith("/login/")
    owner = client_for(sent.work_order.customer.user)
    for bad in (999999, 99999999999999999999):
        assert owner.get(f"/quotes/{bad}/").status_code == 404
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_drafts_are_not_shown_and_a_withdrawn_quote_points_to_its_revision(sent):
    owner = client_for(sent.work_order.customer.user)
    agent = UserFactory(role=Role.AGENT)
    revision = quote_build_from_work(work_order=sent.work_order, actor=agent)
    assert owner.get(f"/quotes/{revision.pk}/").status_code == 404  # a draft
    html = owner.get(f"/quotes/{sent.pk}/").content.decode()
    assert "We withdrew this quote." in html and revision.number not in html
    quote_add_line(quote=revision, kind="visit_fee", quantity=1, actor=agent)
    quote_send(quote=revision, actor=agent)
    html = owner.get(f"/quotes/{sent.pk}/").content.decode()
    assert f"See quote {revision.number}" in html
    assert owner.post(f"/quotes/{sent.pk}/answer/", {"answer": "accept"}).status_code == 409
    quote_withdraw(quote=revision, actor=agent)
    assert Quote.objects.filter(status="accepted").count() == 0


def test_the_case_page_links_the_quote_waiting_for_an_answer(sent):
    owner = client_for(sent.work_order.customer.user)
    case_url = f"/cases/{sent.work_order.case_id}/"
    html = owner.get(case_url).content.decode()
    assert f'href="/quotes/{sent.pk}/"' in html and "A quote is waiting for your answer" in html
    quote_accept(quote=sent, actor=sent.work_order.customer.user, channel="portal")
    html = owner.get(case_url).content.decode()
    assert f'href="/quotes/{sent.pk}/"' not in html
    assert "quote_accepted" not in html and f"Quote {sent.number} accepted by" in html  # the timeline sentence
