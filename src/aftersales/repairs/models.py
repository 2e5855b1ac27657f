"""Repair work orders (document 001's after-sales procedure): the order itself (its call-in
register entry and service voucher), its appointments, and the custody chain of items
carried in — an intake receipt and an append-only in/out register."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.repairs import workflow


class Kind(models.TextChoices):
    ON_SITE = "on_site", _("On-site visit")
    CARRY_IN = "carry_in", _("Carry-in (bench) repair")
    INSTALLATION = "installation", _("Installation")
    MAINTENANCE = "maintenance", _("Scheduled maintenance")


class BillingClass(models.TextChoices):
    """Document 001's service classes."""

    A = "A", _("A — paid")
    B = "B", _("B — service contract")
    C = "C", _("C — free, under warranty")
    D = "D", _("D — internal work")


class Status(models.TextChoices):
    REGISTERED = workflow.REGISTERED, _("Registered")
    DISPATCHED = workflow.DISPATCHED, _("Dispatched")
    IN_PROGRESS = workflow.IN_PROGRESS, _("In progress")
    WAITING_PARTS = workflow.WAITING_PARTS, _("Waiting for parts")
    INSPECTING = workflow.INSPECTING, _("Inspecting")
    READY = workflow.READY, _("Ready")
    COMPLETED = workflow.COMPLETED, _("Completed")
    ARCHIVED = workflow.ARCHIVED, _("Archived")
    CANCELLED = workflow.CANCELLED, _("Cancelled")


class DocumentCounter(models.Model):
    """The last number handed out per document prefix and year (WO, RC)."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="repairs_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class WorkOrder(models.Model):
    """A service voucher: one piece of field or bench work for a customer, opened from a case
    or straight from a phone call (then its call-in register fields hold what the caller said)."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="work_orders")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="work_orders")
    unit = models.ForeignKey("catalog.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="work_orders")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    billing_class = models.CharField(_("billing class"), max_length=1, choices=BillingClass.choices)
    billing_reason = models.CharField(_("billing reason"), max_length=300, blank=True)
    billing_class_by_rule = models.BooleanField(
        _("billing class set by rule"), default=True,
        help_text=_("Set from the case's entitlement decision, and follows later decisions until someone sets it."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    # The call-in register (叫修登記簿): customer, address, phone, model, as taken down.
    contact_name = models.CharField(_("contact name"), max_length=200)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    model_text = models.CharField(_("model"), max_length=200, blank=True)
    problem = models.TextField(_("problem reported"), blank=True)
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="work_orders")
    window_start = models.DateTimeField(_("appointment from"), null=True, blank=True)
    window_end = models.DateTimeField(_("appointment until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("registered"))
    updated_at = models.DateTimeField(_("updated"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["technician", "window_start"], name="repairs_wo_dispatch_idx"),
            models.Index(fields=["status", "-created_at"], name="repairs_wo_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Appointment(models.Model):
    """Each dispatch of a work order: who goes, in what window. A re-schedule adds a row, so
    the history of promises made to the customer is kept."""

    work_order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE,
                                   related_name="appointments")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT,
                                   related_name="+")
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dispatched by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dispatched"))

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["work_order", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.window_start:%Y-%m-%d %H:%M}"


def hand_back_signature_path(instance: IntakeReceipt, filename: str) -> str:
    return f"repairs/signatures/{uuid.uuid4().hex}.png"


class IntakeReceipt(models.Model):
    """The receipt (客戶商品領取收據) given for an item taken in; voided at hand-back
    against the customer's signature."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    work_order = models.OneToOneField(WorkOrder, verbose_name=_("work order"), on_delete=models.PROTECT,
                                      related_name="receipt")
    condition = models.TextField(_("condition"))
    accessories = models.JSONField(_("accessories"), default=list, blank=True)
    serial_seen = models.CharField(_("serial number on the unit"), max_length=100, blank=True)
    serial_matches = models.BooleanField(_("serial matches the record"), null=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("issued"))
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    voided_signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    voided_signature = models.FileField(_("signature at hand-back"), upload_to=hand_back_signature_path,
                                        max_length=200, blank=True)

    class Meta:
        verbose_name = _("intake receipt")
        verbose_name_plural = _("intake receipts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class CustodyMove(models.TextChoices):
    RECEIVED = workflow.RECEIVED, _("Received")
    TO_WORKSHOP = workflow.TO_WORKSHOP, _("Sent to the workshop")
    TO_VENDOR = workflow.TO_VENDOR, _("Sent to the vendor")
    BACK_TO_SHOP = workflow.BACK_TO_SHOP, _("Returned to the shop")
    HANDED_BACK = workflow.HANDED_BACK, _("Handed to the customer")
    LOANER_OUT = workflow.LOANER_OUT, _("Loaner issued")
    LOANER_BACK = workflow.LOANER_BACK, _("Loaner returned")
    CORRECTION = workflow.CORRECTION, _("Correction")


class AppendOnly(Exception):
    pass


class CustodyEntry(models.Model):
    """One line of the item in/out register (客戶商品進出登記簿). Append-only: a mistake is
    put right by a new `correction` entry that names the entry it corrects."""

    receipt = models.ForeignKey(IntakeReceipt, verbose_name=_("receipt"), on_delete=models.PROTECT,
                                related_name="entries")
    move = models.CharField(_("movement"), max_length=30, choices=CustodyMove.choices)
    location = models.CharField(_("location"), max_length=200)
    holder = models.CharField(_("held by"), max_length=200, help_text=_("The person or party who has the item now."))
    note = models.CharField(_("note"), max_length=500, blank=True)
    corrects = models.ForeignKey("self", verbose_name=_("corrects"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")
        ordering = ["receipt", "at", "id"]
        indexes = [models.Index(fields=["receipt", "at", "id"], name="repairs_custody_idx")]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.move} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Custody entries are never changed; add a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Custody entries are never deleted; add a correction.")


# The work records (visits, repair cards, inspections) live in their own module.
from aftersales.repairs.models_work import *  # noqa: E402, F403
