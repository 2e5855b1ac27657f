"""`{% work_order_documents wo as docs %}`: the printable documents a work order has now
(`repairs.documents`), for the Print block of the work order page."""

from django import template

from aftersales.repairs.documents import available_kinds

register = template.Library()


@register.simple_tag
def work_order_documents(work_order) -> list:
    return available_kinds(work_order)
