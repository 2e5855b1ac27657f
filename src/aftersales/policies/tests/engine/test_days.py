"""Day counting (RULES.md, "Counting days") and working days on the Chinese and Korean calendars."""

from __future__ import annotations

from datetime import date

import pytest

from aftersales.policies.engine.days import (
    add_months,
    period_end,
    repair_days,
    total_repair_days,
    whole_months_between,
)
from aftersales.policies.engine.types import Repair
from aftersales.policies.engine.workdays import add_working_days, is_working_day


def test_a_7_day_window_from_03_01_ends_at_the_end_of_03_08():
    assert period_end(date(2025, 3, 1), {"days": 7}) == date(2025, 3, 8)


@pytest.mark.parametrize(("start", "months", "ends"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 3, 31), 1, date(2025, 4, 30)),
    (date(2025, 12, 15), 1, date(2026, 1, 15)),
    (date(2025, 3, 3), 12, date(2026, 3, 3)),
    (date(2025, 3, 3), -12, date(2024, 3, 3)),
])
def test_months_end_on_the_same_date_or_the_last_day_of_the_month(start, months, ends):
    assert add_months(start, months) == ends


def test_years_are_twelve_months():
    assert period_end(date(2024, 2, 29), {"years": 2}) == date(2026, 2, 28)


def test_a_period_needs_a_unit():
    with pytest.raises(ValueError, match="no duration"):
        period_end(date(2025, 1, 1), {"weeks": 2})


def test_days_in_repair_are_back_minus_handed_in_plus_parts_waiting():
    assert repair_days(Repair(start=date(2025, 2, 1), end=date(2025, 2, 6)), as_of=date(2025, 3, 1)) == 5
    assert repair_days(Repair(start=date(2025, 2, 1), end=date(2025, 2, 6), waiting_parts_days=4),
                       as_of=date(2025, 3, 1)) == 9


def test_an_open_repair_counts_to_the_claim_date():
    assert repair_days(Repair(start=date(2025, 2, 1)), as_of=date(2025, 2, 11)) == 10
    assert total_repair_days([Repair(start=date(2025, 2, 1), end=date(2025, 2, 4)), Repair(start=date(2025, 2, 10))],
                             as_of=date(2025, 2, 11)) == 4


@pytest.mark.parametrize(("first", "last", "months"), [
    (date(2025, 3, 2), date(2025, 4, 1), 0),
    (date(2025, 3, 2), date(2025, 4, 2), 1),
    (date(2025, 1, 31), date(2025, 2, 28), 1),
    (date(2023, 1, 10), date(2025, 7, 20), 30),
    (date(2025, 5, 1), date(2025, 4, 1), 0),
])
def test_whole_months_used(first, last, months):
    assert whole_months_between(first, last) == months


# ---- working days -----------------------------------------------------------------------------

def test_china_make_up_working_days_are_working_days():
    # Spring Festival 2025: Sunday 26 January and Saturday 8 February were worked (调休).
    assert is_working_day(date(2025, 1, 26), "CN")
    assert is_working_day(date(2025, 2, 8), "CN")
    assert not is_working_day(date(2025, 1, 29), "CN")
    assert not is_working_day(date(2025, 2, 9), "CN")  # an ordinary Sunday


def test_china_three_working_days_across_spring_festival_and_its_make_up_days():
    # Fri 24 Jan → Sun 26 Jan (make-up) is the 1st, Mon 27 the 2nd, then 28 Jan – 4 Feb are off → Wed 5 Feb.
    assert add_working_days(date(2025, 1, 24), 3, "CN") == date(2025, 2, 5)
    # Thu 6 Feb, Fri 7 Feb, Sat 8 Feb (make-up) → the 3rd working day after 5 Feb is a Saturday.
    assert add_working_days(date(2025, 2, 5), 3, "CN") == date(2025, 2, 8)


def test_china_national_day_2025_with_make_up_sunday_and_saturday():
    # Sun 28 Sep 2025 was worked; 1–8 Oct off; Sat 11 Oct worked.
    assert add_working_days(date(2025, 9, 26), 1, "CN") == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 30), 1, "CN") == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 9), 2, "CN") == date(2025, 10, 11)


def test_korea_chuseok_2025_and_substitute_holiday():
    # 3 Oct (개천절), 5–7 Oct (추석), 8 Oct (대체공휴일), 9 Oct (한글날).
    assert add_working_days(date(2025, 10, 2), 1, "KR") == date(2025, 10, 10)
    assert add_working_days(date(2025, 10, 2), 3, "KR") == date(2025, 10, 14)
    assert not is_working_day(date(2025, 10, 8), "KR")


def test_korea_has_no_make_up_saturdays():
    assert not is_working_day(date(2025, 2, 8), "KR")


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(date(2025, 10, 10), 0, "KR") == date(2025, 10, 10)
    assert add_working_days(date(2025, 10, 4), 0, "KR") == date(2025, 10, 10)


def test_working_days_need_a_known_calendar():
    with pytest.raises(ValueError, match="unknown calendar"):
        add_working_days(date(2025, 1, 1), 1, "XX")
    with pytest.raises(ValueError, match="calendar"):
        period_end(date(2025, 1, 1), {"working_days": 3})
    assert period_end(date(2025, 10, 2), {"working_days": 3}, calendar_code="KR") == date(2025, 10, 14)
