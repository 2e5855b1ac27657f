from django.contrib import admin

from aftersales.cases.models import Case, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only here: every change to a case goes through its actions, so it is audited."""

    list_display = ["number", "subject", "status", "type", "severity", "channel", "team", "assignee", "updated_at"]
    list_filter = ["status", "type", "severity", "channel", "team"]
    search_fields = ["number", "subject", "customer__name"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
