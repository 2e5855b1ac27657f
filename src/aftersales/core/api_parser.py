"""How the API reads request bodies and query strings, stricter than django-ninja's default.

- A JSON body must be an object. Ninja schemas read attributes from any value, so `[]`,
  `"x"`, `1` or `null` would otherwise pass as "no fields sent" wherever every field is optional.
- No text may contain a NUL character (U+0000): PostgreSQL refuses it in text columns and
  in query parameters, which turned such input into a 500. Nor may it hold a lone UTF-16
  surrogate (JSON allows the escape `"\\ud800"`), which no database can store as UTF-8.
  Both are refused here, once, for every endpoint, as a 422 naming the field.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser

from aftersales.core.errors import ErrorCode, ValidationFailed

NUL = "\x00"


def unstorable(text: str) -> bool:
    """Text no database can store as it is: a NUL character, or an unpaired surrogate."""
    if NUL in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_text_paths(value: Any, path: tuple[str, ...] = ()) -> list[str]:
    """The dotted paths of every string (or object key) in `value` that cannot be stored."""
    found: list[str] = []
    if isinstance(value, str):
        if unstorable(value):
            found.append(".".join(path))
    elif isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            if unstorable(key):
                found.append(".".join((*path, key.encode("ascii", "backslashreplace").decode())))
            else:
                found.extend(_bad_text_paths(item, (*path, key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(_bad_text_paths(item, (*path, str(index))))
    return found


def reject_unstorable_text(value: Any) -> None:
    paths = _bad_text_paths(value)
    if not paths:
        return
    detail = _("Text cannot contain NUL characters (\\u0000) or unpaired surrogates (\\ud800–\\udfff).")
    raise ValidationFailed(
        ErrorCode.INVALID_INPUT,
        "; ".join(f"{p}: {detail}" if p else detail for p in paths[:5]),
        errors=[{"field": p, "detail": detail, "type": "unstorable_text"} for p in paths],
    )


class ApiParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # Ninja turns any exception raised here into a 400; the API's error handler answers
        # with the DomainError it carries instead (see core.api_errors).
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValidationFailed(ErrorCode.INVALID_INPUT, _("The request body must be a JSON object."))
        reject_unstorable_text(data)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        reject_unstorable_text({k: v for k, v in result.items() if isinstance(v, str | list)})
        return result
