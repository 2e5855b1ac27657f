"""Properties over generated claims for every shipped policy (hypothesis).

- A later claim date, with the same history, never gives more remedies, nor cover where an
  earlier date gave none. ("Same history": repairs, exchanges and shipments all before the
  earlier date; an open repair or an order not yet shipped is a history that grows with time.)
- Money is never negative and always in the currency's minor unit; a refund or a return never
  pays more than the price.
- Deterministic: the same facts give the same answer.
- Any JSON at all gives a decision or a `ClaimError`, never another exception.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.policies.data import shipped_codes
from aftersales.policies.engine import evaluate, validate_policy
from aftersales.policies.engine.io import claim_from_json, decision_to_json
from aftersales.policies.engine.money import MINOR_UNITS
from aftersales.policies.engine.types import ClaimError
from aftersales.policies.engine.vocabulary import CAUSES, EXCLUDED_GOODS

from .support import policy

CODES = shipped_codes()
POLICIES = {code: policy(code) for code in CODES}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def day(base: date, offset: int) -> str:
    return (base + timedelta(days=offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> tuple[dict[str, Any], int, int]:
    """A request without its claim date, and two claim offsets (days after purchase), earlier first."""
    code = draw(st.sampled_from(CODES))
    doc = POLICIES[code]
    currency = doc["currency"]
    places = MINOR_UNITS[currency]
    cents = draw(st.integers(min_value=1, max_value=10**9 if places else 10**8))
    price = Decimal(cents).scaleb(-places)
    bought = date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 1400)))
    first = draw(st.one_of(st.integers(0, 40), st.integers(0, 1300)))
    later = first + draw(st.integers(0, 1300))
    request: dict[str, Any] = {"policy": code, "price": str(price), "currency": currency}
    components = doc.get("components") or ["main_unit"]
    family = doc["family"]

    if family in ("cn_sanbao", "cn_household_car", "kr_smartphone"):
        dates = {"invoice": day(bought, 0)}
        if draw(st.booleans()):
            dates["delivered"] = day(bought, draw(st.integers(0, 3)))
        if draw(st.booleans()):
            dates["installed"] = day(bought, draw(st.integers(0, 10)))
        proof = draw(st.sampled_from(["invoice", "other", "none"]))
        if proof == "none":
            dates = {"factory": day(bought, -draw(st.integers(0, 400)))}
        request.update(dates=dates, proof_of_purchase=proof)
        request["fault"] = {
            "component": draw(st.sampled_from(components)),
            "cause": draw(st.one_of(st.none(), st.sampled_from(sorted(CAUSES)))),
            "safety_critical": draw(st.booleans()),
            "major": draw(st.booleans()),
        }
        repairs = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, max(0, first)))
            end = min(first, start + draw(st.integers(0, 40)))
            repairs.append({"start": day(bought, start), "end": day(bought, end),
                            "component": draw(st.sampled_from(components)), "same_problem": draw(st.booleans()),
                            "waiting_parts_days": draw(st.integers(0, 100))})
        request["repairs"] = repairs
        if draw(st.booleans()):
            request["exchanges"] = [{"date": day(bought, draw(st.integers(0, max(0, first))))}]
        request["same_model_available"] = draw(st.booleans())
        request["parts_unavailable"] = draw(st.booleans())
        if family == "cn_household_car":
            request["odometer_km"] = draw(st.integers(0, 80_000))
    elif family in ("cn_online_return", "cn_return_promise", "kr_online_withdrawal"):
        request["signed_at"] = day(bought, 0)
        request["excluded_goods"] = draw(st.one_of(st.none(), st.sampled_from(sorted(EXCLUDED_GOODS))))
        request["exclusion_confirmed"] = draw(st.booleans())
        request["condition_ok"] = draw(st.booleans())
        if draw(st.booleans()):
            request["returned_at"] = day(bought, draw(st.integers(0, 30)))
        if draw(st.booleans()):
            share = Decimal(draw(st.integers(0, 100))) / 100
            request["bundle_list_total"] = str(price * 3)
            request["bundle_discount"] = str((price * share).quantize(Decimal(1).scaleb(-places)))
            request["amount_paid"] = str(price * 3)
            request["free_shipping_threshold"] = str(price * 2)
            request["shipping_fee"] = "10"
    else:
        paid = Decimal(draw(st.integers(1, cents))).scaleb(-places)
        request.update(amount_paid=str(paid), promised_ship_by=day(bought, draw(st.integers(-5, 5))),
                       shipped_at=day(bought, 0), signed_at=day(bought, 0), order_closed_at=day(bought, 0),
                       promised_delivery_by=day(bought, draw(st.integers(-5, 5))),
                       reshipments=draw(st.integers(0, 3)), confirmed_counterfeit=draw(st.booleans()))
    return request, bought.toordinal() + first, bought.toordinal() + later


def decide(request: dict[str, Any], claim_ordinal: int):
    body = {**request, "claim_date": date.fromordinal(claim_ordinal).isoformat()}
    return evaluate(POLICIES[request["policy"]], claim_from_json(body))


def entitled(decision) -> list[str]:
    return [r.kind for r in decision.remedies if r.kind != "paid_repair"]


@SETTINGS
@given(histories())
def test_a_later_claim_never_gives_more(history):
    request, earlier, later = history
    try:
        first = decide(request, earlier)
    except ClaimError:
        return  # e.g. a start date after the claim date: nothing to compare
    second = decide(request, later)
    assert len(entitled(second)) <= len(entitled(first)), (entitled(first), entitled(second))
    if second.covered:
        assert first.covered


@SETTINGS
@given(histories())
def test_money_is_never_negative_and_a_refund_never_exceeds_the_price(history):
    request, earlier, later = history
    for ordinal in (earlier, later):
        try:
            decision = decide(request, ordinal)
        except ClaimError:
            continue
        price = Decimal(request["price"])
        for remedy in decision.remedies:
            if remedy.amount is None:
                assert remedy.currency is None
                continue
            assert remedy.amount >= 0
            assert remedy.currency == request["currency"]
            assert -remedy.amount.as_tuple().exponent == MINOR_UNITS[request["currency"]]  # type: ignore[operator]
            if remedy.kind in ("refund", "return"):
                assert remedy.amount <= price


@SETTINGS
@given(histories())
def test_deterministic(history):
    request, earlier, _ = history
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(decide(request, earlier))
        except ClaimError as error:
            outcomes.append(error.code)
    first, second = outcomes
    if isinstance(first, str):
        assert second == first
        return
    assert first == second
    assert decision_to_json(first) == decision_to_json(second)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
KEYS = ["price", "currency", "dates", "claim_date", "fault", "repairs", "exchanges", "odometer_km", "amount_paid",
        "signed_at", "returned_at", "proof_of_purchase", "reshipments"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CODES), st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6))
def test_any_json_gives_a_decision_or_a_claim_error(code, noise):
    base = {"policy": code, "price": "100", "currency": POLICIES[code]["currency"], "claim_date": "2025-06-01",
            "dates": {"invoice": "2025-05-01"}, "signed_at": "2025-05-01", "odometer_km": 10,
            "promised_ship_by": "2025-05-02", "order_closed_at": "2025-05-20", "promised_delivery_by": "2025-05-10"}
    try:
        decision_to_json(evaluate(POLICIES[code], claim_from_json({**base, **noise})))
    except ClaimError as error:
        refusal = (error.code, str(error))
        assert all(refusal)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), JSON, max_size=8),
       st.sampled_from(CODES), st.dictionaries(st.text(max_size=12), JSON, max_size=3))
def test_validate_policy_never_raises(doc, code, rule_noise):
    assert isinstance(validate_policy(doc), list)
    shipped = {**POLICIES[code], "rules": {**POLICIES[code]["rules"], **rule_noise}}
    assert isinstance(validate_policy(shipped), list)


def mutate(doc: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    """The document with every whole number and percentage in its rules replaced at random."""
    doc = copy.deepcopy(doc)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, bool):
                    continue
                if isinstance(value, int):
                    node[key] = draw(st.integers(0, 1200))
                elif isinstance(value, str) and key != "source" and value.replace(".", "", 1).isdigit():
                    node[key] = str(draw(st.decimals(0, 100, places=2)))
                else:
                    visit(value)

    visit(doc["rules"])
    return doc


@SETTINGS
@given(histories(), st.data())
def test_any_valid_policy_decides_or_refuses(history, data):
    """A document `validate_policy` accepts never makes `evaluate` fail with anything but a ClaimError."""
    request, earlier, _ = history
    doc = mutate(POLICIES[request["policy"]], data.draw)
    if validate_policy(doc):
        return
    body = {**request, "claim_date": date.fromordinal(earlier).isoformat()}
    try:
        decision = evaluate(doc, claim_from_json(body))
    except ClaimError:
        return
    for remedy in decision.remedies:
        assert remedy.amount is None or remedy.amount >= 0
    decision_to_json(decision)
