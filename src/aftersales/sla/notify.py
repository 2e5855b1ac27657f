"""The e-mails the SLA sends: notifications to staff, progress updates to customers. Each
is written in its reader's language and goes through Django's mail backend (the console
in the embedded default)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.cases.models import CaseEntry, Status
from aftersales.customers.models import CustomerIdentity, IdentityKind
from aftersales.sla.models import Metric, NotificationKind, SlaNotification

log = logging.getLogger(__name__)

CHUNK = 200


def _case_link(case_id: int) -> str:
    return f"{settings.AFTERSALES_BASE_URL.rstrip('/')}/desk/cases/{case_id}/"


def notification_text(n: SlaNotification) -> tuple[str, str]:
    """(subject, body) of a notification in the active language."""
    metric = str(Metric(n.metric).label) if n.metric in Metric.values else n.metric
    kind = str(NotificationKind(n.kind).label) if n.kind in NotificationKind.values else n.kind
    subject = _("%(kind)s: %(number)s — %(metric)s") % {"kind": kind, "number": n.case.number, "metric": metric}
    body = _("%(kind)s on case %(number)s “%(subject)s”.\n\nTarget: %(metric)s\nDue: %(due)s\n\n%(link)s") % {
        "kind": kind, "number": n.case.number, "subject": n.case.subject, "metric": metric,
        "due": timezone.localtime(n.milestone.clock.due_at).strftime("%Y-%m-%d %H:%M %Z")
        if n.milestone.clock.due_at else "—",
        "link": _case_link(n.case_id)}
    return subject, body


def mail_pending_notifications() -> int:
    """Send every notification with no `emailed_at`. A row is claimed by a conditional update
    before its mail goes out, so two jobs never send the same one; a failed send releases it
    and the job's retry sends it then."""
    sent = 0
    while True:
        ids = list(SlaNotification.objects.filter(emailed_at__isnull=True).order_by("id")
                   .values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return sent
        for pk in ids:
            now = timezone.now()
            if not SlaNotification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now):
                continue
            n = SlaNotification.objects.select_related("user", "case", "milestone__clock").get(pk=pk)
            if not n.user.email:
                continue
            try:
                with translation.override(n.user.language or settings.LANGUAGE_CODE):
                    subject, body = notification_text(n)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [n.user.email])
            except Exception:
                SlaNotification.objects.filter(pk=pk).update(emailed_at=None)
                raise
            sent += 1


def customer_address(case) -> str | None:
    customer = case.customer
    if customer.user_id and customer.user.email:
        return customer.user.email
    return (CustomerIdentity.objects.filter(customer=customer, kind=IdentityKind.EMAIL)
            .order_by("-is_primary", "id").values_list("value", flat=True).first())


def mail_progress_update(entry_id: int) -> bool:
    """The customer's progress update for a `sla_progress_update` event; sent once (the
    event records when)."""
    entry = CaseEntry.objects.select_related("case__customer__user", "case__team").filter(pk=entry_id).first()
    if entry is None or entry.data.get("emailed_at"):
        return False
    case = entry.case
    address = customer_address(case)
    if not address:
        return False
    with translation.override(case.language):
        status = str(Status(case.status).label) if case.status in Status.values else case.status
        subject = _("Progress on your case %(number)s") % {"number": case.number}
        body = _("Hello %(name)s,\n\nYour case %(number)s “%(subject)s” is being handled by our %(team)s team. "
                 "Its status is now: %(status)s.\n\nWe will keep you informed until it is settled. You can "
                 "follow it at %(link)s") % {
            "name": case.customer.name, "number": case.number, "subject": case.subject,
            "team": case.team.name if case.team else _("service"), "status": status,
            "link": f"{settings.AFTERSALES_BASE_URL.rstrip('/')}/cases/{case.pk}/"}
    entry.data = {**entry.data, "emailed_at": timezone.now().isoformat()}
    CaseEntry.objects.filter(pk=entry.pk).update(data=entry.data)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
