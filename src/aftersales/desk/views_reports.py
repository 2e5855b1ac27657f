"""The desk's reports: the technicians' monthly report (document 001: every service recorded and
reported monthly), as a page to read and print, and as CSV for a spreadsheet."""

from __future__ import annotations

import csv
import re
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.desk.access import staff_required
from aftersales.repairs.report import repeat_window_open
from aftersales.repairs.selectors_report import technician_monthly_report

MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


def parse_month(raw: str | None, *, default: date) -> date:
    if not raw:
        return default.replace(day=1)
    match = MONTH.fullmatch(raw.strip())
    if match is None:
        raise ValidationFailed("month_invalid", _("Give the month as YYYY-MM, e.g. 2026-06."))
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationFailed("month_invalid", _("Give the month as YYYY-MM, e.g. 2026-06."))
    return date(year, month, 1)


def _money(amounts: dict) -> str:
    from aftersales.catalog.models import CURRENCY_MINOR_UNITS

    return "; ".join(f"{currency} {amount:.{CURRENCY_MINOR_UNITS.get(currency, 2)}f}"
                     for currency, amount in sorted(amounts.items()))


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


@staff_required
@require_GET
def technician_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        require(request.user, Op.REPAIR_INSPECT)  # the supervisors' report
        month = parse_month(request.GET.get("month"), default=today)
    except DomainError as exc:
        return render(request, "desk/reports/technicians.html", {
            "error": str(exc.detail), "month_value": request.GET.get("month", "")[:20]}, status=exc.status)
    report = technician_monthly_report(month=month, zone=timezone.get_current_timezone())
    if request.GET.get("format") == "csv":
        return _csv(report, month)
    return render(request, "desk/reports/technicians.html", {
        "report": report, "month": month, "month_value": f"{month:%Y-%m}",
        "window_open": repeat_window_open(report.end, timezone.now()),
        "zone": timezone.get_current_timezone_name()})


def _csv(report, month: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="technicians-{month:%Y-%m}.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 (Chinese and Korean names) with the mark
    writer = csv.writer(response)
    writer.writerow([_("Technician"), _("Jobs"), *[_("Class %(c)s") % {"c": c} for c in report.classes],
                     _("First-time fix"), _("Average turnaround (hours)"), _("Repeats within 90 days"),
                     _("No fault found"), _("Labour (minutes)"), _("Revenue (net)"), _("Parts cost")])
    rows = [(str(person) if person else _("Not assigned"), line) for person, line in report.lines]
    rows.append((_("All technicians"), report.total))
    for name, line in rows:
        revenue = {}
        for amounts in line.revenue_by_class.values():
            for currency, amount in amounts.items():
                revenue[currency] = revenue.get(currency, 0) + amount
        writer.writerow([_safe(name), line.jobs, *[line.jobs_by_class.get(c, 0) for c in report.classes],
                         _percent(line.first_time_fix_rate), line.average_turnaround_hours or "",
                         line.repeats, _percent(line.no_fault_found_rate), line.labour_minutes,
                         _money(revenue), _money(line.parts_cost)])
    return response


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
