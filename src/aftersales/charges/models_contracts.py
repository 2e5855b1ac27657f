"""Service contracts (class B work): a customer's yearly quotas, e.g. 60 product updates and
100 article updates, and the append-only draws that work orders make on them. What is left
is the quota minus the sum of the draws; a reversal is a negative draw naming the one it
reverses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import TimeStamped


class QuotaKind(models.TextChoices):
    PRODUCT_UPDATE = "product_update", _("Product updates")
    ARTICLE_UPDATE = "article_update", _("Article updates")
    IMAGE_EDIT = "image_edit", _("Image edits")
    VISIT = "visit", _("Visits")
    REPAIR = "repair", _("Repairs")


class ServiceContract(TimeStamped):
    number = models.CharField(_("number"), max_length=40, unique=True, blank=True,
                              help_text=_("Left empty, a number SC-YYYY-NNNNNN is given."))
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="service_contracts")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("The last day the contract covers."))
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["customer", "-period_start", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="charges_contract_period")]
        indexes = [models.Index(fields=["customer", "period_start"], name="charges_contract_customer_idx")]

    def __str__(self) -> str:
        return self.number


class ContractQuota(models.Model):
    contract = models.ForeignKey(ServiceContract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="quotas")
    kind = models.CharField(_("kind"), max_length=20, choices=QuotaKind.choices)
    quantity = models.PositiveIntegerField(_("included"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["contract", "kind"]
        constraints = [models.UniqueConstraint(fields=["contract", "kind"], name="charges_one_quota_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity}"


class AppendOnly(Exception):
    pass


class ContractDraw(models.Model):
    """A work order used `quantity` of a quota. Never changed or deleted: a reversal is a new,
    negative draw that names the draw it reverses (each draw is reversed at most once)."""

    contract = models.ForeignKey(ServiceContract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="draws")
    kind = models.CharField(_("kind"), max_length=20, choices=QuotaKind.choices)
    quantity = models.IntegerField(_("quantity"))
    work_order = models.ForeignKey("repairs.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                   related_name="contract_draws")
    reverses = models.OneToOneField("self", verbose_name=_("reverses"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversal")
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("contract draw")
        verbose_name_plural = _("contract draws")
        ordering = ["contract", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=(Q(reverses__isnull=True) & Q(quantity__gt=0))
                                   | (Q(reverses__isnull=False) & Q(quantity__lt=0)),
                                   name="charges_draw_sign"),
        ]
        indexes = [models.Index(fields=["contract", "kind"], name="charges_draw_quota_idx")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} {self.quantity:+d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Contract draws are never changed; reverse the draw instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Contract draws are never deleted; reverse the draw instead.")


__all__ = ["AppendOnly", "ContractDraw", "ContractQuota", "QuotaKind", "ServiceContract"]
