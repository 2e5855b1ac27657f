from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.cases import workflow


class CaseType(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    REPAIR = "repair", _("Repair")
    RETURN = "return", _("Return")
    EXCHANGE = "exchange", _("Exchange")
    REFUND = "refund", _("Refund")
    INSTALLATION = "installation", _("Installation")
    MAINTENANCE = "maintenance", _("Maintenance")
    GUARANTEE_CLAIM = "guarantee_claim", _("Guarantee claim")


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    URGENT = "urgent", _("Urgent")
    MAJOR = "major", _("Major")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Web portal")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Live chat")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    MARKETPLACE = "marketplace", _("Marketplace")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = workflow.NEW, _("New")
    OPEN = workflow.OPEN, _("Open")
    WAITING_CUSTOMER = workflow.WAITING_CUSTOMER, _("Waiting on customer")
    WAITING_PARTS = workflow.WAITING_PARTS, _("Waiting on parts")
    IN_REPAIR = workflow.IN_REPAIR, _("In repair")
    RESOLVED = workflow.RESOLVED, _("Resolved")
    CLOSED = workflow.CLOSED, _("Closed")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=workflow.DONE)

    def done(self):
        return self.filter(status__in=workflow.DONE)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseCounter(models.Model):
    """How many cases sit in each (team, assignee, status) bucket; 0 stands for none.

    Kept by database triggers on the case table (`cases/counters.py`, decision 0013), so
    every write path — actions, admin, bulk loads — keeps it true. The desk's queue counts
    sum these few hundred rows instead of reading every case."""

    team_key = models.BigIntegerField()
    assignee_key = models.BigIntegerField()
    status = models.CharField(max_length=20)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")
        constraints = [
            models.UniqueConstraint(fields=["team_key", "assignee_key", "status"], name="case_counter_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.team_key}/{self.assignee_key}/{self.status}: {self.n}"


class CaseNumberCounter(models.Model):
    """The last case number handed out in a year. Incremented under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# Carried at the end of the list indexes (after the unique id, so the order is unchanged):
# the desk's filters are then tested inside the index, without reading each case's row
# (decision 0013).
FILTERED = ["type", "channel", "severity", "status"]

# `Case.sla_due_at` of a case with no running SLA clock: the end of time sorts it last under
# "due soonest" and keeps the column NOT NULL, so keyset pages over it stay simple.
NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


class Case(models.Model):
    number = models.CharField(_("number"), max_length=24, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=CaseType.choices, default=CaseType.CONSULTATION)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    # Not resolved or closed. Kept by the status actions; one indexed column lets "all open"
    # lists seek an index in activity order instead of sorting every open case.
    is_open = models.BooleanField(_("open"), default=True, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        "catalog.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    purchase = models.ForeignKey(
        "catalog.Purchase", verbose_name=_("purchase"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )
    product_model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases", editable=False,
        help_text=_("The unit's model, or the purchase's when it holds one model; kept by the case actions."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    # The soonest due instant among the case's running SLA clocks (NO_DUE when none): kept by
    # the SLA room (decision 0018) for the desk's "due soonest" order and "at risk" view.
    sla_due_at = models.DateTimeField(_("SLA due"), default=NO_DUE, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_recent_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status_idx"),
            models.Index(fields=["is_open", "-updated_at", "-id", *FILTERED], name="case_open_lane_idx"),
            models.Index(fields=["team", "is_open", "-updated_at", "-id", *FILTERED], name="case_team_lane_idx"),
            models.Index(fields=["assignee", "is_open", "-updated_at", "-id", *FILTERED],
                         name="case_assignee_lane_idx"),
            models.Index(fields=["is_open", "sla_due_at", "id", *FILTERED], name="case_open_due_idx"),
            models.Index(fields=["team", "is_open", "sla_due_at", "id", *FILTERED], name="case_team_due_idx"),
            models.Index(fields=["assignee", "is_open", "sla_due_at", "id", *FILTERED], name="case_assignee_due_idx"),
            models.Index(fields=["customer", "-updated_at", "-id"], name="case_customer_idx"),
            models.Index(fields=["type", "-updated_at", "-id"], name="case_type_idx"),
            models.Index(fields=["product_model", "-updated_at", "-id"], name="case_product_idx"),
            models.Index(fields=["severity", "-updated_at", "-id"], name="case_severity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Internal note")
    EVENT = "event", _("Event")


class CaseEntry(models.Model):
    """One line of a case's timeline: a public message, an internal note, or a system event."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    is_public = models.BooleanField(_("visible to the customer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    from_customer = models.BooleanField(_("from the customer"), default=False)
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    event = models.CharField(_("event"), max_length=40, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="entry_case_time_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        CaseEntry, verbose_name=_("timeline entry"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename
