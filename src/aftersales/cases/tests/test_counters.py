"""The case counters the desk sums for its queue counts: kept true by the database's
triggers through every kind of write, and put back if a migration loses them."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from aftersales.accounts.models import Role
from aftersales.cases import actions, counters, workflow
from aftersales.cases.models import Case, CaseCounter
from aftersales.core.tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory
from aftersales.desk.selectors import queue_counts

pytestmark = pytest.mark.django_db


def from_counters() -> dict[tuple[int, int, str], int]:
    rows = CaseCounter.objects.values_list("team_key", "assignee_key", "status").annotate(total=Sum("n"))
    return {(t, a, s): n for t, a, s, n in rows if n}


def from_cases() -> dict[tuple[int, int, str], int]:
    rows = (Case.objects.annotate(t=Coalesce("team_id", 0), a=Coalesce("assignee_id", 0))
            .values_list("t", "a", "status").annotate(total=Count("pk")).order_by())
    return {(t, a, s): n for t, a, s, n in rows}


@pytest.fixture
def people():
    teams = [TeamFactory(code=f"t{i}") for i in range(3)]
    staff = [UserFactory(role=Role.AGENT, teams=[teams[i % 3]]) for i in range(4)]
    return teams, staff


def test_every_kind_of_write_keeps_the_counts_true(people):
    teams, staff = people
    rng = random.Random(7)
    customer = CustomerFactory()
    actor = UserFactory(role=Role.SUPERVISOR)
    for _ in range(12):
        actions.case_open(customer=customer, subject="s", actor=actor, team=rng.choice(teams))
    CaseFactory.create_batch(5, customer=customer, team=None)
    Case.objects.bulk_create([Case(number=f"BULK-{i}", subject="b", customer=customer, team=teams[0],
                                   status=workflow.OPEN, created_at=actor.date_joined,
                                   updated_at=actor.date_joined) for i in range(6)])
    assert from_counters() == from_cases()
    for step in range(80):
        case = Case.objects.order_by("?").first()
        move = rng.randrange(5)
        if move == 0:
            actions.case_assign(case=case, assignee=rng.choice([*staff, None]), actor=actor)
        elif move == 1:
            actions.case_set_team(case=case, team=rng.choice([*teams, None]), actor=actor)
        elif move == 2:
            target = rng.choice([s for s in workflow.STATUSES if workflow.can_move(case.status, s)] or [case.status])
            actions.case_change_status(case=case, target=target, actor=actor)
        elif move == 3:
            Case.objects.filter(pk=case.pk).update(status=rng.choice(workflow.STATUSES),
                                                   assignee=rng.choice([*staff, None]))
        elif step % 10 == 0:
            case.entries.all().delete()
            case.delete()
        assert from_counters() == from_cases(), f"after step {step} (move {move})"


def test_saving_a_case_unchanged_moves_nothing(people):
    teams, _ = people
    case = CaseFactory(team=teams[0])
    before = from_counters()
    case.subject = "edited"
    case.save()
    Case.objects.filter(pk=case.pk).update(team=teams[0])
    assert from_counters() == before == from_cases()


def test_queue_counts_match_the_cases_each_person_sees(people):
    teams, staff = people
    customer = CustomerFactory()
    rng = random.Random(3)
    for i in range(40):
        CaseFactory(customer=customer, team=rng.choice([*teams, None]), assignee=rng.choice([*staff, None]),
                    status=rng.choice(workflow.STATUSES), number=f"Q-{i}")
    Case.objects.filter(status__in=workflow.DONE).update(is_open=False)
    agent = staff[0]
    mine_teams = list(agent.teams.values_list("pk", flat=True))
    visible = Case.objects.filter(team_id__in=mine_teams) | Case.objects.filter(assignee=agent)
    open_ = visible.exclude(status__in=workflow.DONE)
    assert queue_counts(user=agent) == {
        "mine": open_.filter(assignee=agent).count(),
        "teams": open_.filter(team_id__in=mine_teams).count(),
        "unassigned": open_.filter(assignee__isnull=True).count(),
        "waiting": visible.filter(status=workflow.WAITING_CUSTOMER).count(),
        "open": open_.count(),
        "closed": visible.filter(status__in=workflow.DONE).count(),
    }
    supervisor = UserFactory(role=Role.SUPERVISOR)
    counts = queue_counts(user=supervisor)
    assert counts["open"] + counts["closed"] == Case.objects.count() == 40


def test_triggers_lost_by_a_table_rebuild_are_put_back_and_recounted(people):
    teams, _ = people
    CaseFactory.create_batch(3, team=teams[1])
    counters.remove(connection)
    CaseFactory.create_batch(2, team=teams[1])  # not counted: no triggers
    assert from_counters() != from_cases()
    assert counters.ensure(connection) is True
    assert from_counters() == from_cases()
    assert counters.ensure(connection) is False
    CaseFactory(team=teams[2])
    assert from_counters() == from_cases()
