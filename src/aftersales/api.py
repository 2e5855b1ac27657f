"""The REST API under /api/v1/: one NinjaAPI, one router per app, one error shape."""

from __future__ import annotations

from ninja import NinjaAPI

from aftersales import __version__
from aftersales.accounts.api import router as accounts_router
from aftersales.accounts.auth import API_AUTH
from aftersales.cases.api import router as cases_router
from aftersales.catalog.api import router as catalog_router
from aftersales.core.api_errors import install_error_handlers
from aftersales.core.api_parser import ApiParser
from aftersales.customers.api import router as customers_router
from aftersales.guarantees.api import router as guarantees_router
from aftersales.kb.api import router as kb_router
from aftersales.parts.api import router as parts_router
from aftersales.policies.api import router as policies_router
from aftersales.search.api import router as search_router
from aftersales.sla.api import router as sla_router

api = NinjaAPI(
    title="Aftersales API",
    version=__version__,
    description=(
        "Cases, customers, products, units and purchases of the Aftersales service desk, and what a "
        "customer is entitled to under the after-sales policies (`POST /api/v1/entitlements/evaluate`).\n\n"
        "Authenticate with `Authorization: Bearer <token>` (create one with `aftersales token create USER` "
        "or `POST /api/v1/tokens`), or with the browser session plus the CSRF token.\n\n"
        "Every error is `{\"code\": \"...\", \"detail\": \"...\"}` with a stable `code`. "
        "Lists are paged with an opaque `cursor`: pass the `next_cursor` of one page to get the next."
    ),
    auth=API_AUTH,
    parser=ApiParser(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", cases_router)
api.add_router("", customers_router)
api.add_router("", catalog_router)
api.add_router("", policies_router)
api.add_router("", guarantees_router)
api.add_router("", sla_router)
api.add_router("", parts_router)
api.add_router("", search_router)
api.add_router("", kb_router)
