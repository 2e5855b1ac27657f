from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import TimeStamped


class SalesChannel(models.TextChoices):
    OWN_SHOP = "own_shop", _("Own shop")
    TAOBAO = "taobao", _("Taobao")
    TMALL = "tmall", _("Tmall")
    JD = "jd", _("JD.com")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    COUPANG = "coupang", _("Coupang")
    NAVER = "naver", _("Naver Smart Store")
    SHOPEE = "shopee", _("Shopee")
    OFFLINE = "offline", _("Offline store")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan")
    TWD = "TWD", _("New Taiwan dollar")
    HKD = "HKD", _("Hong Kong dollar")
    KRW = "KRW", _("Korean won")
    USD = "USD", _("US dollar")


# ISO 4217 minor units: how many decimal places an amount may carry.
CURRENCY_MINOR_UNITS = {"CNY": 2, "TWD": 2, "HKD": 2, "KRW": 0, "USD": 2}


class Guarantee(models.TextChoices):
    """Promises a seller made at the time of sale (reference document 003)."""

    NO_REASON_RETURN_7D = "no_reason_return_7d", _("7-day no-reason return")
    LATE_SHIPMENT = "late_shipment", _("Shipping-time promise")
    COUNTERFEIT = "counterfeit", _("Genuine or triple compensation")
    DAMAGE_IN_TRANSIT = "damage_in_transit", _("Damaged-in-transit re-shipment")
    ARRIVAL_PROMISE = "arrival_promise", _("Arrival-time promise")
    RETURN_PROMISE = "return_promise", _("Return promise")
    QUALITY_PROMISE = "quality_promise", _("Quality promise")


class ProductCategory(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return localized_name(self, "names") or self.code


class ProductCategoryName(models.Model):
    category = models.ForeignKey(ProductCategory, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("category name")
        verbose_name_plural = _("category names")
        constraints = [models.UniqueConstraint(fields=["category", "language"], name="category_name_per_language")]

    def __str__(self) -> str:
        return self.name


class ProductModel(TimeStamped):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="product_models"
    )
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {localized_name(self, 'names')}".strip()


class ProductModelName(models.Model):
    product_model = models.ForeignKey(ProductModel, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("product name")
        verbose_name_plural = _("product names")
        constraints = [
            models.UniqueConstraint(fields=["product_model", "language"], name="product_name_per_language")
        ]

    def __str__(self) -> str:
        return self.name


def localized_name(obj: models.Model, relation: str, language: str | None = None) -> str:
    """The name in `language` (else the active one), falling back to the other Chinese script,
    then English, then any. Uses prefetched rows when they are there."""
    if obj.pk is None:
        return ""
    rows = {row.language: row.name for row in getattr(obj, relation).all()}
    lang = language or translation.get_language() or "en"
    fallbacks = {"zh-hant": ["zh-hant", "zh-hans"], "zh-hans": ["zh-hans", "zh-hant"]}.get(lang, [lang])
    for code in [*fallbacks, "en"]:
        if rows.get(code):
            return rows[code]
    return next(iter(rows.values()), "")


class Purchase(TimeStamped):
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="purchases"
    )
    channel = models.CharField(_("sales channel"), max_length=20, choices=SalesChannel.choices)
    order_number = models.CharField(_("order number"), max_length=64)
    shop_name = models.CharField(_("shop"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount paid"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for"), null=True, blank=True)
    installed_at = models.DateTimeField(_("installed"), null=True, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=64, blank=True)
    guarantees = models.JSONField(_("guarantees offered"), default=list, blank=True)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "order_number"], name="purchase_order_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="purchase_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["customer", "-paid_at"], name="purchase_customer_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.order_number}"


class OrderLine(models.Model):
    purchase = models.ForeignKey(Purchase, verbose_name=_("purchase"), on_delete=models.CASCADE, related_name="lines")
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_model.sku}"


class Unit(TimeStamped):
    """One physical item, known by its serial number (and IMEI for phones)."""

    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="units"
    )
    serial_number = models.CharField(_("serial number"), max_length=64)
    imei = models.CharField(_("IMEI"), max_length=17, null=True, blank=True, unique=True)
    factory_date = models.DateField(_("factory date"), null=True, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="units",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["product_model", "serial_number"], name="unit_serial_unique"),
        ]
        indexes = [models.Index(fields=["serial_number"], name="unit_serial_idx")]

    def __str__(self) -> str:
        return f"{self.product_model.sku} #{self.serial_number}"
