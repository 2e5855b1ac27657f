"""Reads of policies and decisions that other apps and the API use."""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from aftersales.catalog.models import ProductCategory, ProductModel, Purchase, Unit
from aftersales.policies.models import (
    CategoryPolicy,
    EntitlementDecision,
    GuaranteePolicy,
    ModelPolicy,
    Policy,
    PolicyVersion,
)

CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as the engine's `validate_policy` wants it
MAX_CODE = 60


def is_policy_code(code: object) -> bool:
    """Could be a policy's code (checked before a lookup: text with a NUL never reaches the database)."""
    return isinstance(code, str) and len(code) <= MAX_CODE and CODE.fullmatch(code) is not None


def policy_with_current(code: str) -> Policy | None:
    """The policy and its current version (one query); None when there is no such code."""
    if not is_policy_code(code):
        return None
    return Policy.objects.select_related("current_version").filter(code=code).first()


def policy_list() -> QuerySet[Policy]:
    return (Policy.objects.select_related("current_version", "based_on")
            .prefetch_related("names").order_by("code"))


def policy_versions(policy: Policy) -> QuerySet[PolicyVersion]:
    """Every version, newest first, without the documents."""
    return (PolicyVersion.objects.filter(policy=policy).select_related("created_by")
            .defer("document").order_by("-number"))


def _category_chain(category: ProductCategory) -> list[int]:
    """The category and its ancestors, nearest first (categories are a shallow tree)."""
    chain, seen = [], set()
    current: ProductCategory | None = category
    while current is not None and current.pk not in seen:
        chain.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return chain


def policy_for_model(product_model: ProductModel) -> Policy | None:
    """The model's own policy, else its category's, else the nearest parent category's."""
    own = ModelPolicy.objects.select_related("policy").filter(product_model=product_model).first()
    if own is not None:
        return own.policy
    chain = _category_chain(product_model.category)
    links = {link.category_id: link.policy
             for link in CategoryPolicy.objects.select_related("policy").filter(category_id__in=chain)}
    return next((links[pk] for pk in chain if pk in links), None)


def _single_model_of(purchase: Purchase) -> ProductModel | None:
    lines = list(purchase.lines.select_related("product_model__category").order_by("id")[:50])
    models = {line.product_model_id: line.product_model for line in lines}
    return next(iter(models.values())) if len(models) == 1 else None


def policy_for(
    *, unit: Unit | None = None, purchase: Purchase | None = None, product_model: ProductModel | None = None
) -> Policy | None:
    """The policy that decides claims on a unit, a purchase (when it holds one product
    model) or a product model: the model's override, else its category's. None when
    nothing maps to one."""
    if product_model is None and unit is not None:
        product_model = unit.product_model
    if product_model is None and purchase is not None:
        product_model = _single_model_of(purchase)
    if product_model is None:
        return None
    return policy_for_model(product_model)


def guarantee_policies_for(purchase: Purchase) -> dict[str, Policy]:
    """The policy for each guarantee the seller offered on the purchase."""
    offered = [g for g in (purchase.guarantees or []) if isinstance(g, str)]
    if not offered:
        return {}
    links = GuaranteePolicy.objects.select_related("policy").filter(guarantee__in=offered)
    return {link.guarantee: link.policy for link in links}


def decisions_for_case(case) -> QuerySet[EntitlementDecision]:
    return (EntitlementDecision.objects.filter(case=case)
            .select_related("policy_version__policy", "actor", "applied_by")
            .prefetch_related(Prefetch("policy_version__policy__names"))
            .order_by("-created_at", "-id"))


def decision_explanation(decision: EntitlementDecision) -> list[dict[str, str]]:
    """A stored decision's explanation in the active language, from the templates and
    parameters kept with it (the English text when a template no longer formats)."""
    out = []
    for item in (decision.result or {}).get("explanation", []):
        text = item.get("text", "")
        template, params = item.get("template"), item.get("params") or {}
        if template:
            try:
                text = gettext(template) % params if params else gettext(template)
            except (KeyError, TypeError, ValueError):
                pass
        out.append({"rule": item.get("rule", ""), "source": item.get("source", ""), "text": text})
    return out
