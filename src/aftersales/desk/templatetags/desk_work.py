"""`{% if user|may_inspect_repairs %}`: whether the desk header links the inspection queue."""

from django import template

from aftersales.accounts.permissions import Op, can

register = template.Library()


@register.filter
def may_inspect_repairs(user) -> bool:
    return can(user, Op.REPAIR_INSPECT)
