"""`{% if user|may_approve_guarantees %}`: whether the desk header links the claims queue."""

from django import template

from aftersales.guarantees.access import may_approve

register = template.Library()


@register.filter
def may_approve_guarantees(user) -> bool:
    return may_approve(user)
