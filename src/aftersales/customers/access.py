"""Which customers a person may see. A miss is a 404 whether the row exists or not."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftersales.accounts.permissions import Op, can
from aftersales.customers.models import Customer


def customers_visible_to(user) -> QuerySet[Customer]:
    if can(user, Op.CUSTOMER_VIEW_ALL):
        return Customer.objects.all()
    if user.is_authenticated and user.is_customer:
        return Customer.objects.filter(user=user)
    return Customer.objects.none()


def access_customer(*, user, customer_id: int) -> Customer:
    customer = customers_visible_to(user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def customer_of(user) -> Customer | None:
    """The customer record behind a portal account, if any."""
    if not user.is_authenticated or not user.is_customer:
        return None
    return Customer.objects.filter(user=user).first()
