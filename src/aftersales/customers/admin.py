from django.contrib import admin

from aftersales.customers.models import Address, Customer, CustomerIdentity


class IdentityInline(admin.TabularInline):
    model = CustomerIdentity
    extra = 0


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "tier", "language", "created_at"]
    list_filter = ["tier", "language"]
    search_fields = ["name", "company", "identities__value"]
    inlines = [IdentityInline, AddressInline]
    raw_id_fields = ["user"]
