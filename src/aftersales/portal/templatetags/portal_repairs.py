"""The case page's list of the case's repairs, without the case view knowing about repairs."""

from __future__ import annotations

from django import template

from aftersales.portal.selectors_repairs import case_repairs as case_repair_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def case_repairs(context, case) -> list:
    """The work orders of `case` that belong to the signed-in customer, with where each stands."""
    request = context.get("request")
    if request is None or case is None:
        return []
    return case_repair_rows(user=request.user, case=case)
