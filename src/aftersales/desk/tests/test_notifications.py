"""The desk's notifications: each member of staff's own list, the unread count in the header,
marking one or all read (also through htmx), and nobody else's or a customer's way in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.core.tests.factories import UserFactory
from aftersales.desk.tests.conftest import HTMX, client_for, opened_ago
from aftersales.sla.models import CaseClock, SlaMilestone, SlaNotification
from aftersales.sla.sweep import sla_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(sla_policy, team):
    return opened_ago(30, team=team, subject="Fridge is warm")


def _notify(user, case, *, kind="breach", metric="first_response", minutes_ago=0, read=False):
    """A notification as the sweep writes it (each needs a milestone of its own)."""
    clock = CaseClock.objects.filter(case=case, metric=metric).first() or CaseClock.objects.filter(case=case).first()
    at = timezone.now() - timedelta(minutes=minutes_ago)
    milestone = SlaMilestone.objects.create(clock=clock, key=f"test:{SlaMilestone.objects.count()}", at=at,
                                            handled_at=at)
    return SlaNotification.objects.create(user=user, case=case, milestone=milestone, kind=kind, metric=metric,
                                          created_at=at, read_at=at if read else None)


def _items(html: str) -> list[str]:
    return re.findall(r'<li id="notification-(\d+)" class="([^"]+)"', html)


def test_the_sweep_tells_the_assignee_and_the_page_lists_it(sla_policy, team, agent):
    case = opened_ago(635, team=team, assignee=agent, subject="Overdue washer")
    sla_sweep()
    html = client_for(agent).get("/desk/notifications/").content.decode()
    assert "<h1>Notifications</h1>" in html
    assert "<strong>SLA breach</strong> · First response" in html
    assert f'<a href="/desk/cases/{case.pk}/">{case.number}</a> Overdue washer' in html


def test_the_list_is_the_readers_own_newest_first(case, agent, team):
    colleague = UserFactory(role=Role.AGENT, teams=[team])
    old = _notify(agent, case, kind="warning", minutes_ago=20, read=True)
    new = _notify(agent, case, kind="escalation", minutes_ago=1)
    _notify(colleague, case)
    html = client_for(agent).get("/desk/notifications/").content.decode()
    assert _items(html) == [(str(new.pk), "notif notif-escalation unread"), (str(old.pk), "notif notif-warning")]
    assert html.count("Mark as read<span") == 1  # only the unread one has the button


def test_the_list_shows_the_latest_hundred(case, agent):
    first = _notify(agent, case, minutes_ago=500)
    clock = first.milestone.clock
    at = timezone.now()
    milestones = SlaMilestone.objects.bulk_create([SlaMilestone(clock=clock, key=f"bulk:{i}", at=at, handled_at=at)
                                                   for i in range(104)])
    SlaNotification.objects.bulk_create([SlaNotification(user=agent, case=case, milestone=m, kind="breach",
                                                          metric="first_response", created_at=at) for m in milestones])
    html = client_for(agent).get("/desk/notifications/").content.decode()
    ids = [int(pk) for pk, _classes in _items(html)]
    assert len(ids) == 100 and first.pk not in ids


def test_the_header_counts_the_unread(case, agent):
    for minutes in (1, 2, 3):
        _notify(agent, case, minutes_ago=minutes)
    _notify(agent, case, read=True)
    html = client_for(agent).get("/desk/").content.decode()
    link = re.search(r'<a id="desk-notifications".*?</a>', html).group(0)
    assert '<span class="nav-count" aria-hidden="true">3</span><span class="sr-only"> (3 unread)</span>' in link


def test_the_header_count_stops_at_99_plus(case, agent):
    clock = CaseClock.objects.filter(case=case).first()
    at = timezone.now()
    milestones = SlaMilestone.objects.bulk_create([SlaMilestone(clock=clock, key=f"bulk:{i}", at=at, handled_at=at)
                                                   for i in range(120)])
    SlaNotification.objects.bulk_create([SlaNotification(user=agent, case=case, milestone=m, kind="breach",
                                                          metric="first_response", created_at=at) for m in milestones])
    html = client_for(agent).get("/desk/").content.decode()
    assert '<span class="nav-count" aria-hidden="true">99+</span>' in html


def test_no_unread_shows_no_count(agent):
    html = client_for(agent).get("/desk/").content.decode()
    assert '<a id="desk-notifications" href="/desk/notifications/">Notifications</a>' in html


def test_marking_one_read_without_javascript_goes_back_to_the_list(case, agent):
    n = _notify(agent, case)
    response = client_for(agent).post(f"/desk/notifications/{n.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/desk/notifications/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_marking_one_read_with_htmx_redraws_it_and_the_header_count(case, agent):
    n = _notify(agent, case)
    _notify(agent, case)
    html = client_for(agent).post(f"/desk/notifications/{n.pk}/read/", **HTMX).content.decode()
    assert _items(html) == [(str(n.pk), "notif notif-breach")]
    assert "Mark as read" not in html
    assert re.search(r'<a id="desk-notifications" href="/desk/notifications/" hx-swap-oob="true">Notifications'
                     r'<span class="nav-count" aria-hidden="true">1</span>', html)


def test_marking_a_read_one_again_keeps_its_first_instant(case, agent):
    n = _notify(agent, case, read=True)
    before = n.read_at
    assert client_for(agent).post(f"/desk/notifications/{n.pk}/read/").status_code == 302
    n.refresh_from_db()
    assert n.read_at == before


def test_marking_all_read_touches_only_the_readers_own(case, agent, team):
    colleague = UserFactory(role=Role.AGENT, teams=[team])
    mine = [_notify(agent, case, minutes_ago=m) for m in (1, 2)]
    theirs = _notify(colleague, case)
    response = client_for(agent).post("/desk/notifications/read/", **HTMX)
    html = response.content.decode()
    assert "2 notifications marked read." in html
    assert [classes for _pk, classes in _items(html)] == ["notif notif-breach", "notif notif-breach"]
    assert '<a id="desk-notifications" href="/desk/notifications/" hx-swap-oob="true">Notifications</a>' in html
    assert all(SlaNotification.objects.get(pk=n.pk).read_at for n in mine)
    assert SlaNotification.objects.get(pk=theirs.pk).read_at is None


def test_marking_all_read_without_javascript_says_how_many(case, agent):
    _notify(agent, case)
    response = client_for(agent).post("/desk/notifications/read/", follow=True)
    assert "1 notification marked read." in response.content.decode()


def test_someone_elses_notification_is_a_404_and_stays_unread(case, agent, team):
    theirs = _notify(UserFactory(role=Role.AGENT, teams=[team]), case)
    assert client_for(agent).post(f"/desk/notifications/{theirs.pk}/read/", **HTMX).status_code == 404
    assert client_for(agent).post("/desk/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_is_a_post(case, agent):
    n = _notify(agent, case)
    client = client_for(agent)
    assert client.get(f"/desk/notifications/{n.pk}/read/").status_code == 405
    assert client.get("/desk/notifications/read/").status_code == 405


def test_marking_needs_the_csrf_token(case, agent):
    n = _notify(agent, case)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(f"/desk/notifications/{n.pk}/read/").status_code == 403
    assert client.post("/desk/notifications/read/").status_code == 403
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/desk/notifications/"), ("post", "/desk/notifications/read/"), ("post", "/desk/notifications/{id}/read/"),
])
def test_customers_get_404_and_anonymous_people_sign_in(case, customer_user, method, url):
    n = _notify(customer_user, case)  # even one addressed to them (the sweep never does this)
    path = url.format(id=n.pk)
    assert getattr(client_for(customer_user), method)(path).status_code == 404
    response = getattr(Client(), method)(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    n.refresh_from_db()
    assert n.read_at is None


@pytest.mark.parametrize("role", [Role.AGENT, Role.TECHNICIAN, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_every_staff_role_has_the_page(role, team):
    assert client_for(UserFactory(role=role, teams=[team])).get("/desk/notifications/").status_code == 200


# session, user, the notifications with their cases, the header's unread count
NOTIFICATIONS_BUDGET = 4


def test_the_page_costs_the_same_for_3_and_30_notifications(sla_policy, team, agent, django_assert_num_queries):
    client = client_for(agent)
    cases = [opened_ago(30, team=team, subject=f"case {n}") for n in range(30)]
    for size in (3, 30):
        while SlaNotification.objects.filter(user=agent).count() < size:
            _notify(agent, cases[SlaNotification.objects.count()])
        with django_assert_num_queries(NOTIFICATIONS_BUDGET):
            response = client.get("/desk/notifications/")
        assert len(_items(response.content.decode())) == size
