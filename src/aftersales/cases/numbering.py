"""Readable case numbers: AS-2026-000123.

Numbers come from a per-year counter row incremented with an UPDATE, so the row lock
serialises concurrent writers on PostgreSQL and SQLite alike. Numbers are unique; a
rolled-back transaction gives its number back, and a reserved block that is not used in
full leaves a gap, which is allowed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from aftersales.cases.models import CaseNumberCounter

PREFIX = "AS"


def format_case_number(year: int, n: int) -> str:
    return f"{PREFIX}-{year}-{n:06d}"


def reserve_case_numbers(year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers in `year`. Call inside the creating transaction."""
    if count < 1:
        return []
    with transaction.atomic():
        updated = CaseNumberCounter.objects.filter(year=year).update(last=F("last") + count)
        if not updated:
            try:
                with transaction.atomic():
                    CaseNumberCounter.objects.create(year=year, last=count)
            except IntegrityError:
                # Another writer created the year's row first; take our share after theirs.
                CaseNumberCounter.objects.filter(year=year).update(last=F("last") + count)
        last = CaseNumberCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return [format_case_number(year, n) for n in range(last - count + 1, last + 1)]
