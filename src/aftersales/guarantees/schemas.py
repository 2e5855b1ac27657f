"""What `GET /api/v1/cases/{id}/guarantee-claims` answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from aftersales.core.schemas import Ref

Status = Literal["proposed", "approved", "escalated", "paid", "rejected"]


class RemedyOut(Schema):
    kind: str = Field(examples=["compensation"])
    amount: str | None = Field(None, examples=["2.00"])
    currency: str | None = Field(None, examples=["CNY"])


class StepOut(Schema):
    at: datetime
    by: Ref | None = None


class GuaranteeClaimOut(Schema):
    id: int
    guarantee: str = Field(examples=["late_shipment"])
    status: Status
    remedy: str = Field(description="The engine's remedy (compensation when it is among several).",
                        examples=["compensation"])
    remedies: list[RemedyOut] = Field(description="Every remedy the engine gave; settled together.")
    amount: str | None = Field(description="The engine's total, never changed; null for a re-shipment or when the "
                                           "policy leaves the amount to the platform.", examples=["2.00"])
    currency: str = Field(examples=["CNY"])
    override_amount: str | None = Field(None, description="The amount approved instead, with `override_reason`.")
    override_reason: str = ""
    payable: str | None = Field(description="What the seller pays: `override_amount`, else `amount`.")
    decision_id: int = Field(description="The stored entitlement decision (facts, answer, policy version).")
    policy: str = Field(examples=["cn-late-shipment"])
    policy_version: int
    facts: dict
    opened: StepOut
    approved: StepOut | None = None
    escalated: StepOut | None = None
    escalation_note: str = ""
    ruled: StepOut | None = None
    ruling: Literal["approved", "rejected", ""] = ""
    ruling_note: str = ""
    rejected: StepOut | None = None
    rejection_reason: str = ""
    paid: StepOut | None = None
    payment_reference: str = ""
