"""Work orders with everything their printed documents show, made through the real actions:
a carry-in repair from intake to hand-back (receipt voided with a drawn signature, repair card
with labour, a part and an inspection), and an on-site job signed off at the customer's. The
customer, the condition and the accessories are in Chinese, to be read back from the PDF."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open, case_post_message
from aftersales.core.tests.factories import CustomerFactory, ProductModelFactory, UnitFactory, UserFactory
from aftersales.parts.actions import stock_receive
from aftersales.parts.tests.factories import LocationFactory, PartFactory
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_dispatch,
    work_order_move,
    work_order_open,
)
from aftersales.repairs.actions_work import (
    inspection_record,
    labour_add,
    part_use,
    repair_card_close,
    repair_card_open,
    visit_finish,
    visit_start,
)
from aftersales.repairs.tests.support import signature_bytes

TAIPEI = ZoneInfo("Asia/Taipei")
CUSTOMER_NAME = "王小明"
CONDITION = "螢幕刮傷，背蓋有凹痕"
ACCESSORIES = ["充電器", "保護殼"]
ROOT_CAUSE = "排線鬆脫導致螢幕閃爍"
SECRET_NOTE = "INTERNAL-ONLY customer owes us money"
INSPECTION_NOTE = "INTERNAL-QA screws were loose"
BILLING_REASON = "INTERNAL-BILLING decision 42"
LANGUAGES = ("en", "zh-hant", "zh-hans", "ko")
SERIALS = itertools.count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TAIPEI)


@dataclass
class Job:
    work_order: object
    customer: object
    supervisor: object
    technician: object


def staff(team=None):
    teams = [team] if team is not None else []
    supervisor = UserFactory(role=Role.SUPERVISOR, display_name="林主任", teams=teams)
    technician = UserFactory(role=Role.TECHNICIAN, display_name="李師傅", teams=teams)
    return supervisor, technician


def carry_in_job(*, language: str = "zh-hant", customer=None, team=None, hand_back: bool = True) -> Job:
    """A carried-in phone: received with a receipt, to the workshop and back, repaired (labour,
    a part), inspected (sent back once, then passed), handed back against a drawn signature."""
    supervisor, tech = staff(team)
    serial = f"SN-TW-{next(SERIALS):04d}"
    customer = customer or CustomerFactory(name=CUSTOMER_NAME, language=language, notes=SECRET_NOTE)
    unit = UnitFactory(serial_number=serial,
                       product_model=ProductModelFactory(names={"en": "Phone 9", "zh-hant": "手機 9"}))
    case = case_open(customer=customer, subject="螢幕閃爍", actor=None, unit=unit, team=team,
                     at=at("2026-03-02 09:00"))
    case_post_message(case=case, actor=supervisor, body=SECRET_NOTE, public=False)
    wo = work_order_open(actor=supervisor, kind="carry_in", case=case, phone="0912-345-678",
                         address="台北市信義區市府路 1 號", problem="螢幕閃爍，偶爾黑屏", billing_class="C",
                         billing_reason=BILLING_REASON, at=at("2026-03-02 09:05"))
    receipt = custody_intake(work_order=wo, condition=CONDITION, location="門市櫃台", actor=supervisor,
                             accessories=ACCESSORIES, serial_seen=serial.lower(), at=at("2026-03-02 09:10"))
    custody_move(receipt=receipt, move="sent_to_workshop", location="維修中心", holder="李師傅", actor=supervisor,
                 note="急件", at=at("2026-03-02 11:00"))
    work_order_move(work_order=wo, target="in_progress", actor=tech, at=at("2026-03-03 09:00"))
    card = repair_card_open(work_order=wo, actor=tech, at=at("2026-03-03 09:05"))
    labour_add(card=card, technician=tech, minutes=45, note="更換排線", actor=tech, at=at("2026-03-03 10:00"))
    part = PartFactory(names={"en": "Display flex cable", "zh-hant": "螢幕排線"})
    bench = LocationFactory(name="維修中心")
    stock_receive(part=part, location=bench, quantity=3, actor=supervisor)
    part_use(card=card, part=part, location=bench, quantity=1, actor=tech, note="INTERNAL-PART bin 7",
             at=at("2026-03-03 10:05"))
    repair_card_close(card=card, result="fixed", fault_code="lcd-flex", root_cause=ROOT_CAUSE, actor=tech,
                      at=at("2026-03-03 11:00"))
    inspection_record(card=card, outcome="sent_back", note=INSPECTION_NOTE, actor=supervisor,
                      at=at("2026-03-03 14:00"))
    repair_card_close(card=card, result="fixed", fault_code="lcd-flex", root_cause=ROOT_CAUSE, actor=tech,
                      at=at("2026-03-03 15:00"))
    inspection_record(card=card, outcome="passed", actor=supervisor, at=at("2026-03-03 16:00"))
    custody_move(receipt=receipt, move="returned_to_shop", location="門市櫃台", holder="林主任", actor=supervisor,
                 at=at("2026-03-04 09:00"))
    if hand_back:
        custody_hand_back(receipt=receipt, signed_by=CUSTOMER_NAME, signature=signature_bytes(), actor=supervisor,
                          location="門市櫃台", at=at("2026-03-04 10:30"))
    wo.refresh_from_db()
    return Job(work_order=wo, customer=customer, supervisor=supervisor, technician=tech)


def on_site_job(*, language: str = "ko", customer=None, team=None, signed: bool = True) -> Job:
    """An on-site visit dispatched (then re-scheduled) and signed off with a drawn signature."""
    supervisor, tech = staff(team)
    customer = customer or CustomerFactory(name="김민수", language=language, notes=SECRET_NOTE)
    case = case_open(customer=customer, subject="세탁기 누수", actor=None, team=team, unit=UnitFactory(),
                     at=at("2026-03-02 09:00"))
    wo = work_order_open(actor=supervisor, kind="on_site", case=case, address="서울시 중구 세종대로 110",
                         phone="010-1234-5678", problem="세탁기 아래로 물이 샙니다", billing_class="C",
                         billing_reason=BILLING_REASON, at=at("2026-03-02 09:05"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-03 09:00"),
                        window_end=at("2026-03-03 12:00"), actor=supervisor, at=at("2026-03-02 09:10"))
    work_order_dispatch(work_order=wo, technician=tech, window_start=at("2026-03-04 13:00"),
                        window_end=at("2026-03-04 17:00"), actor=supervisor, reason="INTERNAL-RESCHEDULE",
                        at=at("2026-03-02 15:00"))
    if signed:
        visit = visit_start(work_order=wo, actor=tech, at=at("2026-03-04 13:20"))
        visit_finish(visit=visit, outcome="signed_off", signed_by="김민수", signature=signature_bytes(), actor=tech,
                     findings="배수 펌프 막힘", work_done="펌프 청소 후 시운전", at=at("2026-03-04 14:10"))
    wo.refresh_from_db()
    return Job(work_order=wo, customer=customer, supervisor=supervisor, technician=tech)


def pdf_text(content: bytes) -> str:
    """The text layer of every page, as pypdf reads it back."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_images(content: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)
