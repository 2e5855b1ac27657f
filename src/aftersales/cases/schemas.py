from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from aftersales.cases.models import CaseType, Channel, Severity, Status
from aftersales.core.schemas import LanguageCode, Ref, choices_literal

CaseTypeIn = choices_literal(CaseType)
SeverityIn = choices_literal(Severity)
ChannelIn = choices_literal(Channel)
StatusIn = choices_literal(Status)


class CaseCreateIn(Schema):
    customer_id: int | None = Field(None, description="Required for staff; customers open cases for themselves.")
    subject: str = Field(min_length=1, max_length=300, examples=["洗衣机不脱水"])
    body: str = Field("", max_length=50_000, examples=["买了三个月，昨天开始不脱水，显示E21。"])
    type: CaseTypeIn = "consultation"  # type: ignore[valid-type]
    severity: SeverityIn = "ordinary"  # type: ignore[valid-type]
    channel: ChannelIn | None = None  # type: ignore[valid-type]
    language: LanguageCode | None = None
    unit_id: int | None = None
    purchase_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)


class CasePatchIn(Schema):
    """Send only the fields to change. `assignee_id: null` unassigns."""

    status: StatusIn | None = None  # type: ignore[valid-type]
    assignee_id: int | None = None
    team_id: int | None = None
    type: CaseTypeIn | None = None  # type: ignore[valid-type]
    severity: SeverityIn | None = None  # type: ignore[valid-type]
    subject: str | None = Field(None, min_length=1, max_length=300)
    language: LanguageCode | None = None
    unit_id: int | None = None
    purchase_id: int | None = None
    tags: list[str] | None = Field(None, max_length=20)


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=50_000, examples=["您好，請提供購買發票照片。"])
    internal: bool = Field(False, description="An internal note, never shown to the customer.")
    language: LanguageCode | None = None


class CustomerBrief(Schema):
    id: int
    name: str
    tier: str


class UnitBrief(Schema):
    id: int
    serial_number: str
    product_model_id: int


class PurchaseBrief(Schema):
    id: int
    order_number: str
    channel: str


class TeamBrief(Schema):
    id: int
    code: str
    name: str


class CaseOut(Schema):
    id: int
    number: str = Field(examples=["AS-2026-000123"])
    subject: str
    type: str
    severity: str
    channel: str
    status: str
    status_label: str
    language: str
    customer: CustomerBrief
    unit: UnitBrief | None
    product_model_id: int | None = Field(None, description="The product the case is about: the unit's model, "
                                         "or the purchase's when it holds one model.")
    purchase: PurchaseBrief | None
    assignee: Ref | None
    team: TeamBrief | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    sla: list[ClockOut] = Field(description="The case's running and paused SLA clocks, soonest due first "
                                "(staff only: empty for a customer).")


class ClockOut(Schema):
    metric: str = Field(description="first_response, next_response or resolution.")
    label: str = Field(description="The target's name in the reader's language.")
    state: str = Field(description="running or paused.")
    started_at: datetime
    due_at: datetime | None = Field(description="When the target is breached; null while paused.")
    warn_at: datetime | None
    paused: bool
    paused_minutes: int = Field(description="Business minutes spent paused so far.")
    minutes_left: int = Field(description="Business minutes left on the target's calendar; negative when overdue.")
    breached: bool
    at_risk: bool = Field(description="Past its warning, or under two hours from its due instant.")


class CaseListOut(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    is_public: bool
    url: str


class EntryOut(Schema):
    id: int
    kind: str
    is_public: bool
    author: Ref | None
    from_customer: bool
    body: str
    language: str
    event: str
    text: str = Field(description="The entry as a sentence in the reader's language (events) or the body.")
    created_at: datetime
    attachments: list[AttachmentOut]
