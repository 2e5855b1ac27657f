"""`GET /api/v1/sla/calendars/{code}/due` and `GET /api/v1/sla/calendars`: exact answers, and
every wrong input refused with the one error shape — never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.accounts.models import Role
from aftersales.core.tests.api_support import API, api_client, assert_error
from aftersales.core.tests.factories import UserFactory
from aftersales.sla.models import BusinessCalendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(db):
    return api_client(UserFactory(role=Role.AGENT))


def due(client, code: str, start: str, minutes: object):
    return client.get(f"{API}/sla/calendars/{code}/due?start={quote(start)}&minutes={quote(str(minutes))}")


@pytest.mark.parametrize(("code", "start", "minutes", "answer"), [
    ("cn-hotline", "2025-03-07T21:30:00+08:00", 240, "2025-03-08T11:30:00+08:00"),
    ("cn-hotline", "2025-03-07T13:30:00Z", 240, "2025-03-08T11:30:00+08:00"),
    ("cn-workday", "2025-09-30T17:00:00+08:00", 1350, "2025-10-11T17:00:00+08:00"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", 60, "2025-03-04T14:00:00+08:00"),
    ("kr-workday", "2025-10-02T17:00:00+09:00", 120, "2025-10-10T10:00:00+09:00"),
    ("always", "2025-03-07T21:30:00+08:00", 0, "2025-03-07T21:30:00+08:00"),
])
def test_the_due_instant(agent, code, start, minutes, answer):
    response = due(agent, code, start, minutes)
    assert response.status_code == 200, response.content
    assert response.json() == {"due": answer}


@pytest.mark.parametrize(("code", "start", "minutes", "status", "error"), [
    ("cn-workday", "2025-03-04T11:30:00", 60, 422, "start_not_aware"),
    ("cn-workday", "yesterday", 60, 422, "invalid_start"),
    ("cn-workday", "2025-02-30T11:30:00+08:00", 60, 422, "invalid_start"),
    ("cn-workday", "", 60, 422, "invalid_start"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", -1, 422, "invalid_input"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", 10**12, 422, "invalid_input"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", 10**40, 422, "invalid_input"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", "ten", 422, "invalid_input"),
    ("cn-workday", "2025-03-04T11:30:00+08:00", "1.5", 422, "invalid_input"),
    ("cn-workday", "2025-03-04T11:30:00+08:00\x00", 60, 422, "invalid_input"),
    ("cn-workday", "x" * 41, 60, 422, "invalid_input"),
    ("always", "9999-12-31T20:00:00+08:00", 24 * 60, 422, "due_out_of_range"),
    ("no-such-calendar", "2025-03-04T11:30:00+08:00", 60, 404, "not_found"),
    ("cn%00workday", "2025-03-04T11:30:00+08:00", 60, 404, "not_found"),
    ("%E2%80%8Bx", "2025-03-04T11:30:00+08:00", 60, 404, "not_found"),
    ("c" * 200, "2025-03-04T11:30:00+08:00", 60, 404, "not_found"),
])
def test_wrong_input_is_refused(agent, code, start, minutes, status, error):
    assert_error(due(agent, code, start, minutes), status, error)


def test_missing_parameters_are_refused(agent):
    assert_error(agent.get(f"{API}/sla/calendars/cn-workday/due"), 422, "invalid_input")
    assert_error(agent.get(f"{API}/sla/calendars/cn-workday/due?start=2025-03-04T11:30:00%2B08:00"), 422,
                 "invalid_input")
    assert_error(agent.get(f"{API}/sla/calendars/cn-workday/due?minutes=5"), 422, "invalid_input")


def test_a_calendar_that_never_opens_or_does_not_validate_is_a_422(agent):
    BusinessCalendar.objects.create(code="closed", time_zone="UTC", weekly_hours={})
    assert_error(due(agent, "closed", "2025-03-04T11:30:00Z", 5), 422, "calendar_never_opens")
    BusinessCalendar.objects.create(code="broken", time_zone="Mars/Olympus", weekly_hours={})
    assert_error(due(agent, "broken", "2025-03-04T11:30:00Z", 5), 422, "calendar_invalid")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.text(max_size=45), minutes=st.text(max_size=25), code=st.text(min_size=1, max_size=30))
def test_any_query_is_answered_without_a_500(agent, start, minutes, code):
    response = agent.get(f"{API}/sla/calendars/{quote(code, safe='')}/due",
                         {"start": start, "minutes": minutes})
    assert response.status_code in (200, 404, 405, 422), (response.status_code, response.content[:300])
    if response.status_code != 200:
        assert set(response.json()) >= {"code", "detail"}


def test_the_list(agent, django_assert_num_queries):
    with django_assert_num_queries(4):  # token, user touch, calendars, names
        response = agent.get(f"{API}/sla/calendars", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    items = {c["code"]: c for c in response.json()["items"]}
    assert list(items) == ["always", "cn-hotline", "cn-workday", "kr-workday"]
    assert items["cn-workday"]["weekly"]["mon"] == [["09:00", "12:00"], ["13:30", "18:00"]]
    assert items["cn-workday"]["holiday_region"] == "CN"
    assert items["kr-workday"]["time_zone"] == "Asia/Seoul"
    assert items["always"]["holiday_region"] is None
    assert items["kr-workday"]["names"]["ko"] == "한국 근무일 (월–금 9:00–18:00)"
