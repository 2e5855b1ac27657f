"""Pieces of API schema shared by every app."""

from __future__ import annotations

from typing import Annotated, Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

LanguageCode = Literal["en", "zh-hant", "zh-hans", "ko"]
assert {c for c, _n in settings.LANGUAGES} == {"en", "zh-hant", "zh-hans", "ko"}  # noqa: S101

# A row id in a filter. Bounded to what a 64-bit column holds: a larger number used to reach
# the database in a foreign-key lookup and fail there (OverflowError on SQLite) as a 500.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorItem(Schema):
    field: str | None = None
    index: int | None = None
    code: str | None = None
    detail: str


class ErrorOut(Schema):
    code: str = Field(examples=["invalid_input"])
    detail: str = Field(examples=["subject: String should have at least 1 character"])
    errors: list[ErrorItem] | None = None


class Ref(Schema):
    id: int
    name: str


def choices_literal(choices) -> object:
    """A Literal type of a TextChoices' values, so a wrong value is a 422 listing the right ones."""
    return Literal[tuple(choices.values)]  # type: ignore[valid-type]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut,
          415: ErrorOut, 422: ErrorOut}
