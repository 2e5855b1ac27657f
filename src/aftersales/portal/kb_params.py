"""Reading what the help centre's pages are given: the language asked for, the search text, the
"Ask for help" form's deflection token. Each either returns a clean value or raises a
`DomainError` (status 400) with a stable code and a readable message (the page answers 4xx
with them, never 500)."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, ErrorCode
from aftersales.kb.actions_feedback import QUERY_MAX
from aftersales.kb.errors import KbError
from aftersales.kb.selectors import reader_language
from aftersales.search.errors import SearchError

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# NUL and the other C0 controls (tab and newlines are whitespace), DEL, and lone surrogates
# (Django decodes bad UTF-8 to U+FFFD, but a surrogate must never reach the database).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def asked_language(raw: str | None) -> str:
    """`?lang=xx` asks for one translation; without it, the reader's language."""
    if raw is None or raw == "":
        return reader_language()
    code = raw.strip().lower()
    if code not in LANGUAGE_CODES:
        raise DomainError(KbError.LANGUAGE_INVALID, _("This language is not offered."), status=400)
    return code


def text_param(raw: str | None, *, limit: int) -> str:
    """A piece of text from the query string: at most `limit` characters, nothing unstorable."""
    value = raw or ""
    if _UNSTORABLE.search(value):
        raise DomainError(ErrorCode.INVALID_INPUT, _("The text holds characters that cannot be searched for."),
                          status=400)
    if len(value) > limit:
        raise DomainError(SearchError.QUERY_TOO_LONG,
                          _("The text is too long: at most %(n)s characters.") % {"n": limit}, status=400)
    return value


def search_text(raw: str | None) -> str:
    return text_param(raw, limit=QUERY_MAX)


def deflection_token(raw: str | None) -> uuid.UUID | None:
    """The token of an "Ask for help" form, or None when it is missing or malformed (the form
    still works; only the record of what it showed is lost)."""
    if not raw or len(raw) > 64:
        return None
    try:
        return uuid.UUID(raw.strip())
    except (ValueError, AttributeError):
        return None
