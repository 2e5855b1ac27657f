"""The entitlement contract (`POST /api/v1/entitlements/evaluate`) and the policy reads.

The request models below are the contract's documentation (the OpenAPI shows them, with
types, descriptions and examples). The body itself is judged by the engine
(`engine.io.claim_from_json`), which refuses a wrong type, an unknown key, an impossible
date or malformed money with its own stable code — so the endpoint and the CLI answer the
same, and there is one place that says what a valid claim is. `tests/test_contract.py`
holds these models and the engine's keys in step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictInt, StrictStr, WithJsonSchema

from aftersales.core.schemas import Ref
from aftersales.policies.engine.vocabulary import COMPONENTS, EXCLUDED_GOODS

DateStr = Annotated[StrictStr, Field(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$",
                                     json_schema_extra={"format": "date"})]
MoneyStr = Annotated[StrictStr, Field(max_length=32, description="A decimal string, e.g. \"4000.00\".",
                                      examples=["4000.00"])]
Component = Literal[tuple(sorted(COMPONENTS))]  # type: ignore[valid-type]
ExcludedGoods = Literal[tuple(sorted(EXCLUDED_GOODS))]  # type: ignore[valid-type]
Cause = Literal["misuse", "water_damage", "unauthorized_repair", "force_majeure", "no_fault"]
RemedyKind = Literal["return", "exchange", "repair", "refund", "replace_part", "paid_repair", "compensation",
                     "reshipment", "replacement_car"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class DatesIn(Strict):
    invoice: DateStr | None = None
    delivered: DateStr | None = None
    installed: DateStr | None = None
    factory: DateStr | None = None


class FaultIn(Strict):
    component: Component = "main_unit"  # type: ignore[valid-type]
    cause: Cause | None = Field(None, description="null for a performance fault the customer did not cause.")
    safety_critical: StrictBool = False
    major: StrictBool = Field(True, description="Korea: a defect needing major repair (minor ones get repair only).")


class RepairIn(Strict):
    start: DateStr = Field(description="Handed in for repair.")
    end: DateStr | None = Field(None, description="Back in working order; null while still in repair.")
    component: Component = "main_unit"  # type: ignore[valid-type]
    same_problem: StrictBool = True
    waiting_parts_days: StrictInt = Field(0, description="Days waiting for parts, recorded separately.")


class ExchangeIn(Strict):
    date: DateStr


PHONE_EXAMPLE = {
    "policy": "cn-mobile-phone", "price": "4000.00", "currency": "CNY",
    "dates": {"invoice": "2025-03-03", "delivered": "2025-03-03", "installed": None, "factory": None},
    "claim_date": "2025-03-09", "proof_of_purchase": "invoice",
    "fault": {"component": "main_unit", "cause": None, "safety_critical": False},
}
LATE_SHIPMENT_EXAMPLE = {
    "policy": "cn-late-shipment", "price": "40.00", "currency": "CNY", "amount_paid": "40.00",
    "promised_ship_by": "2025-06-01", "shipped_at": "2025-06-04", "claim_date": "2025-06-05",
}


class EvaluateIn(Strict):
    """The facts of a claim. Only `policy`, `price`, `currency` and `claim_date` are always
    needed; send what the policy asks about (dates for 三包, odometer for cars, the promise
    dates for guarantees). Dates are ISO `YYYY-MM-DD`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PHONE_EXAMPLE, LATE_SHIPMENT_EXAMPLE]})

    policy: StrictStr = Field(max_length=60, description="The policy code (`GET /api/v1/policies`).",
                              examples=["cn-mobile-phone"])
    price: MoneyStr
    currency: StrictStr = Field(max_length=3, examples=["CNY", "KRW"])
    dates: DatesIn = Field(default_factory=DatesIn, description="Any may be null.")
    claim_date: DateStr
    proof_of_purchase: Literal["invoice", "other", "none"] = "invoice"
    fault: FaultIn | None = None
    repairs: list[RepairIn] = Field(default_factory=list, max_length=200)
    exchanges: list[ExchangeIn] = Field(default_factory=list, max_length=50)
    odometer_km: StrictInt | None = None
    same_model_available: StrictBool = True
    requested: RemedyKind | None = Field(None, description="The remedy the customer asks for, if any.")
    amount_paid: MoneyStr | None = None
    promised_ship_by: DateStr | None = None
    shipped_at: DateStr | None = None
    signed_at: DateStr | None = None
    order_closed_at: DateStr | None = None
    reshipments: StrictInt = 0
    confirmed_counterfeit: StrictBool = False
    excluded_goods: ExcludedGoods | None = Field(None, description="Online returns: the kind of excluded goods, "
                                                 "if any.")
    condition_ok: StrictBool = Field(True, description="Online returns: the goods come back in a returnable state.")
    exclusion_confirmed: StrictBool = Field(False, description="Online returns: the buyer confirmed the exclusion "
                                            "at purchase (some goods are excluded only then).")
    returned_at: DateStr | None = Field(None, description="The seller got the goods back (refund deadline).")
    bundle_list_total: MoneyStr | None = Field(None, description="List price of the bundle the item was sold in.")
    bundle_discount: MoneyStr | None = Field(None, description="Discount shared across that bundle.")
    free_shipping_threshold: MoneyStr | None = Field(None, description="Order value that earned free shipping.")
    shipping_fee: MoneyStr | None = Field(None, description="The shipping waived by that threshold.")
    not_as_described: StrictBool = Field(False, description="Goods differ from the description.")
    promised_delivery_by: DateStr | None = Field(None, description="Arrival promise: the promised arrival date.")
    parts_unavailable: StrictBool = Field(False, description="The repairer has no parts.")


class EvaluateQuery(Schema):
    record: bool = Field(False, description="Keep the decision (its id comes back as `decision_id`).")
    case: int | None = Field(None, ge=1, le=2**63 - 1,
                             description="Keep the decision on this case (implies `record`).")


class RemedyOut(Schema):
    kind: RemedyKind
    amount: str | None = Field(description="A decimal string in the currency's minor units, or null.")
    currency: str | None
    deadline: date | None


class PeriodOut(Schema):
    name: str = Field(examples=["return", "exchange", "warranty", "main_parts"])
    start: date
    ends: date
    extended_by_days: int


class ExplanationOut(Schema):
    rule: str
    source: str
    text: str = Field(description="In the reader's language (the account's, else Accept-Language).")


class EvaluateOut(Schema):
    covered: bool
    remedies: list[RemedyOut]
    periods: list[PeriodOut]
    explanation: list[ExplanationOut]
    policy: str
    policy_version: int
    decision_id: int | None = Field(None, description="Only when the decision was kept.")


class PolicyOut(Schema):
    code: str
    name: str = Field(description="In the reader's language.")
    names: dict[str, str]
    family: str
    jurisdiction: str
    currency: str
    is_active: bool
    based_on: str | None
    version: int | None = Field(description="The current version's number.")


class PolicyListOut(Schema):
    items: list[PolicyOut]


class VersionOut(Schema):
    number: int
    created_at: datetime
    created_by: Ref | None
    note: str


class PolicyDetailOut(PolicyOut):
    document: dict[str, Any] = Field(description="The current version's document.")
    versions: list[VersionOut] = Field(description="Newest first.")


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its `$defs` written in place, so it stands on its own."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve({**defs[ref.removeprefix("#/$defs/")], **{k: v for k, v in node.items() if k != "$ref"}})
            return {k: resolve(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


# The body as the endpoint receives it: any JSON object (the strict parser has already
# refused what is not one), documented as `EvaluateIn`.
FactsBody = Annotated[dict[str, Any], WithJsonSchema(inline_refs(EvaluateIn.model_json_schema()))]
