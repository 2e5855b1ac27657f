"""SLA badges: the words for time left and overdue, and the badge each queue row and the case
header show for a running, an at-risk, an overdue and a paused clock."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import Status
from aftersales.core.tests.factories import CaseFactory, UserFactory
from aftersales.desk.sla_text import capped, duration
from aftersales.desk.tests.conftest import client_for, opened_ago, sla_badges

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("minutes", "text"), [
    (0, "0m"), (1, "1m"), (59, "59m"), (60, "1h"), (130, "2h 10m"), (1439, "23h 59m"), (1440, "1d"),
    (1499, "1d"), (1500, "1d 1h"), (3000, "2d 2h"), (-35, "35m"), (-1500, "1d 1h"),
])
def test_a_length_of_time_reads_short(minutes, text):
    with translation.override("en"):
        assert duration(minutes) == text


@pytest.mark.parametrize(("count", "cap", "text"), [(0, 1000, "0"), (999, 1000, "999"), (1000, 1000, "999+"),
                                                   (99, 100, "99"), (100, 100, "99+")])
def test_a_capped_count_says_when_it_stopped_counting(count, cap, text):
    assert capped(count, cap) == text


def _badges(html: str) -> list[tuple[str, str]]:
    return [(b["state"], b["seen"]) for b in sla_badges(html)]


def _row(html: str, number: str) -> str:
    match = re.search(rf'<tr data-case-url="[^"]+">(?:(?!</tr>).)*?{re.escape(number)}.*?</tr>', html, re.S)
    assert match, number
    return match.group(0)


@pytest.fixture
def clocks(sla_policy, team, agent):
    """One case per badge state, each assigned to the agent."""
    running = opened_ago(10 - 0.5, team=team, assignee=agent, subject="Running")  # 590 min left
    at_risk = opened_ago(510 - 0.5, team=team, assignee=agent, subject="At risk")  # 90 min left
    overdue = opened_ago(635, team=team, assignee=agent, subject="Overdue")  # 35 min past
    paused = opened_ago(60 - 0.5, team=team, assignee=agent, subject="Paused")
    actions.case_change_status(case=paused, target=Status.WAITING_CUSTOMER, actor=agent)
    return {"running": running, "at_risk": at_risk, "overdue": overdue, "paused": paused}


def test_each_queue_row_shows_its_soonest_clock_with_time_left(clocks, agent):
    html = client_for(agent).get("/desk/", {"view": "mine"}).content.decode()
    assert '<th class="hide-narrow">SLA</th>' in html
    expected = {
        "running": [("running", "First response · 9h 50m left")],
        "at_risk": [("at-risk", "First response · 1h 30m left")],
        "overdue": [("overdue", "First response · Overdue 35m")],
        "paused": [("paused", "First response · Paused")],
    }
    for key, badge in expected.items():
        row = _row(html, clocks[key].number)
        assert _badges(row) == badge * 2, key  # once in its column, once under the subject on phones


def test_the_badge_says_its_state_in_words_not_only_colour(clocks, agent):
    html = client_for(agent).get("/desk/", {"view": "mine"}).content.decode()
    heard = {key: sla_badges(_row(html, case.number))[0]["heard"] for key, case in clocks.items()}
    assert heard == {
        "running": "First response · 9h 50m left",
        "at_risk": "At risk: First response · 1h 30m left",
        "overdue": "First response · Overdue 35m",
        "paused": "First response · Paused",
    }
    assert '<span class="sla-icon" aria-hidden="true">⚠</span>' in _row(html, clocks["at_risk"].number)


def test_a_case_without_a_clock_shows_a_dash(team, agent):
    case = CaseFactory(team=team, assignee=agent, status=Status.OPEN)
    row = _row(client_for(agent).get("/desk/", {"view": "mine"}).content.decode(), case.number)
    assert _badges(row) == []
    assert '<td class="hide-narrow sla-cell"><span class="muted">—</span></td>' in row


def test_once_answered_the_row_shows_the_resolution_clock(sla_policy, team, agent):
    case = opened_ago(60 - 0.5, team=team, assignee=agent)
    actions.case_post_message(case=case, actor=agent, body="We are on it.", public=True)
    row = _row(client_for(agent).get("/desk/", {"view": "mine"}).content.decode(), case.number)
    assert _badges(row)[0] == ("running", "Resolution · 2d 1h left")  # 3000 − 60 = 2940 min = 49 h


def test_the_case_header_shows_the_soonest_clock(clocks, agent):
    html = client_for(agent).get(f"/desk/cases/{clocks['overdue'].pk}/").content.decode()
    header = html[html.index('id="case-header"'):html.index("</section>", html.index('id="case-header"'))]
    assert _badges(header) == [("overdue", "First response · Overdue 35m")]


def test_a_badge_title_gives_the_due_instant_in_the_readers_time_zone(sla_policy, team):
    reader = UserFactory(role=Role.AGENT, teams=[team], time_zone="Asia/Seoul")
    case = opened_ago(635, team=team)
    html = client_for(reader).get("/desk/", {"view": "teams"}).content.decode()
    with timezone.override("Asia/Seoul"), translation.override("en"):
        due = date_format(timezone.localtime(case.sla_due_at), "SHORT_DATETIME_FORMAT")
    assert sla_badges(_row(html, case.number))[0]["title"] == f"Due {due}"
