"""Keyset pages: every row once, in order, even when many rows share the sort time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aftersales.cases.models import Case
from aftersales.core.pagination import decode_cursor, encode_cursor, keyset_page
from aftersales.core.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_pages_walk_every_row_once_in_order_across_ties():
    base = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    for i in range(23):
        stamp = base + timedelta(minutes=i // 5)  # five cases share each minute
        CaseFactory(created_at=stamp, updated_at=stamp)
    expected = list(Case.objects.order_by("-updated_at", "-id").values_list("id", flat=True))

    seen, cursor = [], None
    while True:
        page = keyset_page(Case.objects.all(), keys=("updated_at", "id"), kinds=(datetime, int), cursor=cursor,
                           limit=4)
        seen += [c.pk for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_single_key_pages():
    ids = [CaseFactory().pk for _ in range(5)]
    page = keyset_page(Case.objects.all(), keys=("id",), kinds=(int,), cursor=None, limit=2)
    assert [c.pk for c in page.items] == ids[::-1][:2]
    page = keyset_page(Case.objects.all(), keys=("id",), kinds=(int,), cursor=page.next_cursor, limit=10)
    assert [c.pk for c in page.items] == ids[::-1][2:]
    assert page.next_cursor is None


def test_cursor_round_trip_keeps_microseconds_and_zone():
    stamp = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor([stamp, 42]), (datetime, int)) == [stamp, 42]
