"""Reads for the portal: a customer's own things, through each app's access rules."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from aftersales.cases.selectors import CaseFilters, case_list
from aftersales.catalog.access import product_models_visible_to, purchases_visible_to, units_visible_to
from aftersales.catalog.models import ProductModelName, localized_name
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.pagination import Page
from aftersales.customers.models import Customer, CustomerIdentity, IdentityKind
from aftersales.policies.actions import entitlement_evaluate
from aftersales.policies.case_facts import facts_for
from aftersales.policies.labels import REMEDIES, label, period_label
from aftersales.policies.selectors import policy_for

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


def signup_pending(user) -> bool:
    """A portal sign-up whose e-mail link has not been followed yet: the account is off, has
    never signed in, and its e-mail identity is unverified. (An account staff switched off is
    not pending; it stays off.)"""
    if user is None or user.is_active or not user.is_customer or user.last_login is not None:
        return False
    return Customer.objects.filter(user=user, identities__kind=IdentityKind.EMAIL,
                                   identities__value=user.email.lower(),
                                   identities__verified_at__isnull=True).exists()


def my_identities(*, customer) -> list[CustomerIdentity]:
    """The e-mail addresses and phone numbers we know the customer by (buyer ids from
    marketplaces are staff's business), in one query."""
    return list(customer.identities.filter(kind__in=[IdentityKind.EMAIL, IdentityKind.PHONE])
                .order_by("kind", "-is_primary", "id"))


def entitlement_preview(*, user, unit, purchase, kind: str) -> dict:
    """The engine's answer for a claim the customer is about to make today (nothing is
    stored): the remedies with their labels, the open windows, and why."""
    policy = policy_for(unit=unit, purchase=purchase)
    today = timezone.localdate()
    facts = facts_for(unit=unit, purchase=purchase, case_type=kind, claim_date=today)
    if policy is None or facts is None:
        return {}
    try:
        result = entitlement_evaluate(facts={**facts, "policy": policy.code}, actor=user).response
    except DomainError:
        return {}
    windows = []
    for period in result.get("periods", []):
        ends = date.fromisoformat(period["ends"])
        if ends >= today:
            windows.append({"label": period_label(period["name"]), "ends": ends, "days_left": (ends - today).days})
    return {"policy": localized_name(policy, "names") or policy.code, "result": result, "windows": windows,
            "remedies": [{**r, "label": label(REMEDIES, r["kind"])} for r in result["remedies"]]}
