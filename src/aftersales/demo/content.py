"""The demo's content as data: products, people and conversation scenarios in four languages.

The texts live in TOML files under `fixtures/` (shipped with the package), so translators
can read and correct them without touching code. This module loads them once, checks their
shape, and knows how to write dates, appointment slots and amounts the way each language
writes them.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

LANGUAGES = ("en", "zh-hant", "zh-hans", "ko")
PHASES = ("subject", "open", "reply", "ask", "answer", "note", "progress", "resolve")
OPTIONAL_PHASES = ("reopen",)
FLOWS = frozenset({"repair", "visit", "desk"})
SCENARIO_FILES = (
    "scenarios_devices.toml", "scenarios_appliances.toml", "scenarios_commerce.toml", "scenarios_service.toml",
)
# Every placeholder a text may use; conversations.placeholder_values() fills them all.
PLACEHOLDERS = frozenset({
    "name", "agent", "tech", "product", "brand", "order", "shop", "bought", "paid", "amount", "refund",
    "compensation", "fee", "serial", "slot", "eta", "tracking", "courier", "rma", "batch", "expiry", "case",
})
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")

# The currency each language's customers pay in, and the demo's exchange rates from CNY.
LANGUAGE_CURRENCY = {"zh-hans": "CNY", "zh-hant": "TWD", "ko": "KRW", "en": "USD"}
CURRENCY_RATES = {"CNY": Decimal("1"), "TWD": Decimal("4.4"), "KRW": Decimal("190"), "USD": Decimal("0.14")}
LANGUAGE_TIME_ZONE = {"zh-hant": "Asia/Taipei", "zh-hans": "Asia/Shanghai", "ko": "Asia/Seoul", "en": "UTC"}


@dataclass(frozen=True)
class Product:
    sku: str
    category: str
    brand: str
    price_cny: int
    units: str  # "imei", "serial" or "none"
    tac: str
    serial_prefix: str
    names: dict[str, str]

    @property
    def has_units(self) -> bool:
        return self.units != "none"


@dataclass(frozen=True)
class Scenario:
    key: str
    type: str
    flow: str
    severities: tuple[str, ...]
    categories: tuple[str, ...]
    skus: tuple[str, ...]
    days: tuple[int, int]
    tags: tuple[str, ...]
    guarantee: str
    late_shipping: bool
    fee: float
    months: tuple[int, ...]
    texts: dict[str, dict[str, str]]

    def text(self, phase: str, language: str) -> str | None:
        return self.texts[language].get(phase)

    def in_season(self, month: int) -> bool:
        return not self.months or month in self.months

    @property
    def has_appointment(self) -> bool:
        return "{slot}" in self.texts["en"]["progress"]

    def fits(self, product: Product) -> bool:
        if self.skus:
            return product.sku in self.skus
        return product.category in self.categories


@dataclass(frozen=True)
class Content:
    products: tuple[Product, ...]
    scenarios: tuple[Scenario, ...]
    phrases: dict[str, dict[str, list[Any]]]
    people: dict[str, Any]
    channels: dict[str, dict[str, int]]
    shops: dict[str, dict[str, str]]
    guarantees: dict[str, list[str]]

    def phrase_pool(self, name: str, language: str) -> list[Any]:
        return self.phrases[name][language]

    def scenario(self, key: str) -> Scenario:
        return next(s for s in self.scenarios if s.key == key)


def _fixture(name: str) -> dict[str, Any]:
    text = resources.files("aftersales.demo").joinpath("fixtures", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _product(raw: dict[str, Any]) -> Product:
    return Product(
        sku=raw["sku"], category=raw["category"], brand=raw["brand"], price_cny=int(raw["price"]),
        units=raw["units"], tac=raw.get("tac", ""), serial_prefix=raw.get("serial", raw["sku"].replace("-", "")),
        names={lang: raw[lang] for lang in LANGUAGES},
    )


def _scenario(raw: dict[str, Any]) -> Scenario:
    return Scenario(
        key=raw["key"], type=raw["type"], flow=raw["flow"], severities=tuple(raw["severity"]),
        categories=tuple(raw["categories"]), skus=tuple(raw.get("skus", ())),
        days=(int(raw["days"][0]), int(raw["days"][1])), tags=tuple(raw.get("tags", ())),
        guarantee=raw.get("guarantee", ""), late_shipping=raw.get("shipping") == "late",
        fee=float(raw.get("fee", 0.1)), months=tuple(raw.get("months", ())),
        texts={lang: dict(raw[lang]) for lang in LANGUAGES},
    )


@functools.cache
def load() -> Content:
    catalog = _fixture("catalog.toml")
    scenarios: list[Scenario] = []
    for name in SCENARIO_FILES:
        scenarios.extend(_scenario(raw) for raw in _fixture(name)["scenario"])
    return Content(
        products=tuple(_product(raw) for raw in catalog["product"]),
        scenarios=tuple(scenarios),
        phrases=_fixture("phrases.toml"),
        people=_fixture("people.toml"),
        channels=catalog["channels"],
        shops=catalog["shops"],
        guarantees=catalog["guarantees"],
    )


def problems(content: Content | None = None) -> list[str]:
    """Everything wrong with the content files; empty when they are complete and consistent."""
    from aftersales.cases.models import CaseType, Severity
    from aftersales.catalog.models import Guarantee

    content = content or load()
    found: list[str] = []
    categories = {p.category for p in content.products}
    skus = {p.sku for p in content.products}
    keys = [s.key for s in content.scenarios]
    if len(keys) != len(set(keys)):
        found.append("duplicate scenario keys")
    for s in content.scenarios:
        where = f"scenario {s.key}"
        if s.type not in CaseType.values:
            found.append(f"{where}: unknown type {s.type}")
        if s.flow not in FLOWS:
            found.append(f"{where}: unknown flow {s.flow}")
        if not s.severities or set(s.severities) - set(Severity.values):
            found.append(f"{where}: bad severities {s.severities}")
        if set(s.categories) - categories or set(s.skus) - skus:
            found.append(f"{where}: unknown category or SKU")
        if s.guarantee and s.guarantee not in Guarantee.values:
            found.append(f"{where}: unknown guarantee {s.guarantee}")
        if not 0 <= s.days[0] <= s.days[1] <= 700:
            found.append(f"{where}: bad day range {s.days}")
        if set(s.months) - set(range(1, 13)):
            found.append(f"{where}: bad months {s.months}")
        for lang in LANGUAGES:
            texts = s.texts[lang]
            missing = [p for p in PHASES if not texts.get(p, "").strip()]
            if missing:
                found.append(f"{where} [{lang}]: missing {missing}")
            extra = set(texts) - set(PHASES) - set(OPTIONAL_PHASES)
            if extra:
                found.append(f"{where} [{lang}]: unknown phases {sorted(extra)}")
            found.extend(_placeholder_problems(f"{where} [{lang}]", texts.values()))
            used = {m for t in texts.values() for m in PLACEHOLDER_RE.findall(t)}
            english = {m for t in s.texts["en"].values() for m in PLACEHOLDER_RE.findall(t)}
            if used != english:
                found.append(f"{where} [{lang}]: placeholders differ from English: {sorted(used ^ english)}")
    for pool, by_lang in content.phrases.items():
        if set(by_lang) != set(LANGUAGES):
            found.append(f"phrases {pool}: languages {sorted(by_lang)}")
            continue
        for lang, options in by_lang.items():
            if not options:
                found.append(f"phrases {pool} [{lang}]: empty")
            found.extend(_placeholder_problems(f"phrases {pool} [{lang}]", (o for o in options if isinstance(o, str))))
    for product in content.products:
        if product.units == "imei" and len(product.tac) != 8:
            found.append(f"product {product.sku}: an IMEI product needs an 8-digit TAC")
    return found


def _placeholder_problems(where: str, texts) -> list[str]:
    out = []
    for text in texts:
        unknown = set(PLACEHOLDER_RE.findall(text)) - PLACEHOLDERS
        if unknown:
            out.append(f"{where}: unknown placeholders {sorted(unknown)}")
        if text.count("{") != text.count("}"):
            out.append(f"{where}: unbalanced braces in {text[:40]!r}")
    return out


def render(template: str, values: dict[str, str]) -> str:
    return template.format_map(values)


# ---- how each language writes dates, slots and money ----------------------------------------

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh-hant": ("週一", "週二", "週三", "週四", "週五", "週六", "週日"),
    "zh-hans": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "ko": ("월", "화", "수", "목", "금", "토", "일"),
}


def format_date(day: date, language: str) -> str:
    if language == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    if language == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.year}年{day.month}月{day.day}日"


def format_slot(start: datetime, hours: int, language: str) -> str:
    """An appointment window in local time: "Tuesday 18 March, 14:00–16:00"."""
    end = f"{start.hour + hours:02d}:00"
    begin = f"{start.hour:02d}:00"
    weekday = WEEKDAYS[language][start.weekday()]
    if language == "en":
        return f"{weekday} {start.day} {MONTHS_EN[start.month - 1]}, {begin}–{end}"
    if language == "ko":
        return f"{start.month}월 {start.day}일({weekday}) {begin}~{end}"
    return f"{start.month}月{start.day}日（{weekday}）{begin}–{end}"


MINOR_UNITS = {"CNY": 2, "TWD": 0, "KRW": 0, "USD": 2}


def quantize(amount: Decimal, currency: str) -> Decimal:
    places = MINOR_UNITS[currency]
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def price_in(price_cny: int | Decimal, currency: str) -> Decimal:
    """A shop price in `currency`, rounded the way shops round (whole yuan, …90 NT$, …900 ₩, ….99 $)."""
    raw = Decimal(price_cny) * CURRENCY_RATES[currency]
    if currency == "TWD":
        return Decimal(max(10, int((raw / 10).to_integral_value(ROUND_HALF_UP)) * 10 - 10))
    if currency == "KRW":
        return Decimal(max(1000, int((raw / 1000).to_integral_value(ROUND_HALF_UP)) * 1000 - 100))
    if currency == "USD":
        return max(Decimal("0.99"), raw.to_integral_value(ROUND_HALF_UP) - Decimal("0.01"))
    return max(Decimal(1), raw.to_integral_value(ROUND_HALF_UP))


def convert(amount_cny: Decimal, currency: str) -> Decimal:
    return quantize(Decimal(amount_cny) * CURRENCY_RATES[currency], currency)


def format_money(amount: Decimal, currency: str, language: str) -> str:
    places = 0 if amount == amount.to_integral_value() else MINOR_UNITS[currency]
    number = f"{amount:,.{places}f}"
    if currency == "CNY":
        return {"en": f"CNY {number}", "ko": f"{number}위안"}.get(language, f"{number} 元")
    if currency == "TWD":
        return {"ko": f"{number} 대만달러"}.get(language, f"NT${number}")
    if currency == "KRW":
        return {"ko": f"{number}원", "en": f"KRW {number}", "zh-hant": f"{number} 韓元"}.get(
            language, f"{number} 韩元")
    return {"ko": f"{number}달러"}.get(language, f"US${number}")


def late_shipment_compensation(amount: Decimal, currency: str) -> Decimal:
    """Document 003's default: 5% of the amount paid, at least 1 and at most 30 yuan
    (the bounds converted at the demo rates for other currencies)."""
    low, high = convert(Decimal(1), currency), convert(Decimal(30), currency)
    return quantize(min(max(amount * Decimal("0.05"), low), high), currency)
