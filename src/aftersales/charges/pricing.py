"""Prices from a price list, and the quote lines the recorded work of a work order comes to:
labour minutes × the hourly rate, parts used (and still reserved for it) × their price,
visits × the visit fee. Reads only; `actions.quote_build_from_work` writes the lines."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.catalog.models import localized_name
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import LineKind, PartPrice, PriceItemKind, PriceList, PriceListItem
from aftersales.charges.money import hours
from aftersales.core.errors import Conflict


@dataclass(frozen=True)
class ProposedLine:
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    part: object | None = None


def active_price_list(*, currency: str, on: date) -> PriceList | None:
    """The active list for `currency` that covers `on`; the one that started last wins."""
    return (PriceList.objects.filter(currency=currency, is_active=True, valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .order_by("-valid_from", "-id").first())


def currencies_with_price_list(*, on: date) -> list[str]:
    return sorted(set(PriceList.objects.filter(is_active=True, valid_from__lte=on)
                      .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
                      .values_list("currency", flat=True)))


def item_price(price_list: PriceList, kind: str, work_order_kind: str) -> Decimal | None:
    """The list's price for `kind` (labour per hour, visit fee): the one for the work order's
    kind, else the one for every kind, else None."""
    rows = dict(PriceListItem.objects.filter(price_list=price_list, kind=kind,
                                             work_order_kind__in=[work_order_kind, ""])
                .values_list("work_order_kind", "unit_price"))
    return rows.get(work_order_kind, rows.get(""))


def require_item_price(price_list: PriceList, kind: str, work_order_kind: str) -> Decimal:
    price = item_price(price_list, kind, work_order_kind)
    if price is None:
        raise Conflict(ChargeError.PRICE_MISSING, _("Price list “%(list)s” has no price for “%(item)s”.")
                       % {"list": price_list.name, "item": PriceItemKind(kind).label})
    return price


def part_price(price_list: PriceList, part) -> Decimal:
    """The list's price for the part, else the part's own price when it is in the list's currency."""
    override = PartPrice.objects.filter(price_list=price_list, part=part).values_list("unit_price", flat=True).first()
    if override is not None:
        return override
    if part.currency != price_list.currency:
        raise Conflict(ChargeError.PRICE_MISSING,
                       _("Part %(sku)s is priced in %(part_currency)s; price list “%(list)s” needs a price for it "
                         "in %(currency)s.")
                       % {"sku": part.sku, "part_currency": part.currency, "list": price_list.name,
                          "currency": price_list.currency})
    return part.unit_price


def labour_description(minutes: int | None, language: str) -> str:
    with translation.override(language):
        if minutes is None:
            return _("Labour")
        return _("Labour (%(minutes)d min)") % {"minutes": minutes}


def visit_description(language: str) -> str:
    with translation.override(language):
        return _("Visit fee")


def part_description(part, language: str) -> str:
    name = localized_name(part, "names", language)
    return f"{name} ({part.sku})" if name else part.sku


def lines_from_work(*, work_order, price_list: PriceList, language: str) -> list[ProposedLine]:
    """The work recorded so far, priced: one labour line (all minutes on the repair card), one
    line per part (fitted, or reserved under the work order's number and not yet fitted), and
    one visit-fee line for the visits made."""
    from aftersales.parts.models import Reservation, ReservationState
    from aftersales.repairs.selectors import work_records

    visits, card = work_records(work_order=work_order)
    lines: list[ProposedLine] = []
    minutes = sum(entry.minutes for entry in card.labour.all()) if card else 0
    if minutes:
        rate = require_item_price(price_list, PriceItemKind.LABOUR_HOUR, work_order.kind)
        lines.append(ProposedLine(LineKind.LABOUR, labour_description(minutes, language), hours(minutes), rate))
    parts: OrderedDict[int, list] = OrderedDict()
    for used in card.parts.all() if card else []:
        parts.setdefault(used.part_id, [used.part, 0])[1] += used.quantity
    reserved = (Reservation.objects.filter(reference=work_order.number, state=ReservationState.ACTIVE)
                .select_related("part").prefetch_related("part__names").order_by("id"))
    for reservation in reserved:
        parts.setdefault(reservation.part_id, [reservation.part, 0])[1] += reservation.quantity
    for part, quantity in parts.values():
        lines.append(ProposedLine(LineKind.PART, part_description(part, language), Decimal(quantity),
                                  part_price(price_list, part), part))
    if visits:
        fee = require_item_price(price_list, PriceItemKind.VISIT_FEE, work_order.kind)
        lines.append(ProposedLine(LineKind.VISIT_FEE, visit_description(language), Decimal(len(visits)), fee))
    return lines
