from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurchaseProof(models.Model):
    """What a customer told us about buying a unit they registered: order number, date and
    optionally a photo of the invoice. Staff check it before it becomes a `catalog.Purchase`
    (which needs the channel and amount the seller recorded)."""

    unit = models.OneToOneField(
        "catalog.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="purchase_proof"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="purchase_proofs"
    )
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    invoice = models.FileField(_("invoice"), max_length=200, blank=True)
    invoice_filename = models.CharField(_("file name"), max_length=200, blank=True)
    invoice_content_type = models.CharField(_("type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("purchase proof")
        verbose_name_plural = _("purchase proofs")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.order_number}".strip()
