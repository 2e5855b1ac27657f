"""Opening cases and writing to them: the rules the actions hold whoever calls them."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role, Team
from aftersales.cases import actions
from aftersales.cases.models import Case, CaseEntry
from aftersales.cases.tests.conftest import api_client
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.core.tests.factories import (
    CustomerFactory,
    PurchaseFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_open_case_routes_to_the_default_team_and_writes_the_first_message(agent):
    customer = CustomerFactory(language="zh-hans")
    case = actions.case_open(customer=customer, subject="  洗衣机   不脱水 ", body="显示 E21", actor=agent,
                             type="repair", channel="phone")
    assert case.number.startswith(f"AS-{case.created_at.year}-")
    assert case.subject == "洗衣机 不脱水"
    assert case.team == Team.objects.get(is_default=True)
    assert case.language == "zh-hans"
    entries = list(case.entries.order_by("id"))
    assert [(e.kind, e.event, e.is_public) for e in entries] == [("event", "created", True), ("message", "", True)]
    assert entries[1].body == "显示 E21" and entries[1].from_customer is True


def test_a_case_cannot_link_another_customers_unit_or_purchase(agent):
    mine, theirs = CustomerFactory(), CustomerFactory()
    with pytest.raises(ValidationFailed) as err:
        actions.case_open(customer=mine, subject="x", actor=agent, unit=UnitFactory(customer=theirs))
    assert err.value.code == "unit_invalid"
    with pytest.raises(ValidationFailed) as err:
        actions.case_open(customer=mine, subject="x", actor=agent, purchase=PurchaseFactory(customer=theirs))
    assert err.value.code == "purchase_invalid"
    assert Case.objects.count() == 0


def test_an_unowned_unit_becomes_the_customers(agent):
    customer, unit = CustomerFactory(), UnitFactory()
    actions.case_open(customer=customer, subject="x", actor=agent, unit=unit)
    unit.refresh_from_db()
    assert unit.customer == customer


def test_cases_are_assigned_to_active_staff_only(agent):
    customer = CustomerFactory()
    case = actions.case_open(customer=customer, subject="x", actor=agent)
    for bad in (UserFactory(role=Role.CUSTOMER), UserFactory(role=Role.AGENT, is_active=False)):
        with pytest.raises(ValidationFailed) as err:
            actions.case_assign(case=case, assignee=bad, actor=agent)
        assert err.value.code == "assignee_invalid"
    actions.case_assign(case=case, assignee=agent, actor=agent)
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_staff_reply_opens_a_new_case_and_counts_as_first_response(agent, customer_user):
    case = actions.case_open(customer=customer_user.customer, subject="x", body="help", actor=customer_user)
    assert case.status == "new" and case.first_response_at is None

    actions.case_post_message(case=case, actor=agent, body="internal", public=False)
    case.refresh_from_db()
    assert case.status == "new" and case.first_response_at is None  # a note is not a response

    reply = actions.case_post_message(case=case, actor=agent, body="We are on it", public=True)
    case.refresh_from_db()
    assert case.status == "open"
    assert case.first_response_at == reply.created_at


def test_customer_answer_takes_the_case_off_waiting_and_reopens_resolved(agent, customer_user):
    case = actions.case_open(customer=customer_user.customer, subject="x", actor=customer_user)
    actions.case_change_status(case=case, target="waiting_customer", actor=agent)
    actions.case_post_message(case=case, actor=customer_user, body="here is the invoice", public=True)
    assert Case.objects.get(pk=case.pk).status == "open"

    actions.case_change_status(case=case, target="resolved", actor=agent)
    actions.case_post_message(case=case, actor=customer_user, body="still broken", public=True)
    case.refresh_from_db()
    assert case.status == "open" and case.reopen_count == 1


def test_closed_case_refuses_messages_but_takes_internal_notes(agent, customer_user):
    case = actions.case_open(customer=customer_user.customer, subject="x", actor=customer_user)
    actions.case_change_status(case=case, target="closed", actor=agent)
    for actor, public in ((customer_user, True), (agent, True)):
        with pytest.raises(Conflict) as err:
            actions.case_post_message(case=case, actor=actor, body="hello", public=public)
        assert err.value.code == "case_closed"
    note = actions.case_post_message(case=case, actor=agent, body="archived", public=False)
    assert note.kind == "note" and note.is_public is False


@pytest.mark.parametrize("body", ["", "   ", "x" * 50_001])
def test_message_body_limits(agent, body):
    case = actions.case_open(customer=CustomerFactory(), subject="x", actor=agent)
    before = CaseEntry.objects.count()
    with pytest.raises(ValidationFailed) as err:
        actions.case_post_message(case=case, actor=agent, body=body, public=True)
    assert err.value.code in ("message_empty", "message_too_long")
    assert CaseEntry.objects.count() == before


def test_tags_are_deduplicated_and_limited(agent):
    case = actions.case_open(customer=CustomerFactory(), subject="x", actor=agent, tags=["vip", " vip ", "屏幕"])
    assert sorted(case.tags.values_list("name", flat=True)) == ["vip", "屏幕"]
    with pytest.raises(ValidationFailed) as err:
        actions.case_set_tags(case=case, names=[f"t{i}" for i in range(21)], actor=agent)
    assert err.value.code == "too_many_tags"
    actions.case_set_tags(case=case, names=["屏幕", "退货"], actor=agent)
    event = case.entries.get(event="tags_changed")
    assert event.data == {"added": ["退货"], "removed": ["vip"]}


def test_every_change_moves_the_case_to_the_top_of_recent(agent, supervisor):
    first = actions.case_open(customer=CustomerFactory(), subject="first", actor=agent)
    second = actions.case_open(customer=CustomerFactory(), subject="second", actor=agent)
    client = api_client(supervisor)
    assert [c["id"] for c in client.get("/api/v1/cases").json()["items"]] == [second.pk, first.pk]
    actions.case_post_message(case=first, actor=agent, body="update", public=True)
    assert [c["id"] for c in client.get("/api/v1/cases").json()["items"]] == [first.pk, second.pk]


def test_a_customer_without_an_account_can_write_through_a_channel(agent):
    """E-mail or phone intake: no portal account, no actor, still the customer's words."""
    case = actions.case_open(customer=CustomerFactory(), subject="x", actor=agent)
    actions.case_change_status(case=case, target="waiting_customer", actor=agent)
    entry = actions.case_post_message(case=case, actor=None, body="發票在附件", public=True, from_customer=True)
    case.refresh_from_db()
    assert entry.from_customer is True and entry.author is None
    assert case.status == "open"  # the customer's answer ends the wait
    assert case.first_response_at is None  # and is not a staff response


def test_staff_can_open_a_case_in_their_own_words(agent):
    case = actions.case_open(customer=CustomerFactory(), subject="Scheduled maintenance", actor=agent,
                             body="Yearly filter change booked.", opening_from_customer=False)
    assert case.entries.get(kind="message").from_customer is False
