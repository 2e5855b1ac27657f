"""Every write to policies, their mappings and entitlement decisions, each with its audit row.

Policy versions are only ever added: `policy_version_create` validates a document with the
engine and stores it as the next number; nothing changes a stored version. Evaluating a
claim reads the current version, runs the pure engine, and (when asked) keeps the facts,
the answer and the version as an `EntitlementDecision`.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Guarantee, ProductCategory, ProductModel
from aftersales.core.audit import audit_record, jsonable, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.policies import documents
from aftersales.policies.engine import PolicyError as EnginePolicyError
from aftersales.policies.engine import evaluate, validate_policy
from aftersales.policies.engine.io import claim_from_json, decision_to_json
from aftersales.policies.engine.types import ClaimError, Decision
from aftersales.policies.errors import PolicyError
from aftersales.policies.models import (
    CategoryPolicy,
    EntitlementDecision,
    GuaranteePolicy,
    ModelPolicy,
    Policy,
    PolicyName,
    PolicyVersion,
)
from aftersales.policies.selectors import MAX_CODE, is_policy_code, policy_with_current
from aftersales.policies.signals import decision_recorded

logger = logging.getLogger("aftersales.policies")
LANGUAGE_CODES = {code for code, _n in settings.LANGUAGES}
POLICY_AUDITED = ["code", "family", "jurisdiction", "currency", "is_active", "based_on", "current_version"]


# ---- policies and versions -------------------------------------------------------------------

def clean_code(code: Any) -> str:
    if not is_policy_code(code):
        raise ValidationFailed(PolicyError.POLICY_CODE_INVALID,
                               _("A policy code is lower-case letters and digits joined by hyphens, e.g. "
                                 "myshop-return-30d, at most %(n)d characters.") % {"n": MAX_CODE})
    return code


def check_document(document: Any, *, code: str | None = None) -> dict[str, Any]:
    """The document as it will be stored, checked by the engine; 422 `policy_invalid` listing
    every problem. With `code`, the document must be that policy's."""
    if not isinstance(document, Mapping):
        raise ValidationFailed(PolicyError.POLICY_INVALID, _("A policy document must be a mapping of names to values."))
    try:
        doc = documents.normalise(document)
    except documents.DocumentError as exc:
        raise ValidationFailed(PolicyError.POLICY_INVALID, str(exc)) from exc
    problems = [str(p) for p in validate_policy(doc)]
    if code is not None and doc.get("code") != code:
        problems.insert(0, _("The document's code must be %(code)s.") % {"code": code})
    if problems:
        raise ValidationFailed(
            PolicyError.POLICY_INVALID,
            _("The policy document has problems: %(problems)s") % {"problems": "; ".join(problems[:5])},
            errors=[{"field": "document", "detail": p} for p in problems],
        )
    return doc


def _sync_names(policy: Policy, names: Any) -> None:
    wanted = {lang: str(name).strip()[:200] for lang, name in (names or {}).items()
              if lang in LANGUAGE_CODES and isinstance(name, str) and name.strip()} if isinstance(names, dict) else {}
    existing = {row.language: row for row in PolicyName.objects.filter(policy=policy)}
    for lang, row in existing.items():
        if lang not in wanted:
            row.delete()
        elif row.name != wanted[lang]:
            row.name = wanted[lang]
            row.save(update_fields=["name"])
    PolicyName.objects.bulk_create(
        [PolicyName(policy=policy, language=lang, name=name) for lang, name in wanted.items() if lang not in existing])


def _describe(doc: Mapping[str, Any]) -> dict[str, str]:
    return {"family": str(doc.get("family") or "")[:40], "jurisdiction": str(doc.get("jurisdiction") or "")[:10],
            "currency": str(doc.get("currency") or "")[:3]}


@transaction.atomic
def policy_version_create(*, policy: Policy, document: Any, actor, note: str = "") -> PolicyVersion:
    """Store `document` as the policy's next version and make it current. An unchanged
    document adds nothing and returns the current version."""
    doc = check_document(document, code=policy.code)
    policy = Policy.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=policy.pk)
    current = policy.current_version
    if current is not None and documents.canonical(current.document) == documents.canonical(doc):
        return current
    before = snapshot(policy, POLICY_AUDITED)
    number = (PolicyVersion.objects.filter(policy=policy).aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion.objects.create(policy=policy, number=number, document=doc,
                                           created_by=actor if getattr(actor, "pk", None) else None,
                                           note=(note or "").strip()[:300])
    for field, value in _describe(doc).items():
        setattr(policy, field, value)
    policy.current_version = version
    policy.save(update_fields=["family", "jurisdiction", "currency", "current_version", "updated_at"])
    _sync_names(policy, doc.get("names"))
    audit_record(actor=actor, obj=version, action="policy_version_created",
                 after={"policy": policy.code, "number": number, "note": version.note})
    audit_record(actor=actor, obj=policy, action="policy_changed", before=before,
                 after=snapshot(policy, POLICY_AUDITED))
    return version


@transaction.atomic
def policy_create(*, document: Any, actor, note: str = "", based_on: Policy | None = None) -> Policy:
    """A new policy whose version 1 is `document` (its `code` names the policy)."""
    if not isinstance(document, Mapping):
        raise ValidationFailed(PolicyError.POLICY_INVALID, _("A policy document must be a mapping of names to values."))
    code = clean_code(document.get("code"))
    doc = check_document(document, code=code)
    if Policy.objects.filter(code=code).exists():
        raise Conflict(PolicyError.POLICY_CODE_TAKEN, _("There is already a policy %(code)s.") % {"code": code})
    policy = Policy.objects.create(code=code, based_on=based_on, **_describe(doc))
    audit_record(actor=actor, obj=policy, action="policy_created", after=snapshot(policy, POLICY_AUDITED))
    policy_version_create(policy=policy, document=doc, actor=actor, note=note)
    policy.refresh_from_db()
    return policy


@transaction.atomic
def policy_copy(*, policy: Policy, new_code: str, actor, note: str = "") -> Policy:
    """A new policy starting from `policy`'s current document under `new_code`; the copy
    remembers where it came from and is then edited like any other."""
    new_code = clean_code(new_code)
    source = Policy.objects.select_related("current_version").get(pk=policy.pk)
    if source.current_version is None:
        raise ValidationFailed(PolicyError.POLICY_INVALID, _("The policy %(code)s has no document yet.")
                               % {"code": source.code})
    document = copy.deepcopy(source.current_version.document)
    document["code"] = new_code
    return policy_create(
        document=document, actor=actor, based_on=source,
        note=note or _("Copied from %(code)s v%(n)d") % {"code": source.code, "n": source.current_version.number},
    )


@transaction.atomic
def policy_set_active(*, policy: Policy, is_active: bool, actor) -> Policy:
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.is_active != is_active:
        before = snapshot(policy, ["is_active"])
        policy.is_active = is_active
        policy.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, obj=policy, action="policy_changed", before=before,
                     after=snapshot(policy, ["is_active"]))
    return policy


LoadOutcome = Literal["created", "new_version", "unchanged"]


@transaction.atomic
def policy_load(*, document: Any, actor, note: str = "") -> tuple[Policy, LoadOutcome]:
    """Bring one document in: a new policy, a new version of an existing one, or nothing
    when the current version already says exactly this."""
    if not isinstance(document, Mapping):
        raise ValidationFailed(PolicyError.POLICY_INVALID, _("A policy document must be a mapping of names to values."))
    code = clean_code(document.get("code"))
    existing = Policy.objects.select_related("current_version").filter(code=code).first()
    if existing is None:
        return policy_create(document=document, actor=actor, note=note), "created"
    before = existing.current_version_id
    version = policy_version_create(policy=existing, document=document, actor=actor, note=note)
    existing.refresh_from_db()
    return existing, ("unchanged" if version.pk == before else "new_version")


# ---- what policy applies to what --------------------------------------------------------------

def _link_set(model, *, key: dict[str, Any], policy: Policy | None, actor, obj_label: str) -> None:
    link = model.objects.select_for_update().filter(**key).first()
    before = {"policy": link.policy.code if link else None}
    if policy is None:
        if link is not None:
            audit_record(actor=actor, obj=link, action="policy_link_removed", before={obj_label: before["policy"]})
            link.delete()
        return
    if link is None:
        link = model.objects.create(policy=policy, **key)
    elif link.policy_id != policy.pk:
        link.policy = policy
        link.save(update_fields=["policy"])
    else:
        return
    audit_record(actor=actor, obj=link, action="policy_link_set", before={obj_label: before["policy"]},
                 after={obj_label: policy.code})


@transaction.atomic
def category_policy_set(*, category: ProductCategory, policy: Policy | None, actor) -> None:
    """Every product model of `category` (and its sub-categories) follows `policy`; None unmaps."""
    _link_set(CategoryPolicy, key={"category": category}, policy=policy, actor=actor, obj_label=category.code)


@transaction.atomic
def model_policy_set(*, product_model: ProductModel, policy: Policy | None, actor) -> None:
    """`product_model` follows `policy` instead of its category's; None goes back to the category's."""
    _link_set(ModelPolicy, key={"product_model": product_model}, policy=policy, actor=actor,
              obj_label=product_model.sku)


@transaction.atomic
def guarantee_policy_set(*, guarantee: str, policy: Policy | None, actor) -> None:
    if guarantee not in Guarantee.values:
        raise ValidationFailed("invalid_input", _("Unknown guarantee: %(g)s") % {"g": guarantee})
    _link_set(GuaranteePolicy, key={"guarantee": guarantee}, policy=policy, actor=actor, obj_label=guarantee)


# ---- evaluating a claim -----------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    response: dict[str, Any]  # what the API answers and the CLI prints
    decision: EntitlementDecision | None  # the stored record, when asked for


def _identity(text: str) -> str:
    return text


def _stored_result(decision: Decision, response_shape: dict[str, Any]) -> dict[str, Any]:
    """The engine's answer in English, each explanation with its template and parameters so
    it can be read in any language later (`selectors`-side: `decision_explanation`)."""
    stored = copy.deepcopy(response_shape)
    for item, source in zip(stored.get("explanation", []), decision.explanation, strict=False):
        item["template"] = source.template
        item["params"] = jsonable(source.params)
    return stored


def claim_error(exc: ClaimError) -> ValidationFailed:
    """The engine's refusal as the API's 422, the message in the reader's language."""
    template = _(exc.template) if exc.template else str(exc)
    try:
        detail = template % exc.params if exc.params else template
    except (KeyError, TypeError, ValueError):
        detail = str(exc)
    return ValidationFailed(exc.code, detail)


def entitlement_evaluate(
    *, facts: dict[str, Any], actor, case=None, unit=None, purchase=None, record: bool = False
) -> Evaluation:
    """Decide a claim with the current version of the policy `facts["policy"]` names.

    Refusals are 422s: `unknown_policy`, `policy_inactive`, or the engine's own code for
    facts it cannot decide on (claim before purchase, malformed money, …). With `record`
    (or a `case`) the decision is kept with the version it used."""
    code = facts.get("policy")
    if code is None:
        raise ValidationFailed("missing_field", _("Name the policy that decides the claim (policy)."))
    if not isinstance(code, str):
        raise ValidationFailed("invalid_type", _("The policy must be given by its code, e.g. cn-mobile-phone."))
    policy = policy_with_current(code)
    if policy is None or policy.current_version is None:
        raise ValidationFailed(PolicyError.UNKNOWN_POLICY, _("Unknown policy: %(code)s") % {"code": code})
    if not policy.is_active:
        raise ValidationFailed(PolicyError.POLICY_INACTIVE, _("The policy %(code)s is not in use.") % {"code": code})
    version = policy.current_version
    try:
        claim = claim_from_json(facts)
        # The engine reports the version it was given; the stored number is the truth.
        decision = evaluate({**version.document, "version": version.number}, claim)
    except ClaimError as exc:
        raise claim_error(exc) from exc
    except EnginePolicyError as exc:
        # A stored document the engine cannot use (versions are validated when written,
        # but the shipped ones came in by migration): the caller's facts are not at fault.
        logger.warning("Policy %s v%s cannot decide a claim: %s", policy.code, version.number, exc)
        raise ValidationFailed(PolicyError.POLICY_INVALID, _("The policy %(code)s cannot decide this claim; "
                                                             "an administrator must correct it.")
                               % {"code": policy.code}) from exc
    response = decision_to_json(decision, translate=_)
    response["policy"] = policy.code
    response["policy_version"] = version.number
    if not record and case is None:
        return Evaluation(response=response, decision=None)
    stored = decision_to_json(decision, translate=_identity)
    stored["policy"] = policy.code
    stored["policy_version"] = version.number
    with transaction.atomic():
        row = EntitlementDecision.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            case=case, unit=unit if unit is not None else getattr(case, "unit", None),
            purchase=purchase if purchase is not None else getattr(case, "purchase", None),
            policy_version=version, facts=jsonable(facts), result=_stored_result(decision, stored),
            covered=bool(decision.covered),
        )
        audit_record(actor=actor, obj=row, action="entitlement_decided",
                     after={"policy": policy.code, "version": version.number, "covered": row.covered,
                            "case": getattr(case, "pk", None)})
        decision_recorded.send(sender=EntitlementDecision, decision=row, actor=actor)
    return Evaluation(response={**response, "decision_id": row.pk}, decision=row)


def _same_remedy(offered: Mapping[str, Any], chosen: Mapping[str, Any]) -> bool:
    return offered.get("kind") == chosen.get("kind") and (
        "amount" not in chosen or chosen.get("amount") == offered.get("amount"))


@transaction.atomic
def decision_apply_remedy(
    *, decision: EntitlementDecision, remedy: Mapping[str, Any], actor, reason: str = ""
) -> EntitlementDecision:
    """Record the remedy the customer gets, once. A remedy the decision offered is applied
    as offered; anything else is an override and needs a reason (both audited)."""
    decision = EntitlementDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.applied_remedy is not None:
        raise Conflict(PolicyError.REMEDY_ALREADY_APPLIED, _("A remedy was already applied on this decision."))
    if not isinstance(remedy, Mapping) or not isinstance(remedy.get("kind"), str):
        raise ValidationFailed(PolicyError.REMEDY_INVALID, _("Say which remedy to apply."))
    offered = next((r for r in decision.result.get("remedies", []) if _same_remedy(r, remedy)), None)
    reason = (reason or "").strip()
    if offered is None and not reason:
        raise ValidationFailed(PolicyError.OVERRIDE_NEEDS_REASON,
                               _("This remedy is not one the policy gives; say why it is applied."))
    decision.applied_remedy = dict(offered) if offered is not None else jsonable(dict(remedy))
    decision.applied_at = timezone.now()
    decision.applied_by = actor if getattr(actor, "pk", None) else None
    decision.override_reason = "" if offered is not None else reason[:2000]
    decision.save(update_fields=["applied_remedy", "applied_at", "applied_by", "override_reason"])
    audit_record(actor=actor, obj=decision, action="remedy_overridden" if decision.override_reason
                 else "remedy_applied", after={"remedy": decision.applied_remedy,
                                               "reason": decision.override_reason})
    return decision
