"""What the desk's knowledge-base pages accept. Every value is read as text of bounded length
and checked here or by `kb.actions`; anything else is refused with a `ValidationFailed`
carrying a stable code and a readable message (the view shows it with its 4xx status)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ErrorCode, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.desk.selectors_kb import DRAFT, LANGUAGES, MISSING, PUBLISHED, SCHEDULED, ListFilters
from aftersales.kb.errors import KbError
from aftersales.kb.models import TranslationStatus, Visibility

NOTE_MAX = 300
QUERY_MAX = 200
KEY_MAX = 80
MAX_RELATED = 50
MAX_PRODUCTS = 200
CHOICE_MAX = 20
STATES = (DRAFT, PUBLISHED, SCHEDULED, MISSING)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPLIT = re.compile(r"[\s,，、;；]+")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


def invalid(message: str, code: str = ErrorCode.INVALID_INPUT) -> ValidationFailed:
    return ValidationFailed(code, message)


def line(raw: object, *, what: str, limit: int) -> str:
    """One line of text: NFC, trimmed, no control characters, at most `limit` characters."""
    value = unicodedata.normalize("NFC", raw if isinstance(raw, str) else "").strip()
    if _CONTROL.search(value) or "\n" in value or "\r" in value:
        raise invalid(_("The %(what)s holds characters that cannot be stored.") % {"what": what})
    if len(value) > limit:
        raise invalid(_("The %(what)s is longer than %(n)s characters.") % {"what": what, "n": limit})
    return value


def language(raw: object) -> str:
    value = raw if isinstance(raw, str) else ""
    if value not in LANGUAGES:
        shown = "".join(ch for ch in value[:20] if ch.isprintable())
        raise invalid(_("Unknown language: %(code)s") % {"code": shown}, KbError.LANGUAGE_INVALID)
    return value


def row_id(raw: object, *, what: str) -> int:
    number = ascii_int(raw)
    if not number:
        raise invalid(_("The %(what)s is not a valid number.") % {"what": what})
    return number


def optional_id(raw: object, *, what: str) -> int | None:
    if raw in (None, ""):
        return None
    return row_id(raw, what=what)


def publish_at(raw: object) -> datetime | None:
    """`datetime-local` input (the editor's own time zone): empty = at once."""
    value = (raw if isinstance(raw, str) else "").strip()
    if not value:
        return None
    message = _("The publishing time is not a valid date and time (for example 2026-05-01 09:30).")
    if len(value) > 40 or not value.isascii() or not value.isprintable():
        raise invalid(message, KbError.PUBLISH_AT_INVALID)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise invalid(message, KbError.PUBLISH_AT_INVALID) from exc
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise invalid(_("The publishing time must be between the years %(a)s and %(b)s.")
                      % {"a": EARLIEST_YEAR, "b": LATEST_YEAR}, KbError.PUBLISH_AT_INVALID)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


@dataclass
class TranslationInput:
    title: str
    body: str
    status: str
    publish_at: datetime | None
    note: str
    base_revision: int | None = None


def _status(raw: object) -> str:
    value = (raw if isinstance(raw, str) else "")[:CHOICE_MAX] or TranslationStatus.DRAFT
    if value not in TranslationStatus.values:
        raise invalid(_("Unknown status."), KbError.TRANSLATION_INVALID)
    return value


def translation_input(post, *, needs_base: bool) -> TranslationInput:
    """Title and text are passed on as posted: `kb.actions` checks them (length, control
    characters) with its own codes. `needs_base`: the editor always sends the revision it was
    opened at; a form without it cannot be checked for a concurrent edit and is refused."""
    status = _status(post.get("status"))
    base = None
    if needs_base:
        base = ascii_int(post.get("base_revision"), max_digits=9)
        overwrite = ascii_int(post.get("overwrite"), max_digits=9)
        if overwrite is not None:  # after a conflict: "save mine over the newer revision", knowingly
            base = overwrite
        if base is None:
            raise invalid(_("The form does not say which revision it was opened at; reload the page."),
                          KbError.REVISION_INVALID)
    when = publish_at(post.get("publish_at")) if status == TranslationStatus.PUBLISHED else None
    return TranslationInput(title=post.get("title", ""), body=post.get("body", ""), status=status,
                            publish_at=when, note=line(post.get("note"), what=_("edit note"), limit=NOTE_MAX),
                            base_revision=base)


def visibility(raw: object) -> str:
    value = (raw if isinstance(raw, str) else "")[:CHOICE_MAX]
    if value not in Visibility.values:
        raise invalid(_("Unknown visibility."), KbError.ARTICLE_INVALID)
    return value


def key(raw: object) -> str:
    value = line(raw, what=_("key"), limit=KEY_MAX).lower()
    if value and not _KEY.fullmatch(value):
        raise invalid(_("A key is lowercase letters, digits and hyphens (up to 80)."), KbError.ARTICLE_INVALID)
    return value


def product_ids(values: list[str]) -> list[int]:
    if len(values) > MAX_PRODUCTS:
        raise invalid(_("Too many products."), KbError.PRODUCT_INVALID)
    out = []
    for raw in values:
        number = ascii_int(raw)
        if not number:
            raise invalid(_("Unknown product."), KbError.PRODUCT_INVALID)
        out.append(number)
    return out


def related_tokens(raw: object) -> list[str]:
    """Articles to link, by key or number, separated by commas or spaces."""
    text = line(raw, what=_("related articles"), limit=2000)
    tokens = [t for t in _SPLIT.split(text) if t]
    if len(tokens) > MAX_RELATED:
        raise invalid(_("At most %(n)s related articles at once.") % {"n": MAX_RELATED}, KbError.RELATED_INVALID)
    for token in tokens:
        if ascii_int(token) is None and not _KEY.fullmatch(token.lower()):
            raise invalid(_("Unknown related article: %(key)s") % {"key": token[:80]}, KbError.RELATED_INVALID)
    return [t.lower() for t in tokens]


def confirmed(post) -> None:
    if post.get("confirm") != "yes":
        raise invalid(_("Tick the box to confirm."))


def list_filters(get) -> ListFilters:
    """The list's filters; one that is refused is left out, and its message kept in `errors`."""
    filters = ListFilters()
    parsers = {
        "category": lambda raw: optional_id(raw, what=_("category")),
        "visibility": lambda raw: visibility(raw) if raw else "",
        "state": _state,
        "language": lambda raw: language(raw) if raw else "",
        "q": lambda raw: line(raw, what=_("search"), limit=QUERY_MAX),
    }
    for name, parse in parsers.items():
        try:
            setattr(filters, name, parse(get.get(name, "")))
        except ValidationFailed as exc:
            filters.errors.append(str(exc.detail))
    return filters


def _state(raw: str) -> str:
    if raw and raw not in STATES:
        raise invalid(_("Unknown state."))
    return raw


def search_query(raw: object) -> str:
    """What someone typed into a knowledge-base search box."""
    return line(raw, what=_("search"), limit=QUERY_MAX)


PERIODS = (7, 30, 90)


def period(raw: object) -> int:
    if raw in (None, ""):
        return PERIODS[1]
    number = ascii_int(raw, max_digits=3)
    if number not in PERIODS:
        raise invalid(_("Choose a period of 7, 30 or 90 days."))
    return number
