"""GET /api/v1/search: ranked results over the knowledge base or the cases, with the same
permissions as everywhere (a customer's case search only ever returns their own cases)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from aftersales.core.errors import ValidationFailed
from aftersales.core.schemas import ERRORS
from aftersales.search.errors import SearchError
from aftersales.search.schemas import QUERY_MAX, SearchOut, SearchQuery
from aftersales.search.selectors import search

router = Router(tags=["search"])


@router.get("/search", response={200: SearchOut, **ERRORS}, summary="Search the knowledge base or the cases")
def search_endpoint(request: HttpRequest, q: Query[SearchQuery]):
    """Every term of `q` must be found: Chinese in either script finds both (維修 finds 维修), two or
    more Chinese characters match without spaces, a Korean word finds itself followed by a particle
    (배터리 finds 배터리가), English words match their other forms (charging finds charge). Query
    syntax (`"`, `*`, `NEAR`, `OR`, `:`) is plain text. Results are ranked by BM25 with the title
    weighted over the text, more popular and more recent first on a tie."""
    text = q.q.strip()
    if not text:
        raise ValidationFailed(SearchError.QUERY_EMPTY, _("Type what you are looking for."))
    if len(text) > QUERY_MAX:
        raise ValidationFailed(SearchError.QUERY_TOO_LONG,
                               _("Search for at most %(n)s characters.") % {"n": QUERY_MAX})
    narrow = {"product": q.product} if q.product and q.scope == "kb" else None
    user = request.auth
    results = search(user=user, scope=q.scope, q=text, lang=q.lang, limit=q.limit, suggest=q.suggest,
                     prefer_lang=getattr(user, "language", "") or "", narrow=narrow)
    if q.scope == "kb" and not q.suggest:
        from aftersales.kb.actions_feedback import search_logged

        search_logged(query=text, terms=results.terms, language=q.lang or getattr(user, "language", "") or "",
                      source="api", results=len(results.hits), user=user)
    return {"query": results.query, "scope": results.scope, "terms": list(results.terms),
            "results": [{"id": h.id, "scope": h.scope, "title": h.title, "snippet": h.snippet, "score": h.score,
                         "lang": h.lang, "url": h.url, "number": h.number} for h in results.hits]}
