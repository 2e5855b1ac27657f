"""The demo's case histories: each case is planned as a list of timed steps (messages, notes,
status moves, assignments, tags), then played through the case actions in time order.

A plan only makes legal moves (cases.workflow) and knows the automatic ones: a staff reply
opens a new case, a customer's answer takes a case off "waiting on customer" and reopens a
resolved one. Every text is in the customer's language; internal notes are in the language
of the staff member who writes them.
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aftersales.cases import workflow
from aftersales.cases.actions import (
    case_assign,
    case_change_status,
    case_open,
    case_post_message,
    case_set_tags,
    case_set_team,
)
from aftersales.cases.models import Channel
from aftersales.demo import content as C

if TYPE_CHECKING:
    from aftersales.demo.build import Demo, Person, PlannedPurchase

# Share of each final status among the demo's cases; every status is present.
STATUS_SHARES = {
    workflow.CLOSED: 0.42, workflow.RESOLVED: 0.11, workflow.OPEN: 0.11, workflow.NEW: 0.09,
    workflow.WAITING_CUSTOMER: 0.10, workflow.IN_REPAIR: 0.10, workflow.WAITING_PARTS: 0.07,
}
REPAIR_ONLY = {workflow.IN_REPAIR, workflow.WAITING_PARTS}
# How long ago (days) a case with this final status was opened.
AGE_DAYS = {
    workflow.NEW: (0.02, 3), workflow.OPEN: (0.3, 20), workflow.WAITING_CUSTOMER: (1, 25),
    workflow.IN_REPAIR: (1, 20), workflow.WAITING_PARTS: (3, 30), workflow.RESOLVED: (2, 12),
}
FIRST_RESPONSE_MINUTES = {"major": (5, 60), "urgent": (15, 180), "ordinary": (30, 1440)}
CHANNEL_WEIGHTS = {
    Channel.PORTAL: 30, Channel.EMAIL: 20, Channel.CHAT: 15, Channel.PHONE: 15, Channel.MARKETPLACE: 0,
    Channel.WALK_IN: 0, Channel.API: 3,
}


@dataclass
class Step:
    at: datetime
    kind: str  # open, customer, staff, note, status, assign, team, tags
    actor: str  # opener, customer, handler, tech, supervisor, system
    text: str = ""
    target: str = ""
    language: str = ""
    tags: tuple[str, ...] = ()


@dataclass
class CasePlan:
    scenario: C.Scenario
    person: Person
    final: str
    severity: str
    reopen: bool
    withdraw: bool
    handler: str
    tech: str
    team: str
    subject: str = ""
    channel: str = Channel.PORTAL
    link: bool = True
    planned: PlannedPurchase | None = None
    steps: list[Step] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    slot_at: datetime | None = None  # the appointment (home visit, delivery) a message announces
    eta_at: datetime | None = None  # when ordered parts are expected

    @property
    def language(self) -> str:
        return self.person.language


class Clock:
    """Moves a case's time forward, keeping staff to office hours and customers awake."""

    def __init__(self, demo: Demo, start: datetime, customer_tz: str, staff_tz: str):
        self.demo, self.t = demo, start
        self.customer_tz, self.staff_tz = zoneinfo.ZoneInfo(customer_tz), zoneinfo.ZoneInfo(staff_tz)

    def _within(self, tz, first: int, last: int) -> None:
        local = self.t.astimezone(tz)
        if local.hour < first:
            local = local.replace(hour=first, minute=self.demo.rng.randrange(45))
        elif local.hour >= last:
            local = (local + timedelta(days=1)).replace(hour=first, minute=self.demo.rng.randrange(45))
        self.t = local.astimezone(UTC)

    def staff(self, low: float, high: float) -> datetime:
        self.t += timedelta(minutes=self.demo.rng.uniform(low, high))
        self._within(self.staff_tz, 9, 21)
        return self.t

    def customer(self, low: float, high: float) -> datetime:
        self.t += timedelta(minutes=self.demo.rng.uniform(low, high))
        self._within(self.customer_tz, 7, 23)
        return self.t

    def tick(self) -> datetime:
        self.t += timedelta(seconds=self.demo.rng.randint(20, 240))
        return self.t


# ---- planning -------------------------------------------------------------------------------------


def final_statuses(count: int) -> list[str]:
    statuses = [s for s, share in STATUS_SHARES.items() for _ in range(max(1, round(share * count)))]
    while len(statuses) > count:
        statuses.remove(workflow.CLOSED)
    statuses += [workflow.CLOSED] * (count - len(statuses))
    return statuses


def plan_cases(demo: Demo, count: int) -> list[CasePlan]:
    """`count` case plans covering every final status, spreading the cases evenly over the
    scenarios that fit (only repair scenarios can end "in repair" or "waiting on parts")."""
    rng = demo.rng
    used = {s.key: 0 for s in demo.content.scenarios}
    plans = []
    weights = [p.weight for p in demo.people]
    for final in final_statuses(count):
        fits = [s for s in demo.content.scenarios if final not in REPAIR_ONLY or s.flow == "repair"]
        rng.shuffle(fits)
        fits.sort(key=lambda s: used[s.key])
        person = rng.choices(demo.people, weights=weights)[0]
        for scenario in fits:
            start = pick_start(demo, scenario, person.language, final)
            if start is not None:
                break
        used[scenario.key] += 1
        plans.append(plan_case(demo, scenario, person, final, start))
    return plans


def pick_start(demo: Demo, scenario: C.Scenario, language: str, final: str) -> datetime | None:
    """When the customer writes in: how long ago depends on the final status (closed cases
    spread over two years, open ones are recent); seasonal scenarios keep to their months."""
    # Closed cases leave room before them for the purchase they are about.
    low, high = AGE_DAYS.get(final, (14, 700 - scenario.days[0] - 45))
    for _ in range(60):
        start = demo.at_local_hour(demo.anchor - timedelta(days=demo.rng.uniform(low, high)), language, (7, 23))
        if scenario.in_season(demo.local(start, language).month):
            return start
    return None


def plan_case(demo: Demo, scenario: C.Scenario, person: Person, final: str, start: datetime) -> CasePlan:
    rng = demo.rng
    lang = person.language
    if lang == "ko":
        team, handler, tech = "korea", "agent.ko", "technician.ko"
    elif scenario.type in ("complaint", "guarantee_claim"):
        team, handler, tech = "complaints", "agent.hans" if lang == "zh-hans" else "supervisor", "technician"
    else:
        handler = {"zh-hans": "agent.hans", "zh-hant": "agent"}.get(lang) or rng.choice(["agent", "supervisor"])
        team, tech = "service-desk", "technician"
    severity = rng.choices(scenario.severities, weights=[6, 3, 2][: len(scenario.severities)])[0]
    can_reopen = final in (workflow.OPEN, workflow.RESOLVED, workflow.CLOSED) or (
        final == workflow.IN_REPAIR and scenario.flow == "repair")
    reopen = can_reopen and rng.random() < 0.1
    plan = CasePlan(scenario=scenario, person=person, final=final, severity=severity, reopen=reopen,
                    withdraw=final == workflow.CLOSED and not reopen and rng.random() < 0.06,
                    handler=handler, tech=tech, team=team)
    plan.steps = script(demo, plan, start)
    # A history that would run past today is moved back by whole days (keeping the hours).
    overshoot = plan.steps[-1].at - (demo.anchor - timedelta(minutes=10))
    if overshoot > timedelta(0):
        days = timedelta(days=math.ceil(overshoot / timedelta(days=1)))
        for step in plan.steps:
            step.at -= days
        plan.slot_at = plan.slot_at - days if plan.slot_at else None
        plan.eta_at = plan.eta_at - days if plan.eta_at else None
    opened = plan.steps[0].at
    plan.planned = demo.purchase_for(person, scenario, opened)
    if scenario.type == "installation" and final in (workflow.RESOLVED, workflow.CLOSED):
        plan.planned.installed_at = next((s.at for s in plan.steps if s.target == workflow.RESOLVED), None)
    plan.channel = pick_channel(demo, plan)
    plan.link = rng.random() > 0.08
    plan.values = placeholder_values(demo, plan)
    subject = scenario.text("subject", lang)
    if severity != "ordinary" and rng.random() < 0.4:
        subject = rng.choice(demo.content.phrase_pool("urgent_prefix", lang)) + subject
    plan.subject = subject
    return plan


def pick_channel(demo: Demo, plan: CasePlan) -> str:
    weights = dict(CHANNEL_WEIGHTS)
    if plan.planned and plan.planned.channel in ("taobao", "tmall", "jd", "shopee", "coupang", "naver"):
        weights[Channel.MARKETPLACE] = 25
    if plan.planned and plan.planned.channel == "offline" or plan.scenario.flow == "repair":
        weights[Channel.WALK_IN] = 6
    return demo.rng.choices(list(weights), weights=list(weights.values()))[0]


def script(demo: Demo, plan: CasePlan, start: datetime) -> list[Step]:
    rng, s, lang, final = demo.rng, plan.scenario, plan.language, plan.final
    content = demo.content
    staff_lang = demo.staff_raw[plan.handler]["language"]
    tech_lang = demo.staff_raw[plan.tech]["language"]
    clock = Clock(demo, start, plan.person.time_zone, demo.staff_raw[plan.handler]["time_zone"])
    steps: list[Step] = []
    pick = rng.choice

    def add(kind: str, actor: str, text: str = "", **kw: Any) -> None:
        steps.append(Step(at=clock.t, kind=kind, actor=actor, text=text, **kw))

    def customer_text(body: str, signoff: float = 0.3) -> str:
        if rng.random() < signoff:
            tail = pick(content.phrase_pool("customer_signoff", lang))
            return f"{body}\n{tail}" if tail else body
        return body

    def staff_text(body: str) -> str:
        parts = [body]
        if rng.random() < 0.85:
            parts.insert(0, pick(content.phrase_pool("staff_greeting", lang)))
        if rng.random() < 0.75:
            parts.append(pick(content.phrase_pool("staff_signoff", lang)))
        return "\n\n".join(parts)

    def status(target: str, actor: str) -> None:
        clock.tick()
        add("status", actor, target=target)

    def note(text: str, actor: str, language: str) -> None:
        add("note", actor, text=text, language=language)

    # The customer writes in.
    greeting = pick(content.phrase_pool("customer_greeting", lang))
    joiner = "" if lang.startswith("zh") else "\n"
    opening = f"{greeting}{joiner}{s.text('open', lang)}" if greeting else s.text("open", lang)
    if "{order}" not in opening and rng.random() < 0.5:
        opening += "\n" + pick(content.phrase_pool("order_ref", lang))
    add("open", "opener", customer_text(opening, 0.6))
    if final == workflow.NEW:
        if rng.random() < 0.4:
            clock.customer(600, 2000)
            add("customer", "customer", pick(content.phrase_pool("nudge", lang)))
        if rng.random() < 0.3:
            clock.staff(5, 120)
            add("assign", "supervisor", target=plan.handler)
        return steps
    if plan.withdraw:
        if rng.random() < 0.5:
            clock.staff(*FIRST_RESPONSE_MINUTES[plan.severity])
            add("staff", "handler", staff_text(s.text("reply", lang)))
        clock.customer(60, 1500)
        add("customer", "customer", pick(content.phrase_pool("withdraw", lang)))
        status(workflow.CLOSED, "customer")
        return steps

    # A staff member picks it up and answers.
    clock.staff(*FIRST_RESPONSE_MINUTES[plan.severity])
    add("assign", "handler", target=plan.handler)
    clock.tick()
    add("staff", "handler", staff_text(s.text("reply", lang)))
    if rng.random() < 0.45:
        clock.tick()
        tags = rng.sample(s.tags, k=rng.randint(1, len(s.tags))) if s.tags else []
        if plan.person.tier != "standard":
            tags.append(plan.person.tier.upper() if plan.person.tier == "vip" else plan.person.tier)
        if tags:
            add("tags", "handler", tags=tuple(tags))
    if plan.person.tier != "standard":
        clock.tick()
        vip_notes = content.phrase_pool("vip_note", staff_lang)
        note(vip_notes[0] if plan.person.tier == "vip" else vip_notes[-1], "handler", staff_lang)
    elif rng.random() < 0.3:
        clock.tick()
        note(pick(content.phrase_pool("triage", staff_lang)), "handler", staff_lang)
    if final == workflow.OPEN and not plan.reopen:
        return steps
    if (final == workflow.WAITING_CUSTOMER and not plan.reopen) or rng.random() < 0.55:
        clock.staff(10, 240)
        add("staff", "handler", staff_text(s.text("ask", lang)))
        status(workflow.WAITING_CUSTOMER, "handler")
        if final == workflow.WAITING_CUSTOMER:
            return steps
        clock.customer(30, 2880)
        add("customer", "customer", customer_text(s.text("answer", lang)))
    clock.staff(10, 300)
    note(s.text("note", staff_lang), "handler", staff_lang)

    # The work: a repair in the workshop, a home visit, or desk work.
    clock.staff(30, 600)
    if s.has_appointment:
        day = clock.t.astimezone(clock.customer_tz) + timedelta(days=rng.randint(1, 4))
        plan.slot_at = day.replace(hour=rng.choice([9, 10, 13, 14, 15]), minute=0, second=0, microsecond=0)
    add("staff", "handler", staff_text(s.text("progress", lang)))
    if s.flow in ("repair", "visit"):
        if plan.team != "korea":
            clock.tick()
            add("team", "handler", target="repairs")
        clock.tick()
        add("assign", "handler", target=plan.tech)
        clock.tick()
        handover = content.phrase_pool("handover", staff_lang)
        note(handover[-1] if plan.slot_at else handover[0], "handler", staff_lang)
    if s.flow == "repair":
        status(workflow.IN_REPAIR, "tech")
        if final == workflow.IN_REPAIR and not plan.reopen:
            return steps
        after_visit(clock, plan)
        if final == workflow.WAITING_PARTS or rng.random() < 0.3:
            clock.staff(60, 1440)
            status(workflow.WAITING_PARTS, "tech")
            clock.tick()
            plan.eta_at = clock.t + timedelta(days=rng.uniform(5, 10))
            add("staff", "handler", staff_text(pick(content.phrase_pool("parts", lang))))
            if final == workflow.WAITING_PARTS:
                return steps
            clock.t = plan.eta_at
            clock.staff(0, 600)
            note(pick(content.phrase_pool("parts_arrived", tech_lang)), "tech", tech_lang)
            status(workflow.IN_REPAIR, "tech")
        clock.staff(600, 3 * 1440)
    elif plan.slot_at:
        after_visit(clock, plan)
    else:
        clock.staff(120, 3 * 1440)
    add("staff", "handler", staff_text(s.text("resolve", lang)))
    thanked = rng.random() < 0.5
    if thanked:
        clock.customer(20, 1440)
        add("customer", "customer", customer_text(pick(content.phrase_pool("thanks", lang))))
    clock.staff(5, 240)
    add("status", "handler", target=workflow.RESOLVED)

    if plan.reopen:
        closed_first = rng.random() < 0.4
        if closed_first:
            clock.customer(300, 3000)
            add("status", "customer", target=workflow.CLOSED)
        clock.customer(1440, 8 * 1440)
        if closed_first:
            add("status", "customer", target=workflow.OPEN)
            clock.tick()
        add("customer", "customer", customer_text(s.text("reopen", lang) or pick(
            content.phrase_pool("reopen", lang))))
        clock.staff(10, 240)
        add("staff", "handler", staff_text(pick(content.phrase_pool("reopen_ack", lang))))
        if final == workflow.OPEN:
            return steps
        if s.flow == "repair":
            status(workflow.IN_REPAIR, "tech")
            if final == workflow.IN_REPAIR:
                return steps
        clock.staff(1440, 3 * 1440)
        add("staff", "handler", staff_text(pick(content.phrase_pool("resolve_again", lang))))
        status(workflow.RESOLVED, "handler")
    if final == workflow.RESOLVED:
        if rng.random() < 0.4:
            clock.staff(60, 1440)
            add("staff", "handler", staff_text(pick(content.phrase_pool("satisfaction", lang))))
        return steps
    if thanked or rng.random() < 0.4:
        clock.customer(120, 4 * 1440)
        add("status", "customer", target=workflow.CLOSED)
    else:
        clock.staff(7 * 1440, 8 * 1440)
        add("staff", "handler", pick(content.phrase_pool("auto_close", lang)))
        status(workflow.CLOSED, "system")
    return steps


def after_visit(clock: Clock, plan: CasePlan) -> None:
    """Time moves on to the end of the announced home visit, when there is one."""
    if plan.slot_at:
        clock.t = max(clock.t, plan.slot_at + timedelta(hours=clock.demo.rng.uniform(2.5, 4)))


def placeholder_values(demo: Demo, plan: CasePlan) -> dict[str, str]:
    rng, lang, planned = demo.rng, plan.language, plan.planned
    product, currency = planned.product, planned.currency
    opened = plan.steps[0].at
    local = zoneinfo.ZoneInfo(plan.person.time_zone)
    fee_cny = Decimal(str(plan.scenario.fee)) * product.price_cny if plan.scenario.fee < 1 else plan.scenario.fee
    slot = (plan.slot_at or opened + timedelta(days=2)).astimezone(local)
    eta = plan.eta_at or opened + timedelta(days=10)
    courier, tracking = rng.choice(demo.content.phrase_pool("couriers", lang))
    signer = demo.staff_raw[plan.handler]
    tech = demo.staff_raw[plan.tech]
    batch = f"{opened:%y}{rng.choice('ABCDEFGHJK')}{rng.randrange(100, 999)}"
    return {
        "name": plan.person.honorific,
        "agent": signer["name_en"] if lang == "en" else signer["display_name"],
        "tech": tech["name_en"] if lang == "en" else tech["display_name"],
        "product": product.names[lang],
        "brand": product.brand,
        "order": planned.order_number,
        "shop": planned.shop,
        "bought": C.format_date(planned.signed_at.astimezone(local).date(), lang),
        "paid": C.format_date(planned.paid_at.astimezone(local).date(), lang),
        "amount": C.format_money(planned.amount, currency, lang),
        "refund": C.format_money(planned.unit_price, currency, lang),
        "compensation": C.format_money(C.late_shipment_compensation(planned.amount, currency), currency, lang),
        "fee": C.format_money(C.price_in(fee_cny, currency), currency, lang),
        "serial": planned.imei or planned.serial or batch,
        "slot": C.format_slot(slot, 2, lang),
        "eta": C.format_date(eta.astimezone(local).date(), lang),
        "tracking": demo.pattern(tracking),
        "courier": courier,
        "rma": f"RMA{opened:%y}" + demo.pattern("######"),
        "batch": batch,
        "expiry": C.format_date((opened + timedelta(days=rng.randint(18, 45))).astimezone(local).date(), lang),
        "case": "",
    }


# ---- playing a plan through the actions -------------------------------------------------------------


def execute(demo: Demo, plan: CasePlan):
    person, values = plan.person, dict(plan.values)
    users = {"customer": person.user, "handler": demo.staff[plan.handler], "tech": demo.staff[plan.tech],
             "supervisor": demo.staff["supervisor"], "system": None}
    opener = {Channel.PORTAL: person.user, Channel.CHAT: person.user, Channel.PHONE: users["handler"],
              Channel.WALK_IN: users["handler"]}.get(plan.channel)
    case = None
    for step in plan.steps:
        actor = opener if step.actor == "opener" else users[step.actor]
        if step.kind == "open":
            planned = plan.planned
            case = case_open(
                customer=person.customer, subject=C.render(plan.subject, values), actor=actor,
                body=C.render(step.text, values), type=plan.scenario.type, severity=plan.severity,
                channel=plan.channel, language=plan.language, team=demo.teams[plan.team],
                unit=planned.unit if plan.link else None, purchase=planned.purchase if plan.link else None,
                at=step.at,
            )
            values["case"] = case.number
        elif step.kind in ("customer", "staff"):
            case_post_message(case=case, actor=actor, body=C.render(step.text, values), public=True, at=step.at)
        elif step.kind == "note":
            case_post_message(case=case, actor=actor, body=C.render(step.text, values), public=False,
                              language=step.language, at=step.at)
        elif step.kind == "status":
            if not workflow.can_move(case.status, step.target):
                raise RuntimeError(f"demo plan {plan.scenario.key}: {case.status} -> {step.target} is not legal")
            case_change_status(case=case, target=step.target, actor=actor, at=step.at)
        elif step.kind == "assign":
            case_assign(case=case, assignee=demo.staff[step.target], actor=actor, at=step.at)
        elif step.kind == "team":
            case_set_team(case=case, team=demo.teams[step.target], actor=actor, at=step.at)
        elif step.kind == "tags":
            case_set_tags(case=case, names=step.tags, actor=actor, at=step.at)
    if case.status != plan.final:
        raise RuntimeError(f"demo plan {plan.scenario.key} ended in {case.status}, expected {plan.final}")
    return case
