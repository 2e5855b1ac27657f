"""The engine's input and output: the facts of a claim and the decision on it.

Plain frozen dataclasses, no Django: the HTTP contract (`POST /api/v1/entitlements/evaluate`)
and the CLI map onto these one to one. Dates are `datetime.date`, money is `Decimal`.
Explanations carry a message template in English (marked for translation with
`gettext_noop`, so the catalogues pick it up) and its parameters; the Django side turns
them into a sentence in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

ProofOfPurchase = Literal["invoice", "other", "none"]
Cause = Literal["misuse", "water_damage", "unauthorized_repair", "force_majeure", "no_fault"]
RemedyKind = Literal["return", "exchange", "repair", "refund", "replace_part", "paid_repair", "compensation",
                     "reshipment", "replacement_car"]


def gettext_noop(message: str) -> str:
    """Marks an English template for the catalogues (`makemessages` knows this name)."""
    return message


@dataclass(frozen=True)
class Dates:
    invoice: date | None = None
    delivered: date | None = None
    installed: date | None = None
    factory: date | None = None


@dataclass(frozen=True)
class Fault:
    component: str = "main_unit"
    cause: Cause | None = None
    safety_critical: bool = False
    major: bool = True  # Korea: a defect needing major repair (중요한 수리); minor ones get repair only


@dataclass(frozen=True)
class Repair:
    start: date
    end: date | None = None  # None: still in repair
    component: str = "main_unit"
    same_problem: bool = True
    waiting_parts_days: int = 0


@dataclass(frozen=True)
class Exchange:
    date: date


@dataclass(frozen=True)
class Claim:
    price: Decimal
    currency: str
    claim_date: date
    dates: Dates = field(default_factory=Dates)
    proof_of_purchase: ProofOfPurchase = "invoice"
    fault: Fault | None = None
    repairs: tuple[Repair, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    odometer_km: int | None = None
    same_model_available: bool = True
    requested: RemedyKind | None = None
    # Marketplace guarantees
    amount_paid: Decimal | None = None
    promised_ship_by: date | None = None
    shipped_at: date | None = None
    signed_at: date | None = None
    order_closed_at: date | None = None
    reshipments: int = 0
    confirmed_counterfeit: bool = False
    # Online returns: what the customer tells about the goods
    excluded_goods: str | None = None  # e.g. "custom_made", "perishable", … (policy lists them)
    condition_ok: bool = True
    exclusion_confirmed: bool = False  # the buyer confirmed the exclusion at purchase (goods excluded only then)
    returned_at: date | None = None  # the seller got the goods back: the refund deadline counts from here
    bundle_list_total: Decimal | None = None  # list price of the whole bundle the item was sold in
    bundle_discount: Decimal | None = None  # discount shared across that bundle, settled per item
    free_shipping_threshold: Decimal | None = None  # order value that earned free shipping
    shipping_fee: Decimal | None = None  # the shipping waived by that threshold
    not_as_described: bool = False  # goods differ from the description: the seller pays return carriage
    promised_delivery_by: date | None = None  # arrival promise: the promised arrival date
    parts_unavailable: bool = False  # the repairer has no parts (Korea: refund with depreciation)


@dataclass(frozen=True)
class Remedy:
    kind: RemedyKind
    amount: Decimal | None = None
    currency: str | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class Period:
    name: str  # e.g. "return", "exchange", "warranty", "main_parts", "battery"
    start: date
    ends: date
    extended_by_days: int = 0


@dataclass(frozen=True)
class Explanation:
    rule: str  # a stable rule id, e.g. "cn.sanbao.return_7d"
    source: str  # the citation, e.g. "部分商品修理更换退货责任规定 art. 8"
    template: str  # English, with %(name)s placeholders; translated on the Django side
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return self.template % self.params if self.params else self.template


@dataclass(frozen=True)
class Decision:
    covered: bool
    remedies: tuple[Remedy, ...]
    periods: tuple[Period, ...]
    explanation: tuple[Explanation, ...]
    policy_code: str
    policy_version: int


class ClaimError(ValueError):
    """Facts the engine cannot decide on (claim before purchase, unknown component, …).
    `code` is stable; the Django side answers 422 with it."""

    def __init__(self, code: str, template: str, **params: Any) -> None:
        super().__init__(template % params if params else template)
        self.code = code
        self.template = template
        self.params = params
