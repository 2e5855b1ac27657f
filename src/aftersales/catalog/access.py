"""Which purchases and units a person may see. A miss is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftersales.accounts.permissions import Op, can
from aftersales.catalog.models import ProductModel, Purchase, Unit


def purchases_visible_to(user) -> QuerySet[Purchase]:
    if can(user, Op.CUSTOMER_VIEW_ALL):
        return Purchase.objects.all()
    if user.is_authenticated and user.is_customer:
        return Purchase.objects.filter(customer__user=user)
    return Purchase.objects.none()


def units_visible_to(user) -> QuerySet[Unit]:
    if can(user, Op.CUSTOMER_VIEW_ALL):
        return Unit.objects.all()
    if user.is_authenticated and user.is_customer:
        return Unit.objects.filter(customer__user=user)
    return Unit.objects.none()


def product_models_visible_to(user) -> QuerySet[ProductModel]:
    if not user.is_authenticated:
        return ProductModel.objects.none()
    qs = ProductModel.objects.all()
    return qs if user.is_staff_member else qs.filter(is_active=True)


def access_purchase(*, user, purchase_id: int) -> Purchase:
    found = purchases_visible_to(user).filter(pk=purchase_id).first()
    if found is None:
        raise Http404
    return found


def access_unit(*, user, unit_id: int) -> Unit:
    found = units_visible_to(user).filter(pk=unit_id).first()
    if found is None:
        raise Http404
    return found


def access_product_model(*, user, product_model_id: int) -> ProductModel:
    found = product_models_visible_to(user).filter(pk=product_model_id).first()
    if found is None:
        raise Http404
    return found
