"""The case list and the timeline cost a fixed number of queries, however many rows they show.

Each budget counts: the bearer-token lookup, the team ids (agents and technicians only),
the rows, and one query per prefetched relation (tags; attachments). Every row has its
own customer, unit, purchase, assignee, team, tags, author and files, so a relation loaded
row by row (an N+1) shows as a difference between 3 rows and 30.
"""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.cases.access import cases_visible_to
from aftersales.cases.models import Attachment, Case, CaseEntry, Tag
from aftersales.core.tests.api_support import API, api_client, check_budget
from aftersales.core.tests.factories import (
    CaseFactory,
    CustomerUserFactory,
    ProductModelFactory,
    PurchaseFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

serial = itertools.count()


def _rich_case(customer, team) -> Case:
    n = next(serial)
    unit = UnitFactory(product_model=ProductModelFactory(), customer=customer)
    case = CaseFactory(customer=customer, team=team, unit=unit, purchase=PurchaseFactory(customer=customer),
                       assignee=UserFactory(role=Role.AGENT, display_name=f"Agent {n}"))
    case.tags.set([Tag.objects.create(name=f"tag-{n}-a"), Tag.objects.create(name=f"tag-{n}-b")])
    return case


# token, [team ids], cases, tags
# +1 everywhere: the live SLA clocks of the page's cases, read in one query.
CASE_LIST_BUDGETS = {"customer": 4, "agent": 5, "technician": 5, "supervisor": 4, "administrator": 4}


@pytest.mark.parametrize("role", CASE_LIST_BUDGETS)
def test_the_case_list_costs_the_same_for_3_and_30_cases(role, django_assert_num_queries):
    team = TeamFactory(code="desk")
    user = CustomerUserFactory() if role == "customer" else UserFactory(role=role, teams=[team])
    if role not in ("supervisor", "administrator"):
        # A case the role may not see changes neither the rows nor the cost.
        _rich_case(CustomerUserFactory().customer, TeamFactory(code="elsewhere"))

    def grow(size):
        while cases_visible_to(user).count() < size:
            _rich_case(user.customer if role == "customer" else CustomerUserFactory().customer, team)

    check_budget(django_assert_num_queries, api_client(user), f"{API}/cases", grow=grow,
                 budget=CASE_LIST_BUDGETS[role])


def _add_entry(case, kind: str) -> CaseEntry:
    n = next(serial)
    entry = CaseEntry.objects.create(
        case=case, kind=kind, is_public=kind != "note", author=UserFactory(display_name=f"Author {n}"),
        body=f"Entry {n}", event="status_changed" if kind == "event" else "",
        data={"before": "new", "after": "open"} if kind == "event" else {}, created_at=timezone.now())
    for public in (True, False):
        Attachment.objects.create(case=case, entry=entry, filename=f"f{n}.png", content_type="image/png", size=1,
                                  sha256=f"{n:064d}", is_public=public and entry.is_public, file=f"attachments/{n}")
    return entry


# token, [team ids], the case, entries, attachments
TIMELINE_BUDGETS = {"customer": 4, "agent": 5, "technician": 5, "supervisor": 4, "administrator": 4}


@pytest.mark.parametrize("role", TIMELINE_BUDGETS)
def test_the_timeline_costs_the_same_for_3_and_30_entries(role, django_assert_num_queries):
    customer_user, team = CustomerUserFactory(), TeamFactory(code="desk")
    case = CaseFactory(customer=customer_user.customer, team=team)
    user = customer_user if role == "customer" else UserFactory(role=role, teams=[team])
    kinds = itertools.cycle(("message", "event") if role == "customer" else ("message", "note", "event"))
    if role == "customer":
        # Internal notes the customer does not see change neither the rows nor the cost.
        _add_entry(case, "note")
        _add_entry(case, "note")

    def grow(size):
        shown = CaseEntry.objects.filter(case=case, **({"is_public": True} if role == "customer" else {}))
        while shown.count() < size:
            _add_entry(case, next(kinds))

    check_budget(django_assert_num_queries, api_client(user), f"{API}/cases/{case.pk}/timeline", grow=grow,
                 budget=TIMELINE_BUDGETS[role], rows=lambda body: body)
