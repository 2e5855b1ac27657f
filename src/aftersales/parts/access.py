"""Fetch-by-id for the parts API. Parts and stock are staff-only (`Op.PARTS_VIEW`); a missing
row is a 404. Staff see every part and location, in use or not."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftersales.accounts.permissions import Op, can
from aftersales.parts.models import Part, Reservation, StockLocation


def parts_visible_to(user) -> QuerySet[Part]:
    return Part.objects.all() if can(user, Op.PARTS_VIEW) else Part.objects.none()


def locations_visible_to(user) -> QuerySet[StockLocation]:
    return StockLocation.objects.all() if can(user, Op.PARTS_VIEW) else StockLocation.objects.none()


def reservations_visible_to(user) -> QuerySet[Reservation]:
    return Reservation.objects.all() if can(user, Op.PARTS_VIEW) else Reservation.objects.none()


def access_part(*, user, part_id: int) -> Part:
    found = parts_visible_to(user).filter(pk=part_id).first()
    if found is None:
        raise Http404
    return found


def access_location(*, user, location_id: int) -> StockLocation:
    found = locations_visible_to(user).filter(pk=location_id).first()
    if found is None:
        raise Http404
    return found


def access_reservation(*, user, reservation_id: int) -> Reservation:
    found = reservations_visible_to(user).filter(pk=reservation_id).first()
    if found is None:
        raise Http404
    return found
