from django.contrib import admin

from aftersales.catalog.models import (
    OrderLine,
    ProductCategory,
    ProductCategoryName,
    ProductModel,
    ProductModelName,
    Purchase,
    Unit,
)


class CategoryNameInline(admin.TabularInline):
    model = ProductCategoryName
    extra = 0


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "parent"]
    search_fields = ["code", "names__name"]
    inlines = [CategoryNameInline]


class ProductNameInline(admin.TabularInline):
    model = ProductModelName
    extra = 0


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = ["sku", "brand", "category", "is_active"]
    list_filter = ["category", "is_active", "brand"]
    search_fields = ["sku", "names__name", "brand"]
    inlines = [ProductNameInline]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["product_model"]


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["order_number", "channel", "customer", "amount", "currency", "paid_at"]
    list_filter = ["channel", "currency"]
    search_fields = ["order_number", "invoice_number", "customer__name"]
    raw_id_fields = ["customer"]
    inlines = [OrderLineInline]
    date_hierarchy = "paid_at"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "product_model", "imei", "customer", "factory_date"]
    search_fields = ["serial_number", "imei"]
    list_filter = ["product_model__category"]
    raw_id_fields = ["customer", "order_line", "product_model"]
