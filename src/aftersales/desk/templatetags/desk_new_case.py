"""`{% if user|may_open_cases %}`: whether the desk header offers New case."""

from django import template

from aftersales.accounts.permissions import Op, can

register = template.Library()


@register.filter
def may_open_cases(user) -> bool:
    return can(user, Op.CASE_CREATE_FOR_CUSTOMER)
