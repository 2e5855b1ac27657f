"""The money side of repair work orders (decision 0021): price lists, quotes and their lines.
Invoices and payments are in `models_billing.py`, service contracts in `models_contracts.py`.

Rows are written only by `charges.actions*` (the admin saves price lists through
`actions_setup`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Currency
from aftersales.core.models import TimeStamped
from aftersales.repairs.models import Kind as WorkOrderKind


class PriceList(TimeStamped):
    """What work costs in one currency over a period. Prices are before tax; `tax_rate` is the
    percentage added on the net total (13.00 for 13 % VAT). When several active lists cover a
    day, the one that started last wins."""

    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=0,
                                   help_text=_("A percentage added on the net total, e.g. 13.00 for 13% VAT."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("The last day it applies; empty for no end."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["currency", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(tax_rate__gte=0) & Q(tax_rate__lt=100), name="charges_tax_rate_range"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="charges_price_list_period"),
        ]
        indexes = [models.Index(fields=["currency", "is_active", "valid_from"], name="charges_price_list_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class PriceItemKind(models.TextChoices):
    LABOUR_HOUR = "labour_hour", _("Labour, per hour")
    VISIT_FEE = "visit_fee", _("Visit fee, per visit")


class PriceListItem(models.Model):
    """A labour rate per hour (for every kind of work order, or for one kind) or the fee per
    visit. A rate for the work order's kind wins over the one for any kind."""

    price_list = models.ForeignKey(PriceList, verbose_name=_("price list"), on_delete=models.CASCADE,
                                   related_name="items")
    kind = models.CharField(_("item"), max_length=20, choices=PriceItemKind.choices)
    work_order_kind = models.CharField(_("for work orders of kind"), max_length=20, choices=WorkOrderKind.choices,
                                       blank=True, help_text=_("Empty: every kind."))
    unit_price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list", "kind", "work_order_kind"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "kind", "work_order_kind"],
                                    name="charges_one_price_per_item"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="charges_item_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.work_order_kind or '*'}: {self.unit_price}"


class PartPrice(models.Model):
    """A part's price on this list, instead of the part's own `unit_price`."""

    price_list = models.ForeignKey(PriceList, verbose_name=_("price list"), on_delete=models.CASCADE,
                                   related_name="part_prices")
    part = models.ForeignKey("parts.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    unit_price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("part price")
        verbose_name_plural = _("part prices")
        ordering = ["price_list", "part"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "part"], name="charges_one_price_per_part"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="charges_part_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part_id}: {self.unit_price}"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Waiting for the customer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


LIVE_QUOTE = (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.ACCEPTED)


class DecisionChannel(models.TextChoices):
    PORTAL = "portal", _("In the web portal")
    ON_SITE = "on_site", _("On the spot")


class Quote(models.Model):
    """What paid work will cost, put to the customer before it is done. Once sent it is never
    edited: a revision is a new quote (`replaces` the old one, which is withdrawn)."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    work_order = models.ForeignKey("repairs.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                   related_name="quotes")
    status = models.CharField(_("status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                help_text=_("The customer's language when the quote was made; its lines are in it."))
    price_list = models.ForeignKey(PriceList, verbose_name=_("price list"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="quotes")
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2, default=0)
    tax_total = models.DecimalField(_("tax"), max_digits=14, decimal_places=2, default=0)
    gross_total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    replaces = models.ForeignKey("self", verbose_name=_("replaces"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="revisions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("made"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The customer's answer: in the portal (decided_by is the customer's account) or on the spot
    # (decided_by_name is the person who answered, recorded_by the staff member who wrote it down).
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decision_channel = models.CharField(_("answered through"), max_length=10, choices=DecisionChannel.choices,
                                        blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by (account)"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(_("answered by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decline_reason = models.CharField(_("reason for declining"), max_length=1000, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]
        constraints = [
            # one draft, sent or accepted quote per work order at a time
            models.UniqueConstraint(fields=["work_order"], condition=Q(status__in=LIVE_QUOTE),
                                    name="charges_one_live_quote"),
            models.CheckConstraint(condition=Q(net_total__gte=0) & Q(tax_total__gte=0),
                                   name="charges_quote_totals_not_negative"),
        ]
        indexes = [models.Index(fields=["work_order", "-created_at"], name="charges_quote_wo_idx"),
                   models.Index(fields=["status", "valid_until"], name="charges_quote_expiry_idx")]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    LABOUR = "labour", _("Labour")
    PART = "part", _("Part")
    VISIT_FEE = "visit_fee", _("Visit fee")
    OTHER = "other", _("Other")


class QuoteLine(models.Model):
    """One line of a quote. The description is text in the quote's language, as the customer
    read it; prices and totals are in the quote's currency."""

    quote = models.ForeignKey(Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=300)
    part = models.ForeignKey("parts.Part", verbose_name=_("part"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    line_total = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="charges_quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="charges_quote_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quote_id} #{self.position} {self.description}"


# Invoices, payments and service contracts live in their own modules.
from aftersales.charges.models_billing import *  # noqa: E402, F403
from aftersales.charges.models_contracts import *  # noqa: E402, F403
