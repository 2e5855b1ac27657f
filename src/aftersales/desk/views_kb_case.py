"""The case page's "Knowledge base" panel: articles suggested for the case (what its subject
and the customer's first message are about, in the case's language), a search box (as you
type, and Enter for a full search, which is logged for the analytics), and what "Insert link"
and "Insert text" put at the cursor in the reply: the article's link for the customer, or its
words in the case's language followed by that link. Internal articles are found too, marked
internal, and give no link (customers cannot open them).

Every endpoint fetches the case through `access_case` (another team's case is a 404) and the
article through `kb.access.access_article` (what the person may not read is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import access_case
from aftersales.cases.models import Case
from aftersales.core.errors import DomainError, ErrorCode, ValidationFailed
from aftersales.desk import forms_kb
from aftersales.desk.selectors_kb import PanelResults, case_search, case_suggestions, insert_for_case
from aftersales.desk.views_kb import kb_view
from aftersales.kb.access import access_article
from aftersales.kb.actions_feedback import search_logged
from aftersales.kb.models import SearchSource


def _context(request: HttpRequest, case: Case, found: PanelResults, *, q: str = "", error: str = "") -> dict:
    # "Insert link" and "Insert text" put words into the reply box, so they are offered only to
    # those who may reply or write a note.
    may_reply = can(request.user, Op.CASE_REPLY) or can(request.user, Op.CASE_NOTE)
    return {"case": case, "found": found, "q": q, "error": error, "may_reply": may_reply}


def _results(request: HttpRequest, case: Case, found: PanelResults, *, q: str = "", error: str = "",
             status: int = 200) -> HttpResponse:
    return render(request, "desk/kb/partials/case_results.html", _context(request, case, found, q=q, error=error),
                  status=status)


@kb_view(Op.KB_READ_INTERNAL)
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    found = case_suggestions(user=request.user, case=case)
    return render(request, "desk/kb/partials/case_panel.html", _context(request, case, found))


@kb_view(Op.KB_READ_INTERNAL)
@require_GET
def search(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    try:
        q = forms_kb.search_query(request.GET.get("q"))
    except ValidationFailed as exc:
        return _results(request, case, PanelResults(hits=[], results=None), error=str(exc.detail), status=exc.status)
    if not q:
        return _results(request, case, case_suggestions(user=request.user, case=case))
    suggest = request.GET.get("suggest") == "1"
    found = case_search(user=request.user, case=case, q=q, all_languages=request.GET.get("all") == "1",
                        suggest=suggest)
    if not suggest and found.results is not None:
        search_logged(query=q, terms=found.results.terms, language=case.language, source=SearchSource.DESK,
                      results=len(found.hits), user=request.user)
    return _results(request, case, found, q=q)


@kb_view(Op.KB_READ_INTERNAL)
@require_GET
def insert(request: HttpRequest, case_id: int, article_id: int) -> HttpResponse:
    """`?what=link` or `?what=text`: JSON `{"text", "lang"}` for the reply box."""
    case = access_case(user=request.user, case_id=case_id)
    article = access_article(user=request.user, article_id=article_id)
    what = request.GET.get("what", "")
    if what not in ("link", "text"):
        return JsonResponse({"code": ErrorCode.INVALID_INPUT, "detail": _("Ask for the link or the text.")}, status=400)
    try:
        inserted = insert_for_case(article=article, case=case, what=what)
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"text": inserted.text, "lang": inserted.lang, "what": what})
