"""Admin for parts, locations and minimums (audited saves); the ledger, the levels and the
reservations are read-only here: stock changes only through `parts.actions`."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from aftersales.core.audit import audit_record, snapshot
from aftersales.parts.models import (
    MinimumStock,
    Part,
    PartName,
    Reservation,
    StockLevel,
    StockLocation,
    StockMovement,
)


class AuditedAdmin(admin.ModelAdmin):
    audit_fields: list[str] = []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        label = obj._meta.model_name
        audit_record(actor=request.user, obj=obj, action=f"{label}.{'updated' if change else 'created'}",
                     after=snapshot(obj, self.audit_fields))

    def delete_model(self, request, obj):
        audit_record(actor=request.user, obj=obj, action=f"{obj._meta.model_name}.deleted",
                     before=snapshot(obj, self.audit_fields))
        super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("part__names")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PartNameInline(admin.TabularInline):
    model = PartName
    extra = 1


@admin.register(Part)
class PartAdmin(AuditedAdmin):
    list_display = ["sku", "__str__", "unit_cost", "unit_price", "currency", "is_active"]
    list_filter = ["is_active", "currency"]
    search_fields = ["sku", "names__name"]
    autocomplete_fields = ["compatible_models"]
    inlines = [PartNameInline]
    audit_fields = ["sku", "unit_cost", "unit_price", "currency", "is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")


@admin.register(StockLocation)
class StockLocationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "technician", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["technician"]
    audit_fields = ["code", "name", "kind", "technician", "is_active"]


class BelowMinimumFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "below"

    def lookups(self, request, model_admin):
        return [("yes", _("Below minimum")), ("no", _("At or above minimum"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(available__lt=F("minimum"))
        if self.value() == "no":
            return queryset.filter(available__gte=F("minimum"))
        return queryset


@admin.register(MinimumStock)
class MinimumStockAdmin(AuditedAdmin):
    """Also the reorder list: filter "Below minimum" (the same rule as `selectors.parts_below_minimum`)."""

    list_display = ["part", "location", "minimum", "on_hand", "reserved", "available"]
    list_filter = [BelowMinimumFilter, "location"]
    search_fields = ["part__sku", "part__names__name", "location__code"]
    autocomplete_fields = ["part", "location"]
    audit_fields = ["part", "location", "minimum"]

    def get_queryset(self, request):
        level = StockLevel.objects.filter(part=OuterRef("part"), location=OuterRef("location"))
        return (
            super().get_queryset(request).select_related("part", "location").prefetch_related("part__names")
            .annotate(
                on_hand=Coalesce(Subquery(level.values("on_hand")[:1], output_field=IntegerField()), Value(0)),
                reserved=Coalesce(Subquery(level.values("reserved")[:1], output_field=IntegerField()), Value(0)),
            )
            .annotate(available=F("on_hand") - F("reserved"))
        )

    @admin.display(description=_("on hand"), ordering="on_hand")
    def on_hand(self, obj) -> int:
        return obj.on_hand

    @admin.display(description=_("reserved"), ordering="reserved")
    def reserved(self, obj) -> int:
        return obj.reserved

    @admin.display(description=_("available"), ordering="available")
    def available(self, obj) -> int:
        return obj.available


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "part", "location", "kind", "quantity", "reference", "case", "actor"]
    list_filter = ["kind", "location"]
    search_fields = ["part__sku", "reference", "note"]
    date_hierarchy = "at"
    list_select_related = ["part", "location", "case", "actor"]


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ["part", "location", "on_hand", "reserved", "available"]
    list_filter = ["location"]
    search_fields = ["part__sku", "location__code"]
    list_select_related = ["part", "location"]

    @admin.display(description=_("available"))
    def available(self, obj) -> int:
        return obj.available


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["id", "reference", "part", "location", "quantity", "state", "case", "created_at"]
    list_filter = ["state", "location"]
    search_fields = ["reference", "part__sku"]
    list_select_related = ["part", "location", "case"]
