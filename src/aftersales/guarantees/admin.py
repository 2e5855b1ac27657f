"""Guarantee claims in the admin: to read, never to edit (every change goes through
`actions.py`, which audits it and writes the case timeline)."""

from __future__ import annotations

from django.contrib import admin

from aftersales.guarantees.models import GuaranteeClaim


@admin.register(GuaranteeClaim)
class GuaranteeClaimAdmin(admin.ModelAdmin):
    list_display = ("id", "case", "guarantee", "remedy", "amount", "override_amount", "currency", "status",
                    "created_at")
    list_filter = ("status", "guarantee")
    search_fields = ("case__number", "purchase__order_number", "payment_reference")
    list_select_related = ("case",)
    raw_id_fields = ("case", "purchase", "decision")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
