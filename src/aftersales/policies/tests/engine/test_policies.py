"""The shipped policy documents, `validate_policy`, and a shop changing numbers without code."""

from __future__ import annotations

import copy

import pytest

from aftersales.policies.data import load_shipped, shipped_codes
from aftersales.policies.engine import PolicyError, evaluate, validate_policy
from aftersales.policies.engine.io import claim_from_json
from aftersales.policies.engine.types import ClaimError

from .support import policy, respond

REQUIRED_CODES = {
    "cn-general", "cn-mobile-phone", "cn-personal-computer", "cn-flat-panel-tv", "cn-air-conditioner",
    "cn-refrigerator", "cn-washing-machine", "cn-household-car", "cn-online-return-7d", "kr-smartphone",
    "kr-online-withdrawal", "cn-late-shipment", "cn-counterfeit", "cn-damage-in-transit", "cn-arrival-promise",
    "cn-return-promise",
}


def test_every_required_policy_is_shipped():
    assert set(shipped_codes()) == REQUIRED_CODES


@pytest.mark.parametrize("code", sorted(REQUIRED_CODES))
def test_shipped_policies_are_valid_and_named_in_four_languages(code):
    doc = load_shipped(code)
    assert validate_policy(doc) == []
    assert doc["code"] == code
    assert set(doc["names"]) == {"en", "zh-hant", "zh-hans", "ko"}
    assert all(rule["source"].strip() for rule in doc["rules"].values())


def test_load_shipped_gives_a_copy_and_refuses_unknown_codes():
    load_shipped("cn-general")["rules"]["warranty"]["months"] = 99
    assert load_shipped("cn-general")["rules"]["warranty"]["months"] == 12
    with pytest.raises(KeyError):
        load_shipped("../../settings")


# ---- validate_policy -------------------------------------------------------------------------

def broken(code: str, change) -> list[str]:
    doc = load_shipped(code)
    change(doc)
    return validate_policy(doc)


@pytest.mark.parametrize(("code", "change", "expected"), [
    ("cn-general", lambda d: d.pop("family"), "family: must be one of"),
    ("cn-general", lambda d: d.update(family="cn_magic"), "family: must be one of"),
    ("cn-general", lambda d: d.update(code="CN General"), "code: must be"),
    ("cn-general", lambda d: d.update(currency="EUR"), "currency: must be one of"),
    ("cn-general", lambda d: d.update(jurisdiction="China"), "jurisdiction:"),
    ("cn-general", lambda d: d.update(version=0), "version:"),
    ("cn-general", lambda d: d["names"].pop("ko"), "names.ko: missing."),
    ("cn-general", lambda d: d.update(colour="red"), "Unknown key 'colour'."),
    ("cn-general", lambda d: d["rules"].pop("warranty"), "rules.warranty: missing."),
    ("cn-general", lambda d: d["rules"].update(warrenty={"months": 12, "source": "x"}), "rules.warrenty: not a rule"),
    ("cn-general", lambda d: d["rules"]["warranty"].update(months=-1), "rules.warranty.months: must be a whole number"),
    ("cn-general", lambda d: d["rules"]["warranty"].update(months="12"), "rules.warranty.months: must be a whole"),
    ("cn-general", lambda d: d["rules"]["warranty"].update(days=30), "rules.warranty: give exactly one of"),
    ("cn-general", lambda d: d["rules"]["warranty"].pop("source"), "rules.warranty.source: missing"),
    ("cn-general", lambda d: d["rules"]["warranty"].update(mnths=1), "rules.warranty.mnths: unknown key."),
    ("cn-general", lambda d: d["rules"]["refund"].update(daily_depreciation_percent="abc"), "must be a percentage"),
    ("cn-general", lambda d: d["rules"]["refund"].update(daily_depreciation_percent=120), "must be a percentage"),
    ("cn-general", lambda d: d["rules"]["start"].update(precedence=["purchase"]), "unknown word 'purchase'"),
    ("cn-general", lambda d: d["rules"]["start"].update(precedence=[]), "must be a list (not empty)"),
    ("cn-general", lambda d: d["rules"]["exclusions"].update(causes=["misuse", "misuse"]), "listed twice"),
    ("cn-general", lambda d: d["rules"]["carriage"].update(payer="platform"), "must be one of buyer, seller"),
    ("cn-mobile-phone", lambda d: d["rules"]["accessories"]["parts"].update(stylus={"months": 3}), "unknown component"),
    ("cn-mobile-phone", lambda d: d["components"].remove("battery"), "'battery' is not in the policy's components"),
    ("cn-personal-computer", lambda d: d["rules"]["main_parts"].update(components=[]), "must be a list (not empty)"),
    ("cn-late-shipment", lambda d: d["rules"]["compensation"].update(minimum="50"), "the minimum is above the maximum"),
    ("cn-late-shipment", lambda d: d["rules"]["compensation"].update(maximum="-1"), "must be an amount of 0 or more"),
    ("cn-counterfeit", lambda d: d["rules"]["compensation"].update(multiplier=0), "must be a number above 0"),
    ("cn-return-promise", lambda d: d["rules"]["refund"].update(days=None), "must be a whole number"),
    ("kr-online-withdrawal", lambda d: d.update(calendar="JP"), "calendar: must be one of"),
    ("cn-household-car", lambda d: d["rules"]["sanbao"].pop("km"), "rules.sanbao.km: missing."),
    ("cn-household-car", lambda d: d["rules"]["warranty"].update(km=True), "rules.warranty.km: must be a whole number"),
])
def test_validate_policy_names_each_problem(code, change, expected):
    problems = broken(code, change)
    assert any(expected in p for p in problems), problems


def test_validate_policy_refuses_what_is_not_a_mapping():
    assert validate_policy(["cn-general"]) == ["The policy must be a mapping of keys to values."]  # type: ignore[arg-type]
    assert "rules: must be a mapping" in " ".join(validate_policy({**load_shipped("cn-general"), "rules": []}))


def test_evaluate_refuses_an_unknown_family():
    doc = {**policy("cn-general"), "family": "nope"}
    with pytest.raises(PolicyError):
        evaluate(doc, claim_from_json({"price": "1", "currency": "CNY", "claim_date": "2025-01-01",
                                       "dates": {"invoice": "2025-01-01"}}))


# ---- a shop copies a policy and changes its numbers ------------------------------------------

def shop_copy(code: str, new_code: str) -> dict:
    doc = copy.deepcopy(policy(code))
    doc["code"] = new_code
    return doc


def test_a_30_day_return_promise_needs_no_code():
    doc = shop_copy("cn-return-promise", "shop-return-30d")
    doc["rules"]["window"]["days"] = 30
    doc["rules"]["carriage"]["return_payer"] = "seller"
    assert validate_policy(doc) == []
    request = {"policy": "shop-return-30d", "price": "459", "currency": "CNY", "signed_at": "2025-03-01",
               "claim_date": "2025-03-31"}
    got = respond(request, doc)
    assert got["policy"] == "shop-return-30d"
    assert got["remedies"] == [{"kind": "return", "amount": "459.00", "currency": "CNY", "deadline": "2025-03-31"}]
    assert "The seller pays the return carriage." in [e["text"] for e in got["explanation"]]
    assert respond({**request, "claim_date": "2025-04-01"}, doc)["covered"] is False
    assert respond({**request, "claim_date": "2025-03-31"}, policy("cn-return-promise"))["covered"] is False


def test_a_2_year_warranty_needs_no_code():
    doc = shop_copy("cn-mobile-phone", "shop-phone-2y")
    doc["rules"]["warranty"]["months"] = 24
    assert validate_policy(doc) == []
    request = {"policy": "shop-phone-2y", "price": "4000", "currency": "CNY", "dates": {"delivered": "2025-03-03"},
               "claim_date": "2026-09-01"}
    assert respond(request, doc)["remedies"] == [
        {"kind": "repair", "amount": None, "currency": None, "deadline": "2027-03-03"}]
    assert respond({**request, "policy": "cn-mobile-phone"})["remedies"] == [
        {"kind": "paid_repair", "amount": None, "currency": None, "deadline": None}]


def test_a_shop_can_count_a_refund_deadline_in_chinese_working_days():
    doc = shop_copy("cn-online-return-7d", "shop-return-fast-refund")
    doc["calendar"] = "CN"
    doc["rules"]["refund"] = {"working_days": 3, "source": "Shop promise: refund within 3 working days"}
    assert validate_policy(doc) == []
    # Goods back on Friday 26 September 2025: Sunday 28 September is a make-up working day, 1–8 October are off.
    request = {"policy": "shop-return-fast-refund", "price": "299", "currency": "CNY", "signed_at": "2025-09-22",
               "claim_date": "2025-09-24", "returned_at": "2025-09-26"}
    assert respond(request, doc)["remedies"] == [
        {"kind": "refund", "amount": "299.00", "currency": "CNY", "deadline": "2025-09-30"}]
    request["returned_at"] = "2025-09-29"
    assert respond(request, doc)["remedies"][0]["deadline"] == "2025-10-10"


def test_a_late_shipment_minimum_of_5_from_another_year():
    doc = shop_copy("cn-late-shipment", "cn-late-shipment-min5")
    doc["rules"]["compensation"]["minimum"] = "5"
    request = {"policy": "cn-late-shipment-min5", "price": "10", "currency": "CNY", "promised_ship_by": "2025-03-05",
               "shipped_at": "2025-03-07", "claim_date": "2025-03-08"}
    assert respond(request, doc)["remedies"][0]["amount"] == "5.00"


def test_an_arrival_promise_with_a_compensation_rate():
    doc = shop_copy("cn-arrival-promise", "shop-arrival")
    doc["rules"]["compensation"] = {"percent": "10", "minimum": "5", "source": "Shop promise"}
    assert validate_policy(doc) == []
    request = {"policy": "shop-arrival", "price": "520", "currency": "CNY", "promised_delivery_by": "2025-03-05",
               "signed_at": "2025-03-08", "order_closed_at": "2025-03-10", "claim_date": "2025-03-20"}
    assert respond(request, doc)["remedies"] == [
        {"kind": "compensation", "amount": "52.00", "currency": "CNY", "deadline": "2025-03-25"}]


def test_a_damage_claim_window_a_shop_adds():
    doc = shop_copy("cn-damage-in-transit", "shop-damage")
    doc["rules"]["claim_window"] = {"days": 3, "source": "Shop promise"}
    assert validate_policy(doc) == []
    request = {"policy": "shop-damage", "price": "199", "currency": "CNY", "signed_at": "2025-03-02",
               "claim_date": "2025-03-06"}
    assert respond(request, doc)["covered"] is False
    assert respond({**request, "claim_date": "2025-03-05"}, doc)["remedies"][0]["kind"] == "reshipment"


def test_a_korean_depreciation_refund_is_capped_at_the_price():
    doc = shop_copy("kr-smartphone", "shop-kr")
    doc["rules"]["warranty"]["months"] = 1
    doc["rules"]["depreciation_refund"]["useful_life_months"] = 1000
    request = {"policy": "shop-kr", "price": "1000000", "currency": "KRW", "dates": {"delivered": "2025-01-01"},
               "claim_date": "2025-03-01", "parts_unavailable": True}
    assert respond(request, doc)["remedies"] == [
        {"kind": "refund", "amount": "1000000", "currency": "KRW", "deadline": None}]


def test_a_car_policy_that_extends_periods_by_repair_time():
    doc = shop_copy("cn-household-car", "shop-car")
    doc["rules"]["repair_time"] = {"source": "Shop promise: time in repair extends the periods"}
    assert validate_policy(doc) == []
    request = {"policy": "shop-car", "price": "200000", "currency": "CNY", "dates": {"delivered": "2025-03-01"},
               "claim_date": "2027-03-05", "odometer_km": 30000,
               "repairs": [{"start": "2026-01-01", "end": "2026-01-11", "component": "body"}]}
    got = respond(request, doc)
    assert {"name": "sanbao", "start": "2025-03-01", "ends": "2027-03-11", "extended_by_days": 10} in got["periods"]
    assert got["remedies"][0] == {"kind": "repair", "amount": None, "currency": None, "deadline": "2027-03-11"}


def test_a_component_outside_the_policy_is_refused_at_evaluation():
    with pytest.raises(ClaimError) as error:
        respond({"policy": "kr-smartphone", "price": "1", "currency": "KRW", "dates": {"delivered": "2025-01-01"},
                 "claim_date": "2025-01-02", "fault": {"component": "engine"}})
    assert error.value.code == "unknown_component"
