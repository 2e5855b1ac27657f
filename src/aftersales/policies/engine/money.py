"""Money: `Decimal` only, rounded half-up to the currency's minor unit, never negative.

A refund never exceeds the price paid for the item (`refund_amount`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units (the catalogue app keeps the same table for purchases).
MINOR_UNITS: dict[str, int] = {"CNY": 2, "TWD": 2, "HKD": 2, "USD": 2, "KRW": 0, "JPY": 0}
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half-up to the minor unit, and never below zero."""
    return max(ZERO, amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def refund_amount(amount: Decimal, *, price: Decimal, currency: str) -> Decimal:
    """A refund: rounded, at least zero, at most the price."""
    return round_money(min(amount, price), currency)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` per cent of `amount`, unrounded."""
    return amount * percent / HUNDRED


def clamp(amount: Decimal, *, minimum: Decimal | None = None, maximum: Decimal | None = None) -> Decimal:
    if minimum is not None and amount < minimum:
        amount = minimum
    if maximum is not None and amount > maximum:
        amount = maximum
    return amount


def fmt_money(amount: Decimal, currency: str) -> str:
    """The decimal string used in explanations and JSON: '3931.20', '1200000'."""
    return str(round_money(amount, currency))


def fmt_percent(value: Decimal) -> str:
    """'0.5%', '5%', '10%' (no trailing zeros)."""
    text = format(value.normalize(), "f")
    return f"{text}%"
