from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import TimeStamped


class Tier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    VIP = "vip", _("VIP")
    ENTERPRISE = "enterprise", _("Enterprise")


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("E-mail address")
    PHONE = "phone", _("Phone number")
    MARKETPLACE = "marketplace", _("Marketplace buyer id")


class Customer(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en")
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.STANDARD, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class CustomerIdentity(models.Model):
    """One way to recognise a customer: an e-mail, a phone number, a marketplace buyer id."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="identities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentityKind.choices)
    # For marketplace ids, the marketplace (a sales channel code); empty otherwise.
    marketplace = models.CharField(_("marketplace"), max_length=20, blank=True, default="")
    value = models.CharField(_("value"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer identity")
        verbose_name_plural = _("customer identities")
        ordering = ["kind", "-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "marketplace", "value"], name="identity_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. CN, TW, KR"))
    region = models.CharField(_("province / state"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    line1 = models.CharField(_("address"), max_length=300)
    line2 = models.CharField(_("address (continued)"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return " ".join(p for p in [self.region, self.city, self.district, self.line1] if p)
