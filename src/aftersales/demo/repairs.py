"""The demo's repair work: price lists, spare parts in the warehouse and the technicians' vans,
a service contract, and some 25 work orders over the last two months in every state — archived
warranty jobs, paid jobs quoted, invoiced and paid, a declined quote, contract work, a repeat
repair, no fault found, items at the vendor, the inspection queue, a repair ready for pickup,
today's appointments of both technicians and a call waiting to be dispatched.

Configuration the product has no action for (parts, stock locations, minimum stock) is made as
the admin makes it; everything else goes through the actions (`charges.actions_setup` for the
price lists and the contract, `parts.actions` for stock, `repairs.actions*` and `charges.actions*`
for the work), so the audit log, the case timelines and the custody register are the ones real
use would leave. Deterministic from the demo's seed and day; every step is in the past except
today's appointments.

    make_repairs(demo)  — called once at the end of `Demo.run()`
"""

from __future__ import annotations

import heapq
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation

from aftersales.charges.actions_setup import setup_save
from aftersales.charges.models import (
    ContractQuota,
    PartPrice,
    PriceItemKind,
    PriceList,
    PriceListItem,
    QuotaKind,
    ServiceContract,
)
from aftersales.customers.models import Address
from aftersales.demo.repairs_plan import Job, Planner, repair_content, van_code
from aftersales.demo.repairs_work import Work
from aftersales.parts.actions import stock_receive, stock_transfer
from aftersales.parts.models import LocationKind, MinimumStock, Part, PartName, StockLocation

if TYPE_CHECKING:
    from aftersales.demo.build import Demo

# Labour per hour, the fee per visit and the VAT of each price list.
PRICE_LISTS = {
    "CNY": ("120.00", "20.00", "13.00"),
    "TWD": ("600.00", "100.00", "5.00"),
    "KRW": ("30000", "20000", "10.00"),
}
MINIMUM = 2  # the warehouse's minimum of every part; the part the waiting job needs is below it
# The yearly contract (document 000's example quotas, plus the visits and repairs it includes).
CONTRACT_QUOTAS = {QuotaKind.PRODUCT_UPDATE: 60, QuotaKind.ARTICLE_UPDATE: 100, QuotaKind.VISIT: 24,
                   QuotaKind.REPAIR: 12}
STOCK_DAYS = 80  # the parts arrived this many days ago
# The stories whose part is reserved or fitted (the others never take it from stock).
TAKES_NO_PART = ("registered", "dispatched", "waiting_parts")


def demo_now(demo: Demo) -> datetime:
    """Now, when the demo is built for today (the usual case); else a fixed hour of its day."""
    now = timezone.now()
    return now if demo.anchor <= now < demo.anchor + timedelta(days=1) else demo.anchor + timedelta(hours=6)


def pen_signature(rng) -> bytes:
    """A drawn signature as the technician's phone sends it: a transparent PNG with two or three
    slanting cursive strokes (loops of varying height, as a hurried hand writes) and an underline."""
    from PIL import Image, ImageDraw

    width, height = 300, 100
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ink = (24, 32, 96, 255)
    x = rng.uniform(12, 24)
    for word in range(rng.randint(2, 3)):
        loops = rng.randint(3, 6) if word else rng.randint(2, 4)
        step, radius = rng.uniform(5, 8), rng.uniform(7, 10)
        base, slant = rng.uniform(56, 64), rng.uniform(0.25, 0.45)
        tall = [rng.uniform(0.6, 1.0) if rng.random() < 0.7 else rng.uniform(1.6, 2.4) for _ in range(loops)]
        points = []
        for i in range(loops * 24):
            t = i / 24 * math.tau
            rise = radius * tall[i // 24] * (1 - math.cos(t)) / 2
            points.append((x + step * t / math.tau * 2.2 - radius * 0.8 * math.sin(t) + slant * rise,
                           base - rise * 2.2))
        draw.line(points, fill=ink, width=3, joint="curve")
        x = max(px for px, _ in points) + rng.uniform(8, 16)
        if x > width - 70:
            break
    y = rng.uniform(76, 84)
    draw.line([(rng.uniform(8, 20), y + 2), (x * 0.5, y - rng.uniform(2, 5)), (min(x + 10, width - 8), y)],
              fill=ink, width=2, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@dataclass
class Context:
    """What the jobs share: the demo, its staff, the parts and locations, the contract."""

    demo: Demo
    now: datetime
    jobs: list[Job]
    parts: dict[str, Part] = field(default_factory=dict)
    locations: dict[str, StockLocation] = field(default_factory=dict)
    contract: ServiceContract | None = None
    work_orders: dict[str, Any] = field(default_factory=dict)
    addresses: dict[int, str] = field(default_factory=dict)

    @property
    def rng(self):
        return self.demo.rng

    def signature(self) -> bytes:
        return pen_signature(self.rng)

    def product(self, sku: str):
        return next(p for p in self.demo.content.products if p.sku == sku)

    def category(self, sku: str) -> str:
        return self.product(sku).category if sku else ""

    def brand(self, sku: str) -> str:
        return self.product(sku).brand

    def part_name(self, sku: str, language: str) -> str:
        return next((p[language] for p in repair_content()["part"] if p["sku"] == sku), "")

    def problem(self, job: Job) -> str:
        """What the caller said, as the call-in register writes it down."""
        lang = job.person.language
        subject = self.demo.content.scenario(job.fault).text("subject", lang) or ""
        return subject.format(product=self.product(job.sku).names[lang]) if job.sku else subject

    def address(self, customer) -> str:
        if not self.addresses:
            for a in Address.objects.filter(customer__in=[j.person.customer for j in self.jobs], is_default=True):
                self.addresses[a.customer_id] = format_address(a)
        return self.addresses.get(customer.pk, "")

    # ---- configuration ------------------------------------------------------------------------

    def setup(self) -> None:
        admin = self.demo.staff["admin"]
        self.make_locations()
        self.make_parts()
        valid_from = (self.demo.anchor - timedelta(days=400)).date()
        for currency, (labour, visit, tax) in PRICE_LISTS.items():
            price_list = setup_save(obj=PriceList(name=f"Standard rates ({currency})", currency=currency,
                                                  tax_rate=Decimal(tax), valid_from=valid_from), actor=admin)
            setup_save(obj=PriceListItem(price_list=price_list, kind=PriceItemKind.LABOUR_HOUR,
                                         unit_price=Decimal(labour)), actor=admin)
            setup_save(obj=PriceListItem(price_list=price_list, kind=PriceItemKind.VISIT_FEE,
                                         unit_price=Decimal(visit)), actor=admin)
            if currency != "CNY":  # the parts are priced in CNY; the other lists say what they cost there
                for raw in repair_content()["part"]:
                    setup_save(obj=PartPrice(price_list=price_list, part=self.parts[raw["sku"]],
                                             unit_price=Decimal(raw[currency.lower()])), actor=admin)
        self.make_contract(admin)
        self.receive_stock()

    def make_locations(self) -> None:
        # Stock locations are configuration made in the admin (parts has no action for them).
        specs = [("main", "Main warehouse 總倉", LocationKind.WAREHOUSE, None)]
        for tech in ("technician", "technician.ko"):
            user = self.demo.staff[tech]
            van = "차량" if tech == "technician.ko" else "工具車"
            specs.append((van_code(tech), f"{user.display_name} {van}", LocationKind.TECHNICIAN_VAN, user))
        for code, name, kind, tech in specs:
            self.locations[code] = (StockLocation.objects.filter(code=code).first()
                                    or StockLocation.objects.create(code=code, name=name, kind=kind, technician=tech))

    def make_parts(self) -> None:
        # Parts and their names are configuration made in the admin, as the parts tests make them.
        for raw in repair_content()["part"]:
            part = Part.objects.filter(sku=raw["sku"]).first()
            if part is None:
                part = Part.objects.create(sku=raw["sku"], unit_cost=Decimal(raw["cost"]),
                                           unit_price=Decimal(raw["price"]), currency="CNY")
                PartName.objects.bulk_create([PartName(part=part, language=lang, name=raw[lang])
                                              for lang in ("en", "zh-hant", "zh-hans", "ko")])
                part.compatible_models.set([self.demo.models[sku] for sku in raw["fits"] if sku in self.demo.models])
            self.parts[raw["sku"]] = part

    def make_contract(self, admin) -> None:
        job = next((j for j in self.jobs if j.billing == "B"), None)
        if job is None:
            return
        start = (job.start - timedelta(days=150)).date()
        note = {"ko": "연간 유지보수 계약"}.get(job.writer, "年度維護合約")
        self.contract = setup_save(obj=ServiceContract(customer=job.person.customer, period_start=start,
                                                       period_end=start + timedelta(days=364), note=note), actor=admin)
        for kind, quantity in CONTRACT_QUOTAS.items():
            setup_save(obj=ContractQuota(contract=self.contract, kind=kind, quantity=quantity), actor=admin)

    def receive_stock(self) -> None:
        """What the jobs will take, plus a margin above the minimum — except for the part the
        waiting job needs, of which none is left (the reorder list shows it)."""
        supervisor = self.demo.staff["supervisor"]
        need: dict[tuple[str, str], int] = defaultdict(int)
        for job in self.jobs:
            if not job.part or job.story.final in TAKES_NO_PART or job.story.nff or job.story.vendor:
                continue
            wait = job.extra.get("wait")
            if wait and wait[1]:
                continue  # ordered for the job: received when it arrives
            # a second visit's part is taken from the warehouse to the van that day
            need[(job.part, "main" if job.story.final == "revisit" else job.location)] += 1
        short = next((j.part for j in self.jobs if j.story.final == "waiting_parts" and j.part), "")
        received = self.demo.anchor - timedelta(days=STOCK_DAYS)
        main = self.locations["main"]
        for raw in repair_content()["part"]:
            sku = raw["sku"]
            part = self.parts[sku]
            vans = {code: need[(sku, code)] + (1 if raw.get("van") and sku != short else 0)
                    for code in self.locations if code != "main"}
            margin = 0 if sku == short else MINIMUM + self.rng.randint(1, 4)
            quantity = need[(sku, "main")] + sum(vans.values()) + margin
            MinimumStock.objects.get_or_create(part=part, location=main,
                                               defaults={"minimum": MINIMUM + (1 if sku == short else 0)})
            if quantity <= 0:
                continue
            stock_receive(part=part, location=main, quantity=quantity, actor=supervisor,
                          reference=f"PO-{received:%y%m}-{self.rng.randrange(100, 999)}",
                          at=received + timedelta(hours=self.rng.uniform(1, 8)))
            for code, count in vans.items():
                if count:
                    stock_transfer(part=part, source=main, target=self.locations[code], quantity=count,
                                   actor=supervisor, at=received + timedelta(days=1, hours=self.rng.uniform(1, 8)))


def format_address(a: Address) -> str:
    if a.country in ("TW", "CN"):
        region = a.region if a.region and a.region != a.city else ""
        return f"{a.postal_code} {region}{a.city}{a.district}{a.line1}{a.line2}".strip()
    if a.country == "KR":
        return " ".join(x for x in (a.city, a.district, a.line1, a.line2) if x)
    return ", ".join(x for x in (a.line1, a.line2, a.city, f"{a.region} {a.postal_code}".strip()) if x)


def play(works: list[Work]) -> None:
    """Run the jobs' steps in time order: each job's script yields when its next step is due,
    and takes it in the language of the people doing it (names it writes into the records, such
    as a part's, are theirs)."""
    heap = []
    for seq, work in enumerate(works):
        script = work.run()
        with translation.override(work.job.writer):
            due = next(script, None)
        if due is not None:
            heapq.heappush(heap, (due, seq, script, work.job.writer))
    while heap:
        _, seq, script, language = heapq.heappop(heap)
        with translation.override(language):
            due = next(script, None)
        if due is not None:
            heapq.heappush(heap, (due, seq, script, language))


def make_repairs(demo: Demo) -> dict[str, int]:
    """Plan the jobs on the demo's cases, set up prices, parts and stock, then do the work."""
    now = demo_now(demo)
    jobs = Planner(demo, now).plan()
    ctx = Context(demo=demo, now=now, jobs=jobs)
    ctx.setup()
    play([Work(ctx, job) for job in jobs])
    return {"work_orders": len(ctx.work_orders)}
