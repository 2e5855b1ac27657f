"""Every write to guarantee claims. Each is keyword-only and transactional, checks the role,
locks the claim row, follows `workflow.py`, and writes its audit row and case timeline event.

Opening a claim asks the engine (`policies.actions.entitlement_evaluate`, recorded on the
case) with the guarantee's policy; the claim keeps that decision, and with it the policy
version, the facts sent and the amounts computed. The amount is never changed afterwards:
approving (or the platform ruling) a different sum is an override that needs a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.events import event_write
from aftersales.cases.models import Case
from aftersales.catalog.models import CURRENCY_MINOR_UNITS, Guarantee
from aftersales.core.audit import audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.guarantees import events, workflow
from aftersales.guarantees.errors import GuaranteeError
from aftersales.guarantees.facts import CLAIMABLE, purchase_facts, with_overrides
from aftersales.guarantees.models import ClaimStatus, GuaranteeClaim
from aftersales.guarantees.selectors import reshipments_made
from aftersales.policies.actions import entitlement_evaluate
from aftersales.policies.selectors import guarantee_policies_for

# The engine's remedies a guarantee claim settles (money, or the goods sent again).
CLAIM_REMEDIES = ("compensation", "refund", "return", "reshipment")
AUDITED = ["status", "amount", "currency", "override_amount", "override_reason", "payment_reference",
           "rejection_reason", "escalation_note", "ruling", "ruling_note"]
MAX_TEXT = 2000
MAX_REFERENCE = 100
MAX_AMOUNT = Decimal("1e12")


# ---- opening a claim -------------------------------------------------------------------------

def _settled_remedies(response: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"kind": r["kind"], "amount": r.get("amount"), "currency": r.get("currency")}
            for r in response.get("remedies", []) if r.get("kind") in CLAIM_REMEDIES]


def _total(remedies: list[dict[str, Any]]) -> Decimal | None:
    amounts = [Decimal(r["amount"]) for r in remedies if r.get("amount") is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _headline(remedies: list[dict[str, Any]]) -> str:
    kinds = [r["kind"] for r in remedies]
    return "compensation" if "compensation" in kinds else kinds[0]


def _nothing_payable(response: Mapping[str, Any]) -> ValidationFailed:
    why = " ".join(item.get("text", "") for item in response.get("explanation", [])[:2]).strip()
    detail = _("The policy gives nothing under this guarantee.")
    return ValidationFailed(GuaranteeError.NOTHING_PAYABLE, f"{detail} {why}".strip())


@transaction.atomic
def guarantee_claim_open(*, case: Case, guarantee: str, facts_overrides: Mapping[str, Any] | None = None,
                         actor, today: date | None = None) -> GuaranteeClaim:
    """A claim under `guarantee` on the case's purchase, worth what the engine computes.

    Refused with a 422 when the case has no purchase, the seller did not offer the
    guarantee, no policy decides it, or the engine gives nothing; with a 409 while another
    claim under the same guarantee is unsettled on the case. All or nothing: a refusal
    leaves no decision, claim, audit row or event behind."""
    require(actor, Op.GUARANTEE_CLAIM)
    today = today or timezone.localdate()
    case = Case.objects.select_for_update(of=("self",)).select_related("purchase").get(pk=case.pk)
    purchase = case.purchase
    if purchase is None:
        raise ValidationFailed(GuaranteeError.NO_PURCHASE,
                               _("Link the order to the case first: a guarantee claim is made on a purchase."))
    if guarantee not in CLAIMABLE:
        raise ValidationFailed(GuaranteeError.GUARANTEE_NOT_CLAIMABLE,
                               _("Claims are made under the late-shipment, counterfeit, damaged-in-transit and "
                                 "arrival guarantees; returns are given from the entitlement panel."))
    if guarantee not in (purchase.guarantees or []):
        raise ValidationFailed(GuaranteeError.GUARANTEE_NOT_OFFERED,
                               _("The seller did not offer “%(guarantee)s” on this order.")
                               % {"guarantee": Guarantee(guarantee).label})
    if GuaranteeClaim.objects.open().filter(case=case, guarantee=guarantee).exists():
        raise Conflict(GuaranteeError.CLAIM_ALREADY_OPEN,
                       _("A claim under “%(guarantee)s” is already open on this case; settle it first.")
                       % {"guarantee": Guarantee(guarantee).label})
    policy = guarantee_policies_for(purchase).get(guarantee)
    if policy is None:
        raise ValidationFailed(GuaranteeError.NO_POLICY,
                               _("No policy decides “%(guarantee)s” claims; an administrator must map one.")
                               % {"guarantee": Guarantee(guarantee).label})
    if policy.currency and policy.currency != purchase.currency:
        raise ValidationFailed(GuaranteeError.CURRENCY_MISMATCH,
                               _("The policy %(policy)s pays in %(policy_currency)s; this order was paid in "
                                 "%(currency)s.") % {"policy": policy.code, "policy_currency": policy.currency,
                                                     "currency": purchase.currency})
    base = purchase_facts(purchase=purchase, guarantee=guarantee, policy=policy.code, today=today,
                          reshipments=reshipments_made(purchase))
    facts = with_overrides(base, dict(facts_overrides or {}), guarantee=guarantee, purchase=purchase, today=today)
    evaluation = entitlement_evaluate(facts=facts, actor=actor, case=case, purchase=purchase, record=True)
    remedies = _settled_remedies(evaluation.response)
    if not remedies:
        raise _nothing_payable(evaluation.response)
    decision = evaluation.decision
    claim = GuaranteeClaim.objects.create(
        case=case, purchase=purchase, guarantee=guarantee, decision=decision, facts=decision.facts,
        remedy=_headline(remedies), remedies=remedies, amount=_total(remedies),
        currency=next((r["currency"] for r in remedies if r.get("currency")), purchase.currency),
        created_by=actor,
    )
    version = decision.policy_version
    audit_record(actor=actor, obj=claim, action="guarantee_claim_opened",
                 after={**snapshot(claim, AUDITED), "guarantee": guarantee, "case": case.pk,
                        "decision": decision.pk, "policy": policy.code, "version": version.number})
    event_write(case=case, actor=actor, event=events.OPENED,
                data={"claim": claim.pk, "guarantee": guarantee, "remedies": remedies, "amount": str(claim.amount)
                      if claim.amount is not None else None, "currency": claim.currency,
                      "decision": decision.pk, "policy": policy.code, "version": version.number})
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return claim


# ---- the steps after it ----------------------------------------------------------------------

def _text(value: Any, *, code: str, message: str, limit: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(code, message)
    if len(text) > limit:
        raise ValidationFailed(code, _("At most %(n)d characters, please.") % {"n": limit})
    return text


def _amount(value: Any, currency: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(GuaranteeError.AMOUNT_INVALID, _("The amount must be a number, e.g. 20.00.")) from exc
    places = CURRENCY_MINOR_UNITS.get(currency, 2)
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT or amount.as_tuple().exponent < -places:
        raise ValidationFailed(GuaranteeError.AMOUNT_INVALID,
                               _("The amount must be zero or more, with at most %(places)d decimals for "
                                 "%(currency)s.") % {"places": places, "currency": currency})
    return amount


def _lock(claim: GuaranteeClaim) -> GuaranteeClaim:
    """The claim row, locked until the transaction ends: a second click waits, then sees the
    first one's status (so nothing is paid twice)."""
    return GuaranteeClaim.objects.select_for_update(of=("self",)).select_related("case").get(pk=claim.pk)


ILLEGAL = {  # translated when raised
    workflow.APPROVE: gettext_noop("Only a proposed claim can be approved (this one: %(status)s)."),
    workflow.REJECT: gettext_noop("Only a proposed claim can be rejected (this one: %(status)s)."),
    workflow.PAY: gettext_noop("Only an approved claim can be marked paid (this one: %(status)s)."),
    workflow.ESCALATE: gettext_noop(
        "Only a proposed or approved claim can go to the platform (this one: %(status)s)."),
    workflow.RULE_APPROVED: gettext_noop(
        "Only a claim escalated to the platform takes its ruling (this one: %(status)s)."),
}
ILLEGAL[workflow.RULE_REJECTED] = ILLEGAL[workflow.RULE_APPROVED]


def _move(claim: GuaranteeClaim, operation: str) -> str:
    try:
        return workflow.after(claim.status, operation)
    except workflow.IllegalTransition as exc:
        message = _(ILLEGAL[operation]) % {"status": ClaimStatus(claim.status).label}
        raise Conflict(GuaranteeError.INVALID_TRANSITION, message) from exc


def _override(claim: GuaranteeClaim, *, amount: Any, reason: str) -> tuple[Decimal | None, str]:
    """The amount to pay instead of the computed one, with its reason, or (None, "")."""
    given = None if amount is None or (isinstance(amount, str) and not amount.strip()) else amount
    if given is None:
        if claim.override_amount is not None:  # set earlier (an approval before the escalation)
            return claim.override_amount, claim.override_reason
        if claim.amount is None and not claim.in_kind:
            raise ValidationFailed(GuaranteeError.AMOUNT_REQUIRED,
                                   _("The policy leaves this amount to the platform: enter the amount agreed, "
                                     "with the reason."))
        return None, ""
    if claim.in_kind:
        raise ValidationFailed(GuaranteeError.AMOUNT_INVALID, _("A re-shipment carries no amount."))
    value = _amount(given, claim.currency)
    if claim.amount is not None and value == claim.amount:
        return None, ""
    reason = _text(reason, code=GuaranteeError.REASON_REQUIRED,
                   message=_("Say why an amount other than the computed one is paid."))
    return value, reason


def _finish(*, claim: GuaranteeClaim, before: dict[str, Any], fields: list[str], actor, action: str,
            event: str, data: dict[str, Any]) -> GuaranteeClaim:
    claim.save(update_fields=[*fields, "status", "updated_at"])
    audit_record(actor=actor, obj=claim, action=action, before=before, after=snapshot(claim, AUDITED))
    payable = claim.payable
    event_write(case=claim.case, actor=actor, event=event,
                data={"claim": claim.pk, "guarantee": claim.guarantee, "remedy": claim.remedy,
                      "amount": str(payable) if payable is not None else None, "currency": claim.currency, **data})
    Case.objects.filter(pk=claim.case_id).update(updated_at=timezone.now())
    return claim


@transaction.atomic
def guarantee_claim_approve(*, claim: GuaranteeClaim, actor, amount: Any = None,
                            reason: str = "") -> GuaranteeClaim:
    """Approve a proposed claim (supervisors and administrators). `amount` other than the
    computed one is an override and needs `reason`; a claim whose policy leaves the amount to
    the platform needs one."""
    require(actor, Op.GUARANTEE_APPROVE)
    claim = _lock(claim)
    status = _move(claim, workflow.APPROVE)
    override, why = _override(claim, amount=amount, reason=reason)
    before = snapshot(claim, AUDITED)
    claim.status, claim.approved_at, claim.approved_by = status, timezone.now(), actor
    claim.override_amount, claim.override_reason = override, why
    return _finish(claim=claim, before=before, actor=actor, action="guarantee_claim_approved",
                   fields=["approved_at", "approved_by", "override_amount", "override_reason"],
                   event=events.APPROVED, data={"override_reason": why})


@transaction.atomic
def guarantee_claim_reject(*, claim: GuaranteeClaim, actor, reason: str) -> GuaranteeClaim:
    """Reject a proposed claim, saying why (supervisors and administrators)."""
    require(actor, Op.GUARANTEE_APPROVE)
    reason = _text(reason, code=GuaranteeError.REASON_REQUIRED, message=_("Say why the claim is rejected."))
    claim = _lock(claim)
    status = _move(claim, workflow.REJECT)
    before = snapshot(claim, AUDITED)
    claim.status, claim.rejected_at, claim.rejected_by, claim.rejection_reason = status, timezone.now(), actor, reason
    return _finish(claim=claim, before=before, actor=actor, action="guarantee_claim_rejected",
                   fields=["rejected_at", "rejected_by", "rejection_reason"], event=events.REJECTED,
                   data={"reason": reason})


@transaction.atomic
def guarantee_claim_mark_paid(*, claim: GuaranteeClaim, actor, reference: str) -> GuaranteeClaim:
    """Record that an approved claim was paid (or the goods re-shipped), with the payment's
    or the parcel's reference. Once: a second call finds it paid and is a 409."""
    require(actor, Op.GUARANTEE_CLAIM)
    reference = _text(reference, code=GuaranteeError.REFERENCE_REQUIRED, limit=MAX_REFERENCE,
                      message=_("Enter the payment reference (or the parcel's tracking number for a re-shipment)."))
    claim = _lock(claim)
    status = _move(claim, workflow.PAY)
    before = snapshot(claim, AUDITED)
    claim.status, claim.paid_at, claim.paid_by, claim.payment_reference = status, timezone.now(), actor, reference
    return _finish(claim=claim, before=before, actor=actor, action="guarantee_claim_paid",
                   fields=["paid_at", "paid_by", "payment_reference"], event=events.PAID,
                   data={"reference": reference})


@transaction.atomic
def guarantee_claim_escalate(*, claim: GuaranteeClaim, actor, note: str) -> GuaranteeClaim:
    """Send a claim the buyer and the seller cannot settle to the platform for a ruling."""
    require(actor, Op.GUARANTEE_CLAIM)
    note = _text(note, code=GuaranteeError.NOTE_REQUIRED,
                 message=_("Say what the buyer and the seller disagree on."))
    claim = _lock(claim)
    status = _move(claim, workflow.ESCALATE)
    before = snapshot(claim, AUDITED)
    claim.status, claim.escalated_at, claim.escalated_by, claim.escalation_note = status, timezone.now(), actor, note
    return _finish(claim=claim, before=before, actor=actor, action="guarantee_claim_escalated",
                   fields=["escalated_at", "escalated_by", "escalation_note"], event=events.ESCALATED,
                   data={"note": note})


@transaction.atomic
def guarantee_claim_ruling(*, claim: GuaranteeClaim, actor, outcome: str, note: str,
                           amount: Any = None) -> GuaranteeClaim:
    """Record the platform's ruling on an escalated claim: `approved` (then it is paid as
    usual; an `amount` the platform set other than the computed one is kept as an override,
    the note its reason) or `rejected`."""
    require(actor, Op.GUARANTEE_APPROVE)
    operations = {"approved": workflow.RULE_APPROVED, "rejected": workflow.RULE_REJECTED}
    if outcome not in operations:
        raise ValidationFailed(GuaranteeError.OUTCOME_INVALID, _("The ruling is either approved or rejected."))
    note = _text(note, code=GuaranteeError.NOTE_REQUIRED, message=_("Write down what the platform ruled."))
    claim = _lock(claim)
    status = _move(claim, operations[outcome])
    override, why = _override(claim, amount=amount, reason=note) if outcome == "approved" else (None, "")
    before = snapshot(claim, AUDITED)
    claim.status, claim.ruled_at, claim.ruled_by = status, timezone.now(), actor
    claim.ruling, claim.ruling_note = outcome, note
    fields = ["ruled_at", "ruled_by", "ruling", "ruling_note"]
    if override is not None:
        claim.override_amount, claim.override_reason = override, why
        fields += ["override_amount", "override_reason"]
    return _finish(claim=claim, before=before, actor=actor, action="guarantee_claim_ruled", fields=fields,
                   event=events.RULED, data={"outcome": outcome, "note": note})
