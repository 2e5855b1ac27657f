"""The queue page and the case page cost a fixed number of queries, however many rows.

Queue page: session, user, the product models and their names (the product filter), team ids
(for "My teams"), the rows, tags, the live SLA clocks, the counts (one sum over the case
counters), the "at risk" count (one capped read of the due indexes), saved views, and the
header's unread notification count (one capped read of the inbox index).
Every case has its own customer, assignee, team and tags, so an N+1 shows as a difference.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.access import cases_visible_to
from aftersales.cases.models import Status, Tag
from aftersales.core.tests.factories import CaseFactory, CustomerFactory, ProductModelFactory, TeamFactory, UserFactory
from aftersales.desk.models import SavedView
from aftersales.desk.tests.conftest import client_for

pytestmark = pytest.mark.django_db
serial = itertools.count()


def _case(team):
    n = next(serial)
    case = CaseFactory(team=team, status=Status.OPEN, customer=CustomerFactory(tier="vip"),
                       assignee=UserFactory(role=Role.AGENT, teams=[team], display_name=f"Agent {n}"))
    case.tags.set([Tag.objects.create(name=f"t{n}a"), Tag.objects.create(name=f"t{n}b")])
    return case


# Includes one query for the live SLA clocks of the listed cases, one for the "at risk" count
# in the sidebar and one for the unread notifications in the header (desk SLA, 10 → 12).
QUEUE_BUDGETS = {Role.AGENT: 12, Role.TECHNICIAN: 12, Role.SUPERVISOR: 12, Role.ADMINISTRATOR: 12}


@pytest.mark.parametrize("role", QUEUE_BUDGETS)
@pytest.mark.parametrize("view", ["teams", "open"])
def test_the_queue_page_costs_the_same_for_3_and_30_cases(role, view, django_assert_num_queries):
    team = TeamFactory(code="desk")
    user = UserFactory(role=role, teams=[team])
    ProductModelFactory.create_batch(3)
    SavedView.objects.create(user=user, name="Urgent", query={"view": "open", "severity": "urgent"})
    client = client_for(user)
    for size in (3, 30):
        while cases_visible_to(user).count() < size:
            _case(team)
        with django_assert_num_queries(QUEUE_BUDGETS[role]):
            response = client.get("/desk/", {"view": view, "severity": "ordinary"})
        assert len(response.context["cases"]) == size


def test_the_case_page_costs_the_same_for_a_short_and_a_long_timeline(django_assert_num_queries):
    team = TeamFactory(code="desk")
    agent = UserFactory(role=Role.AGENT, teams=[team])
    customer = CustomerFactory()
    case = actions.case_open(customer=customer, subject="Long story", team=team, actor=agent,
                             opening_from_customer=False)
    client = client_for(agent)
    counts = []
    for messages in (3, 30):
        while case.entries.count() < messages:
            writer = UserFactory(role=Role.AGENT, teams=[team])
            actions.case_post_message(case=case, actor=writer, body="more", public=False)
            case.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/desk/cases/{case.pk}/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
