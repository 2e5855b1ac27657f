"""Spare parts, where they are kept, and every change to their stock (decision 0019).

`StockMovement` is the ledger: append-only, signed quantities. `StockLevel` is the running
sum per (part, location), written in the same transaction as each movement under a row
lock, and held non-negative by CHECK constraints. `actions.py` is the only writer of both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Currency, localized_name
from aftersales.core.models import TimeStamped


class Part(TimeStamped):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    compatible_models = models.ManyToManyField(
        "catalog.ProductModel", verbose_name=_("compatible product models"), blank=True, related_name="parts"
    )
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=2, default=0)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["sku"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="part_cost_not_negative"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="part_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {localized_name(self, 'names')}".strip()


class PartName(models.Model):
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("part name")
        verbose_name_plural = _("part names")
        constraints = [models.UniqueConstraint(fields=["part", "language"], name="part_name_per_language")]

    def __str__(self) -> str:
        return self.name


class LocationKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse")
    TECHNICIAN_VAN = "technician_van", _("Technician's van")
    WORKSHOP = "workshop", _("Workshop")


class StockLocation(TimeStamped):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=LocationKind.choices, default=LocationKind.WAREHOUSE)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("technician"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="stock_locations",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    TRANSFERRED_IN = "transferred_in", _("Transferred in")
    CONSUMED = "consumed", _("Consumed")
    RETURNED = "returned", _("Returned")
    ADJUSTED = "adjusted", _("Adjusted")


INCOMING = [MovementKind.RECEIVED, MovementKind.TRANSFERRED_IN, MovementKind.RETURNED]
OUTGOING = [MovementKind.TRANSFERRED_OUT, MovementKind.CONSUMED]


class StockMovement(models.Model):
    """One change to the stock of a part at a location. Never updated, never deleted."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="movements")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="movements"
    )
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive into the location, negative out of it."))
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    reference = models.CharField(_("work order"), max_length=64, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    reservation = models.ForeignKey(
        "parts.Reservation", verbose_name=_("reservation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="movements",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=INCOMING, quantity__gt=0) | Q(kind__in=OUTGOING, quantity__lt=0)
                           | (Q(kind=MovementKind.ADJUSTED) & ~Q(quantity=0))),
                name="movement_sign_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["part", "-id"], name="movement_part_idx"),
            models.Index(fields=["location", "-id"], name="movement_location_idx"),
            models.Index(fields=["part", "location", "-id"], name="movement_part_location_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} {self.part_id}@{self.location_id}"


class StockLevel(models.Model):
    """The sum of the movements of one part at one location, and how much of it is reserved."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="levels")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="levels"
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["part", "location"]
        constraints = [
            models.UniqueConstraint(fields=["part", "location"], name="stock_level_per_part_location"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=models.F("on_hand")),
                                   name="stock_reserved_within_on_hand"),
        ]
        indexes = [models.Index(fields=["location", "part"], name="stock_level_location_idx")]

    def __str__(self) -> str:
        return f"{self.part_id}@{self.location_id}: {self.on_hand} ({self.reserved})"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class ReservationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONSUMED = "consumed", _("Consumed")
    RELEASED = "released", _("Released")


class Reservation(TimeStamped):
    """Parts set aside at a location for a work order (`reference`), until consumed or released."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="reservations")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = models.IntegerField(_("quantity"))
    reference = models.CharField(_("work order"), max_length=64)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="part_reservations",
    )
    state = models.CharField(_("state"), max_length=10, choices=ReservationState.choices,
                             default=ReservationState.ACTIVE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reserved by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["part", "location", "state"], name="reservation_stock_idx"),
            models.Index(fields=["reference"], name="reservation_reference_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.quantity} × {self.part_id}@{self.location_id}"


class MinimumStock(models.Model):
    """Below this many available at the location, the part shows on the reorder list."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.CASCADE, related_name="minimums")
    location = models.ForeignKey(
        StockLocation, verbose_name=_("location"), on_delete=models.CASCADE, related_name="minimums"
    )
    minimum = models.PositiveIntegerField(_("minimum"))

    class Meta:
        verbose_name = _("minimum stock")
        verbose_name_plural = _("minimum stock")
        ordering = ["part", "location"]
        constraints = [
            models.UniqueConstraint(fields=["part", "location"], name="minimum_stock_per_part_location"),
            models.CheckConstraint(condition=Q(minimum__gte=1), name="minimum_stock_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.part_id}@{self.location_id} ≥ {self.minimum}"
