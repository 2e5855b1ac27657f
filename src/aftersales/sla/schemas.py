"""The business-calendar reads and the due-instant preview."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, StrictStr

from aftersales.sla.selectors import MAX_MINUTES


class DueQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    start: StrictStr = Field(max_length=40, description="An ISO-8601 instant with its offset, e.g. "
                             "2025-10-09T09:00:00+08:00 or 2025-10-09T01:00:00Z.",
                             examples=["2025-09-26T21:30:00+08:00"])
    minutes: int = Field(ge=0, le=MAX_MINUTES, description="Business minutes to add.", examples=[240])


class DueOut(Schema):
    due: str = Field(description="The due instant, ISO-8601 in the calendar's time zone.",
                     examples=["2025-09-27T11:30:00+08:00"])


class CalendarOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    time_zone: str
    holiday_region: str | None
    weekly: dict[str, list[list[str]]]
    closures: list[dict[str, Any]]
    openings: list[dict[str, Any]]


class CalendarListOut(Schema):
    items: list[CalendarOut]
