"""The monthly report's arithmetic, on plain rows: first-time fix, repeats within 90 days, no
fault found, turnaround, money per class and currency, the team's total line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aftersales.repairs.report import Job, first_time_fix, monthly_report, repeat_window_open, repeated_within

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def job(n: int = 1, **kw) -> Job:
    base = {"work_order_id": n, "number": f"WO-{n}", "technician_id": 7, "billing_class": "A", "registered_at": T0,
            "completed_at": T0 + timedelta(hours=10)}
    return Job(**{**base, **kw})


def test_first_time_fix_needs_one_visit_no_send_back_no_carry_in_and_a_fix():
    assert first_time_fix(job(visits=1, last_visit_outcome="signed_off"))  # on site, no card
    assert first_time_fix(job(card_result="fixed", card_closed_at=T0))  # bench repair, passed at once
    assert first_time_fix(job(card_result="replaced_unit", card_closed_at=T0, visits=1))
    assert not first_time_fix(job(visits=2, last_visit_outcome="signed_off"))
    assert not first_time_fix(job(visits=1, last_visit_outcome="refused"))
    assert not first_time_fix(job(card_result="fixed", card_closed_at=T0, sent_back=1))
    assert not first_time_fix(job(card_result="fixed", card_closed_at=T0, visits=1, kind_changed=True))
    assert not first_time_fix(job(card_result="no_fault_found", card_closed_at=T0))
    assert not first_time_fix(job(card_result="not_fixed", card_closed_at=T0))


def test_a_repeat_counts_within_90_days_of_the_repair_and_not_after():
    closed = T0 + timedelta(days=1)
    assert repeated_within(job(card_result="fixed", card_closed_at=closed,
                               repeats_registered_at=(closed + timedelta(days=90),)))
    assert not repeated_within(job(card_result="fixed", card_closed_at=closed,
                                   repeats_registered_at=(closed + timedelta(days=90, seconds=1),)))
    assert not repeated_within(job(repeats_registered_at=(closed,)))  # no card: nothing to repeat


def test_the_lines_per_technician_and_the_team_total():
    jobs = [
        job(1, technician_id=1, visits=1, last_visit_outcome="signed_off", billing_class="C",
            completed_at=T0 + timedelta(hours=4)),
        job(2, technician_id=1, card_result="fixed", card_closed_at=T0, sent_back=1, labour_minutes=60,
            parts_cost={"CNY": Decimal("85.00")}, revenue={"CNY": Decimal("230.00")},
            completed_at=T0 + timedelta(hours=50), repeats_registered_at=(T0 + timedelta(days=30),)),
        job(3, technician_id=2, card_result="no_fault_found", card_closed_at=T0, labour_minutes=15,
            revenue={"CNY": Decimal("20.00"), "TWD": Decimal("300.00")}, completed_at=T0 + timedelta(hours=24)),
    ]
    lines, total = monthly_report(jobs)
    li, chen = lines
    assert (li.jobs, li.jobs_by_class, li.first_time_fixes, li.with_card, li.repeats) == (2, {"C": 1, "A": 1}, 1, 1, 1)
    assert li.first_time_fix_rate == Decimal("0.5000")
    assert li.average_turnaround_hours == Decimal("27.0")  # (4 + 50) / 2
    assert li.repeat_rate == Decimal("1.0000") and li.no_fault_found_rate == Decimal("0.0000")
    assert li.revenue_by_class == {"A": {"CNY": Decimal("230.00")}}
    assert li.parts_cost == {"CNY": Decimal("85.00")}
    assert (chen.jobs, chen.no_fault_found_rate, chen.first_time_fix_rate) == (1, Decimal("1.0000"), Decimal("0"))
    assert total.jobs == 3 and total.labour_minutes == 75
    assert total.revenue_by_class == {"A": {"CNY": Decimal("250.00"), "TWD": Decimal("300.00")}}
    assert total.average_turnaround_hours == Decimal("26.0")  # (4 + 50 + 24) / 3


def test_an_empty_month_has_no_rates():
    lines, total = monthly_report([])
    assert lines == [] and total.jobs == 0
    assert (total.first_time_fix_rate, total.average_turnaround_hours, total.no_fault_found_rate) == (None, None, None)


def test_the_repeat_window_stays_open_for_90_days_after_the_month():
    end = datetime(2026, 7, 1, tzinfo=UTC)
    assert repeat_window_open(end, end + timedelta(days=89))
    assert not repeat_window_open(end, end + timedelta(days=90))


@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from("ABCD"), st.integers(0, 3), st.integers(0, 2),
                          st.sampled_from(["", "fixed", "not_fixed", "no_fault_found", "replaced_unit"]),
                          st.decimals(0, 10_000, places=2)), max_size=40))
def test_the_total_line_is_the_sum_of_the_technicians_lines(rows):
    jobs = [job(i, technician_id=tech, billing_class=cls, visits=visits, sent_back=back, card_result=result,
                card_closed_at=T0 if result else None, last_visit_outcome="signed_off",
                revenue={"CNY": amount} if amount else {})
            for i, (tech, cls, visits, back, result, amount) in enumerate(rows)]
    lines, total = monthly_report(jobs)
    assert sum(line.jobs for line in lines) == total.jobs == len(jobs)
    assert sum(line.first_time_fixes for line in lines) == total.first_time_fixes
    assert sum(line.no_fault_found for line in lines) == total.no_fault_found
    for cls in "ABCD":
        assert sum(line.jobs_by_class.get(cls, 0) for line in lines) == total.jobs_by_class.get(cls, 0)
        assert (sum(line.revenue_by_class.get(cls, {}).get("CNY", Decimal(0)) for line in lines)
                == total.revenue_by_class.get(cls, {}).get("CNY", Decimal(0)))


def test_money_cells_follow_the_currencys_minor_unit():
    from aftersales.desk.templatetags.report_tags import money

    assert money({"KRW": Decimal("77000.00"), "CNY": Decimal("480.5")}) == "CNY 480.50; KRW 77,000"
