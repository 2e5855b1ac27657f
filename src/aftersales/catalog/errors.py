from enum import StrEnum


class CatalogError(StrEnum):
    SKU_TAKEN = "sku_taken"
    UNKNOWN_SKU = "unknown_sku"
    PRODUCT_INVALID = "product_invalid"
    UNKNOWN_CATEGORY = "unknown_category"
    SERIAL_TAKEN = "serial_taken"
    IMEI_INVALID = "imei_invalid"
    DUPLICATE_ORDER = "duplicate_order"
    PURCHASE_INVALID = "purchase_invalid"
    IMPORT_FAILED = "import_failed"
    IMPORT_TOO_LARGE = "import_too_large"
