"""The knowledge base in the desk's templates: `{% if user|may_read_kb %}` (the header's link),
`{% if user|may_edit_kb %}` ("Make an article" on a reply), `{% if user|may_publish_kb %}`,
and `{{ code|language_name }}` (a language code in the reader's language)."""

from django import template
from django.conf import settings
from django.utils import translation

from aftersales.accounts.permissions import Op, can

register = template.Library()
_NAMES = dict(settings.LANGUAGES)


@register.filter
def may_read_kb(user) -> bool:
    return can(user, Op.KB_READ_INTERNAL)


@register.filter
def may_edit_kb(user) -> bool:
    return can(user, Op.KB_EDIT)


@register.filter
def may_publish_kb(user) -> bool:
    return can(user, Op.KB_PUBLISH)


@register.filter
def language_name(code: str) -> str:
    name = _NAMES.get(code)
    return str(name) if name is not None else code


@register.filter
def language_local(code: str) -> str:
    """A language code as the language calls itself (English, 繁體中文, 简体中文, 한국어): short
    enough for tabs and column heads, and the same for every reader."""
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


@register.filter
def is_article_source(entry) -> bool:
    """A staff member's public reply: the kind of answer that can become an article."""
    return (entry.kind == "message" and entry.is_public and not entry.from_customer
            and entry.author_id is not None and bool(entry.body.strip()))


@register.filter
def percent(part, whole) -> str:
    """`{{ part|percent:whole }}`: a whole percentage, halves rounded up ("—" of nothing)."""
    try:
        part, whole = int(part), int(whole)
    except (TypeError, ValueError):
        return "—"
    if whole <= 0:
        return "—"
    return f"{(part * 200 + whole) // (whole * 2)}%"
