"""Factories for the parts tests (the shared ones live in core/tests/factories.py)."""

from __future__ import annotations

from decimal import Decimal

import factory

from aftersales.parts.models import LocationKind, MinimumStock, Part, PartName, StockLocation


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"PART-{n:04d}")
    unit_cost = Decimal("12.50")
    unit_price = Decimal("30.00")

    @factory.post_generation
    def names(self, create, extracted, **kwargs):
        if create:
            for lang, name in (extracted or {"en": f"Part {self.sku}"}).items():
                PartName.objects.create(part=self, language=lang, name=name)

    @factory.post_generation
    def fits(self, create, extracted, **kwargs):
        if create and extracted:
            self.compatible_models.set(extracted)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLocation

    code = factory.Sequence(lambda n: f"loc-{n}")
    name = factory.Sequence(lambda n: f"Location {n}")
    kind = LocationKind.WAREHOUSE


class MinimumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinimumStock

    part = factory.SubFactory(PartFactory)
    location = factory.SubFactory(LocationFactory)
    minimum = 5
