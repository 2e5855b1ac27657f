"""The realistic demo: teams, logins, product models, customers, purchases and 300+ cases.

Everything is made through the apps' actions, so the audit log and the case timelines are
the ones real use would leave. The case histories are spread over the two years before
today (midnight UTC), all timestamps in the past, and the data depends only on the seed
and that day: two fresh runs on the same day give the same demo.
"""

from __future__ import annotations

import random
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.accounts.actions import user_create
from aftersales.accounts.models import Role, Team, User
from aftersales.catalog.actions import product_model_create, purchase_create
from aftersales.catalog.imei import imei_check_digit
from aftersales.catalog.models import ProductModel, Purchase, Unit
from aftersales.core.errors import Conflict
from aftersales.customers.actions import AddressInput, IdentityInput, customer_create, identity_add
from aftersales.customers.models import Customer
from aftersales.demo import content as C
from aftersales.demo.models import DemoLoad

DEMO_KEY = "realistic"
DEMO_PASSWORD = "demo"  # noqa: S105 - the demo logins' published password
DEFAULT_SEED = 20240601
CASE_COUNT = 330
# Generated customers per language; the four customer logins come on top (64 in all).
CUSTOMERS_PER_LANGUAGE = {"zh-hant": 17, "zh-hans": 17, "ko": 14, "en": 12}
HISTORY_DAYS = 725
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
MARKETPLACES = {"taobao", "tmall", "jd", "shopee", "coupang", "naver"}
INSTALLED = {"air-conditioner": 1.0, "washing-machine": 0.9, "flat-panel-tv": 0.4}


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    language: str
    what: str


@dataclass
class Person:
    language: str
    name: str
    surname: str
    given_roman: str
    gender: str
    email: str
    phone: str
    tier: str
    company: str
    username: str
    time_zone: str
    login: bool
    place: list[str]
    buyer_ids: dict[str, str] = field(default_factory=dict)
    purchases: list[PlannedPurchase] = field(default_factory=list)
    customer: Customer | None = None
    user: User | None = None

    @property
    def honorific(self) -> str:
        female = self.gender == "f"
        if self.language == "zh-hant":
            return self.surname + ("小姐" if female else "先生")
        if self.language == "zh-hans":
            return self.surname + ("女士" if female else "先生")
        if self.language == "ko":
            return f"{self.name} 고객님"
        return ("Ms " if female else "Mr ") + self.surname

    @property
    def weight(self) -> int:
        return 4 if self.login else 2 if self.tier != "standard" else 1


@dataclass
class PlannedPurchase:
    person: Person
    product: C.Product
    channel: str
    order_number: str
    shop: str
    currency: str
    unit_price: Decimal
    amount: Decimal
    extra: tuple[C.Product, int, Decimal] | None
    paid_at: datetime
    shipped_at: datetime
    signed_at: datetime
    installed_at: datetime | None
    invoice_date: date
    invoice_number: str
    guarantees: list[str]
    serial: str
    imei: str | None
    factory_date: date
    special: bool
    purchase: Purchase | None = None
    unit: Unit | None = None


@dataclass
class Result:
    loaded: bool
    seed: int
    logins: list[Login]
    counts: dict[str, int]
    notes: list[str]


def luhn_complete(digits14: str) -> str:
    """The 15-digit IMEI for 14 digits."""
    return digits14 + imei_check_digit(digits14)


def logins() -> list[Login]:
    people = C.load().people
    out = [Login(s["username"], s["role"], s["language"], s["role"]) for s in people["staff"]]
    out += [Login(c["username"], Role.CUSTOMER.value, c["language"], "customer (portal)")
            for c in people["login_customer"]]
    return out


class Demo:
    """Builds the demo in one transaction. `run()` is called once, when no marker exists."""

    def __init__(self, seed: int, today: datetime | None = None):
        self.seed = seed
        self.rng = random.Random(seed)
        self.content = C.load()
        now = today or timezone.now()
        self.anchor = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.earliest = self.anchor - timedelta(days=HISTORY_DAYS)
        self.notes: list[str] = []
        self.teams: dict[str, Team] = {}
        self.staff: dict[str, User] = {}
        self.staff_raw: dict[str, dict[str, Any]] = {raw["username"]: raw for raw in self.content.people["staff"]}
        self.models: dict[str, ProductModel] = {}
        self.people: list[Person] = []
        self.purchases: list[PlannedPurchase] = []
        self.taken: dict[str, set[str]] = {k: set() for k in ("email", "phone", "order", "serial", "imei", "buyer")}

    # ---- small helpers ---------------------------------------------------------------------

    def pattern(self, text: str) -> str:
        return "".join(str(self.rng.randrange(10)) if ch == "#" else ch for ch in text)

    def unique(self, kind: str, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.taken[kind]:
                self.taken[kind].add(value)
                return value
        raise RuntimeError(f"could not find a free {kind}")

    @staticmethod
    def local(at: datetime, language: str) -> datetime:
        return at.astimezone(zoneinfo.ZoneInfo(C.LANGUAGE_TIME_ZONE[language]))

    def at_local_hour(self, day: datetime, language: str, hours: tuple[int, int]) -> datetime:
        """`day` moved to a random minute between the given local hours of the same local day."""
        local = self.local(day, language)
        local = local.replace(hour=self.rng.randrange(*hours), minute=self.rng.randrange(60),
                              second=self.rng.randrange(60), microsecond=0)
        return local.astimezone(UTC)

    # ---- the build ---------------------------------------------------------------------------

    def plan(self) -> list:
        """Decide everything (people, purchases, case histories) before writing anything."""
        from aftersales.demo import conversations

        self.plan_people()
        plans = conversations.plan_cases(self, CASE_COUNT)
        self.plan_spare_purchases()
        return sorted(plans, key=lambda p: p.steps[0].at)

    def run(self) -> dict[str, int]:
        from aftersales.demo import conversations, repairs

        self.make_teams()
        self.make_staff()
        self.make_products()
        plans = self.plan()
        self.make_customers()
        self.make_purchases()
        for plan in plans:
            conversations.execute(self, plan)
        repairs.make_repairs(self)
        return {"cases": len(plans), "customers": len(self.people), "purchases": len(self.purchases)}

    def make_teams(self) -> None:
        for raw in self.content.people["team"]:
            team = Team.objects.filter(code=raw["code"]).first()
            if team is None:
                # accounts has no team action; a team is configuration, made like the migration does.
                team = Team.objects.create(code=raw["code"], name=raw["name"])
            self.teams[raw["code"]] = team

    def make_staff(self) -> None:
        for raw in self.content.people["staff"]:
            self.staff[raw["username"]] = self.user(
                username=raw["username"], role=raw["role"], display_name=raw["display_name"],
                language=raw["language"], time_zone=raw["time_zone"], password=DEMO_PASSWORD,
                teams=[self.teams[code] for code in raw["teams"]],
            )

    def user(self, *, username: str, password: str | None, **fields: Any) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            self.notes.append(f"user {username!r} already existed; left unchanged (its password may not be 'demo')")
            return existing
        return user_create(username=username, password=password, email=fields.pop("email", "")
                           or f"{username}@example.com", actor=self.staff.get("admin"), **fields)

    def make_products(self) -> None:
        admin = self.staff["admin"]
        for product in self.content.products:
            model = ProductModel.objects.filter(sku=product.sku).first()
            if model is None:
                model = product_model_create(sku=product.sku, category_code=product.category,
                                             names=product.names, brand=product.brand, actor=admin)
            self.models[product.sku] = model

    # ---- customers -----------------------------------------------------------------------------

    def plan_people(self) -> None:
        people = self.content.people
        for raw in people["login_customer"]:
            lang = raw["language"]
            self.taken["email"].add(raw["email"])
            self.taken["phone"].add(raw["phone"])
            self.people.append(self.person(
                lang, raw["surname"], raw["given"], raw["gender"], tier=raw["tier"], login=True,
                username=raw["username"], email=raw["email"], phone=raw["phone"], time_zone=raw["time_zone"],
            ))
        for lang, count in CUSTOMERS_PER_LANGUAGE.items():
            pool = people["names"][lang]
            combos = [(s, g, sex) for s in pool["surnames"] for sex in ("f", "m")
                      for g in pool["female" if sex == "f" else "male"]]
            taken = {(p.surname, p.name) for p in self.people}
            self.rng.shuffle(combos)
            chosen = [c for c in combos if (c[0][0], self.full_name(lang, c[0][0], c[1][0])) not in taken][:count]
            for surname, given, sex in chosen:
                roll = self.rng.random()
                tier = "enterprise" if roll < 0.08 else "vip" if roll < 0.2 else "standard"
                self.people.append(self.person(lang, surname, given, sex, tier=tier, login=False))

    @staticmethod
    def full_name(lang: str, surname: str, given: str) -> str:
        return f"{given} {surname}" if lang == "en" else surname + given

    def person(self, lang: str, surname: list[str], given: list[str], sex: str, *, tier: str, login: bool,
               username: str = "", email: str = "", phone: str = "", time_zone: str = "") -> Person:
        people = self.content.people
        email = email or self.unique("email", lambda: "{}.{}{}@{}".format(
            given[1], surname[1], self.rng.choice(["", str(self.rng.randrange(10, 99))]),
            self.rng.choice(EMAIL_DOMAINS)))
        phone = phone or self.unique("phone", lambda: self.pattern(self.rng.choice(people["phones"][lang])))
        company = self.rng.choice(people["companies"][lang]) if tier == "enterprise" else ""
        place = self.rng.choice(people["addresses"][lang]["places"])
        person = Person(
            language=lang, name=self.full_name(lang, surname[0], given[0]), surname=surname[0],
            given_roman=given[1], gender=sex, email=email, phone=phone, tier=tier, company=company,
            username=username or email, time_zone=time_zone or C.LANGUAGE_TIME_ZONE[lang], login=login,
            place=list(place),
        )
        for channel in self.content.channels[lang]:
            if channel in MARKETPLACES and (login or self.rng.random() < 0.45):
                shape = people["buyer_ids"][channel]
                person.buyer_ids[channel] = self.unique(
                    "buyer", lambda shape=shape: shape.format(n=self.rng.randrange(10**6, 10**9)))
        return person

    def address(self, person: Person) -> AddressInput:
        region, city, district, street, postal = person.place
        n, floor, room = self.rng.randrange(1, 400), self.rng.randrange(2, 25), self.rng.randrange(1, 30)
        lang = person.language
        if lang == "zh-hant":
            line1, line2 = f"{street}{n}號{floor}樓", ""
        elif lang == "zh-hans":
            line1, line2 = f"{street}{n}号{self.rng.randrange(1, 12)}栋{floor}0{room % 9 + 1}室", ""
        elif lang == "ko":
            line1, line2 = f"{street} {n}", f"{self.rng.randrange(101, 120)}동 {floor}0{room % 9 + 1}호"
        else:
            line1, line2 = f"{n} {street}", f"Apt {floor}{room:02d}"
        country = self.content.people["addresses"][lang]["country"]
        return AddressInput(country=country, line1=line1, is_default=True, extra={
            "label": {"en": "Home", "zh-hant": "住家", "zh-hans": "家", "ko": "집"}[lang],
            "recipient": person.name, "phone": person.phone, "region": region if region != city else "",
            "city": city, "district": district, "line2": line2, "postal_code": postal,
        })

    def make_customers(self) -> None:
        for person in self.people:
            person.user = self.user(
                username=person.username, password=DEMO_PASSWORD if person.login else None, role=Role.CUSTOMER,
                email=person.email, display_name=person.name, language=person.language,
                time_zone=person.time_zone,
            )
            existing = Customer.objects.filter(user=person.user).first()
            if existing is not None:
                person.customer = existing
                continue
            notes = {"vip": "VIP", "enterprise": person.company}.get(person.tier, "")
            actor = person.user if person.login else self.agent_for(person.language)
            person.customer = customer_create(
                name=person.name, actor=actor, language=person.language, tier=person.tier,
                company=person.company, notes=notes, user=person.user, addresses=[self.address(person)],
            )
            identities = [IdentityInput(kind="email", value=person.email, is_primary=True),
                          IdentityInput(kind="phone", value=person.phone)]
            identities += [IdentityInput(kind="marketplace", value=v, marketplace=k)
                           for k, v in person.buyer_ids.items()]
            for ident in identities:
                try:
                    with transaction.atomic():
                        identity_add(customer=person.customer, kind=ident.kind, value=ident.value,
                                     marketplace=ident.marketplace, is_primary=ident.is_primary, actor=actor)
                except Conflict:
                    self.notes.append(f"{ident.kind} {ident.value} belongs to another customer; not added")

    def agent_for(self, language: str) -> User:
        return self.staff[{"zh-hans": "agent.hans", "ko": "agent.ko"}.get(language, "agent")]

    # ---- purchases -----------------------------------------------------------------------------

    def purchase_for(self, person: Person, scenario: C.Scenario, opened: datetime) -> PlannedPurchase:
        """A purchase of a product the scenario is about, delivered the right number of days
        before the case opens: an earlier one of the customer's when it fits, else a new one."""
        special = bool(scenario.guarantee or scenario.late_shipping or scenario.type == "installation")
        if not special:
            for planned in person.purchases:
                days = (opened - planned.signed_at).days
                if not planned.special and scenario.fits(planned.product) and scenario.days[0] <= days <= \
                        scenario.days[1]:
                    return planned
        products = [p for p in self.content.products if scenario.fits(p)]
        room = max(0, (opened - self.earliest).days - 6)
        low, high = min(scenario.days[0], room), min(scenario.days[1], room)
        signed = opened - timedelta(days=self.rng.randint(low, high), hours=self.rng.uniform(2, 20))
        if signed >= opened:
            signed = opened - timedelta(hours=self.rng.uniform(1, 5))
        return self.plan_purchase(person, self.rng.choice(products), signed, scenario=scenario, special=special)

    def plan_purchase(self, person: Person, product: C.Product, signed: datetime, *,
                      scenario: C.Scenario | None = None, special: bool = False) -> PlannedPurchase:
        rng, lang = self.rng, person.language
        channels = dict(self.content.channels[lang])
        if scenario is not None and scenario.guarantee:
            channels = {c: w for c, w in channels.items() if scenario.guarantee in self.content.guarantees[c]}
        channel = rng.choices(list(channels), weights=list(channels.values()))[0]
        currency = C.LANGUAGE_CURRENCY[lang]
        discount = rng.choice([1, 1, 1, Decimal("0.95"), Decimal("0.9")])
        unit_price = C.price_in(Decimal(product.price_cny) * discount, currency)
        extra = None
        if product.category in ("mobile-phone", "personal-computer") and rng.random() < 0.3:
            accessory = rng.choice([p for p in self.content.products if p.category == "accessories"
                                    and not p.has_units])
            extra = (accessory, rng.randint(1, 2), C.price_in(accessory.price_cny, currency))
        amount = unit_price + (extra[1] * extra[2] if extra else 0)
        late = scenario is not None and scenario.late_shipping
        shipped = signed - timedelta(hours=rng.uniform(20, 70))
        paid = shipped - timedelta(hours=rng.uniform(96, 110) if late else rng.uniform(1, 30))
        paid = max(paid, self.earliest + timedelta(hours=rng.uniform(1, 10)))
        shipped, signed = max(shipped, paid + timedelta(hours=1)), max(signed, paid + timedelta(hours=2))
        installed = None
        if scenario is None or scenario.type != "installation":
            if rng.random() < INSTALLED.get(product.category, 0):
                installed = self.at_local_hour(signed + timedelta(days=rng.randint(1, 3)), lang, (9, 18))
                installed = installed if installed < self.anchor else None
        guarantees = [g for g in self.content.guarantees[channel] if rng.random() < 0.6]
        if scenario is not None and scenario.guarantee and scenario.guarantee not in guarantees:
            guarantees.append(scenario.guarantee)
        factory = (signed - timedelta(days=rng.randint(20, 150))).date()
        serial = imei = ""
        if product.has_units:
            serial = self.unique("serial", lambda: f"{product.serial_prefix}{factory:%y%m}" + "".join(
                rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6)))
        if product.units == "imei":
            imei = self.unique("imei", lambda: luhn_complete(product.tac + self.pattern("######")))
        planned = PlannedPurchase(
            person=person, product=product, channel=channel, currency=currency, unit_price=unit_price,
            amount=amount, extra=extra, paid_at=paid, shipped_at=shipped, signed_at=signed, installed_at=installed,
            order_number=self.order_number(channel, lang, paid), invoice_date=self.local(paid, lang).date(),
            invoice_number=self.invoice_number(lang, paid), guarantees=guarantees, serial=serial,
            imei=imei or None, factory_date=factory, special=special,
            shop=self.content.shops[lang][channel].format(brand=product.brand),
        )
        person.purchases.append(planned)
        self.purchases.append(planned)
        return planned

    def order_number(self, channel: str, lang: str, paid: datetime) -> str:
        day = self.local(paid, lang)
        shapes = {
            "taobao": lambda: self.pattern("3" + "#" * 18),
            "tmall": lambda: self.pattern("2" + "#" * 18),
            "jd": lambda: self.pattern("3###########"),
            "shopee": lambda: f"{day:%y%m%d}" + "".join(self.rng.choice("ABCDEFGHJKMNPQRSTUVWXY0123456789")
                                                        for _ in range(8)),
            "coupang": lambda: self.pattern("2000###########"),
            "naver": lambda: f"{day:%Y%m%d}" + self.pattern("########"),
            "own_shop": lambda: {"zh-hant": "TW", "zh-hans": "CN", "ko": "KR"}.get(lang, "US")
                                + f"{day:%y%m%d}-" + self.pattern("####"),
            "offline": lambda: f"POS-{day:%y%m%d}-" + self.pattern("####"),
        }
        return self.unique("order", shapes[channel])

    def invoice_number(self, lang: str, paid: datetime) -> str:
        day = self.local(paid, lang)
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        if lang == "zh-hant":
            return f"{self.rng.choice(letters)}{self.rng.choice(letters)}-" + self.pattern("########")
        if lang == "zh-hans":
            return f"{day:%y}" + self.pattern("##################")
        if lang == "ko":
            return f"{day:%Y%m%d}-" + self.pattern("4100####-########")
        return f"INV-{day:%Y}-" + self.pattern("######")

    def plan_spare_purchases(self) -> None:
        """Customers buy more than they complain about: every customer gets 1–2 quiet purchases."""
        for person in self.people:
            for _ in range(self.rng.choice([1, 1, 2]) if len(person.purchases) < 3 else 0):
                signed = self.anchor - timedelta(days=self.rng.uniform(3, HISTORY_DAYS - 8))
                self.plan_purchase(person, self.rng.choice(self.content.products), signed)

    def make_purchases(self) -> None:
        for planned in sorted(self.purchases, key=lambda p: p.paid_at):
            customer = planned.person.customer
            existing = Purchase.objects.filter(channel=planned.channel, order_number=planned.order_number).first()
            if existing is not None:
                planned.purchase = existing
                continue
            serials = []
            if planned.product.has_units:
                serials = [{"serial_number": planned.serial, "imei": planned.imei,
                            "factory_date": planned.factory_date}]
            lines = [{"product_model": self.models[planned.product.sku], "quantity": 1,
                      "unit_price": planned.unit_price, "serials": serials}]
            if planned.extra:
                accessory, qty, price = planned.extra
                lines.append({"product_model": self.models[accessory.sku], "quantity": qty, "unit_price": price})
            planned.purchase = purchase_create(customer=customer, actor=None, lines=lines, data={
                "channel": planned.channel, "order_number": planned.order_number, "shop_name": planned.shop,
                "amount": planned.amount, "currency": planned.currency, "paid_at": planned.paid_at,
                "shipped_at": planned.shipped_at, "signed_at": planned.signed_at,
                "installed_at": planned.installed_at, "invoice_date": planned.invoice_date,
                "invoice_number": planned.invoice_number, "guarantees": planned.guarantees,
            })
            if serials:
                planned.unit = Unit.objects.get(product_model=self.models[planned.product.sku],
                                                serial_number=planned.serial)


def load_demo(*, seed: int = DEFAULT_SEED, today: datetime | None = None) -> Result:
    """Load the realistic demo unless it is there already. Idempotent: a second call changes nothing."""
    marker = DemoLoad.objects.filter(key=DEMO_KEY).first()
    if marker is not None:
        return Result(loaded=False, seed=marker.seed, logins=logins(), counts={"cases": marker.cases}, notes=[])
    with transaction.atomic():
        demo = Demo(seed, today=today)
        counts = demo.run()
        # The demo's history happened before anyone watched its clocks: its past warnings and
        # breaches are recorded, not announced (no flood of alarms on the first sweep).
        from aftersales.sla.settle import settle_past_milestones

        settle_past_milestones(now=today)
        DemoLoad.objects.create(key=DEMO_KEY, seed=seed, cases=counts["cases"])
    return Result(loaded=True, seed=seed, logins=logins(), counts=counts, notes=demo.notes)


def is_loaded() -> bool:
    return DemoLoad.objects.filter(key=DEMO_KEY).exists()
