"""The claim status machine, every pair of statuses and every operation from every status."""

from __future__ import annotations

import itertools

import pytest

from aftersales.guarantees import workflow as w

LEGAL = {
    (w.PROPOSED, w.APPROVED), (w.PROPOSED, w.REJECTED), (w.PROPOSED, w.ESCALATED),
    (w.APPROVED, w.PAID), (w.APPROVED, w.ESCALATED),
    (w.ESCALATED, w.APPROVED), (w.ESCALATED, w.REJECTED),
}
STEPS = {
    (w.PROPOSED, w.APPROVE): w.APPROVED,
    (w.PROPOSED, w.REJECT): w.REJECTED,
    (w.PROPOSED, w.ESCALATE): w.ESCALATED,
    (w.APPROVED, w.PAY): w.PAID,
    (w.APPROVED, w.ESCALATE): w.ESCALATED,
    (w.ESCALATED, w.RULE_APPROVED): w.APPROVED,
    (w.ESCALATED, w.RULE_REJECTED): w.REJECTED,
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(w.STATUSES, repeat=2)))
def test_every_pair_of_statuses(source, target):
    assert w.can_move(source, target) is ((source, target) in LEGAL)


@pytest.mark.parametrize(("status", "operation"), list(itertools.product(w.STATUSES, w.OPERATIONS)))
def test_every_operation_from_every_status(status, operation):
    expected = STEPS.get((status, operation))
    assert w.can(status, operation) is (expected is not None)
    if expected is None:
        with pytest.raises(w.IllegalTransition) as caught:
            w.after(status, operation)
        assert (caught.value.status, caught.value.operation) == (status, operation)
    else:
        assert w.after(status, operation) == expected
        assert w.can_move(status, expected)


def test_paid_and_rejected_are_final_and_the_rest_are_open():
    for status in w.STATUSES:
        assert (w.TRANSITIONS[status] == frozenset()) is (status in w.FINAL)
        assert w.is_open(status) is (status not in w.FINAL)
    assert w.OPEN | w.FINAL == set(w.STATUSES)


def test_the_buttons_of_each_status_in_a_stable_order():
    assert w.operations_from(w.PROPOSED) == (w.APPROVE, w.REJECT, w.ESCALATE)
    assert w.operations_from(w.APPROVED) == (w.PAY, w.ESCALATE)
    assert w.operations_from(w.ESCALATED) == (w.RULE_APPROVED, w.RULE_REJECTED)
    assert w.operations_from(w.PAID) == w.operations_from(w.REJECTED) == ()


def test_unknown_words_are_never_legal():
    assert not w.can_move("nonsense", w.APPROVED) and not w.can(w.PROPOSED, "nonsense")
    with pytest.raises(w.IllegalTransition):
        w.after("nonsense", w.APPROVE)


def test_the_machine_has_no_django_import():
    from pathlib import Path

    assert "django" not in Path(w.__file__).read_text(encoding="utf-8")
