"""The case list reads an agent's visibility lane by lane (one per team, one for their own
cases); page after page it must give exactly what the plain OR query gives, in order."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases import workflow
from aftersales.cases.models import Case
from aftersales.cases.selectors import OPEN_STATUSES, CaseFilters, _lanes, case_list
from aftersales.core.tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    teams = [TeamFactory(code=f"lane-{i}") for i in range(3)]
    agent = UserFactory(role=Role.AGENT, teams=teams[:2])
    others = [UserFactory(role=Role.AGENT, teams=[teams[2]]) for _ in range(2)]
    customer = CustomerFactory()
    rng = random.Random(11)
    start = timezone.now() - timedelta(days=30)
    for i in range(90):
        at = start + timedelta(hours=rng.randrange(40))  # many ties: the id breaks them
        status = rng.choice(workflow.STATUSES)
        CaseFactory(customer=customer, number=f"L-{i}", team=rng.choice([*teams, None]),
                    assignee=rng.choice([agent, *others, None]), status=status,
                    created_at=at, updated_at=at)
    Case.objects.filter(status__in=workflow.DONE).update(is_open=False)
    return {"teams": teams, "agent": agent, "supervisor": UserFactory(role=Role.SUPERVISOR)}


def reference(user, filters: CaseFilters, oldest_first: bool) -> list[int]:
    qs = Case.objects.all()
    if user.role == Role.AGENT:
        qs = qs.filter(Q(team__in=user.teams.all()) | Q(assignee=user))
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.teams is not None:
        qs = qs.filter(team_id__in=filters.teams)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.unassigned:
        qs = qs.filter(assignee__isnull=True)
    if filters.assignee is not None:
        qs = qs.filter(assignee_id=filters.assignee)
    order = ("updated_at", "id") if oldest_first else ("-updated_at", "-id")
    return list(qs.order_by(*order).values_list("pk", flat=True))


def walk(user, filters: CaseFilters, oldest_first: bool) -> list[int]:
    seen, cursor = [], None
    for _ in range(100):
        page = case_list(user=user, filters=filters, cursor=cursor, limit=4, oldest_first=oldest_first)
        seen += [c.pk for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


def views(world) -> list[CaseFilters]:
    agent, teams = world["agent"], world["teams"]
    mine = [t.pk for t in teams[:2]]
    return [
        CaseFilters(),
        CaseFilters(status=list(OPEN_STATUSES)),
        CaseFilters(status=list(workflow.DONE)),
        CaseFilters(status=[workflow.WAITING_CUSTOMER]),
        CaseFilters(status=list(OPEN_STATUSES), assignee=agent.pk),
        CaseFilters(status=list(OPEN_STATUSES), teams=mine),
        CaseFilters(status=list(OPEN_STATUSES), unassigned=True),
        CaseFilters(team=teams[2].pk),
        CaseFilters(team=teams[0].pk, teams=mine),
        CaseFilters(teams=[]),
    ]


@pytest.mark.parametrize("who", ["agent", "supervisor"])
@pytest.mark.parametrize("oldest_first", [False, True])
def test_every_view_pages_through_exactly_the_visible_cases_in_order(world, who, oldest_first):
    user = world[who]
    for filters in views(world):
        expected = reference(user, filters, oldest_first)
        assert walk(user, filters, oldest_first) == expected, filters


def as_set(lanes) -> set[frozenset]:
    return {frozenset(lane.items()) for lane in lanes}


def test_lanes_are_few_and_index_shaped(world):
    agent, teams = world["agent"], world["teams"]
    t0, t1, t2 = (t.pk for t in teams)
    everything = _lanes(agent, CaseFilters())
    assert as_set(everything) == as_set([{"team_id": t0}, {"team_id": t1}, {"assignee_id": agent.pk}])
    # Their own cases are one lane: being the assignee already makes a case visible.
    assert _lanes(agent, CaseFilters(assignee=agent.pk)) == [{"assignee_id": agent.pk}]
    # Another team's cases: only the ones assigned to them.
    assert _lanes(agent, CaseFilters(team=t2)) == [{"team_id": t2, "assignee_id": agent.pk}]
    assert as_set(_lanes(agent, CaseFilters(unassigned=True))) == as_set(
        [{"team_id": t0, "assignee_id": None}, {"team_id": t1, "assignee_id": None}])
    assert _lanes(world["supervisor"], CaseFilters()) == [{}]


def test_a_customer_sees_only_their_own_cases(world):
    customer_user = UserFactory(role=Role.CUSTOMER)
    own = CustomerFactory(user=customer_user)
    CaseFactory(customer=own, number="OWN-1")
    page = case_list(user=customer_user, filters=CaseFilters(), cursor=None, limit=50)
    assert [c.number for c in page.items] == ["OWN-1"]


def test_the_api_filters_by_product_and_turns_the_order(world):
    from django.test import Client

    from aftersales.core.tests.factories import ProductModelFactory

    product = ProductModelFactory()
    Case.objects.filter(number__in=["L-1", "L-2", "L-3"]).update(product_model=product)
    client = Client()
    client.force_login(world["supervisor"])
    newest = client.get("/api/v1/cases", {"product": product.pk}).json()["items"]
    oldest = client.get("/api/v1/cases", {"product": product.pk, "order": "oldest"}).json()["items"]
    assert sorted(c["number"] for c in newest) == ["L-1", "L-2", "L-3"]
    assert {c["product_model_id"] for c in newest} == {product.pk}
    assert [c["id"] for c in oldest] == [c["id"] for c in reversed(newest)]
    bad = client.get("/api/v1/cases", {"order": "sideways"})
    assert bad.status_code == 422 and "code" in bad.json()
