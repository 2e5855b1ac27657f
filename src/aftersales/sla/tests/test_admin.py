"""Calendars in the admin: edits are validated by the pure module and audited; the change
page previews a due instant; the pages render in every language."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.models import Role
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import UserFactory
from aftersales.sla.models import BusinessCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, username="root"))
    return client


def _change_url(code: str) -> str:
    return reverse("admin:sla_businesscalendar_change", args=[BusinessCalendar.objects.get(code=code).pk])


def _post(site, code: str, **changes):
    calendar = BusinessCalendar.objects.get(code=code)
    data = {"time_zone": calendar.time_zone, "holiday_region": calendar.holiday_region,
            "weekly_hours": json.dumps(calendar.weekly_hours), "closures": json.dumps(calendar.closures),
            "openings": json.dumps(calendar.openings),
            "names-TOTAL_FORMS": "0", "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "0",
            "names-MAX_NUM_FORMS": "1000", **changes}
    return site.post(_change_url(code), data)


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans", "ko"])
def test_the_pages_render(site, language):
    site.cookies["django_language"] = language
    assert site.get(reverse("admin:sla_businesscalendar_changelist")).status_code == 200
    assert site.get(_change_url("cn-workday")).status_code == 200


def test_the_preview_gives_the_due_instant(site):
    response = site.get(_change_url("cn-hotline"), {"preview_start": "2025-03-07 21:30", "preview_minutes": "240"})
    assert response.status_code == 200
    assert response.context["preview_due"] == "2025-03-08T11:30:00+08:00"
    assert b'data-testid="preview-due">2025-03-08T11:30:00+08:00<' in response.content
    response = site.get(_change_url("cn-workday"),
                        {"preview_start": "2025-09-30T09:00:00Z", "preview_minutes": "120"})
    assert response.context["preview_due"] == "2025-10-09T10:00:00+08:00"


@pytest.mark.parametrize(("start", "minutes"), [("soon", "10"), ("2025-03-07 21:30", "-5"), ("2025-03-07", "x"),
                                                ("9999-12-31 20:00", "99999")])
def test_a_wrong_preview_shows_errors_not_a_500(site, start, minutes):
    response = site.get(_change_url("cn-hotline"), {"preview_start": start, "preview_minutes": minutes})
    assert response.status_code == 200
    assert "preview_due" not in response.context
    assert response.context["preview_form"].errors


def test_a_valid_edit_is_saved_and_audited(site):
    response = _post(site, "cn-hotline", weekly_hours='{"mon": [["08:00", "20:00"]]}')
    assert response.status_code == 302, response.content[:2000]
    assert BusinessCalendar.objects.get(code="cn-hotline").weekly_hours == {"mon": [["08:00", "20:00"]]}
    assert AuditEntry.objects.filter(action="calendar_changed", object_type="sla.businesscalendar").count() == 1


@pytest.mark.parametrize(("field", "value"), [
    ("weekly_hours", '{"mon": [["12:00", "09:00"]]}'),
    ("weekly_hours", '{"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}'),
    ("weekly_hours", '{"funday": []}'),
    ("weekly_hours", '{"mon": [["25:00", "26:00"]]}'),
    ("time_zone", "Mars/Olympus"),
    ("closures", '[{"from": "2025-03-05", "to": "2025-03-01"}]'),
    ("openings", '[{"date": "2025-02-30", "hours": []}]'),
])
def test_an_invalid_edit_is_refused(site, field, value):
    before = BusinessCalendar.objects.get(code="cn-hotline").document()
    response = _post(site, "cn-hotline", **{field: value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get(field), response.context["adminform"].form.errors
    assert BusinessCalendar.objects.get(code="cn-hotline").document() == before
    assert not AuditEntry.objects.filter(action="calendar_changed").exists()
