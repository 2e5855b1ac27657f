"""The knowledge base in the desk's templates: `{% if user|may_read_kb %}` (the header's link),
`{% if user|may_edit_kb %}` ("Make an article" on a reply), `{% if user|may_publish_kb %}`,
`{{ part|percent:whole }}`. (Language names come from Django's own `i18n` filters:
`language_name_translated` in the reader's language, `language_name_local` as the language
calls itself.)"""

from django import template

from aftersales.accounts.permissions import Op, can
from aftersales.desk import selectors_kb

register = template.Library()


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
def is_article_source(entry) -> bool:
    return selectors_kb.is_article_source(entry)


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
