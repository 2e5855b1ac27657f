"""The work records of a work order: each visit (times, findings, the customer's sign-off or
refusal, photos), the repair card (labour, parts used, fault, cause, result, a link to the
unit's earlier repair when it fails again) and the supervisor's inspections of it.

Rows are written only by `repairs.actions_work`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def signature_path(instance: Visit, filename: str) -> str:
    return f"repairs/signatures/{uuid.uuid4().hex}.png"


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"repairs/photos/{instance.sha256[:2]}/{instance.sha256}"


class VisitOutcome(models.TextChoices):
    SIGNED_OFF = "signed_off", _("Signed off by the customer")
    REFUSED = "refused", _("Customer refused to sign")
    NO_ONE_HOME = "no_one_home", _("No one at home")
    FAILED = "failed", _("Not finished: another visit or a carry-in is needed")


class Visit(models.Model):
    """One trip to the customer: from arrival to departure. `outcome` is empty while the
    technician is still there."""

    work_order = models.ForeignKey("repairs.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                   related_name="visits")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT,
                                   related_name="+")
    arrived_at = models.DateTimeField(_("arrived"))
    departed_at = models.DateTimeField(_("left"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitOutcome.choices, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signature = models.FileField(_("signature"), upload_to=signature_path, max_length=200, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["work_order", "arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order"], condition=Q(departed_at__isnull=True),
                                    name="repairs_one_open_visit"),
            models.CheckConstraint(condition=Q(departed_at__isnull=True) | Q(departed_at__gte=models.F("arrived_at")),
                                   name="repairs_visit_leaves_after_arriving"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.arrived_at:%Y-%m-%d %H:%M}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=visit_photo_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "created_at", "id"]

    def __str__(self) -> str:
        return self.filename


class RepairResult(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    NOT_FIXED = "not_fixed", _("Not fixed")
    NO_FAULT_FOUND = "no_fault_found", _("No fault found")
    REPLACED_UNIT = "replaced_unit", _("Unit replaced")


# Results that count as a repair of the unit (the entitlement engine's "repaired twice" rule);
# finding no fault is not a repair.
REPAIR_RESULTS = (RepairResult.FIXED, RepairResult.NOT_FIXED, RepairResult.REPLACED_UNIT)


class RepairCard(models.Model):
    """The repair record of a work order (維修卡). Open while work goes on; closed with its
    result for inspection; a send-back opens it again."""

    work_order = models.OneToOneField("repairs.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT,
                                      related_name="repair_card")
    fault_code = models.CharField(_("fault code"), max_length=40, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=RepairResult.choices, blank=True)
    repeat_of = models.ForeignKey("self", verbose_name=_("repeat of"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="repeats",
                                  help_text=_("The unit's earlier repair, when the unit failed again."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair card")
        verbose_name_plural = _("repair cards")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["closed_at"], name="repairs_card_closed_idx")]

    def __str__(self) -> str:
        return f"{self.work_order_id}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class LabourEntry(models.Model):
    card = models.ForeignKey(RepairCard, verbose_name=_("repair card"), on_delete=models.CASCADE,
                             related_name="labour")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT,
                                   related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("labour entry")
        verbose_name_plural = _("labour entries")
        ordering = ["card", "at", "id"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="repairs_labour_minutes_positive")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.technician_id} {self.minutes}"


class PartUsed(models.Model):
    """A part fitted in the repair: taken from stock (reserved, then consumed) under the work
    order's number, at the cost it had then."""

    card = models.ForeignKey(RepairCard, verbose_name=_("repair card"), on_delete=models.CASCADE,
                             related_name="parts")
    part = models.ForeignKey("parts.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey("parts.StockLocation", verbose_name=_("taken from"), on_delete=models.PROTECT,
                                 related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    reservation = models.ForeignKey("parts.Reservation", verbose_name=_("reservation"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    movement = models.ForeignKey("parts.StockMovement", verbose_name=_("stock movement"), on_delete=models.PROTECT,
                                 related_name="+")
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["card", "at", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="repairs_part_used_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.part_id} × {self.quantity}"


class InspectionOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    SENT_BACK = "sent_back", _("Sent back")


class Inspection(models.Model):
    """The supervisor's check of a closed repair card; every pass and send-back is kept."""

    card = models.ForeignKey(RepairCard, verbose_name=_("repair card"), on_delete=models.CASCADE,
                             related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=InspectionOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["card", "at", "id"]

    def __str__(self) -> str:
        return f"{self.card_id} {self.outcome} {self.at:%Y-%m-%d %H:%M}"


__all__ = [
    "REPAIR_RESULTS",
    "Inspection",
    "InspectionOutcome",
    "LabourEntry",
    "PartUsed",
    "RepairCard",
    "RepairResult",
    "Visit",
    "VisitOutcome",
    "VisitPhoto",
]
