"""Reads for the portal: a customer's own things, through each app's access rules."""

from __future__ import annotations

from django.db.models import Prefetch

from aftersales.cases.selectors import CaseFilters, case_list
from aftersales.catalog.access import product_models_visible_to, purchases_visible_to, units_visible_to
from aftersales.catalog.models import ProductModelName, localized_name
from aftersales.core.errors import ValidationFailed
from aftersales.core.pagination import Page

PAGE_SIZE = 20


def my_cases(*, user, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """The customer's cases, newest activity first. A bad cursor starts from the top."""
    try:
        return case_list(user=user, filters=CaseFilters(), cursor=cursor, limit=limit)
    except ValidationFailed:
        return case_list(user=user, filters=CaseFilters(), cursor=None, limit=limit)


def my_units(*, user):
    names = Prefetch("product_model__names", queryset=ProductModelName.objects.all())
    return list(units_visible_to(user).select_related("product_model", "purchase_proof").prefetch_related(names)
                .order_by("-id"))


def my_purchases(*, user):
    return list(purchases_visible_to(user).order_by("-paid_at", "-id"))


def product_model_choices(*, user) -> list[tuple[int, str]]:
    """Active models a customer may register, by name in the reader's language."""
    models = product_models_visible_to(user).select_related("category").prefetch_related("names")
    return sorted(((m.pk, f"{localized_name(m, 'names') or m.sku} ({m.sku})") for m in models),
                  key=lambda c: c[1].casefold())
