"""Bulk actions on ticked cases: each goes through its action; unseen cases are skipped."""

from __future__ import annotations

import pytest

from aftersales.cases.models import Status
from aftersales.core.tests.factories import CaseFactory
from aftersales.desk.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_assign_ticked_cases_to_me_skipping_unseen_ones(agent, team, other_team):
    mine = [CaseFactory(team=team, status=Status.NEW) for _ in range(2)]
    foreign = CaseFactory(team=other_team)
    client = client_for(agent)
    response = client.post("/desk/bulk/", {"operation": "assign_me", "case": [c.pk for c in [*mine, foreign]],
                                           "next": "/desk/?view=unassigned"})
    assert response.status_code == 302 and response["Location"] == "/desk/?view=unassigned"
    for case in mine:
        case.refresh_from_db()
        assert case.assignee == agent
    foreign.refresh_from_db()
    assert foreign.assignee is None
    assert "2 cases changed." in client.get(response["Location"]).content.decode()


def test_bulk_status_reports_the_cases_that_cannot_move(agent, team):
    new = CaseFactory(team=team, status=Status.NEW)
    parts = CaseFactory(team=team, status=Status.WAITING_PARTS)
    client = client_for(agent)
    response = client.post("/desk/bulk/", {"operation": "status", "status": "waiting_customer",
                                           "case": [new.pk, parts.pk]}, follow=True)
    html = response.content.decode()
    assert "1 case changed." in html
    assert f"{parts.number}: A case cannot go from “Waiting on parts” to “Waiting on customer”." in html
    new.refresh_from_db()
    parts.refresh_from_db()
    assert (new.status, parts.status) == (Status.WAITING_CUSTOMER, Status.WAITING_PARTS)


def test_bulk_tag_adds_to_existing_tags(agent, team):
    case = CaseFactory(team=team)
    client_for(agent).post("/desk/bulk/", {"operation": "tag", "tag": " recall ", "case": [case.pk]})
    client_for(agent).post("/desk/bulk/", {"operation": "tag", "tag": "loud", "case": [case.pk]})
    assert sorted(case.tags.values_list("name", flat=True)) == ["loud", "recall"]


def test_a_technician_may_not_bulk_assign(technician, team):
    case = CaseFactory(team=team)
    html = client_for(technician).post("/desk/bulk/", {"operation": "assign_me", "case": [case.pk]},
                                       follow=True).content.decode()
    assert "Your role does not allow this." in html
    case.refresh_from_db()
    assert case.assignee is None


@pytest.mark.parametrize(("data", "message"), [
    ({"operation": "assign_me"}, "Tick at least one case first."),
    ({"operation": "explode", "case": ["1"]}, "Choose what to do with the ticked cases."),
    ({"operation": "tag", "tag": "  ", "case": ["1"]}, "Type a tag to add."),
    ({"operation": "status", "status": "zzz", "case": ["1"]}, "Choose a status."),
])
def test_bad_bulk_input_is_explained(agent, data, message):
    assert message in client_for(agent).post("/desk/bulk/", data, follow=True).content.decode()


def test_next_must_stay_on_this_site(agent, team):
    case = CaseFactory(team=team)
    response = client_for(agent).post("/desk/bulk/", {"operation": "assign_me", "case": [case.pk],
                                                      "next": "https://evil.example/"})
    assert response["Location"] == "/desk/"


def test_a_customer_cannot_bulk(customer_user, team):
    case = CaseFactory(team=team, customer=customer_user.customer)
    assert client_for(customer_user).post("/desk/bulk/", {"operation": "tag", "tag": "x",
                                                          "case": [case.pk]}).status_code == 404
    assert not case.tags.exists()
