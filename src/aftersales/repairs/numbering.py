"""Readable document numbers: WO-2026-000123 (work orders), RC-2026-000045 (intake receipts).
A per-prefix, per-year counter row incremented with an UPDATE serialises concurrent writers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from aftersales.repairs.models import DocumentCounter


def next_number(prefix: str, year: int) -> str:
    with transaction.atomic():
        if not DocumentCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(prefix=prefix, year=year, last=1)
            except IntegrityError:
                DocumentCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        last = DocumentCounter.objects.filter(prefix=prefix, year=year).values_list("last", flat=True).get()
    return f"{prefix}-{year}-{last:06d}"
