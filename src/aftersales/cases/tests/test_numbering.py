"""Case numbers: readable, unique, per year, and unique under concurrent creation."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from aftersales.cases import actions
from aftersales.cases.models import Case
from aftersales.cases.numbering import format_case_number, reserve_case_numbers
from aftersales.core.tests.factories import CustomerFactory, UserFactory


def test_format():
    assert format_case_number(2026, 123) == "AS-2026-000123"
    assert format_case_number(2027, 1_234_567) == "AS-2027-1234567"


@pytest.mark.django_db
def test_numbers_count_up_per_year_and_blocks_are_contiguous():
    assert reserve_case_numbers(2026) == ["AS-2026-000001"]
    assert reserve_case_numbers(2026, 3) == ["AS-2026-000002", "AS-2026-000003", "AS-2026-000004"]
    assert reserve_case_numbers(2027) == ["AS-2027-000001"]
    assert reserve_case_numbers(2026, 0) == []


@pytest.mark.django_db
def test_the_year_is_that_of_the_opening_time():
    agent = UserFactory()
    case = actions.case_open(customer=CustomerFactory(), subject="x", actor=agent,
                             at=datetime(2025, 6, 1, 8, 0, tzinfo=UTC))
    assert case.number == "AS-2025-000001"


@pytest.mark.django_db
def test_a_rolled_back_case_gives_its_number_back():
    agent, customer = UserFactory(), CustomerFactory()
    def open_then_fail():
        with transaction.atomic():
            actions.case_open(customer=customer, subject="x", actor=agent)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        open_then_fail()
    assert actions.case_open(customer=customer, subject="y", actor=agent).number.endswith("-000001")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_unique_numbers():
    """Twelve threads, each with its own PostgreSQL connection, open cases at the same moment."""
    agent, customer = UserFactory(), CustomerFactory()
    threads_n, per_thread = 12, 5
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait(timeout=30)
            for i in range(per_thread):
                actions.case_open(customer=customer, subject=f"concurrent {i}", actor=agent)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == threads_n * per_thread
    assert len(set(numbers)) == len(numbers)
