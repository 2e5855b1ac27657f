"""`claim_from_json` refuses what it cannot decide on, with stable codes; `decision_to_json` shapes the answer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.policies.engine import evaluate
from aftersales.policies.engine.io import claim_from_json, decision_to_json
from aftersales.policies.engine.types import ClaimError

from .support import policy

BASE = {"policy": "cn-mobile-phone", "price": "4000", "currency": "CNY", "dates": {"delivered": "2025-03-03"},
        "claim_date": "2025-03-09"}


def refused(**changes) -> ClaimError:
    body = {**BASE, **changes}
    body = {k: v for k, v in body.items() if v is not ...}
    with pytest.raises(ClaimError) as error:
        claim_from_json(body)
    return error.value


def test_a_full_request_parses():
    claim = claim_from_json({
        **BASE, "proof_of_purchase": "other",
        "dates": {"invoice": "2025-03-01", "delivered": "2025-03-03", "installed": None, "factory": "2024-12-01"},
        "fault": {"component": "battery", "cause": None, "safety_critical": False, "major": True},
        "repairs": [{"start": "2025-03-04", "end": "2025-03-06", "component": "battery", "same_problem": True,
                     "waiting_parts_days": 2}],
        "exchanges": [{"date": "2025-03-07"}], "odometer_km": 0, "same_model_available": False,
        "requested": "refund", "amount_paid": "3999.99", "reshipments": 0, "confirmed_counterfeit": False,
    })
    assert claim.price == Decimal("4000")
    assert claim.dates.factory == date(2024, 12, 1)
    assert claim.repairs[0].waiting_parts_days == 2
    assert claim.exchanges[0].date == date(2025, 3, 7)
    assert claim.amount_paid == Decimal("3999.99")
    assert claim.requested == "refund"


def test_whole_numbers_are_accepted_as_money():
    assert claim_from_json({**BASE, "price": 4000}).price == Decimal(4000)


@pytest.mark.parametrize(("changes", "code"), [
    ({"price": "-0.01"}, "invalid_money"),
    ({"price": "12.345"}, "invalid_money"),
    ({"price": 12.5}, "invalid_money"),
    ({"price": float("nan")}, "invalid_money"),
    ({"price": "NaN"}, "invalid_money"),
    ({"price": "Infinity"}, "invalid_money"),
    ({"price": "1e3"}, "invalid_money"),
    ({"price": True}, "invalid_money"),
    ({"price": "1" * 16}, "invalid_money"),
    ({"price": ...}, "missing_field"),
    ({"currency": "EUR"}, "invalid_currency"),
    ({"currency": ...}, "missing_field"),
    ({"claim_date": "2025-02-29"}, "invalid_date"),
    ({"claim_date": "20250309"}, "invalid_date"),
    ({"claim_date": "2025-03-09T10:00:00"}, "invalid_date"),
    ({"claim_date": "1800-01-01"}, "invalid_date"),
    ({"claim_date": 20250309}, "invalid_date"),
    ({"claim_date": ...}, "missing_field"),
    ({"claim_date": "2025-03-02"}, "claim_before_purchase"),
    ({"dates": {"delivered": "2025-03-03", "shipped": "2025-03-01"}}, "unknown_field"),
    ({"dates": "2025-03-03"}, "invalid_type"),
    ({"colour": "red"}, "unknown_field"),
    ({"fault": {"component": "warp_core"}}, "unknown_component"),
    ({"fault": {"component": "battery", "severity": 3}}, "unknown_field"),
    ({"fault": {"cause": "gremlins"}}, "invalid_choice"),
    ({"fault": {"safety_critical": "yes"}}, "invalid_type"),
    ({"proof_of_purchase": "receipt"}, "invalid_choice"),
    ({"requested": "apology"}, "invalid_choice"),
    ({"repairs": {"start": "2025-03-04"}}, "invalid_type"),
    ({"repairs": [{"start": "2025-03-06", "end": "2025-03-04"}]}, "invalid_date"),
    ({"repairs": [{"start": "2025-03-04", "waiting_parts_days": -1}]}, "invalid_number"),
    ({"repairs": [{"start": "2025-03-04", "component": "engine", "extra": 1}]}, "unknown_field"),
    ({"repairs": [{"end": "2025-03-04"}]}, "missing_field"),
    ({"repairs": [{"start": "2025-03-04"}] * 101}, "too_many"),
    ({"repairs": [{"start": "2025-03-10"}]}, "after_claim_date"),
    ({"exchanges": [{"date": "2025-03-10"}]}, "after_claim_date"),
    ({"odometer_km": -5}, "invalid_number"),
    ({"odometer_km": 1.5}, "invalid_number"),
    ({"reshipments": True}, "invalid_number"),
    ({"same_model_available": 1}, "invalid_type"),
    ({"returned_at": "2025-03-01", "signed_at": "2025-03-03"}, "invalid_date"),
    ({"dates": {"delivered": "2025-03-03", "factory": "2025-03-04"}}, "invalid_date"),
    ({"bundle_list_total": "100"}, "invalid_money"),
    ({"excluded_goods": "spaceship"}, "invalid_choice"),
])
def test_refusals_have_stable_codes(changes, code):
    error = refused(**changes)
    assert error.code == code
    assert str(error)  # the English sentence, formatted


def test_a_request_must_be_an_object():
    with pytest.raises(ClaimError) as error:
        claim_from_json(["price", "4000"])
    assert error.value.code == "invalid_type"


def test_shipping_dates_may_follow_the_claim_date():
    claim = claim_from_json({**BASE, "shipped_at": "2025-03-12", "signed_at": "2025-03-14",
                             "returned_at": "2025-03-20"})
    assert claim.shipped_at == date(2025, 3, 12)


def test_the_policy_key_is_ignored():
    assert claim_from_json({**BASE, "policy": "anything"}) == claim_from_json(BASE)


def test_the_response_shape():
    doc = policy("cn-mobile-phone", version=3)
    got = decision_to_json(evaluate(doc, claim_from_json(BASE)))
    assert list(got) == ["policy", "policy_version", "covered", "remedies", "periods", "explanation"]
    assert got["policy"] == "cn-mobile-phone"
    assert got["policy_version"] == 3
    assert got["remedies"][0] == {"kind": "return", "amount": "4000.00", "currency": "CNY", "deadline": "2025-03-10"}
    assert set(got["periods"][0]) == {"name", "start", "ends", "extended_by_days"}
    assert set(got["explanation"][0]) == {"rule", "source", "text"}


def test_translate_is_called_with_the_english_template_before_formatting():
    seen = []

    def translate(template: str) -> str:
        seen.append(template)
        return "«" + template + "»"

    got = decision_to_json(evaluate(policy("cn-mobile-phone"), claim_from_json(BASE)), translate=translate)
    assert "The periods start on the delivery date, %(date)s." in seen
    assert got["explanation"][0]["text"] == "«The periods start on the delivery date, 2025-03-03.»"
