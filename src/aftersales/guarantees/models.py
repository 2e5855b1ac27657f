"""A claim under a guarantee the seller offered (late shipment, counterfeit, damage in transit,
arrival promise): what the engine decided it is worth, and what happened to it.

The amount is the engine's, kept with the decision (and so the policy version) it came from,
and never changed: a supervisor who pays something else records an override with a reason
beside it. The status follows `workflow.py`; each step keeps who took it and when.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Guarantee
from aftersales.guarantees import workflow


class ClaimStatus(models.TextChoices):
    PROPOSED = workflow.PROPOSED, _("Proposed")
    APPROVED = workflow.APPROVED, _("Approved")
    ESCALATED = workflow.ESCALATED, _("Escalated to the platform")
    PAID = workflow.PAID, _("Paid")
    REJECTED = workflow.REJECTED, _("Rejected")


class Ruling(models.TextChoices):
    APPROVED = "approved", _("The platform approved the claim")
    REJECTED = "rejected", _("The platform rejected the claim")


class GuaranteeClaimQuerySet(models.QuerySet):
    def open(self) -> GuaranteeClaimQuerySet:
        return self.filter(status__in=workflow.OPEN)


def _user(verbose: str) -> models.ForeignKey:
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")


class GuaranteeClaim(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="guarantee_claims")
    purchase = models.ForeignKey("catalog.Purchase", verbose_name=_("purchase"), on_delete=models.PROTECT,
                                 related_name="guarantee_claims")
    guarantee = models.CharField(_("guarantee"), max_length=30, choices=Guarantee.choices)
    # The stored evaluation: the facts, the engine's answer and the policy version it used.
    decision = models.ForeignKey("policies.EntitlementDecision", verbose_name=_("decision"),
                                 on_delete=models.PROTECT, related_name="guarantee_claims")
    facts = models.JSONField(_("facts"), help_text=_("The claim as it was sent to the engine."))
    remedy = models.CharField(_("remedy"), max_length=20,
                              help_text=_("The engine's remedy: compensation, refund, return, re-shipment."))
    remedies = models.JSONField(_("remedies"), default=list,
                                help_text=_("Every remedy the engine gave, with its amount; settled together."))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 help_text=_("The engine's total, never changed. Empty for a re-shipment, or "
                                             "when the policy leaves the amount to the platform."))
    currency = models.CharField(_("currency"), max_length=3)
    override_amount = models.DecimalField(_("amount paid instead"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    override_reason = models.TextField(_("why a different amount"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices,
                              default=ClaimStatus.PROPOSED)

    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    created_by = _user(_("opened by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = _user(_("approved by"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = _user(_("payment recorded by"))
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejected_by = _user(_("rejected by"))
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_by = _user(_("escalated by"))
    escalation_note = models.TextField(_("escalation note"), blank=True)
    ruled_at = models.DateTimeField(_("ruling recorded"), null=True, blank=True)
    ruled_by = _user(_("ruling recorded by"))
    ruling = models.CharField(_("platform ruling"), max_length=10, choices=Ruling.choices, blank=True)
    ruling_note = models.TextField(_("ruling note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GuaranteeClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("guarantee claim")
        verbose_name_plural = _("guarantee claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="guarantee_claim_amount_not_negative"),
            models.CheckConstraint(condition=Q(override_amount__isnull=True) | Q(override_amount__gte=0),
                                   name="guarantee_claim_override_not_negative"),
            models.CheckConstraint(condition=Q(override_amount__isnull=True) | ~Q(override_reason=""),
                                   name="guarantee_claim_override_has_reason"),
            models.CheckConstraint(condition=Q(status__in=workflow.STATUSES), name="guarantee_claim_status_known"),
            models.CheckConstraint(condition=~Q(status=workflow.PAID) | ~Q(payment_reference=""),
                                   name="guarantee_claim_paid_has_reference"),
            # One unsettled claim per guarantee on a case; settled ones stay as history.
            models.UniqueConstraint(fields=["case", "guarantee"], condition=Q(status__in=sorted(workflow.OPEN)),
                                    name="guarantee_claim_one_open"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="guarantee_claim_queue_idx"),
            models.Index(fields=["case", "-created_at"], name="guarantee_claim_case_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.guarantee} ({self.status})"

    @property
    def payable(self) -> Decimal | None:
        """What the seller pays: the override when a supervisor or the platform set one."""
        return self.override_amount if self.override_amount is not None else self.amount

    @property
    def is_open(self) -> bool:
        return workflow.is_open(self.status)

    @property
    def in_kind(self) -> bool:
        """A remedy given in goods, not money (a re-shipment)."""
        return self.remedy == "reshipment"
