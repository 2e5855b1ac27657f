"""Reads for the desk's New case page: finding the caller among the customers, the chosen
customer with their units and purchases, and the teams a new case may go to.

Every read starts from the `*_visible_to(user)` querysets of the app that owns the rows, and
costs a fixed number of queries whatever the number of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case as Conditional
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from aftersales.accounts.models import Team
from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import cases_visible_to
from aftersales.catalog.access import purchases_visible_to, units_visible_to
from aftersales.catalog.models import OrderLine, Purchase, SalesChannel, Unit
from aftersales.core.pagination import keyset_page
from aftersales.customers.access import customers_visible_to
from aftersales.customers.identities import LANGUAGE_REGION
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_ids_with_identity

SEARCH_LIMIT = 10
MIN_TERM = 2
MAX_TERM = 100
PICK_LIMIT = 20
# How many unit / order matches a search looks at: a serial or an order number names a
# handful of rows at most.
MATCH_LIMIT = 50


def clean_term(raw: str) -> str:
    """Whitespace collapsed, control characters (NUL among them) dropped."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in raw or "").split())


def with_open_cases(qs: QuerySet[Customer], *, user) -> QuerySet[Customer]:
    """Each customer with `open_cases`: how many open cases of theirs this person may see."""
    counted = (
        cases_visible_to(user).filter(customer_id=OuterRef("pk"), is_open=True)
        .order_by().values("customer_id").annotate(n=Count("pk")).values("n")[:1]
    )
    return qs.annotate(open_cases=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))


@dataclass
class CustomerSearch:
    term: str
    customers: list[Customer] = field(default_factory=list)
    next_cursor: str | None = None


def _serial_like(term: str) -> bool:
    """Serial numbers, IMEIs and order numbers have no spaces."""
    return " " not in term


def customer_search(*, user, term: str, cursor: str | None = None, limit: int = SEARCH_LIMIT) -> CustomerSearch:
    """Customers whose name contains the term, or who hold the identity it spells (e-mail,
    phone, buyer id), own the unit with that serial number or IMEI, or placed that order.
    Newest first, `limit` at a time (keyset on id). Each customer found through a unit or an
    order carries `matched_unit_id` / `matched_purchase_id` so the page can pick it.

    Queries: the unit matches, the order matches, the customers (with their open-case count
    as a subquery), their identities; plus the person's team ids where case visibility needs them.
    A bad cursor raises `ValidationFailed` (core.pagination)."""
    region = LANGUAGE_REGION.get(getattr(user, "language", ""))
    match = Q(name__icontains=term) | Q(pk__in=customer_ids_with_identity(term, region=region))
    unit_of: dict[int, int] = {}
    purchase_of: dict[int, int] = {}
    if _serial_like(term):
        serials = sorted({term, term.upper()})
        by_unit = Q(serial_number__in=serials)
        if term.isascii() and term.isdigit():
            by_unit |= Q(imei=term)
        for customer_id, unit_id in (units_visible_to(user).filter(by_unit, customer__isnull=False)
                                     .order_by("-id").values_list("customer_id", "pk")[:MATCH_LIMIT]):
            unit_of.setdefault(customer_id, unit_id)
        # The (channel, order_number) unique index serves this with every channel listed.
        for customer_id, purchase_id in (purchases_visible_to(user)
                                         .filter(channel__in=SalesChannel.values, order_number__in=serials)
                                         .order_by("-id").values_list("customer_id", "pk")[:MATCH_LIMIT]):
            purchase_of.setdefault(customer_id, purchase_id)
        if unit_of or purchase_of:
            match |= Q(pk__in=[*unit_of, *purchase_of])
    qs = with_open_cases(customers_visible_to(user).filter(match), user=user).prefetch_related("identities")
    page = keyset_page(qs, keys=("id",), kinds=(int,), cursor=cursor, limit=limit)
    for customer in page.items:
        customer.matched_unit_id = unit_of.get(customer.pk)
        customer.matched_purchase_id = purchase_of.get(customer.pk)
    return CustomerSearch(term=term, customers=page.items, next_cursor=page.next_cursor)


def customer_for_new_case(*, user, customer_id: int) -> Customer:
    """The customer with identities and open-case count; a customer out of sight is a 404."""
    customer = (
        with_open_cases(customers_visible_to(user).filter(pk=customer_id), user=user)
        .prefetch_related("identities").first()
    )
    if customer is None:
        raise Http404
    return customer


def _first(pk: int | None):
    """Sorts the row `pk` first, so a chosen row is listed even when it is not among the newest."""
    return Conditional(When(pk=pk, then=Value(0)), default=Value(1), output_field=IntegerField())


@dataclass
class Products:
    units: list[Unit]
    purchases: list[Purchase]
    more_units: bool
    more_purchases: bool


def customer_products(*, user, customer: Customer, unit_id: int | None = None, purchase_id: int | None = None,
                      limit: int = PICK_LIMIT) -> Products:
    """The customer's newest units and purchases (with order lines and product names) to pick
    from; the ones already chosen are always included. Five queries."""
    units = list(
        units_visible_to(user).filter(customer=customer)
        .select_related("product_model").prefetch_related("product_model__names")
        .order_by(_first(unit_id), "-id")[: limit + 1]
    )
    lines = OrderLine.objects.select_related("product_model").prefetch_related("product_model__names")
    purchases = list(
        purchases_visible_to(user).filter(customer=customer)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by(_first(purchase_id), F("paid_at").desc(nulls_last=True), "-id")[: limit + 1]
    )
    return Products(units=units[:limit], purchases=purchases[:limit],
                    more_units=len(units) > limit, more_purchases=len(purchases) > limit)


def team_choices(user) -> list[Team]:
    """Teams a new case may go to: the person's own (every team for those who see all cases),
    so the case they open stays in their sight."""
    teams = Team.objects.all() if can(user, Op.CASE_SEE_ALL) else user.teams.all()
    return list(teams.order_by("-is_default", "name"))
