"""What the customer is told of a work order's progress (`repairs.progress`, pure): every status
× kind × combination of facts gives exactly one current step (or the cancelled state), the
steps before it are done or skipped and those after it are to come; and the situations a
customer meets read as expected."""

from __future__ import annotations

import itertools

import pytest

from aftersales.repairs import progress, workflow
from aftersales.repairs.models import Kind, Status
from aftersales.repairs.models_work import VisitOutcome
from aftersales.repairs.progress import Facts

OUTCOMES = ("", *VisitOutcome.values)


def all_facts():
    """Every status × kind (and one kind nobody knows) × every combination of the facts."""
    for status, kind, window, card, labour, parts, receipt, voided, waiting, visit_open, visits, outcome in (
            itertools.product(workflow.STATUSES, (*progress.KINDS, "teleport"), *[(False, True)] * 6, (0, 2),
                              (False, True), (0, 1), OUTCOMES)):
        yield Facts(status=status, kind=kind, has_window=window, has_card=card, card_has_labour=labour,
                    card_has_parts=parts, has_receipt=receipt, receipt_voided=voided, reservations_waiting=waiting,
                    visit_open=visit_open, visits_done=visits, last_visit_outcome=outcome if visits else "")


def test_the_module_knows_the_models_kinds_statuses_and_outcomes():
    assert set(progress.KINDS) == set(Kind.values)
    assert set(workflow.STATUSES) == set(Status.values)
    assert progress.REVISIT_OUTCOMES <= set(VisitOutcome.values)


def test_every_combination_gives_one_current_step_or_the_cancelled_state():
    seen: dict[tuple[str, str], set[str]] = {}
    count = 0
    for facts in all_facts():
        count += 1
        p = progress.progress(facts)
        order = progress.VISIT_STEPS if facts.kind in progress.VISIT_KINDS else progress.WORKSHOP_STEPS
        assert tuple(s.key for s in p.steps) == order, facts
        assert p.note in ("", *progress.NOTES), facts
        if facts.status == workflow.CANCELLED:
            assert p.cancelled and p.current is None and not p.finished and p.position == 0, facts
            assert not any(s.current or s.done or s.skipped for s in p.steps), facts
            assert p.note in (progress.NOTE_CANCELLED, progress.NOTE_CANCELLED_COLLECT), facts
            continue
        assert not p.cancelled
        current = [s for s in p.steps if s.current]
        assert len(current) == 1 and current[0].key == p.current, facts
        at = order.index(p.current)
        assert p.position == at + 1
        for step in p.steps[:at]:
            assert step.done != step.skipped, (facts, step)
            assert not step.skipped or step.key in progress.OPTIONAL_STEPS, (facts, step)
        assert not any(s.done or s.skipped or s.current for s in p.steps[at + 1:]), facts
        # finished exactly when the last step is reached, and then it is done as well
        assert p.finished == (p.current == order[-1]) == current[0].done, facts
        assert current[0].state == "current"
        if facts.status in (workflow.COMPLETED, workflow.ARCHIVED):  # finished work never goes back
            assert p.finished and p.current in (progress.HANDED_BACK, progress.DONE), facts
        seen.setdefault((facts.kind, facts.status), set()).add(p.current)
    assert count == len(workflow.STATUSES) * 5 * 2**6 * 2 * 2 * 2 * len(OUTCOMES)
    assert len(seen) == 5 * (len(workflow.STATUSES) - 1)  # every kind × every status but cancelled


@pytest.mark.parametrize(("facts", "current", "note", "finished"), [
    # the workshop
    (Facts(status="registered", kind="carry_in"), "received", "awaiting_item", False),
    (Facts(status="dispatched", kind="carry_in", has_window=True), "received", "pickup_booked", False),
    (Facts(status="registered", kind="carry_in", has_receipt=True), "diagnosing", "queued", False),
    (Facts(status="in_progress", kind="carry_in", has_receipt=True), "diagnosing", "", False),
    (Facts(status="in_progress", kind="carry_in", has_receipt=True, has_card=True), "diagnosing", "", False),
    (Facts(status="in_progress", kind="carry_in", has_receipt=True, has_card=True, card_has_labour=True),
     "repairing", "", False),
    (Facts(status="in_progress", kind="carry_in", has_receipt=True, has_card=True, card_has_parts=True),
     "repairing", "", False),
    (Facts(status="waiting_parts", kind="carry_in", has_receipt=True), "waiting_parts", "parts_ordered", False),
    (Facts(status="waiting_parts", kind="carry_in", has_receipt=True, reservations_waiting=1), "waiting_parts",
     "parts_set_aside", False),
    (Facts(status="inspecting", kind="carry_in", has_receipt=True), "inspecting", "checking", False),
    (Facts(status="ready", kind="carry_in", has_receipt=True), "ready", "collect", False),
    (Facts(status="ready", kind="carry_in", has_receipt=True, receipt_voided=True), "handed_back", "", True),
    (Facts(status="completed", kind="carry_in", has_receipt=True, receipt_voided=True), "handed_back", "", True),
    (Facts(status="archived", kind="carry_in"), "handed_back", "", True),
    (Facts(status="inspecting", kind="carry_in", has_receipt=True, receipt_voided=True), "inspecting",
     "returned_early", False),
    (Facts(status="cancelled", kind="carry_in", has_receipt=True), None, "cancelled_collect", False),
    (Facts(status="cancelled", kind="carry_in", has_receipt=True, receipt_voided=True), None, "cancelled", False),
    (Facts(status="cancelled", kind="carry_in"), None, "cancelled", False),
    # a visit
    (Facts(status="registered", kind="on_site"), "booked", "to_be_arranged", False),
    (Facts(status="dispatched", kind="on_site", has_window=True), "on_the_way", "", False),
    (Facts(status="in_progress", kind="on_site", has_window=True, visit_open=True), "visit", "technician_there",
     False),
    (Facts(status="in_progress", kind="on_site", has_window=True, visits_done=1, last_visit_outcome="no_one_home"),
     "visit", "revisit_needed", False),
    (Facts(status="in_progress", kind="on_site", has_window=True, visits_done=1, last_visit_outcome="signed_off"),
     "visit", "", False),
    (Facts(status="dispatched", kind="on_site", has_window=True, visits_done=1, last_visit_outcome="failed"),
     "on_the_way", "revisit_booked", False),
    (Facts(status="waiting_parts", kind="installation", visits_done=1), "visit", "parts_ordered", False),
    (Facts(status="inspecting", kind="maintenance", visits_done=1), "visit", "checking", False),
    (Facts(status="ready", kind="on_site", visits_done=1), "done", "", True),
    (Facts(status="completed", kind="installation"), "done", "", True),
    (Facts(status="cancelled", kind="on_site", has_window=True), None, "cancelled", False),
    (Facts(status="cancelled", kind="on_site", has_receipt=True), None, "cancelled", False),
    # a kind nobody knows is shown as workshop work; a status nobody knows as its first step
    (Facts(status="teleported", kind="teleport"), "received", "awaiting_item", False),
    (Facts(status="teleported", kind="on_site"), "booked", "to_be_arranged", False),
])
def test_what_the_customer_is_told(facts, current, note, finished):
    p = progress.progress(facts)
    assert (p.current, p.note, p.finished) == (current, note, finished)


def test_waiting_for_parts_is_skipped_unless_parts_were_needed():
    base = {"status": "inspecting", "kind": "carry_in", "has_receipt": True, "has_card": True,
            "card_has_labour": True}
    without = progress.progress(Facts(**base))
    assert [s.state for s in without.steps] == ["done", "done", "skipped", "done", "current", "upcoming", "upcoming"]
    fitted = progress.progress(Facts(**base, card_has_parts=True))
    assert [s.state for s in fitted.steps] == ["done", "done", "done", "done", "current", "upcoming", "upcoming"]
    set_aside = progress.progress(Facts(**base, reservations_waiting=1))
    assert set_aside.steps[2].state == "done"
    finished = progress.progress(Facts(status="completed", kind="carry_in"))
    assert [s.state for s in finished.steps][-1] == "current" and finished.steps[-1].done
    assert finished.steps[2].skipped


def test_a_visit_reads_as_four_steps_and_ends_done():
    p = progress.progress(Facts(status="dispatched", kind="maintenance", has_window=True))
    assert [(s.key, s.state) for s in p.steps] == [("booked", "done"), ("on_the_way", "current"),
                                                   ("visit", "upcoming"), ("done", "upcoming")]
    assert p.position == 2 and p.flow == "visit"
    done = progress.progress(Facts(status="archived", kind="on_site"))
    assert all(s.done for s in done.steps) and done.steps[-1].current and done.position == 4
