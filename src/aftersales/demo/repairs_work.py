"""One demo repair job played through the real actions, step by step, as the desk, the
technician's phone, the supervisor and the customer would drive them (document 001's
procedure): the service voucher, dispatch and visits or the carry-in receipt and the custody
register, the repair card with labour and parts, quotes for paid work, the inspection, the
hand-back against a drawn signature, the invoice and payment or the contract draw, archiving.

`Work.run()` is a generator: it yields the time of its next step and takes the step when the
scheduler (`repairs.make_repairs`) resumes it, so that every job's steps interleave in time
order and the numbers handed out (WO, RC, QT, INV) follow the calendar."""

from __future__ import annotations

import zoneinfo
from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from aftersales.cases.actions import case_post_message
from aftersales.cases.models import Case
from aftersales.charges.actions import (
    quote_accept,
    quote_add_line,
    quote_build_from_work,
    quote_decline,
    quote_send,
)
from aftersales.charges.actions_contracts import contract_draw
from aftersales.charges.actions_invoices import invoice_issue, payment_record
from aftersales.demo import content as C
from aftersales.demo.repairs_plan import Job, fault_info, repair_content
from aftersales.parts.actions import stock_receive, stock_release, stock_transfer
from aftersales.repairs.actions import (
    custody_hand_back,
    custody_intake,
    custody_move,
    work_order_dispatch,
    work_order_move,
    work_order_open,
    work_order_reserve_part,
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

if TYPE_CHECKING:
    from aftersales.demo.repairs import Context

Steps = Generator[datetime, None, Any]
OFFICE = (9, 19)  # local hours the workshop and the technicians work


class Clock:
    """A job's time: moves forward in office hours of the job's zone, and never past `limit`
    (each step may take at most a third of what is left, so a short span still holds them all)."""

    def __init__(self, rng, start: datetime, limit: datetime, zone: zoneinfo.ZoneInfo):
        self.rng, self.t, self.limit, self.zone = rng, start, limit, zone

    def office(self, at: datetime) -> datetime:
        local = at.astimezone(self.zone)
        if local.hour < OFFICE[0]:
            local = local.replace(hour=OFFICE[0], minute=self.rng.randrange(40))
        elif local.hour >= OFFICE[1]:
            local = (local + timedelta(days=1)).replace(hour=OFFICE[0], minute=self.rng.randrange(40))
        return local.astimezone(UTC)

    def after(self, low: float, high: float) -> datetime:
        wanted = self.t + timedelta(minutes=self.rng.uniform(low, high))
        snapped = self.office(wanted)
        budget = self.t + (self.limit - self.t) / 3
        chosen = snapped if snapped <= budget else min(wanted, budget)
        self.t = max(chosen, self.t + timedelta(seconds=30))
        return self.t

    def until(self, when: datetime) -> datetime:
        if self.t < when <= self.limit:
            self.t = when
            return self.t
        return self.after(5, 20)


class Work:
    def __init__(self, ctx: Context, job: Job):
        self.ctx, self.job = ctx, job
        self.rng = ctx.rng
        self.clock = Clock(ctx.rng, job.start, job.limit, job.zone)
        self.words = repair_content()["phrases"][job.writer]
        self.text = fault_info(job.fault)[job.writer]
        self.minutes = fault_info(job.fault)["minutes"]
        staff = ctx.demo.staff
        korean = job.tech == "technician.ko"
        self.tech = staff[job.tech]
        self.desk = staff["agent.ko" if korean else "supervisor"]  # opens, dispatches, quotes
        self.counter = staff["agent.ko" if korean else "agent"]  # takes items in, hands them back
        self.supervisor = staff["supervisor"]
        self.person = job.person
        self.wo = self.card = self.receipt = self.reservation = self.invoice = None
        self.visits = 0
        self.declined_reason = ""
        self.repair_minutes = 0

    # ---- time ------------------------------------------------------------------------------

    def wait(self, low: float, high: float) -> Steps:
        at = self.clock.after(low, high)
        yield at
        return at

    def wait_until(self, when: datetime) -> Steps:
        at = self.clock.until(when)
        yield at
        return at

    def split(self) -> tuple[int, int]:
        """The minutes of the diagnosis and of the repair itself."""
        total = max(20, round(self.minutes * self.rng.uniform(0.8, 1.3)))
        check = max(10, round(total * 0.4))
        self.repair_minutes = max(10, total - check)
        return check, self.repair_minutes

    # ---- the job ---------------------------------------------------------------------------

    def run(self) -> Steps:
        yield from self.open()
        if self.job.story.final != "registered":
            if self.job.kind == "carry_in":
                yield from self.carry_in()
            else:
                yield from self.on_site()
        yield from self.touch_case()

    def open(self) -> Steps:
        job, person = self.job, self.person
        at = yield from self.wait_until(job.start)
        registered = job.story.final == "registered"
        opener = self.ctx.demo.agent_for(person.language) if registered else self.desk
        reason = job.reason
        if job.billing == "B":
            reason = self.words["reason_contract"].format(contract=self.ctx.contract.number)
        problem = job.case.subject if job.case else self.ctx.problem(job)
        self.wo = work_order_open(
            actor=opener, kind=job.kind, case=job.case, customer=None if job.case else person.customer,
            unit=job.unit, contact_name=person.name, address=self.ctx.address(person.customer), phone=person.phone,
            problem=problem, billing_class=None if registered else job.billing, billing_reason=reason, at=at)
        self.ctx.work_orders[job.story.key] = self.wo

    # ---- at the customer's -------------------------------------------------------------------

    def window_after(self, at: datetime) -> tuple[datetime, datetime]:
        """The first two-hour office window starting at least two hours after `at` (that day or
        the next) and ending well before the limit; else a short one squeezed in before it."""
        zone = self.job.zone
        for days, hours in ((0, (13, 14, 15, 16)), (1, (9, 10, 13, 14)), (2, (9, 10, 13, 14))):
            day = (at + timedelta(days=days)).astimezone(zone)
            for hour in hours:
                start = day.replace(hour=hour, minute=0, second=0, microsecond=0).astimezone(UTC)
                if start >= at + timedelta(hours=2) and start + timedelta(hours=3) < self.clock.limit:
                    return start, start + timedelta(hours=2)
        first = at + (self.clock.limit - at) / 6
        return first, first + (self.clock.limit - at) / 4

    def on_site(self) -> Steps:
        job = self.job
        final = job.story.final
        if job.slot is not None:
            window = (job.slot, job.slot + timedelta(hours=2))
        elif final == "dispatched":
            window = job.window
        else:
            window = self.window_after(self.clock.t)
        at = yield from self.wait(5, 40)
        work_order_dispatch(work_order=self.wo, technician=self.tech, window_start=window[0], window_end=window[1],
                            actor=self.desk, at=at)
        if final == "dispatched":
            return
        visit = yield from self.arrive(window)
        wait = job.extra.get("wait")
        if final in ("revisit", "waiting_parts") or wait:
            yield from self.failed_visit(visit)
            if final == "waiting_parts":
                return
            yield from self.bring_part()
            window = job.window if final == "revisit" else self.window_after(self.clock.t)
            at = yield from self.wait(5, 40)
            work_order_dispatch(work_order=self.wo, technician=self.tech, window_start=window[0],
                                window_end=window[1], actor=self.desk, at=at,
                                reason=self.words["labour_repair"].format(part=self.part_name()))
            if final == "revisit":
                return
            visit = yield from self.arrive(window)
        yield from self.repair_on_site(visit)

    def arrive(self, window: tuple[datetime, datetime]) -> Steps:
        at = yield from self.wait_until(window[0] + timedelta(minutes=self.rng.uniform(5, 45)))
        self.visits += 1
        return visit_start(work_order=self.wo, actor=self.tech, at=at)

    def part_name(self) -> str:
        return self.ctx.part_name(self.job.part, self.job.writer)

    def failed_visit(self, visit) -> Steps:
        """The part is needed and not at hand: the visit ends unfinished."""
        at = yield from self.wait(25, 50)
        visit_finish(visit=visit, outcome="failed", actor=self.tech, findings=self.text["findings"],
                     work_done=self.words["failed_part"].format(part=self.part_name()), at=at)
        yield from self.wait_for_part()

    def wait_for_part(self) -> Steps:
        """When the case says so, the work waits for the part to be delivered to the warehouse."""
        job = self.job
        wait = job.extra.get("wait")
        if job.story.final != "waiting_parts" and not wait:
            return
        waited, back = wait or (None, None)
        at = yield from (self.wait_until(waited - timedelta(minutes=self.rng.uniform(2, 6))) if waited
                         else self.wait(20, 90))
        work_order_move(work_order=self.wo, target="waiting_parts", actor=self.tech, at=at)
        if back is None:
            return
        at = yield from self.wait_until(back - timedelta(minutes=self.rng.uniform(20, 90)))
        stock_receive(part=self.ctx.parts[job.part], location=self.ctx.locations["main"], quantity=1,
                      actor=self.supervisor, reference=f"PO-{self.wo.number}", at=at)
        at = yield from self.wait_until(back + timedelta(minutes=self.rng.uniform(1, 5)))
        work_order_move(work_order=self.wo, target="in_progress", actor=self.tech, at=at)

    def bring_part(self) -> Steps:
        """The part goes from the warehouse to the technician's van and is set aside for the job."""
        job = self.job
        main = self.ctx.locations["main"]
        location = self.ctx.locations[job.location]
        part = self.ctx.parts[job.part]
        at = yield from self.wait(30, 300)
        if location != main:
            stock_transfer(part=part, source=main, target=location, quantity=1, actor=self.tech,
                           reference=self.wo.number, at=at)
        self.reservation = work_order_reserve_part(work_order=self.wo, part=part, location=location, quantity=1,
                                                   actor=self.tech, at=at)

    def repair_on_site(self, visit) -> Steps:
        job = self.job
        check, repair = self.split()
        at = yield from self.wait(3, 10)
        self.card = repair_card_open(work_order=self.wo, actor=self.tech, at=at)
        maintenance = job.kind == "maintenance"
        at = yield from self.wait(check * 0.8, check * 1.1)
        labour_add(card=self.card, technician=self.tech, minutes=check, actor=self.tech, at=at,
                   note=self.words["labour_maintenance" if maintenance else "labour_check"])
        declined = yield from self.agree(on_site=True)
        if declined:
            at = yield from self.wait(5, 15)
            visit_finish(visit=visit, outcome="signed_off", actor=self.tech, findings=self.text["findings"],
                         work_done=self.words["labour_check"], signed_by=self.person.name,
                         signature=self.ctx.signature(), at=at)
            at = yield from self.wait(5, 30)
            repair_card_close(card=self.card, result="not_fixed", fault_code=self.code(), actor=self.tech, at=at,
                              root_cause=f"{self.text['cause']} {self.declined_reason}")
        else:
            yield from self.fit_part()
            at = yield from self.wait(repair * 0.8, repair * 1.1)
            labour_add(card=self.card, technician=self.tech, minutes=repair, actor=self.tech, at=at,
                       note=self.labour_note())
            at = yield from self.wait(5, 15)
            visit_finish(visit=visit, outcome="signed_off", actor=self.tech, findings=self.text["findings"],
                         work_done=self.text["work_done"], signed_by=self.person.name,
                         signature=self.ctx.signature(), at=at)
            at = yield from self.wait(10, 90)
            repair_card_close(card=self.card, result="fixed", fault_code=self.code(), root_cause=self.text["cause"],
                              actor=self.tech, at=at)
        if job.billing == "A":
            at = yield from self.wait(1, 5)
            self.invoice = invoice_issue(work_order=self.wo, actor=self.tech, at=at)
            if (job.story.payment or "cash") in ("cash", "card"):  # collected on the spot
                yield from self.pay(self.tech)
        if job.story.final == "inspecting":
            return
        yield from self.inspect()
        if self.invoice is not None and self.invoice.status != "paid":
            yield from self.pay(self.supervisor)
        at = yield from self.wait(30, 240)
        work_order_move(work_order=self.wo, target="completed", actor=self.desk, at=at)
        yield from self.finish()

    # ---- in the workshop ---------------------------------------------------------------------

    def carry_in(self) -> Steps:
        job = self.job
        final = job.story.final
        at = yield from self.wait(10, 90)
        phone = self.ctx.category(job.sku) == "mobile-phone"
        accessories = self.words["accessories_phone" if phone else "accessories_laptop"]
        self.receipt = custody_intake(
            work_order=self.wo, condition=self.rng.choice(self.words["conditions"]),
            accessories=accessories if self.rng.random() < 0.7 else [], location=self.words["counter"],
            serial_seen=job.unit.serial_number if job.unit else "", actor=self.counter, at=at)
        if final == "vendor":  # the maker's repair takes weeks: the customer borrows a device
            at = yield from self.wait(1, 5)
            custody_move(receipt=self.receipt, move="loaner_issued", location=self.words["counter"],
                         holder=self.person.name, note=self.words["loaner"].format(n=self.rng.randrange(1, 9)),
                         actor=self.counter, at=at)
        at = yield from self.wait(30, 240)
        work_order_move(work_order=self.wo, target="in_progress", actor=self.tech, at=at)
        at = yield from self.wait(1, 10)
        custody_move(receipt=self.receipt, move="sent_to_workshop", location=self.bench(),
                     holder=self.tech.display_name, actor=self.tech, at=at)
        at = yield from self.wait(20, 180)
        self.card = repair_card_open(work_order=self.wo, actor=self.tech, at=at)
        check, repair = self.split()
        at = yield from self.wait(check * 0.8, check * 1.2)
        labour_add(card=self.card, technician=self.tech, minutes=check, actor=self.tech,
                   note=self.words["labour_check"], at=at)
        result = "fixed"
        if job.story.vendor:
            brand = self.ctx.brand(job.sku)
            at = yield from self.wait(60, 300)
            custody_move(receipt=self.receipt, move="sent_to_vendor", location=self.words["vendor"].format(brand=brand),
                         holder=self.words["vendor_holder"], actor=self.tech, at=at,
                         note=self.words["vendor_note"].format(rma=f"RMA{at:%y%m}{self.rng.randrange(10**5, 10**6)}"))
            if final == "vendor":
                return
            at = yield from self.wait(3 * 1440, 6 * 1440)
            custody_move(receipt=self.receipt, move="returned_to_shop", location=self.words["counter"],
                         holder=self.counter.display_name, actor=self.counter, at=at)
            at = yield from self.wait(10, 120)
            custody_move(receipt=self.receipt, move="sent_to_workshop", location=self.bench(),
                         holder=self.tech.display_name, actor=self.tech, at=at)
        elif job.story.nff:
            result = "no_fault_found"
        else:
            yield from self.wait_for_part()
            declined = yield from self.agree(on_site=False)
            if final in ("quote", "bench") or declined:
                return
            yield from self.fit_part()
            at = yield from self.wait(repair * 0.8, repair * 1.2)
            labour_add(card=self.card, technician=self.tech, minutes=repair, actor=self.tech, at=at,
                       note=self.labour_note())
        at = yield from self.wait(20, 40)
        labour_add(card=self.card, technician=self.tech, minutes=self.rng.choice((15, 20, 25)), actor=self.tech,
                   note=self.words["labour_test"], at=at)
        at = yield from self.wait(5, 30)
        cause = self.text["nff"] if result == "no_fault_found" else self.text["cause"]
        repair_card_close(card=self.card, result=result, fault_code=self.code(), root_cause=cause, actor=self.tech,
                          at=at)
        if final == "inspecting":
            return
        yield from self.inspect()
        at = yield from self.wait(5, 40)
        custody_move(receipt=self.receipt, move="returned_to_shop",
                     location=self.words["shelf"].format(n=self.rng.randrange(1, 30)),
                     holder=self.counter.display_name, actor=self.tech, at=at)
        if final == "ready":
            return
        yield from self.hand_back()
        yield from self.finish()

    def hand_back(self) -> Steps:
        job = self.job
        at = yield from self.wait(120, 2 * 1440)
        if job.billing == "A":
            self.invoice = invoice_issue(work_order=self.wo, actor=self.counter, at=at)
            at = yield from self.wait(2, 8)
        custody_hand_back(receipt=self.receipt, signed_by=self.person.name, signature=self.ctx.signature(),
                          location=self.words["counter"], actor=self.counter, at=at)
        if self.invoice is not None:
            yield from self.pay(self.counter)
        at = yield from self.wait(1, 10)
        work_order_move(work_order=self.wo, target="completed", actor=self.counter, at=at)

    # ---- shared steps --------------------------------------------------------------------------

    def agree(self, *, on_site: bool) -> Steps:
        """Set the part aside; for paid work, quote it and have the customer answer. True when
        the customer declined."""
        job = self.job
        if job.part and self.reservation is None:
            at = yield from self.wait(5, 30)
            self.reservation = work_order_reserve_part(work_order=self.wo, part=self.ctx.parts[job.part],
                                                       location=self.ctx.locations[job.location], quantity=1,
                                                       actor=self.tech, at=at)
        if job.billing != "A":
            return False
        at = yield from self.wait(5, 30 if on_site else 180)
        quote = quote_build_from_work(work_order=self.wo, actor=self.desk, currency=job.currency, at=at)
        if self.repair_minutes:  # the diagnosis is recorded; the repair's labour is estimated
            hours = (Decimal(self.repair_minutes) / 60 * 4).to_integral_value(ROUND_CEILING) / 4
            quote_add_line(quote=quote, kind="labour", quantity=hours.quantize(Decimal("0.01")), actor=self.desk)
        at = yield from self.wait(2, 15)
        quote_send(quote=quote, actor=self.desk, at=at)
        if job.story.final == "quote":
            return False
        by_portal = self.person.login and not on_site
        at = yield from (self.wait(3, 15) if on_site else self.wait(60, 900))
        if job.story.decline:
            reason = self.rng.choice(self.words["decline"])
            self.declined_reason = reason
            quote_decline(quote=quote, actor=self.tech, channel="on_site", name=self.person.name, reason=reason,
                          at=at)
            if self.reservation is not None:
                stock_release(reservation=self.reservation, actor=self.tech, note=reason)
                self.reservation = None
            return True
        if by_portal:
            quote_accept(quote=quote, actor=self.person.user, channel="portal", at=at)
        else:
            quote_accept(quote=quote, actor=self.tech if on_site else self.counter, channel="on_site",
                         name=self.person.name, at=at)
        return False

    def fit_part(self) -> Steps:
        if self.reservation is None:
            return
        at = yield from self.wait(5, 20)
        part_use(card=self.card, reservation=self.reservation, actor=self.tech, at=at)
        self.reservation = None

    def inspect(self) -> Steps:
        job = self.job
        at = yield from self.wait(60, 1200)
        if job.story.sent_back:
            inspection_record(card=self.card, outcome="sent_back", note=self.rng.choice(self.words["send_back"]),
                              actor=self.supervisor, at=at)
            at = yield from self.wait(30, 300)
            labour_add(card=self.card, technician=self.tech, minutes=self.rng.choice((10, 15, 20)), actor=self.tech,
                       note=self.words["labour_redo"], at=at)
            at = yield from self.wait(5, 20)
            repair_card_close(card=self.card, result="fixed", fault_code=self.code(), root_cause=self.text["cause"],
                              actor=self.tech, at=at)
            at = yield from self.wait(60, 600)
        inspection_record(card=self.card, outcome="passed", note=self.rng.choice(self.words["passed"]),
                          actor=self.supervisor, at=at)

    def pay(self, actor) -> Steps:
        method = self.job.story.payment or "cash"
        at = yield from (self.wait(1, 5) if method != "bank_transfer" else self.wait(60, 1440))
        reference = ""
        if method == "bank_transfer":
            reference = self.words["transfer"].format(n=f"{self.rng.randrange(10**5):05d}")
        elif method == "card":
            reference = f"AUTH {self.rng.randrange(10**6):06d}"
        payment_record(invoice=self.invoice, method=method, amount=self.invoice.gross_total, reference=reference,
                       actor=actor, at=at)
        self.invoice.refresh_from_db()

    def finish(self) -> Steps:
        """Contract work draws on the contract; an archived voucher is filed a day or so later."""
        job = self.job
        if job.billing == "B":
            at = yield from self.wait(1, 10)
            contract_draw(work_order=self.wo, contract=self.ctx.contract, kind="visit", quantity=max(1, self.visits),
                          actor=self.desk, at=at)
            if job.kind != "maintenance":
                contract_draw(work_order=self.wo, contract=self.ctx.contract, kind="repair", actor=self.desk, at=at)
        if job.story.final != "archived":
            return
        self.clock.limit = job.archive_limit or self.ctx.demo.anchor - timedelta(minutes=30)
        at = yield from self.wait(12 * 60, 3 * 1440)
        work_order_move(work_order=self.wo, target="archived", actor=self.supervisor, at=at)

    def touch_case(self) -> Steps:
        """The case's own clock (updated) follows the work: a short internal note by the
        technician when the work went on after the case's last step."""
        job = self.job
        if job.case is None:
            return
        case = Case.objects.get(pk=job.case.pk)
        if case.updated_at >= self.clock.t:
            return
        self.clock.limit = max(self.clock.limit, self.ctx.demo.anchor - timedelta(minutes=5))
        at = yield from self.wait(1, 5)
        final = job.story.final
        key = {"revisit": "dispatched", "bench": "in_progress"}.get(final, final)
        window = ""
        if final in ("dispatched", "revisit"):
            window = C.format_slot(job.window[0].astimezone(job.zone), 2, job.writer)
        actor, language = self.tech, job.writer
        if final == "registered":  # the hotline took the call
            actor = self.ctx.demo.agent_for(self.person.language)
            language = actor.language if actor.language in repair_content()["phrases"] else job.writer
        words = repair_content()["phrases"][language]
        body = words[f"note_{key}"].format(number=self.wo.number, window=window,
                                           part=self.ctx.part_name(job.part, job.writer))
        case_post_message(case=case, actor=actor, body=body, public=False, language=language, at=at)

    def bench(self) -> str:
        return f"{self.words['workshop']} {self.words['bench'].format(n=self.rng.randrange(1, 5))}"

    def code(self) -> str:
        return fault_info(self.job.fault)["code"]

    def labour_note(self) -> str:
        if self.job.kind == "maintenance":
            return self.words["labour_maintenance"]
        if self.job.part:
            return self.words["labour_repair"].format(part=self.ctx.part_name(self.job.part, self.job.writer))
        return self.text["work_done"][:500]
