"""The money arithmetic (pure): line totals, tax rounded half-up once on the net total,
gross = net + tax, strict parsing of typed amounts; and the same rules held by real quotes
in the database for any lines (hypothesis)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.charges.money import fits_places, hours, line_total, money, parse_decimal, tax_on, totals

prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999.99"), places=2)
quantities = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("99.99"), places=2)


def test_half_up_not_bankers_rounding():
    assert money(Decimal("0.125")) == Decimal("0.13")  # banker's rounding would give 0.12
    assert money(Decimal("0.135")) == Decimal("0.14")
    assert money(Decimal("2.5"), 0) == Decimal("3")  # KRW has no minor unit
    assert money(Decimal("3.5"), 0) == Decimal("4")
    assert tax_on(Decimal("0.50"), Decimal("13")) == Decimal("0.07")  # 0.065 → 0.07
    assert tax_on(Decimal("100.00"), Decimal("13.00")) == Decimal("13.00")


def test_tax_is_charged_once_on_the_net_total_not_per_line():
    # three lines of 0.10 at 13 %: per line 0.013 → 0.01 each (0.03); on the total 0.039 → 0.04
    result = totals([Decimal("0.10")] * 3, Decimal("13"))
    assert (result.net, result.tax, result.gross) == (Decimal("0.30"), Decimal("0.04"), Decimal("0.34"))


def test_labour_minutes_become_hours_to_the_hundredth():
    assert [hours(m) for m in (60, 90, 50, 1, 45)] == [Decimal("1.00"), Decimal("1.50"), Decimal("0.83"),
                                                       Decimal("0.02"), Decimal("0.75")]
    assert line_total(hours(50), Decimal("120.00")) == Decimal("99.60")


@pytest.mark.parametrize(("raw", "places", "expected"), [
    ("12", 2, Decimal("12")), ("12.5", 2, Decimal("12.5")), (" 12.50 ", 2, Decimal("12.50")),
    ("0", 2, Decimal("0")), ("999999999999.99", 2, Decimal("999999999999.99")),
    ("12.505", 2, None), ("12.5", 0, None), ("-1", 2, None), ("+1", 2, None), ("1e3", 2, None), ("NaN", 2, None),
    ("Infinity", 2, None), ("²", 2, None), ("١٢", 2, None), ("１２", 2, None), ("9" * 13, 2, None),
    ("9" * 5000, 2, None), ("12,50", 2, None), ("", 2, None), ("1.", 2, None), (".5", 2, None),
    ("1\x00", 2, None), (None, 2, None), (12, 2, None),
])
def test_typed_amounts_are_ascii_digits_only(raw, places, expected):
    assert parse_decimal(raw, places=places) == expected


def test_fits_places():
    assert fits_places(Decimal("12.50"), 2) and fits_places(Decimal("12.500"), 2) and fits_places(Decimal("1E+3"), 0)
    assert not fits_places(Decimal("12.505"), 2) and not fits_places(Decimal("0.5"), 0)
    assert not fits_places(Decimal("NaN"), 2) and not fits_places(Decimal("Infinity"), 2)


@given(lines=st.lists(st.tuples(quantities, prices), max_size=30), rate=rates)
def test_totals_add_up_for_any_lines(lines, rate):
    line_totals = [line_total(q, p) for q, p in lines]
    result = totals(line_totals, rate)
    assert result.net == sum(line_totals, Decimal(0))
    exact_tax = result.net * rate / 100
    assert result.tax == exact_tax.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert abs(result.tax - exact_tax) <= Decimal("0.005")
    assert result.gross == result.net + result.tax
    assert all(t.as_tuple().exponent == -2 for t in (result.net, result.tax, result.gross))


@given(amount=st.decimals(min_value=0, max_value=Decimal("1e9"), places=4), places=st.sampled_from([0, 2]))
def test_money_rounds_half_up_to_the_minor_unit(amount, places):
    rounded = money(amount, places)
    step = Decimal(1).scaleb(-places)
    assert abs(rounded - amount) <= step / 2
    if abs(rounded - amount) == step / 2:  # exactly half way: away from zero
        assert rounded > amount


# ---- the same rules held by quotes in the database ----------------------------------------------

@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(others=st.lists(st.tuples(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99.99"), places=2),
                                 prices), min_size=1, max_size=8),
       rate=rates)
def test_a_quote_total_is_the_sum_of_its_lines_plus_tax_rounded_half_up(others, rate):
    from aftersales.charges.actions import quote_add_line, quote_build_from_work, quote_remove_line
    from aftersales.charges.tests.support import price_list, work_order

    price_list(tax=str(rate))  # the newest active list wins, so each example uses its own rate
    wo = work_order()
    quote = quote_build_from_work(work_order=wo, actor=None, at=None)
    lines = [quote_add_line(quote=quote, kind="other", actor=None, quantity=q, unit_price=p, description="x")
             for q, p in others]
    quote.refresh_from_db()
    expected_net = sum((money(q * p) for q, p in others), Decimal(0))
    assert quote.net_total == expected_net == sum(line.line_total for line in lines)
    assert quote.tax_total == (expected_net * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert quote.gross_total == quote.net_total + quote.tax_total
    quote_remove_line(line=lines[0], actor=None)
    quote.refresh_from_db()
    assert quote.net_total == expected_net - lines[0].line_total
