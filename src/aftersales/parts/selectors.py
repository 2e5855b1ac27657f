"""Reads of parts and stock for the API, the admin and (later) repairs."""

from __future__ import annotations

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from aftersales.parts.models import MinimumStock, Part, PartName, StockLevel, StockMovement


def parts_search(*, qs: QuerySet[Part] | None = None, text: str | None = None,
                 product_model_id: int | None = None) -> QuerySet[Part]:
    """Parts whose SKU starts with `text` or whose name in any language contains it (case-
    insensitive), and that fit `product_model_id`. One row per part: the name test is EXISTS."""
    qs = Part.objects.all() if qs is None else qs
    if text:
        names = PartName.objects.filter(part=OuterRef("pk"), name__icontains=text)
        qs = qs.filter(Q(sku__istartswith=text) | Q(Exists(names)))
    if product_model_id is not None:
        fits = Part.compatible_models.through.objects.filter(part=OuterRef("pk"), productmodel_id=product_model_id)
        qs = qs.filter(Exists(fits))
    return qs.prefetch_related("names", "compatible_models")


def stock_of_part(*, part: Part) -> list[StockLevel]:
    """Every location that has or had the part, with on hand, reserved and the minimum there."""
    minimum = MinimumStock.objects.filter(part=OuterRef("part"), location=OuterRef("location")).values("minimum")
    return list(
        StockLevel.objects.filter(part=part).select_related("location")
        .annotate(minimum=Subquery(minimum[:1], output_field=IntegerField()))
        .order_by("location__code")
    )


def levels_for(*, part_id: int, location_ids: list[int]) -> list[StockLevel]:
    return list(StockLevel.objects.filter(part_id=part_id, location_id__in=location_ids)
                .select_related("location").order_by("location__code"))


def movements(*, part_id: int | None = None, location_id: int | None = None) -> QuerySet[StockMovement]:
    qs = StockMovement.objects.select_related("part", "location")
    if part_id is not None:
        qs = qs.filter(part_id=part_id)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs


def parts_below_minimum() -> QuerySet[MinimumStock]:
    """The (part, location) pairs whose available stock (on hand − reserved) is under their
    minimum, annotated with `on_hand`, `reserved`, `available` and `short` (how many to order)."""
    level = StockLevel.objects.filter(part=OuterRef("part"), location=OuterRef("location"))
    zero = Value(0)
    return (
        MinimumStock.objects.select_related("part", "location").prefetch_related("part__names")
        .annotate(
            on_hand=Coalesce(Subquery(level.values("on_hand")[:1], output_field=IntegerField()), zero),
            reserved=Coalesce(Subquery(level.values("reserved")[:1], output_field=IntegerField()), zero),
        )
        .annotate(available=F("on_hand") - F("reserved"))
        .annotate(short=F("minimum") - F("available"))
        .filter(available__lt=F("minimum"))
    )
