"""Every allowed and every refused status move, in the pure machine and through the API."""

from __future__ import annotations

import itertools

import pytest

from aftersales.cases import workflow
from aftersales.cases.models import Case, CaseEntry
from aftersales.cases.tests.conftest import api_client
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CaseFactory

ALL_PAIRS = [(a, b) for a, b in itertools.product(workflow.STATUSES, repeat=2) if a != b]
EXPECTED_ALLOWED = {
    ("new", "open"), ("new", "waiting_customer"), ("new", "resolved"), ("new", "closed"),
    ("open", "waiting_customer"), ("open", "waiting_parts"), ("open", "in_repair"), ("open", "resolved"),
    ("open", "closed"),
    ("waiting_customer", "open"), ("waiting_customer", "in_repair"), ("waiting_customer", "resolved"),
    ("waiting_customer", "closed"),
    ("waiting_parts", "open"), ("waiting_parts", "in_repair"), ("waiting_parts", "resolved"),
    ("in_repair", "open"), ("in_repair", "waiting_parts"), ("in_repair", "waiting_customer"),
    ("in_repair", "resolved"),
    ("resolved", "open"), ("resolved", "closed"),
    ("closed", "open"),
}
EXPECTED_CUSTOMER = {
    ("new", "closed"), ("open", "closed"), ("waiting_customer", "closed"), ("resolved", "open"),
    ("resolved", "closed"), ("closed", "open"),
}


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_machine_matches_the_documented_table(source, target):
    assert workflow.can_move(source, target) is ((source, target) in EXPECTED_ALLOWED)
    assert workflow.can_customer_move(source, target) is ((source, target) in EXPECTED_CUSTOMER)


def test_customer_moves_are_a_subset_of_the_machine():
    assert EXPECTED_CUSTOMER <= EXPECTED_ALLOWED


@pytest.mark.parametrize(
    ("status", "from_staff", "public", "expected"),
    [
        ("new", True, True, "open"),
        ("new", True, False, None),
        ("open", True, True, None),
        ("waiting_customer", False, True, "open"),
        ("resolved", False, True, "open"),
        ("new", False, True, None),
        ("in_repair", False, True, None),
        ("waiting_customer", True, True, None),
    ],
)
def test_status_after_message(status, from_staff, public, expected):
    assert workflow.status_after_message(status, from_staff=from_staff, public=public) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_every_move_through_the_api(supervisor, source, target):
    case = CaseFactory(status=source)
    client = api_client(supervisor)
    entries, audits = CaseEntry.objects.count(), AuditEntry.objects.filter(object_type="cases.case").count()

    response = client.patch(f"/api/v1/cases/{case.pk}", {"status": target}, content_type="application/json")

    case.refresh_from_db()
    if (source, target) in EXPECTED_ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == target
        assert case.status == target
        event = CaseEntry.objects.filter(case=case, event="status_changed").get()
        assert event.data == {"before": source, "after": target}
        audit = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).get()
        assert audit.before["status"] == source and audit.after["status"] == target
        assert audit.actor_id == supervisor.pk
    else:
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "invalid_transition"
        assert case.status == source
        assert CaseEntry.objects.count() == entries
        assert AuditEntry.objects.filter(object_type="cases.case").count() == audits


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED_ALLOWED))
def test_customer_may_only_close_and_reopen(customer_user, source, target):
    case = CaseFactory(status=source, customer=customer_user.customer)
    response = api_client(customer_user).patch(
        f"/api/v1/cases/{case.pk}", {"status": target}, content_type="application/json"
    )
    case.refresh_from_db()
    if (source, target) in EXPECTED_CUSTOMER:
        assert response.status_code == 200, response.content
        assert case.status == target
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "transition_not_allowed"
        assert case.status == source


@pytest.mark.django_db
def test_resolve_close_and_reopen_keep_their_timestamps(supervisor):
    case = CaseFactory(status="in_repair")
    client = api_client(supervisor)
    for target in ("resolved", "closed"):
        assert client.patch(f"/api/v1/cases/{case.pk}", {"status": target},
                            content_type="application/json").status_code == 200
    case.refresh_from_db()
    assert case.resolved_at is not None and case.closed_at is not None and case.reopen_count == 0

    assert client.patch(f"/api/v1/cases/{case.pk}", {"status": "open"},
                        content_type="application/json").status_code == 200
    case.refresh_from_db()
    assert (case.resolved_at, case.closed_at, case.reopen_count) == (None, None, 1)
    assert CaseEntry.objects.filter(case=case, event="reopened").count() == 1


@pytest.mark.django_db
def test_patch_is_all_or_nothing(supervisor, agent):
    """A legal assignment and an illegal move in one call: neither happens."""
    case = CaseFactory(status="closed")
    response = api_client(supervisor).patch(
        f"/api/v1/cases/{case.pk}", {"assignee_id": agent.pk, "status": "in_repair"}, content_type="application/json"
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.assignee_id is None
    assert not CaseEntry.objects.filter(case=case).exists()
    assert not Case.objects.filter(pk=case.pk, assignee=agent).exists()
