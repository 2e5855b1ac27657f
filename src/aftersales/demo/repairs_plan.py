"""The demo's repair jobs, decided before anything is written: which of the demo's cases each
job belongs to — a repair (or maintenance) case whose product, status and times fit the job's
story — or, when none fits, which customer phoned it in; its fault, part, billing class, and
the times it runs between.

A story says where a job ends (dispatched for today, waiting for parts, at the inspection,
archived, ...) and what happens on the way (a quote declined, a send-back, a trip to the
vendor). Jobs on a case start when the case went "in repair" (the technician took it) and, for
finished work, end before the case was resolved; a visit the case's messages announced is
kept to its announced time."""

from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.demo import content as C

if TYPE_CHECKING:
    from aftersales.demo.build import Demo, Person, PlannedPurchase

# The price lists' currencies: paid (class A) work is quoted for these customers only.
A_CURRENCY = {"zh-hant": "TWD", "zh-hans": "CNY", "ko": "KRW"}
TECH_ZONE = {"technician": "Asia/Taipei", "technician.ko": "Asia/Seoul"}
WARRANTY = timedelta(days=365)
REPEAT_WINDOW = timedelta(days=90)
ACTIVE_MAX_AGE = 25  # days: older open repair cases are left alone
SLOT_HOURS = (9, 10, 13, 14, 15)
TODAY_WINDOWS = {"technician": ((9, 11), (14, 16)), "technician.ko": ((10, 12), (15, 17))}


@cache
def repair_content() -> dict[str, Any]:
    text = resources.files("aftersales.demo").joinpath("fixtures", "repairs.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Story:
    key: str
    final: str  # registered, dispatched, revisit, waiting_parts, vendor, bench, quote, inspecting, ready,
    #             completed, archived
    kinds: tuple[str, ...]
    classes: tuple[str, ...]
    age: float  # days before today the work starts, preferably
    where: str  # the case's state: "history" (resolved, closed), "active" (in repair), "fresh" (new, open)
    tech: str = ""
    login: bool = False
    part: bool = False
    nff: bool = False
    vendor: bool = False
    decline: bool = False
    sent_back: bool = False
    payment: str = ""
    repeat: bool = False
    prefer_language: str = ""
    prefer_status: str = ""
    prefer_user: str = ""
    prefer_channel: str = ""


ON_SITE = ("on_site",)
CARRY_IN = ("carry_in",)
ANY = ("on_site", "carry_in")
STORIES = (
    Story("quote", "quote", CARRY_IN, ("A",), 3, "active", login=True, part=True, prefer_user="customer"),
    Story("today-1", "dispatched", ON_SITE, ("A", "C"), 2, "active", tech="technician"),
    Story("today-2", "revisit", ON_SITE, ("A", "C"), 5, "active", tech="technician", part=True),
    Story("today-3", "dispatched", ("on_site", "maintenance"), ("A", "C"), 1, "active", tech="technician.ko"),
    Story("today-4", "revisit", ON_SITE, ("A", "C"), 4, "active", tech="technician.ko", part=True),
    Story("waiting", "waiting_parts", ON_SITE, ("A", "C"), 9, "active", part=True, prefer_status="waiting_parts"),
    Story("vendor", "vendor", CARRY_IN, ("C",), 8, "active", vendor=True),
    Story("ready", "ready", CARRY_IN, ("A", "C"), 7, "active", sent_back=True, prefer_user="customer"),
    Story("bench", "bench", CARRY_IN, ("C",), 3, "active", part=True),
    Story("inspect-1", "inspecting", CARRY_IN, ("A", "C"), 4, "active"),
    Story("inspect-2", "inspecting", ON_SITE, ("A", "C"), 5, "active"),
    Story("call-in", "registered", ANY, ("A", "C"), 0.5, "fresh", prefer_channel="phone"),
    Story("h-1", "archived", ON_SITE, ("C",), 56, "history", part=True),
    Story("h-2", "archived", CARRY_IN, ("C",), 50, "history", part=True),
    Story("h-3", "archived", ON_SITE, ("A",), 45, "history", part=True, payment="cash"),
    Story("h-4", "archived", ON_SITE, ("C",), 41, "history", tech="technician.ko"),
    Story("h-5", "completed", CARRY_IN, ("C",), 37, "history", vendor=True),
    Story("h-6", "completed", CARRY_IN, ("A",), 33, "history", payment="bank_transfer", prefer_language="ko"),
    Story("h-7", "completed", ON_SITE, ("A",), 28, "history", part=True, decline=True, payment="cash"),
    Story("h-8", "completed", ("maintenance", "on_site"), ("B",), 23, "history"),
    Story("h-9", "completed", CARRY_IN, ("C",), 18, "history", nff=True),
    Story("h-10", "completed", ANY, ("C",), 13, "history", part=True, repeat=True),
    Story("h-11", "completed", ON_SITE, ("A", "C"), 9, "history"),
    Story("h-12", "completed", ANY, ("A",), 5, "history", payment="card", login=True, prefer_user="customer"),
)
# The unit's earlier repair that the repeat job (h-10) follows.
FIRST_REPAIR = Story("h-10-first", "archived", ANY, ("C",), 50, "history", part=True)


@dataclass
class Candidate:
    person: Person
    case: Case | None
    unit: Any
    sku: str
    fault: str
    start: datetime  # the technician took the job (or the customer phoned)
    end: datetime | None  # the case was resolved
    closed: datetime | None
    status: str
    bought: datetime | None
    slot: datetime | None = None  # the visit the case's messages announced
    channel: str = ""
    wait: tuple[datetime, datetime | None] | None = None  # the case waited for parts


@dataclass
class Job:
    story: Story
    person: Person
    case: Case | None
    unit: Any
    sku: str
    fault: str
    kind: str
    billing: str
    reason: str
    tech: str
    writer: str  # the language the repairs room writes this job's texts in
    start: datetime
    limit: datetime
    archive_limit: datetime | None = None
    slot: datetime | None = None  # the first visit's announced start
    window: tuple[datetime, datetime] | None = None  # today's appointment
    part: str = ""
    location: str = ""
    first: Job | None = None  # the repair this one repeats
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(TECH_ZONE[self.tech])

    @property
    def currency(self) -> str:
        return A_CURRENCY.get(self.person.language, "")


# ---- facts about products and faults ------------------------------------------------------------

def fault_info(key: str) -> dict[str, Any]:
    return repair_content()["fault"][key]


def part_for(fault: str, sku: str) -> str:
    """The part the fault's repair fits to this product model, or "" (none needed, or none we stock)."""
    wanted = fault_info(fault).get("part", [])
    wanted = [wanted] if isinstance(wanted, str) else wanted
    for part in repair_content()["part"]:
        if part["sku"] in wanted and sku in part["fits"]:
            return part["sku"]
    return ""


def unstocked(fault: str, sku: str) -> bool:
    """The repair needs a part, and we keep none that fits this model (the maker repairs it)."""
    return bool(fault_info(fault).get("part")) and not part_for(fault, sku)


def faults_for(demo: Demo, sku: str) -> list[str]:
    product = next((p for p in demo.content.products if p.sku == sku), None)
    if product is None:
        return []
    return [k for k in repair_content()["fault"] if demo.content.scenario(k).fits(product)]


def van_code(tech: str) -> str:
    return "van-" + tech.replace(".", "-")


def tech_for(person: Person) -> str:
    return "technician.ko" if person.language == "ko" else "technician"


def natural_class(fault: str, bought: datetime | None, start: datetime) -> str:
    info = fault_info(fault)
    if info["kind"] == "maintenance" or info.get("accidental") or bought is None or start - bought > WARRANTY:
        return "A"
    return "C"


def billing_reason(job: Job) -> str:
    words = repair_content()["phrases"][job.writer]
    bought = job.extra.get("bought")
    day = bought.astimezone(job.zone).date().isoformat() if bought else ""
    if job.billing == "C":
        return words["reason_warranty"].format(date=day) if natural_class(job.fault, bought, job.start) == "C" \
            else words["reason_goodwill"]
    if job.billing == "A":
        if fault_info(job.fault).get("accidental"):
            return words["reason_accident"]
        return words["reason_expired"].format(date=day) if bought else words["reason_accident"]
    return ""  # B: the contract's number, once it exists


def today_in(demo_now: datetime, tech: str) -> date:
    return demo_now.astimezone(zoneinfo.ZoneInfo(TECH_ZONE[tech])).date()


# ---- the demo's cases as candidates ---------------------------------------------------------------

def _announced_slot(bodies: list[str], person: Person, opened: datetime) -> datetime | None:
    """The visit a staff message announced (content.format_slot's words), in UTC."""
    zone = zoneinfo.ZoneInfo(person.time_zone)
    first = opened.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    text = "\n".join(bodies)
    for days in range(0, 40):
        day = first + timedelta(days=days)
        for hour in SLOT_HOURS:
            slot = day.replace(hour=hour)
            if C.format_slot(slot, 2, person.language) in text:
                return slot.astimezone(UTC)
    return None


def case_candidates(demo: Demo, by_customer: dict[int, Person], bought: dict[int, PlannedPurchase],
                    ) -> list[Candidate]:
    since = demo.anchor - timedelta(days=75)
    cases = list(Case.objects.filter(type__in=["repair", "maintenance"], created_at__gte=since, unit__isnull=False,
                                     reopen_count=0)
                 .select_related("unit__product_model").order_by("created_at", "id"))
    ids = [c.pk for c in cases]
    techs = {demo.staff["technician"].pk, demo.staff["technician.ko"].pk}
    assigned: dict[int, datetime] = {}
    moves: dict[int, list[tuple[datetime, str]]] = {}
    for row in (CaseEntry.objects.filter(case_id__in=ids, event__in=["status_changed", "assigned"])
                .order_by("created_at", "id").values("case_id", "event", "data", "created_at")):
        data, case_id = row["data"] or {}, row["case_id"]
        if row["event"] == "assigned" and (data.get("after") or {}).get("id") in techs:
            assigned.setdefault(case_id, row["created_at"])
        elif row["event"] == "status_changed":
            moves.setdefault(case_id, []).append((row["created_at"], data.get("after")))
    bodies: dict[int, list[str]] = {}
    for case_id, body in (CaseEntry.objects.filter(case_id__in=ids, kind=EntryKind.MESSAGE, from_customer=False)
                          .order_by("created_at", "id").values_list("case_id", "body")):
        bodies.setdefault(case_id, []).append(body)
    out = []
    for case in cases:
        person = by_customer.get(case.customer_id)
        sku = case.unit.product_model.sku
        fault = _scenario_of(demo, case, sku)
        if person is None or fault is None:
            continue
        start, end, wait = _repair_times(moves.get(case.pk, []))
        start = start or assigned.get(case.pk)
        if case.status in ("new", "open"):
            start = case.created_at
        if start is None:
            continue
        planned = bought.get(case.unit_id)
        slot = None
        if fault_info(fault)["kind"] != "carry_in":
            slot = _announced_slot(bodies.get(case.pk, []), person, case.created_at)
        out.append(Candidate(person=person, case=case, unit=case.unit, sku=sku, fault=fault, start=start,
                             end=end if end and end > start else None, closed=case.closed_at, status=case.status,
                             bought=planned.signed_at if planned else None, slot=slot, channel=case.channel,
                             wait=wait))
    return out


def _repair_times(moves: list[tuple[datetime, str]]):
    """From a case's status moves: when it went in repair, when it was resolved, and the time it
    waited for parts in between (from, until — None while it still waits)."""
    start = end = waited = back = None
    for at, after in moves:
        if after == "in_repair" and start is None:
            start = at
        elif after == "waiting_parts" and start is not None and waited is None:
            waited = at
        elif after == "in_repair" and waited is not None and back is None:
            back = at
        elif after == "resolved" and start is not None and end is None:
            end = at
    return start, end, (waited, back) if waited else None


def _scenario_of(demo: Demo, case: Case, sku: str) -> str | None:
    """The demo scenario a case is about, from its subject, when it is one the repairs know."""
    product = next((p for p in demo.content.products if p.sku == sku), None)
    if product is None:
        return None
    for key in faults_for(demo, sku):
        subject = demo.content.scenario(key).text("subject", case.language) or ""
        if subject and subject.format(product=product.names[case.language]) in case.subject:
            return key
    return None


# ---- matching -------------------------------------------------------------------------------------

class Planner:
    def __init__(self, demo: Demo, demo_now: datetime):
        self.demo, self.rng, self.now = demo, demo.rng, demo_now
        self.by_customer = {p.customer.pk: p for p in demo.people if p.customer is not None}
        self.bought = {p.unit.pk: p for p in demo.purchases if p.unit is not None}
        self.candidates = case_candidates(demo, self.by_customer, self.bought)
        self.used_cases: set[int] = set()
        self.used_units: set[int] = set()
        self.jobs: list[Job] = []

    def plan(self) -> list[Job]:
        for story in STORIES:
            job = self.from_case(story) or self.from_call(story)
            if job is None:
                self.demo.notes.append(f"repairs: no customer fits the demo job {story.key!r}; left out")
                continue
            if story.repeat:
                first = self.first_repair(job)
                if first is not None:
                    job.first = first
                    self.jobs.append(first)
            self.jobs.append(job)
        return self.jobs

    # -- which candidates fit a story --

    def age(self, at: datetime) -> float:
        return (self.demo.anchor - at).total_seconds() / 86400

    def fits(self, story: Story, c: Candidate) -> bool:
        info = fault_info(c.fault)
        person = c.person
        if c.unit is not None and c.unit.pk in self.used_units:
            return False
        if info["kind"] not in story.kinds or (story.tech and tech_for(person) != story.tech):
            return False
        if info["kind"] != "carry_in" and person.language == "en":
            return False  # no technician of ours visits the United States
        if story.login and not person.login:
            return False
        if story.part and not part_for(c.fault, c.sku):
            return False
        if unstocked(c.fault, c.sku) and story.final not in ("registered", "dispatched", "vendor"):
            return False
        if (story.nff and not info.get("zh-hant", {}).get("nff")) or (story.vendor and not info.get("vendor")):
            return False
        if story.decline and not part_for(c.fault, c.sku):
            return False
        klass = natural_class(c.fault, c.bought, c.start)
        if "B" in story.classes:
            return person.tier == "enterprise"
        if klass not in story.classes or (klass == "A" and person.language not in A_CURRENCY):
            return False
        if story.repeat and (c.bought is None or c.start - c.bought < timedelta(days=45)):
            return False
        return True

    def case_fits(self, story: Story, c: Candidate) -> bool:
        if c.case is None or c.case.pk in self.used_cases or story.nff or not self.fits(story, c):
            return False  # (a case's messages tell of the repair done: "no fault found" is a call-in)
        age = self.age(c.start)
        if c.wait is not None and not self.wait_fits(story, c):
            return False
        if story.where == "history":
            return (c.status in ("resolved", "closed") and c.end is not None
                    and c.end - c.start >= timedelta(hours=6) and abs(age - story.age) <= 8)
        if story.where == "fresh":
            return c.status in ("new", "open") and age <= 5
        if c.status not in ("in_repair", "waiting_parts") or age > ACTIVE_MAX_AGE:
            return False
        if (c.status == "waiting_parts") != (story.final == "waiting_parts"):
            return False
        if story.final == "quote" and age > 10:
            return False
        if story.final in ("dispatched", "revisit"):
            return self.today_fits(story, c)
        if c.slot is not None and c.slot > self.demo.anchor - timedelta(hours=3):
            return False  # its announced visit has not happened yet: only a job for that day fits
        return True

    def wait_fits(self, story: Story, c: Candidate) -> bool:
        """A case that waited for parts: the first visit (or the diagnosis) found the part
        missing, the part came, the work went on — for a job that fits a part, under warranty."""
        waited, back = c.wait
        if story.final == "waiting_parts":
            return back is None and (c.slot is None or c.slot < waited)
        if back is None or not story.part or story.vendor or story.nff or story.decline:
            return False
        if story.final in ("dispatched", "quote") or "B" in story.classes:
            return False
        if natural_class(c.fault, c.bought, c.start) != "C" or (c.slot is not None and c.slot >= waited):
            return False
        return c.end is None or back < c.end - timedelta(hours=4)

    def today_fits(self, story: Story, c: Candidate) -> bool:
        today = today_in(self.now, story.tech or tech_for(c.person))
        zone = zoneinfo.ZoneInfo(TECH_ZONE[story.tech or tech_for(c.person)])
        if c.slot is not None:
            day = c.slot.astimezone(zone).date()
            if story.final == "dispatched":
                return day == today
            return day < today and c.start < c.slot < self.demo.anchor - timedelta(hours=3)
        if story.final == "revisit":
            return self.age(c.start) >= 1.5
        return True

    def score(self, story: Story, c: Candidate) -> tuple:
        bonus = 0
        if story.prefer_user and c.person.username == story.prefer_user:
            bonus -= 1000
        if story.prefer_status and c.status == story.prefer_status:
            bonus -= 100
        if story.prefer_language and c.person.language == story.prefer_language:
            bonus -= 50
        if story.prefer_channel and c.channel == story.prefer_channel:
            bonus -= 50
        return (bonus + abs(self.age(c.start) - story.age), c.case.pk if c.case else 0)

    # -- building the job --

    def from_case(self, story: Story) -> Job | None:
        fitting = [c for c in self.candidates if self.case_fits(story, c)]
        if not fitting:
            return None
        c = min(fitting, key=lambda c: self.score(story, c))
        limit = self.demo.anchor - timedelta(minutes=30)
        archive_limit = None
        if story.where == "history":
            limit = c.end - timedelta(minutes=15)
            archive_limit = c.closed - timedelta(minutes=5) if c.closed else None
        return self.job(story, c, start=c.start + timedelta(minutes=self.rng.uniform(1, 4)), limit=limit,
                        archive_limit=archive_limit)

    def from_call(self, story: Story, *, person: Person | None = None, unit_pk: int | None = None,
                  start: datetime | None = None) -> Job | None:
        """A phone call-in of a customer who owns a fitting unit, when no case fits."""
        strict = self.calls(story, person=person, unit_pk=unit_pk, start=start, strict=True)
        options = strict or self.calls(story, person=person, unit_pk=unit_pk, start=start, strict=False)
        if not options:
            return None
        preferred = [o for o in options if story.prefer_user and o.person.username == story.prefer_user]
        c = self.rng.choice(preferred or options)
        limit = self.demo.anchor - timedelta(minutes=30)
        if story.where == "history":
            limit = min(c.start + timedelta(days=5), limit)
        return self.job(story, c, start=c.start, limit=limit, archive_limit=None)

    def calls(self, story: Story, *, person, unit_pk, start, strict: bool) -> list[Candidate]:
        out = []
        for planned in sorted(self.bought.values(), key=lambda p: (p.person.customer.pk, p.unit.pk)):
            if (person is not None and planned.person is not person) or (unit_pk and planned.unit.pk != unit_pk):
                continue
            tech = tech_for(planned.person)
            when = start or self.call_time(story, tech)
            if planned.signed_at > when - timedelta(days=3):
                continue
            for fault in faults_for(self.demo, planned.product.sku):
                c = Candidate(person=planned.person, case=None, unit=planned.unit, sku=planned.product.sku,
                              fault=fault, start=when, end=None, closed=None, status="", bought=planned.signed_at)
                if self.fits(story, c) or (not strict and self.fits_loosely(story, c)):
                    out.append(c)
        return out

    def fits_loosely(self, story: Story, c: Candidate) -> bool:
        """Anything of the right kind and language; the billing class is then decided, not natural."""
        info = fault_info(c.fault)
        if c.unit.pk in self.used_units or info["kind"] not in story.kinds:
            return False
        if story.tech and tech_for(c.person) != story.tech:
            return False
        if info["kind"] != "carry_in" and c.person.language == "en":
            return False
        if (story.part or story.decline) and not part_for(c.fault, c.sku):
            return False
        if unstocked(c.fault, c.sku) and story.final not in ("registered", "dispatched", "vendor"):
            return False
        if (story.nff and not info.get("zh-hant", {}).get("nff")) or (story.vendor and not info.get("vendor")):
            return False
        return "C" in story.classes or c.person.language in A_CURRENCY

    def call_time(self, story: Story, tech: str) -> datetime:
        zone = zoneinfo.ZoneInfo(TECH_ZONE[tech])
        day = (self.demo.anchor - timedelta(days=story.age)).astimezone(zone)
        at = day.replace(hour=self.rng.choice((9, 10, 11, 14, 15)), minute=self.rng.randrange(60), second=0,
                         microsecond=0).astimezone(UTC)
        return min(at, self.demo.anchor - timedelta(hours=2))

    def job(self, story: Story, c: Candidate, *, start: datetime, limit: datetime,
            archive_limit: datetime | None) -> Job:
        info = fault_info(c.fault)
        tech = tech_for(c.person)
        klass = natural_class(c.fault, c.bought, c.start)
        if "B" in story.classes:
            klass = "B"
        elif klass not in story.classes or (klass == "A" and c.person.language not in A_CURRENCY):
            klass = "C" if "C" in story.classes else "A"
        part = part_for(c.fault, c.sku)
        job = Job(story=story, person=c.person, case=c.case, unit=c.unit, sku=c.sku, fault=c.fault,
                  kind=info["kind"], billing=klass, reason="", tech=tech,
                  writer="ko" if tech == "technician.ko" else "zh-hant", start=start, limit=limit,
                  archive_limit=archive_limit, part=part, extra={"bought": c.bought, "wait": c.wait})
        job.reason = billing_reason(job)
        job.slot = c.slot if c.slot and start < c.slot < limit else None
        van = any(p["sku"] == part and p.get("van") for p in repair_content()["part"])
        job.location = van_code(tech) if job.kind != "carry_in" and van else "main"
        if story.final in ("dispatched", "revisit"):
            job.window = self.today_window(story, tech, c)
        if c.case is not None:
            self.used_cases.add(c.case.pk)
        if c.unit is not None:
            self.used_units.add(c.unit.pk)
        return job

    def today_window(self, story: Story, tech: str, c: Candidate) -> tuple[datetime, datetime]:
        if story.final == "dispatched" and c.slot is not None:
            return c.slot, c.slot + timedelta(hours=2)
        zone = zoneinfo.ZoneInfo(TECH_ZONE[tech])
        taken = sum(1 for j in self.jobs if j.window and j.tech == tech)
        first, last = TODAY_WINDOWS[tech][taken % 2]
        day = today_in(self.now, tech)
        return (datetime(day.year, day.month, day.day, first, tzinfo=zone).astimezone(UTC),
                datetime(day.year, day.month, day.day, last, tzinfo=zone).astimezone(UTC))

    def first_repair(self, job: Job) -> Job | None:
        """The unit's earlier repair, 30 to 60 days before the repeat, phoned in."""
        earliest = max(job.extra["bought"] + timedelta(days=5), job.start - REPEAT_WINDOW + timedelta(days=10),
                       self.demo.anchor - timedelta(days=70))
        latest = job.start - timedelta(days=25)
        if job.unit is None or earliest >= latest:
            return None
        start = earliest + (latest - earliest) * self.rng.uniform(0.3, 0.9)
        self.used_units.discard(job.unit.pk)
        first = self.from_call(FIRST_REPAIR, person=job.person, unit_pk=job.unit.pk, start=start)
        self.used_units.add(job.unit.pk)
        if first is None:
            return None
        first.fault, first.part = job.fault, job.part  # the same failure, the same part
        first.kind = job.kind
        first.location = job.location
        first.billing = "C"
        first.reason = billing_reason(first)
        return first
