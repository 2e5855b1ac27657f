"""Invoices and payments for paid (class A) work. An invoice is never deleted or edited: a
mistake is voided with a reason, and a new one issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Currency
from aftersales.charges.models import LineKind  # defined before models.py imports this module


class NeverDeleted(Exception):
    pass


class InvoiceStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class Invoice(models.Model):
    number = models.CharField(_("number"), max_length=24, unique=True)
    work_order = models.ForeignKey("repairs.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                   related_name="invoices")
    quote = models.ForeignKey("charges.Quote", verbose_name=_("quote"), on_delete=models.PROTECT,
                              related_name="invoices")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="invoices")
    # The work order's billing class when the invoice was issued (the revenue report groups by it).
    billing_class = models.CharField(_("billing class"), max_length=1)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("tax"), max_digits=14, decimal_places=2)
    gross_total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    paid_total = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.UNPAID)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued"), db_index=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("voided by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order"], condition=~Q(status="void"),
                                    name="charges_one_live_invoice"),
            models.CheckConstraint(condition=Q(paid_total__gte=0) & Q(paid_total__lte=models.F("gross_total")),
                                   name="charges_invoice_not_overpaid"),
            models.CheckConstraint(condition=Q(status="void") | Q(voided_at__isnull=True),
                                   name="charges_invoice_void_consistent"),
        ]
        indexes = [models.Index(fields=["billing_class", "issued_at"], name="charges_invoice_class_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self):
        return self.gross_total - self.paid_total

    def delete(self, *args, **kwargs):
        raise NeverDeleted("Invoices are never deleted; void them with a reason.")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=300)
    part = models.ForeignKey("parts.Part", verbose_name=_("part"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    line_total = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    quote_line = models.ForeignKey("charges.QuoteLine", verbose_name=_("quote line"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "id"]

    def __str__(self) -> str:
        return f"{self.invoice_id} #{self.position} {self.description}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash on site")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card")


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["invoice", "at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="charges_payment_positive")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.amount}"

    def delete(self, *args, **kwargs):
        raise NeverDeleted("Payments are never deleted.")


__all__ = ["Invoice", "InvoiceLine", "InvoiceStatus", "NeverDeleted", "Payment", "PaymentMethod"]
