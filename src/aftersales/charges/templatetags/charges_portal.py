"""`{% case_quotes case %}`: on the portal's case page, the quotes waiting for the customer's
answer on the case's work orders, each linked to its page (one query)."""

from __future__ import annotations

from django import template

from aftersales.charges.selectors import open_quotes_for_case

register = template.Library()


@register.inclusion_tag("charges/portal_case_quotes.html")
def case_quotes(case) -> dict:
    return {"quotes": open_quotes_for_case(case=case)}
