"""Formatting for the desk's report tables."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value) -> str:
    """A ratio (0.8333) as a percentage in the reader's number format ("83.3%"); — for none."""
    if value is None:
        return "—"
    return f"{number_format(Decimal(value) * 100, 1)}%"


@register.filter
def money(amounts) -> str:
    """{"CNY": Decimal("480.00")} as "CNY 480.00" (KRW with no decimals), several currencies joined."""
    if not amounts:
        return ""
    from aftersales.catalog.models import CURRENCY_MINOR_UNITS

    return "; ".join(f"{currency} {number_format(amount, CURRENCY_MINOR_UNITS.get(currency, 2), force_grouping=True)}"
                     for currency, amount in sorted(amounts.items()))
