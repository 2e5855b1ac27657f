"""The case page's SLA panel: the live clocks with their policy, due instant (in the reader's
time zone) and time left or pause, and the history of every clock with its pauses and
milestones; refreshed by its own poll and after each change."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import Status
from aftersales.core.tests.factories import UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for, opened_ago, sla_badges
from aftersales.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    start = html.index('<section id="case-sla"')
    return html[start:html.index("</section>", start) + len("</section>")]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _live(html: str) -> str:
    panel = _panel(html)
    return panel[:panel.index("</ul>")] if "sla-live" in panel else ""


def _history(html: str) -> list[str]:
    """The text of each clock in the SLA history, oldest first."""
    panel = _panel(html)
    return [_text(item) for item in re.findall(r'<li class="sla-past".*?(?=<li class="sla-past"|</ol>)', panel, re.S)]


def _ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def test_the_panel_shows_each_live_clock_with_its_policy_due_instant_and_time_left(sla_policy, team):
    reader = UserFactory(role=Role.AGENT, teams=[team], time_zone="Asia/Seoul")
    case = opened_ago(60 - 0.5, team=team)
    html = client_for(reader).get(f"/desk/cases/{case.pk}/").content.decode()
    live = _live(html)
    assert "Policy: Desk test: answer in 10 h" in _text(live)
    clocks = re.findall(r'<li class="sla-clock" data-metric="([a-z_]+)"', live)
    assert clocks == ["first_response", "resolution"]  # soonest due first
    assert [b["seen"] for b in sla_badges(live)] == ["9h left", "2d 1h left"]
    due = case.sla_due_at.astimezone(timezone.get_fixed_timezone(timedelta(hours=9)))
    assert f'<time datetime="{due.isoformat()}">' in live  # in the reader's zone, +09:00
    assert "Times in Asia/Seoul." in _text(_panel(html))


def test_a_paused_clock_says_since_when_and_what_is_left(sla_policy, team, agent):
    case = opened_ago(180, team=team)
    actions.case_change_status(case=case, target=Status.WAITING_CUSTOMER, actor=agent, at=_ago(150))
    actions.case_change_status(case=case, target=Status.OPEN, actor=agent, at=_ago(120))
    actions.case_change_status(case=case, target=Status.WAITING_CUSTOMER, actor=agent, at=_ago(60))
    html = _live(client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode())
    live = _text(html)
    # 30 min counted, paused 30 min, 60 more counted, paused since an hour ago: 600 − 90 = 510 left
    assert [(b["state"], b["seen"]) for b in sla_badges(html)] == [("paused", "Paused"), ("paused", "Paused")]
    assert "Paused since" in live and "(Waiting on customer)" in live
    assert "8h 30m left when it resumes" in live
    assert "Earlier pauses: 30m" in live


def test_the_history_lists_every_clock_with_its_outcome_pauses_and_milestones(sla_policy, team, agent):
    case = opened_ago(700, team=team, assignee=agent)
    actions.case_change_status(case=case, target=Status.WAITING_CUSTOMER, actor=agent, at=_ago(690))
    actions.case_change_status(case=case, target=Status.OPEN, actor=agent, at=_ago(660))
    sla_sweep()  # the first response (due 600 + 30 paused after opening) warned and breached
    actions.case_post_message(case=case, actor=agent, body="Sorry for the wait.", public=True, at=_ago(10))
    actions.case_change_status(case=case, target=Status.RESOLVED, actor=agent)
    html = client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()
    assert "No SLA clock is running on this case." in _text(_panel(html))
    assert '<details class="sla-history" id="sla-history">' in html  # collapsed until opened
    first, resolution = _history(html)
    assert first.startswith("First response Stopped after the breach Desk test: answer in 10 h")
    assert "Pauses Waiting on customer:" in first and "· 30m of business time" in first
    assert "· 1h late" in first  # due 70 minutes ago (630 after opening, with the pause), answered 10 ago
    assert re.search(r"Milestones Warning · \S+ .*Breach · .*Escalation: Notify the assignee · ", first)
    assert resolution.startswith("Resolution Met")
    assert "to spare" in resolution
    timeline = html[html.index('id="timeline"'):]
    assert "SLA warning: First response is due soon" in timeline
    assert "SLA breached: First response is overdue" in timeline


def test_closing_a_case_cancels_the_unanswered_first_response(sla_policy, team, agent):
    case = opened_ago(30, team=team)
    actions.case_change_status(case=case, target=Status.CLOSED, actor=agent)
    first, resolution = _history(client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode())
    assert first.startswith("First response No longer applies")
    assert "late" not in first and "to spare" not in first
    assert resolution.startswith("Resolution Met")


def test_a_case_no_policy_matches_says_so(team, agent):
    from aftersales.sla.models import SlaPolicy

    SlaPolicy.objects.update(is_active=False)
    case = opened_ago(5, team=team)
    panel = _text(_panel(client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()))
    assert "No service level applies to this case." in panel
    assert "SLA history" not in panel


def test_the_panel_polls_itself_and_brings_the_header_badge(sla_policy, team, agent):
    case = opened_ago(635, team=team)
    client = client_for(agent)
    html = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert f'hx-get="/desk/cases/{case.pk}/sla/" hx-trigger="every 60s"' in html
    fragment = client.get(f"/desk/cases/{case.pk}/sla/", **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="case-sla"')
    assert '<span id="case-sla-badge" class="sla-header-badge" hx-swap-oob="true">' in fragment
    assert [b["seen"] for b in sla_badges(fragment)][-1] == "First response · Overdue 35m"


def test_a_change_redraws_the_panel_too(sla_policy, team, agent):
    case = opened_ago(60, team=team)
    response = client_for(agent).post(f"/desk/cases/{case.pk}/status/", {"status": "waiting_customer"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-main">')
    panel = _panel(html)
    assert 'hx-swap-oob="true"' in panel
    assert [b["state"] for b in sla_badges(_live(html))] == ["paused", "paused"]


def test_the_timeline_refresh_redraws_the_panel(sla_policy, team, agent):
    case = opened_ago(60, team=team)
    html = client_for(agent).get(f"/desk/cases/{case.pk}/timeline/", {"v": "old"}, **HTMX).content.decode()
    assert 'id="case-sla"' in html and 'hx-swap-oob="true"' in _panel(html)


@pytest.mark.parametrize("who", ["other_team_agent", "customer"])
def test_the_panel_is_a_404_for_whoever_may_not_see_the_case(sla_policy, team, other_team, customer_user, who):
    case = opened_ago(60, team=team, customer=customer_user.customer)
    user = UserFactory(role=Role.AGENT, teams=[other_team]) if who == "other_team_agent" else customer_user
    assert client_for(user).get(f"/desk/cases/{case.pk}/sla/", **HTMX).status_code == 404


def test_the_panel_costs_the_same_however_long_its_history(sla_policy, team, agent):
    short = opened_ago(700, team=team, assignee=agent, subject="short")
    long = opened_ago(700, team=team, assignee=agent, subject="long")
    for n in range(6):
        actions.case_change_status(case=long, target=Status.WAITING_CUSTOMER, actor=agent, at=_ago(690 - 20 * n))
        actions.case_change_status(case=long, target=Status.OPEN, actor=agent, at=_ago(680 - 20 * n))
    sla_sweep()
    actions.case_post_message(case=long, actor=agent, body="Answered.", public=True, at=_ago(5))
    client = client_for(agent)
    counts = []
    for case in (short, long):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/desk/cases/{case.pk}/sla/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
