"""The queue page: who may open it, what each queue holds, the counts, the filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.models import Status, Tag
from aftersales.core.tests.factories import CaseFactory, CustomerFactory, UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(team, other_team, agent):
    colleague = UserFactory(role=Role.AGENT, teams=[team])
    vip = CustomerFactory(tier="vip", name="Very Important")
    cases = {
        "mine_open": CaseFactory(team=team, assignee=agent, status=Status.OPEN, subject="Mine open"),
        "mine_resolved": CaseFactory(team=team, assignee=agent, status=Status.RESOLVED, subject="Mine resolved"),
        "team_new": CaseFactory(team=team, status=Status.NEW, subject="Team new unassigned", customer=vip,
                                severity="urgent"),
        "team_colleague": CaseFactory(team=team, assignee=colleague, status=Status.IN_REPAIR,
                                      subject="Colleague repair", type="return", channel="phone"),
        "waiting": CaseFactory(team=team, status=Status.WAITING_CUSTOMER, subject="Waiting answer"),
        "closed": CaseFactory(team=team, status=Status.CLOSED, subject="Long closed"),
        "elsewhere": CaseFactory(team=other_team, status=Status.NEW, subject="Another team's case"),
        "elsewhere_mine": CaseFactory(team=other_team, assignee=agent, status=Status.OPEN,
                                      subject="Elsewhere but mine"),
    }
    cases["team_new"].tags.set([Tag.objects.create(name="noisy")])
    return cases


def _subjects(response) -> set[str]:
    return {c.subject for c in response.context["cases"]}


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/desk/?view=open")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/desk/%3Fview%3Dopen"


def test_anonymous_fragment_request_redirects_the_whole_page(client):
    response = client.get("/desk/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/"


def test_a_customer_gets_404(customer_user):
    assert client_for(customer_user).get("/desk/").status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.TECHNICIAN, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_every_staff_role_opens_the_desk(role, team):
    response = client_for(UserFactory(role=role, teams=[team])).get("/desk/")
    assert response.status_code == 200
    assert b'id="queue-nav"' in response.content


def test_counts_per_queue_respect_what_the_agent_may_see(world, agent):
    response = client_for(agent).get("/desk/")
    counts = {q["key"]: q["count"] for q in response.context["queues"]}
    # no case here has a running SLA clock (factory rows): none is at risk (see test_sla_queue.py)
    assert counts == {"mine": 2, "at_risk": 0, "teams": 4, "unassigned": 2, "waiting": 1, "open": 5, "closed": 2}
    assert b'<span class="count" data-queue="teams">4</span>' in response.content


def test_supervisor_counts_everything(world, supervisor):
    counts = {q["key"]: q["count"] for q in client_for(supervisor).get("/desk/").context["queues"]}
    assert counts == {"mine": 0, "at_risk": 0, "teams": 0, "unassigned": 3, "waiting": 1, "open": 6, "closed": 2}


@pytest.mark.parametrize(("view", "expected"), [
    ("mine", {"Mine open", "Elsewhere but mine"}),
    ("teams", {"Mine open", "Team new unassigned", "Colleague repair", "Waiting answer"}),
    ("unassigned", {"Team new unassigned", "Waiting answer"}),
    ("waiting", {"Waiting answer"}),
    ("open", {"Mine open", "Team new unassigned", "Colleague repair", "Waiting answer", "Elsewhere but mine"}),
    ("closed", {"Mine resolved", "Long closed"}),
    ("nonsense", {"Mine open", "Elsewhere but mine"}),
])
def test_each_queue_lists_its_cases(world, agent, view, expected):
    assert _subjects(client_for(agent).get("/desk/", {"view": view})) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"status": "in_repair"}, {"Colleague repair"}),
    ({"status": "closed"}, set()),
    ({"type": "return"}, {"Colleague repair"}),
    ({"severity": "urgent"}, {"Team new unassigned"}),
    ({"channel": "phone"}, {"Colleague repair"}),
    ({"tag": "noisy"}, {"Team new unassigned"}),
    ({"tier": "vip"}, {"Team new unassigned"}),
    ({"status": "bogus", "tier": "vip"}, {"Team new unassigned"}),
])
def test_filters_narrow_the_queue(world, agent, params, expected):
    assert _subjects(client_for(agent).get("/desk/", {"view": "open", **params})) == expected


def test_the_list_shows_newest_activity_first_with_number_customer_badges(world, agent):
    response = client_for(agent).get("/desk/", {"view": "teams"})
    rows = response.context["cases"]
    assert [c.updated_at for c in rows] == sorted((c.updated_at for c in rows), reverse=True)
    html = response.content.decode()
    case = world["team_new"]
    assert case.number in html and "Very Important" in html
    assert '<span class="badge status-new">New</span>' in html
    assert '<span class="badge urgent">Urgent</span>' in html


def test_keyset_pages(team, agent):
    cases = [CaseFactory(team=team, status=Status.OPEN) for _ in range(53)]
    client = client_for(agent)
    first = client.get("/desk/", {"view": "teams"})
    assert len(first.context["cases"]) == 50
    next_url = first.context["next_url"]
    second = client.get("/desk/" + next_url)
    assert len(second.context["cases"]) == 3
    assert {c.pk for c in first.context["cases"]} | {c.pk for c in second.context["cases"]} == {c.pk for c in cases}
    assert second.context["next_url"] is None and second.context["first_url"]


def test_a_broken_cursor_shows_the_first_page_and_says_so(world, agent):
    response = client_for(agent).get("/desk/", {"view": "open", "cursor": "!!nonsense"})
    assert response.status_code == 200
    assert "The cursor is not valid" in response.context["error"]
    assert len(response.context["cases"]) == 5


def test_the_refresh_fragment_carries_the_list_and_the_counts(world, agent):
    response = client_for(agent).get("/desk/", {"view": "unassigned"}, **HTMX)
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")
    assert 'id="queue-list"' in html and 'hx-trigger="every 15s' in html
    assert 'id="queue-nav" class="desk-queues" aria-label="Queues" hx-swap-oob="true"' in html
    assert "Team new unassigned" in html


def test_labels_follow_the_users_language(world, team):
    reader = UserFactory(role=Role.AGENT, teams=[team], language="zh-hant")
    html = client_for(reader).get("/desk/", {"view": "teams"}).content.decode()
    assert "新案件" in html


def test_times_are_shown_in_the_users_time_zone(team):
    reader = UserFactory(role=Role.AGENT, teams=[team], time_zone="Asia/Taipei")
    at = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    CaseFactory(team=team, status=Status.OPEN, created_at=at, updated_at=at)
    html = client_for(reader).get("/desk/", {"view": "teams"}).content.decode()
    assert 'datetime="2026-01-01T08:00:00+08:00"' in html
    assert "01/01/2026 8 a.m." in html


@pytest.mark.django_db
def test_is_open_follows_every_status_move():
    from aftersales.cases import actions
    from aftersales.cases.models import Case

    supervisor = UserFactory(role=Role.SUPERVISOR)
    case = CaseFactory(status="in_repair")
    for target, expected in [("resolved", False), ("open", True), ("closed", False), ("open", True)]:
        actions.case_change_status(case=case, target=target, actor=supervisor)
        assert Case.objects.get(pk=case.pk).is_open is expected
