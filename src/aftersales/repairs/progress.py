"""What the customer sees of a work order's progress, as plain Python (no Django).

The desk's status machine (`workflow.py`) says where the work order is for the people doing the
work; a customer wants to know where their item or their visit is. `progress(facts)` maps
plain facts about a work order (its status and kind, whether a repair card exists and has work
recorded on it, whether a receipt was issued and voided at hand-back, the visits, the parts
reserved for it) to one of two step lists:

    the workshop (carry-in):  received → diagnosing → waiting for parts → repairing →
                              inspecting → ready → handed back
    a visit (on-site repair,  booked → technician on the way → visit → done
    installation, maintenance)

Exactly one step is current, except for a cancelled work order (no step: a cancelled state).
Steps before it are done — or skipped: "waiting for parts" is done only when parts were
reserved or fitted, otherwise it was not needed. When the work is finished the last step is
both current and done. A note code says more about the current situation ("your item has not
reached us yet", "parts are set aside"); the pages turn step keys and notes into words.
"""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.repairs import workflow

# The kinds of work (repairs.models.Kind); a test holds the two lists together.
ON_SITE = "on_site"
CARRY_IN = "carry_in"
INSTALLATION = "installation"
MAINTENANCE = "maintenance"
KINDS = (ON_SITE, CARRY_IN, INSTALLATION, MAINTENANCE)
VISIT_KINDS = frozenset({ON_SITE, INSTALLATION, MAINTENANCE})

# Visit outcomes (repairs.models_work.VisitOutcome) after which someone must come again.
REVISIT_OUTCOMES = frozenset({"no_one_home", "failed"})

WORKSHOP = "workshop"
VISIT = "visit"

# The steps, in order.
RECEIVED = "received"
DIAGNOSING = "diagnosing"
WAITING_PARTS = "waiting_parts"
REPAIRING = "repairing"
INSPECTING = "inspecting"
READY = "ready"
HANDED_BACK = "handed_back"
WORKSHOP_STEPS = (RECEIVED, DIAGNOSING, WAITING_PARTS, REPAIRING, INSPECTING, READY, HANDED_BACK)

BOOKED = "booked"
ON_THE_WAY = "on_the_way"
VISITING = "visit"
DONE = "done"
VISIT_STEPS = (BOOKED, ON_THE_WAY, VISITING, DONE)

OPTIONAL_STEPS = frozenset({WAITING_PARTS})
# Statuses in which work on the item has begun: it has reached us, receipt or not.
PAST_INTAKE = frozenset({workflow.IN_PROGRESS, workflow.WAITING_PARTS, workflow.INSPECTING, workflow.READY,
                         workflow.COMPLETED, workflow.ARCHIVED})

# Notes on the current situation.
NOTE_AWAITING_ITEM = "awaiting_item"  # carry-in: the item has not reached us yet
NOTE_PICKUP_BOOKED = "pickup_booked"  # carry-in: a technician comes to collect it
NOTE_QUEUED = "queued"  # received, waiting for a technician to look at it
NOTE_TO_BE_ARRANGED = "to_be_arranged"  # visit: no appointment yet
NOTE_REVISIT_BOOKED = "revisit_booked"  # visit: another visit is booked
NOTE_TECHNICIAN_THERE = "technician_there"
NOTE_REVISIT_NEEDED = "revisit_needed"  # the last visit could not finish the job: another one will be arranged
NOTE_PARTS_SET_ASIDE = "parts_set_aside"
NOTE_PARTS_ORDERED = "parts_ordered"
NOTE_CHECKING = "checking"  # the supervisor checks the work
NOTE_COLLECT = "collect"  # ready: come and collect the item
NOTE_RETURNED_EARLY = "returned_early"  # the item went back to the customer before the work ended
NOTE_CANCELLED_COLLECT = "cancelled_collect"  # cancelled, and we still hold the item
NOTE_CANCELLED = "cancelled"

NOTES = (NOTE_AWAITING_ITEM, NOTE_PICKUP_BOOKED, NOTE_QUEUED, NOTE_TO_BE_ARRANGED, NOTE_REVISIT_BOOKED,
         NOTE_TECHNICIAN_THERE, NOTE_REVISIT_NEEDED, NOTE_PARTS_SET_ASIDE, NOTE_PARTS_ORDERED, NOTE_CHECKING,
         NOTE_COLLECT, NOTE_RETURNED_EARLY, NOTE_CANCELLED_COLLECT, NOTE_CANCELLED)


@dataclass(frozen=True)
class Facts:
    """What the page knows about a work order, as plain values."""

    status: str
    kind: str
    has_window: bool = False  # an appointment window is set (dispatched)
    has_card: bool = False  # a repair card was opened
    card_has_labour: bool = False
    card_has_parts: bool = False  # parts were fitted
    has_receipt: bool = False  # the carried-in item was received against a receipt
    receipt_voided: bool = False  # ... and handed back (the receipt voided)
    reservations_waiting: int = 0  # parts set aside for it, not fitted yet
    visit_open: bool = False  # a technician is at the customer's now
    visits_done: int = 0  # visits that have ended
    last_visit_outcome: str = ""


@dataclass(frozen=True)
class Step:
    key: str
    done: bool = False
    current: bool = False
    skipped: bool = False  # passed without being needed (no parts were waited for)

    @property
    def state(self) -> str:
        if self.current:
            return "current"
        if self.done:
            return "done"
        return "skipped" if self.skipped else "upcoming"


@dataclass(frozen=True)
class Progress:
    flow: str  # WORKSHOP or VISIT
    steps: tuple[Step, ...]
    current: str | None  # the current step's key; None when cancelled
    note: str = ""
    finished: bool = False
    cancelled: bool = False

    @property
    def position(self) -> int:
        """1-based number of the current step (0 when cancelled), for "step 3 of 7"."""
        keys = [s.key for s in self.steps]
        return keys.index(self.current) + 1 if self.current in keys else 0


def flow_for(kind: str) -> str:
    return VISIT if kind in VISIT_KINDS else WORKSHOP


def _steps(order: tuple[str, ...], current: str, *, finished: bool, parts_involved: bool) -> tuple[Step, ...]:
    at = order.index(current)
    out = []
    for i, key in enumerate(order):
        if i < at:
            skipped = key in OPTIONAL_STEPS and not parts_involved
            out.append(Step(key, done=not skipped, skipped=skipped))
        elif i == at:
            out.append(Step(key, done=finished, current=True))
        else:
            out.append(Step(key))
    return tuple(out)


def _parts_note(f: Facts) -> str:
    return NOTE_PARTS_SET_ASIDE if f.reservations_waiting > 0 else NOTE_PARTS_ORDERED


def _workshop(f: Facts) -> tuple[str, str, bool]:
    """(current step, note, finished) for work at our workshop."""
    s = f.status
    received = f.has_receipt or s in PAST_INTAKE
    returned = f.has_receipt and f.receipt_voided
    if s in (workflow.COMPLETED, workflow.ARCHIVED):
        return HANDED_BACK, "", True
    if s == workflow.READY:
        return (HANDED_BACK, "", True) if returned else (READY, NOTE_COLLECT, False)
    early = NOTE_RETURNED_EARLY if returned else ""
    if s == workflow.INSPECTING:
        return INSPECTING, early or NOTE_CHECKING, False
    if s == workflow.WAITING_PARTS:
        return WAITING_PARTS, early or _parts_note(f), False
    if s == workflow.IN_PROGRESS:
        working = f.has_card and (f.card_has_labour or f.card_has_parts)
        return (REPAIRING if working else DIAGNOSING), early, False
    # registered, dispatched, or a status this module does not know
    if received:
        return DIAGNOSING, early or NOTE_QUEUED, False
    return RECEIVED, NOTE_PICKUP_BOOKED if s == workflow.DISPATCHED else NOTE_AWAITING_ITEM, False


def _visit(f: Facts) -> tuple[str, str, bool]:
    """(current step, note, finished) for work at the customer's."""
    s = f.status
    if s in (workflow.READY, workflow.COMPLETED, workflow.ARCHIVED):
        return DONE, "", True
    if f.visit_open and s in (workflow.IN_PROGRESS, workflow.DISPATCHED, workflow.WAITING_PARTS):
        return VISITING, NOTE_TECHNICIAN_THERE, False
    if s == workflow.DISPATCHED:
        return ON_THE_WAY, NOTE_REVISIT_BOOKED if f.visits_done else "", False
    if s == workflow.INSPECTING:
        return VISITING, NOTE_CHECKING, False
    if s == workflow.WAITING_PARTS:
        return VISITING, _parts_note(f), False
    if s == workflow.IN_PROGRESS:
        revisit = f.visits_done > 0 and f.last_visit_outcome in REVISIT_OUTCOMES
        return VISITING, NOTE_REVISIT_NEEDED if revisit else "", False
    # registered, or a status this module does not know
    return BOOKED, NOTE_TO_BE_ARRANGED if not f.has_window else "", False


def progress(f: Facts) -> Progress:
    flow = flow_for(f.kind)
    order = VISIT_STEPS if flow == VISIT else WORKSHOP_STEPS
    if f.status == workflow.CANCELLED:
        holding = flow == WORKSHOP and f.has_receipt and not f.receipt_voided
        return Progress(flow=flow, steps=tuple(Step(k) for k in order), current=None, cancelled=True,
                        note=NOTE_CANCELLED_COLLECT if holding else NOTE_CANCELLED)
    current, note, finished = _workshop(f) if flow == WORKSHOP else _visit(f)
    parts_involved = f.card_has_parts or f.reservations_waiting > 0
    return Progress(flow=flow, steps=_steps(order, current, finished=finished, parts_involved=parts_involved),
                    current=current, note=note, finished=finished)
