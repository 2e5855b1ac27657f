"""The technician's monthly report (document 001: each service is recorded and reported every
month), as plain Python (no Django): the rows of the month's finished jobs in, one line per
technician out.

A *job* is a work order completed in the month, credited to the technician it was last sent
to (or who closed its repair card when nobody was sent). For each technician:

- jobs, and how many of them by billing class;
- first-time fix: the job was fixed (card result fixed or unit replaced, or an on-site visit
  signed off with no card) at the first visit, never turned into a carry-in, never sent back
  by the inspection;
- turnaround: from the voucher's registration to its completion, on average, in hours;
- repeat repairs within 90 days: jobs whose unit failed again — a later repair card names this
  job's card as the one it repeats — with that later work order registered within 90 days of
  this job's card closing. A month less than 90 days old is still open: later failures can
  still count;
- no fault found: jobs whose card found no fault, over jobs with a card;
- revenue by billing class: the net of the live invoices of the month's jobs, per currency;
- parts cost: the cost of the parts fitted, per currency; labour minutes on the cards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

REPEAT_WINDOW = timedelta(days=90)
FIXED_RESULTS = frozenset({"fixed", "replaced_unit"})
NO_FAULT = "no_fault_found"
SIGNED_OFF = "signed_off"


@dataclass(frozen=True)
class Job:
    work_order_id: int
    number: str
    technician_id: int | None
    billing_class: str
    registered_at: datetime
    completed_at: datetime
    kind_changed: bool = False  # an on-site job turned into a carry-in
    visits: int = 0
    last_visit_outcome: str = ""
    card_result: str = ""  # "" when the job has no repair card
    card_closed_at: datetime | None = None
    sent_back: int = 0  # inspections that sent the repair back
    labour_minutes: int = 0
    parts_cost: dict[str, Decimal] = field(default_factory=dict)  # currency → cost
    revenue: dict[str, Decimal] = field(default_factory=dict)  # currency → net invoiced
    repeats_registered_at: tuple[datetime, ...] = ()  # later work orders whose card repeats this card


def first_time_fix(job: Job) -> bool:
    if job.kind_changed or job.sent_back or job.visits > 1:
        return False
    if job.card_result:
        return job.card_result in FIXED_RESULTS
    return job.last_visit_outcome == SIGNED_OFF


def repeated_within(job: Job, window: timedelta = REPEAT_WINDOW) -> bool:
    if job.card_closed_at is None:
        return False
    return any(job.card_closed_at <= later <= job.card_closed_at + window for later in job.repeats_registered_at)


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _add(total: dict[str, Decimal], amounts: dict[str, Decimal]) -> None:
    for currency, amount in amounts.items():
        total[currency] = total.get(currency, Decimal("0")) + amount


@dataclass
class TechnicianLine:
    technician_id: int | None
    jobs: int = 0
    jobs_by_class: dict[str, int] = field(default_factory=dict)
    first_time_fixes: int = 0
    turnaround_hours_total: Decimal = Decimal("0")
    repeats: int = 0
    with_card: int = 0
    no_fault_found: int = 0
    labour_minutes: int = 0
    revenue_by_class: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # class → currency → net
    parts_cost: dict[str, Decimal] = field(default_factory=dict)

    @property
    def first_time_fix_rate(self) -> Decimal | None:
        return _ratio(self.first_time_fixes, self.jobs)

    @property
    def average_turnaround_hours(self) -> Decimal | None:
        if not self.jobs:
            return None
        return (self.turnaround_hours_total / self.jobs).quantize(Decimal("0.1"))

    @property
    def repeat_rate(self) -> Decimal | None:
        return _ratio(self.repeats, self.with_card)

    @property
    def no_fault_found_rate(self) -> Decimal | None:
        return _ratio(self.no_fault_found, self.with_card)

    def take(self, job: Job) -> None:
        self.jobs += 1
        self.jobs_by_class[job.billing_class] = self.jobs_by_class.get(job.billing_class, 0) + 1
        self.first_time_fixes += first_time_fix(job)
        seconds = Decimal((job.completed_at - job.registered_at).total_seconds())
        self.turnaround_hours_total += seconds / Decimal(3600)
        if job.card_result:
            self.with_card += 1
            self.no_fault_found += job.card_result == NO_FAULT
            self.repeats += repeated_within(job)
        self.labour_minutes += job.labour_minutes
        if job.revenue:
            _add(self.revenue_by_class.setdefault(job.billing_class, {}), job.revenue)
        _add(self.parts_cost, job.parts_cost)


def monthly_report(jobs: Iterable[Job]) -> tuple[list[TechnicianLine], TechnicianLine]:
    """One line per technician (in the order their jobs first appear; callers sort by name) and
    the line of the whole team."""
    lines: dict[int | None, TechnicianLine] = defaultdict(lambda: TechnicianLine(technician_id=None))
    total = TechnicianLine(technician_id=None)
    for job in jobs:
        line = lines[job.technician_id]
        line.technician_id = job.technician_id
        line.take(job)
        total.take(job)
    return list(lines.values()), total


def repeat_window_open(month_end: datetime, now: datetime, window: timedelta = REPEAT_WINDOW) -> bool:
    """True while a repair of the month could still be followed by a counted repeat."""
    return now < month_end + window
