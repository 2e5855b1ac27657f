from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import STAFF_ROLES, ApiToken, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_default", "lead"]
    list_select_related = ["lead"]
    search_fields = ["name", "code"]
    list_filter = ["is_default"]
    fields = ["code", "name", "is_default", "lead"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            # The lead is told of the team's SLA breaches: an active member of staff, never a customer.
            kwargs["queryset"] = User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by(
                "display_name", "username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "role", "language", "is_active"]
    list_filter = ["role", "language", "is_active", "teams"]
    search_fields = ["username", "display_name", "email"]
    filter_horizontal = ["teams", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Aftersales"), {"fields": ("role", "display_name", "language", "time_zone", "teams")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are created with `aftersales token create` so the secret is shown once
