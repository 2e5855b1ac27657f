"""Admin for price lists (with their items and part prices) and service contracts (with their
quotas); saves go through `actions_setup` (checked and audited). Quotes, invoices, payments
and contract draws are read-only here: they change only through the charges actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from aftersales.charges.actions_setup import setup_delete, setup_save
from aftersales.charges.models import (
    ContractDraw,
    ContractQuota,
    Invoice,
    InvoiceLine,
    PartPrice,
    Payment,
    PriceList,
    PriceListItem,
    Quote,
    QuoteLine,
    ServiceContract,
)
from aftersales.core.errors import DomainError


class ThroughActionsAdmin(admin.ModelAdmin):
    """Saves and deletes the object and its inline rows through `actions_setup`."""

    def save_model(self, request, obj, form, change):
        setup_save(obj=obj, actor=request.user)

    def delete_model(self, request, obj):
        setup_delete(obj=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for obj in formset.deleted_objects:
            setup_delete(obj=obj, actor=request.user)
        for obj in rows:
            setup_save(obj=obj, actor=request.user)
        formset.save_m2m()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:  # a rule the form could not know (e.g. a quota below what was used)
            self.message_user(request, str(exc.detail), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    extra = 2


class PartPriceInline(admin.TabularInline):
    model = PartPrice
    extra = 0
    autocomplete_fields = ["part"]


@admin.register(PriceList)
class PriceListAdmin(ThroughActionsAdmin):
    list_display = ["name", "currency", "tax_rate", "valid_from", "valid_until", "is_active"]
    list_filter = ["currency", "is_active"]
    search_fields = ["name"]
    inlines = [PriceListItemInline, PartPriceInline]


class ContractQuotaInline(admin.TabularInline):
    model = ContractQuota
    extra = 1


class ContractDrawInline(ReadOnlyInline):
    model = ContractDraw
    fields = ["at", "kind", "quantity", "work_order", "reverses", "note", "actor"]
    readonly_fields = fields


@admin.register(ServiceContract)
class ServiceContractAdmin(ThroughActionsAdmin):
    list_display = ["number", "customer", "period_start", "period_end", "is_active", "usage"]
    list_filter = ["is_active"]
    search_fields = ["number", "customer__name"]
    autocomplete_fields = ["customer"]
    inlines = [ContractQuotaInline, ContractDrawInline]
    list_select_related = ["customer"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("quotas").annotate(drawn=Sum("draws__quantity"))

    @admin.display(description=_("used / included"))
    def usage(self, obj) -> str:
        return f"{obj.drawn or 0} / {sum(q.quantity for q in obj.quotas.all())}"


class QuoteLineInline(ReadOnlyInline):
    model = QuoteLine
    fields = ["position", "kind", "description", "quantity", "unit_price", "line_total"]
    readonly_fields = fields


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "work_order", "status", "currency", "gross_total", "valid_until", "created_at"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "work_order__number"]
    list_select_related = ["work_order"]
    inlines = [QuoteLineInline]


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["position", "kind", "description", "quantity", "unit_price", "line_total"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["at", "method", "amount", "reference", "received_by"]
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "work_order", "customer", "billing_class", "status", "currency", "gross_total",
                    "paid_total", "issued_at"]
    list_filter = ["status", "billing_class", "currency"]
    search_fields = ["number", "work_order__number", "customer__name"]
    date_hierarchy = "issued_at"
    list_select_related = ["work_order", "customer"]
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "at", "method", "amount", "reference", "received_by"]
    list_filter = ["method"]
    search_fields = ["invoice__number", "reference"]
    date_hierarchy = "at"
    list_select_related = ["invoice", "received_by"]
