"""The calendars shipped by migration are the ones the pure tests pin, and they validate."""

from __future__ import annotations

import pytest

from aftersales.sla.models import BusinessCalendar
from aftersales.sla.tests.calendar.support import SHIPPED

pytestmark = pytest.mark.django_db


def test_the_four_calendars_are_shipped_as_the_pure_tests_know_them():
    rows = {c.code: c for c in BusinessCalendar.objects.prefetch_related("names")}
    assert set(rows) == set(SHIPPED)
    for code, doc in SHIPPED.items():
        row = rows[code]
        assert row.document() == {**doc, "closures": [], "openings": []}, code
        row.engine()  # validates
        assert {n.language for n in row.names.all()} == {"en", "zh-hant", "zh-hans", "ko"}, code
