"""Money: Decimal, half-up to the currency's minor unit, never negative, refunds capped at the price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.policies.engine.money import clamp, fmt_money, fmt_percent, refund_amount, round_money


@pytest.mark.parametrize(("amount", "currency", "rounded"), [
    ("1.505", "CNY", "1.51"),
    ("1.504", "CNY", "1.50"),
    ("0.005", "USD", "0.01"),
    ("2.5", "KRW", "3"),
    ("1200000.4999", "KRW", "1200000"),
    ("99.5", "JPY", "100"),
    ("10", "TWD", "10.00"),
    ("-3.20", "HKD", "0.00"),
])
def test_rounding_is_half_up_to_the_minor_unit_and_never_negative(amount, currency, rounded):
    assert str(round_money(Decimal(amount), currency)) == rounded


def test_a_refund_never_exceeds_the_price():
    assert refund_amount(Decimal("5200"), price=Decimal("4200"), currency="CNY") == Decimal("4200.00")
    assert refund_amount(Decimal("-1"), price=Decimal("4200"), currency="CNY") == Decimal("0.00")


def test_clamp():
    assert clamp(Decimal("0.5"), minimum=Decimal(1), maximum=Decimal(30)) == Decimal(1)
    assert clamp(Decimal(50), minimum=Decimal(1), maximum=Decimal(30)) == Decimal(30)
    assert clamp(Decimal(2)) == Decimal(2)


def test_formats():
    assert fmt_money(Decimal("268.8"), "CNY") == "268.80"
    assert fmt_money(Decimal("570000.0"), "KRW") == "570000"
    assert fmt_percent(Decimal("0.50")) == "0.5%"
    assert fmt_percent(Decimal("10")) == "10%"
