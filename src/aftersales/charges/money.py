"""Money arithmetic for quotes and invoices, as plain Python (no Django): `Decimal` only,
rounded half-up to the currency's minor unit.

Prices on a price list are before tax. A line's total is quantity × unit price, rounded; the
net total is the sum of the line totals; the tax is charged once on the net total (not per
line), rounded; the gross total is net + tax."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_AMOUNT = Decimal("999999999999.99")  # fits DecimalField(max_digits=14, decimal_places=2)
MAX_QUANTITY = Decimal("9999")
HUNDRED = Decimal(100)
_AMOUNT = re.compile(r"\A([0-9]{1,12})(?:\.([0-9]{1,2}))?\Z")


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def money(value: Decimal, places: int = 2) -> Decimal:
    """`value` rounded half-up to `places` decimals (0.005 → 0.01, 2.5 → 3 for KRW)."""
    return Decimal(value).quantize(quantum(places), rounding=ROUND_HALF_UP)


def line_total(quantity: Decimal, unit_price: Decimal, places: int = 2) -> Decimal:
    return money(Decimal(quantity) * Decimal(unit_price), places)


def tax_on(net: Decimal, rate_percent: Decimal, places: int = 2) -> Decimal:
    return money(Decimal(net) * Decimal(rate_percent) / HUNDRED, places)


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def totals(line_totals: Iterable[Decimal], rate_percent: Decimal, places: int = 2) -> Totals:
    net = money(sum((Decimal(t) for t in line_totals), Decimal(0)), places)
    tax = tax_on(net, rate_percent, places)
    return Totals(net=net, tax=tax, gross=net + tax)


def hours(minutes: int) -> Decimal:
    """Minutes of labour as hours, to the hundredth (50 min → 0.83 h)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_decimal(raw: object, *, places: int = 2) -> Decimal | None:
    """A non-negative amount written in ASCII digits ("12", "12.5", "12.50"), with at most
    `places` decimals and 12 whole digits, or None (signs, exponents, "²", other scripts'
    digits, thousands of digits, NaN and infinity are all None)."""
    if not isinstance(raw, str):
        return None
    match = _AMOUNT.match(raw.strip())
    if match is None or (match.group(2) and len(match.group(2)) > places):
        return None
    return Decimal(match.group(0))


def fits_places(value: Decimal, places: int) -> bool:
    """True when `value` has no more than `places` decimals (12.50 fits 2; 12.505 does not)."""
    if not value.is_finite():
        return False
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -places
