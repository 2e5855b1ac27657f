"""The JSON form of a calendar: round trip, and every problem reported with a path and code."""

from __future__ import annotations

import pytest

from aftersales.sla.calendar import CalendarInvalid, calendar_from_json, calendar_to_json
from aftersales.sla.tests.calendar.support import SHIPPED


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_round_trip(code):
    cal = calendar_from_json(SHIPPED[code])
    assert calendar_from_json(calendar_to_json(cal)) == cal


@pytest.mark.parametrize(("doc", "errors"), [
    ([], [("", "invalid_type")]),
    ({"time_zone": "Nowhere/City", "weekly": {}}, [("time_zone", "invalid_time_zone")]),
    ({"time_zone": "UTC", "weekly": {}, "holiday_region": "JP"}, [("holiday_region", "invalid_holiday_region")]),
    ({"time_zone": "UTC", "weekly": {"mon": [["9:00", "12:00"]]}}, [("weekly.mon.0.0", "invalid_time")]),
    ({"time_zone": "UTC", "weekly": {"mon": [["24:00", "24:30"]]}}, [("weekly.mon.0.1", "invalid_time")]),
    ({"time_zone": "UTC", "weekly": {"mon": [["10:00", "10:00"]]}}, [("weekly.mon.0", "interval_order")]),
    ({"time_zone": "UTC", "weekly": {"mon": [["10:00", "12:00"], ["09:00", "11:00"]]}},
     [("weekly.mon.1", "intervals_overlap")]),
    ({"time_zone": "UTC", "weekly": {"xyz": []}, "extra": 1},
     [("extra", "unknown_key"), ("weekly.xyz", "unknown_key")]),
    ({"time_zone": "UTC", "weekly": [], "closures": [{"from": "2025-01-02", "to": "2025-01-01"}]},
     [("weekly", "invalid_type"), ("closures.0", "closure_order")]),
    ({"time_zone": "UTC", "weekly": {}, "openings": [{"date": "2025-01-02", "hours": []},
                                                      {"date": "2025-01-02", "hours": []}]},
     [("openings.1.date", "duplicate_date")]),
    ({"time_zone": "UTC\x00", "weekly": {}}, [("time_zone", "invalid_time_zone")]),
])
def test_problems_are_listed(doc, errors):
    with pytest.raises(CalendarInvalid) as raised:
        calendar_from_json(doc)
    assert [(e["field"], e["code"]) for e in raised.value.errors] == errors
