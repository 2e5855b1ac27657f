"""`aftersales demo --cases N`: many more cases, fast, for benchmarks.

The cases have the same shapes as the realistic demo's (types, statuses, severities,
channels, languages, the demo's customers and their purchases, the scenario texts) but are
written with `bulk_create` in batches, one transaction per batch, with case numbers reserved
a block at a time, and indexed for search in the same batch. Each case gets its first message
and its "created" event; the status
timestamps agree with the status (first response, resolved, closed). No audit rows are
written for bulk cases: they are synthetic load, not history.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from aftersales.accounts.models import Team, User
from aftersales.cases import workflow
from aftersales.cases.models import Case, CaseEntry, Channel, EntryKind, Tag
from aftersales.cases.numbering import reserve_case_numbers
from aftersales.catalog.models import OrderLine, Unit
from aftersales.customers.models import Customer
from aftersales.demo import build
from aftersales.demo import content as C
from aftersales.search.actions import index_refresh

BATCH_SIZE = 5000
SPAN_DAYS = 730
STATUS_WEIGHTS = {
    workflow.CLOSED: 50, workflow.RESOLVED: 10, workflow.OPEN: 10, workflow.NEW: 8,
    workflow.WAITING_CUSTOMER: 9, workflow.IN_REPAIR: 8, workflow.WAITING_PARTS: 5,
}
# Cases still being worked on are recent; finished ones spread over the whole two years.
ACTIVE_SPAN_DAYS = 90
CHANNEL_WEIGHTS = {
    Channel.PORTAL: 30, Channel.EMAIL: 20, Channel.CHAT: 15, Channel.PHONE: 15, Channel.MARKETPLACE: 12,
    Channel.WALK_IN: 5, Channel.API: 3,
}
HANDLERS = {"zh-hant": "agent", "zh-hans": "agent.hans", "ko": "agent.ko", "en": "agent"}


@dataclass(frozen=True)
class Bought:
    purchase_id: int
    unit_id: int | None
    product_model_id: int
    product: C.Product
    order: str
    shop: str
    amount: Decimal
    currency: str
    signed_at: datetime | None
    serial: str


@dataclass(frozen=True)
class Buyer:
    customer_id: int
    user_id: int | None
    language: str
    name: str
    bought: tuple[Bought, ...]


class Values(dict):
    """Placeholder values computed only when a text asks for them."""

    def __init__(self, lang: str, product: C.Product, bought: Bought | None, buyer: Buyer, at: datetime,
                 rng: random.Random):
        super().__init__()
        self.lang, self.product, self.bought, self.buyer, self.at, self.rng = lang, product, bought, buyer, at, rng

    def __missing__(self, key: str) -> str:
        value = self.compute(key)
        self[key] = value
        return value

    def compute(self, key: str) -> str:
        lang, b, rng = self.lang, self.bought, self.rng
        currency = b.currency if b else C.LANGUAGE_CURRENCY[lang]
        amount = b.amount if b else C.price_in(self.product.price_cny, currency)
        signed = b.signed_at if b and b.signed_at else self.at - timedelta(days=rng.randint(5, 200))
        simple = {
            "product": lambda: self.product.names[lang], "brand": lambda: self.product.brand,
            "order": lambda: b.order if b else f"{rng.randrange(10**11, 10**12)}",
            "name": lambda: self.buyer.name,
            "shop": lambda: b.shop if b else self.product.brand,
            "amount": lambda: C.format_money(amount, currency, lang),
            "refund": lambda: C.format_money(amount, currency, lang),
            "compensation": lambda: C.format_money(C.late_shipment_compensation(amount, currency), currency, lang),
            "fee": lambda: C.format_money(C.price_in(self.product.price_cny // 4, currency), currency, lang),
            "bought": lambda: C.format_date(signed.date(), lang), "paid": lambda: C.format_date(signed.date(), lang),
            "expiry": lambda: C.format_date((self.at + timedelta(days=30)).date(), lang),
            "serial": lambda: (b.serial if b and b.serial else f"{rng.randrange(10**9, 10**10)}"),
            "batch": lambda: f"{self.at:%y}{rng.choice('ABCDEFGH')}{rng.randrange(100, 999)}",
            "tracking": lambda: f"{rng.randrange(10**11, 10**12)}", "rma": lambda: f"RMA{rng.randrange(10**6, 10**7)}",
        }
        if key in simple:
            return simple[key]()
        return ""


class Generator:
    def __init__(self, seed: int, existing: int):
        self.rng = random.Random(f"{seed}:bulk:{existing}")
        self.content = C.load()
        self.now = timezone.now()
        self.teams = {t.code: t.pk for t in Team.objects.all()}
        self.default_team = next((t.pk for t in Team.objects.filter(is_default=True)), None)
        self.staff = dict(User.objects.filter(username__in=[
            "agent", "agent.hans", "agent.ko", "supervisor", "technician", "technician.ko"]).values_list(
            "username", "pk"))
        self.buyers = self.load_buyers()
        names = sorted({t for s in self.content.scenarios for t in s.tags})
        Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
        self.tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        self.statuses, self.status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        self.channels, self.channel_weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
        self.repair = [s for s in self.content.scenarios if s.flow == "repair"]

    def load_buyers(self) -> list[Buyer]:
        products = {p.sku: p for p in self.content.products}
        units = {u["order_line_id"]: u for u in Unit.objects.filter(order_line__isnull=False).values(
            "order_line_id", "pk", "serial_number", "imei")}
        bought: dict[int, list[Bought]] = defaultdict(list)
        lines = OrderLine.objects.select_related("purchase", "product_model").order_by("id")
        for line in lines.iterator(chunk_size=2000):
            product = products.get(line.product_model.sku)
            if product is None:
                continue
            unit = units.get(line.pk) or {}
            p = line.purchase
            bought[p.customer_id].append(Bought(
                purchase_id=p.pk, unit_id=unit.get("pk"), product_model_id=line.product_model_id, product=product,
                order=p.order_number,
                shop=p.shop_name, amount=p.amount, currency=p.currency, signed_at=p.signed_at,
                serial=unit.get("imei") or unit.get("serial_number") or ""))
        buyers = [
            Buyer(customer_id=pk, user_id=user_id, language=lang if lang in C.LANGUAGES else "en", name=name,
                  bought=tuple(bought.get(pk, ())))
            for pk, user_id, lang, name in Customer.objects.values_list("pk", "user_id", "language", "name")
        ]
        if not buyers:
            raise RuntimeError("no customers to write cases for")
        return buyers

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def one(self) -> tuple[Case, str, Any]:
        rng = self.rng
        buyer = rng.choice(self.buyers)
        lang = buyer.language
        status = rng.choices(self.statuses, weights=self.status_weights)[0]
        pool = self.repair if status in (workflow.IN_REPAIR, workflow.WAITING_PARTS) else self.content.scenarios
        scenario = rng.choice(pool)
        fitting = [b for b in buyer.bought if scenario.fits(b.product)]
        bought = rng.choice(fitting) if fitting and rng.random() < 0.85 else None
        product = bought.product if bought else rng.choice(
            [p for p in self.content.products if scenario.fits(p)] or self.content.products)
        span = SPAN_DAYS if status in workflow.DONE else ACTIVE_SPAN_DAYS
        created = self.now - timedelta(days=rng.uniform(0.01, span - 1))
        if bought and bought.signed_at and created < bought.signed_at:
            created = bought.signed_at + self.minutes(60, 3 * 1440)
        first = resolved = closed = None
        if status != workflow.NEW:
            first = created + self.minutes(5, 1440)
        if status in workflow.DONE:
            resolved = first + self.minutes(120, 10 * 1440)
        if status == workflow.CLOSED:
            closed = resolved + self.minutes(60, 8 * 1440)
        updated = (closed or resolved or first or created) + self.minutes(0, 5)
        if updated > self.now:  # keep every timestamp in the past, in the same order
            back = updated - self.now + self.minutes(1, 600)
            created, updated = created - back, updated - back
            first, resolved, closed = (t - back if t else None for t in (first, resolved, closed))
        values = Values(lang, product, bought, buyer, created, rng)
        channel = rng.choices(self.channels, weights=self.channel_weights)[0]
        handler = HANDLERS[lang]
        team = self.teams.get("korea") if lang == "ko" else self.default_team
        if scenario.type in ("complaint", "guarantee_claim") and lang != "ko":
            team, handler = self.teams.get("complaints", team), "agent.hans" if lang == "zh-hans" else "supervisor"
        assignee = None
        if status in (workflow.IN_REPAIR, workflow.WAITING_PARTS):
            handler = "technician.ko" if lang == "ko" else "technician"
            team = self.teams.get("korea") if lang == "ko" else self.teams.get("repairs", team)
        if status != workflow.NEW or rng.random() < 0.2:
            assignee = self.staff.get(handler)
        created_by = {Channel.PORTAL: buyer.user_id, Channel.CHAT: buyer.user_id}.get(channel)
        if channel in (Channel.PHONE, Channel.WALK_IN):
            created_by = self.staff.get(HANDLERS[lang])
        case = Case(
            subject=C.render(scenario.text("subject", lang), values)[:300], type=scenario.type,
            severity=rng.choice(scenario.severities), channel=channel, status=status,
            is_open=status not in workflow.DONE, language=lang, customer_id=buyer.customer_id,
            unit_id=bought.unit_id if bought else None,
            purchase_id=bought.purchase_id if bought else None,
            product_model_id=bought.product_model_id if bought else None, assignee_id=assignee, team_id=team,
            created_by_id=created_by, created_at=created, updated_at=updated, first_response_at=first,
            resolved_at=resolved, closed_at=closed,
        )
        body = C.render(scenario.text("open", lang), values)
        tags = rng.sample(scenario.tags, k=1) if scenario.tags and rng.random() < 0.25 else []
        return case, body, tags

    def batch(self, count: int) -> None:
        made = [self.one() for _ in range(count)]
        made.sort(key=lambda m: m[0].created_at)
        by_year: dict[int, list[Case]] = defaultdict(list)
        for case, _body, _tags in made:
            by_year[timezone.localtime(case.created_at).year].append(case)
        for year, cases in by_year.items():
            for case, number in zip(cases, reserve_case_numbers(year, len(cases)), strict=True):
                case.number = number
        Case.objects.bulk_create([m[0] for m in made])
        entries, links = [], []
        for case, body, tags in made:
            entries.append(CaseEntry(case_id=case.pk, kind=EntryKind.EVENT, is_public=True,
                                     author_id=case.created_by_id, event="created",
                                     data={"channel": case.channel}, created_at=case.created_at))
            entries.append(CaseEntry(case_id=case.pk, kind=EntryKind.MESSAGE, is_public=True,
                                     author_id=case.created_by_id, from_customer=True, body=body,
                                     language=case.language, created_at=case.created_at))
            links += [Case.tags.through(case_id=case.pk, tag_id=self.tags[t]) for t in tags if t in self.tags]
        CaseEntry.objects.bulk_create(entries)
        if links:
            Case.tags.through.objects.bulk_create(links)
        # Bulk writes announce nothing: the new cases go into the search index here, in the batch's
        # transaction (`aftersales search reindex cases` rebuilds it all).
        index_refresh(scope="cases", ids=[m[0].pk for m in made])


def add_cases(count: int, *, seed: int = build.DEFAULT_SEED, batch_size: int = BATCH_SIZE, progress: bool = True,
              stream=None) -> int:
    """Add `count` bulk cases (loading the realistic demo first if it is not there)."""
    if count <= 0:
        return 0
    if not build.is_loaded():
        build.load_demo(seed=seed)
    generator = Generator(seed, Case.objects.count())
    done = 0
    with tqdm(total=count, unit="case", unit_scale=True, disable=not progress, file=stream,
              desc="bulk cases", dynamic_ncols=True) as bar:
        while done < count:
            n = min(batch_size, count - done)
            with transaction.atomic():
                generator.batch(n)
            done += n
            bar.update(n)
    return done
