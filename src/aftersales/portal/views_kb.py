"""The help centre at /help/: anyone — visitors, customers, staff — reads the articles their
audience may read, in their language (`?lang=xx` asks for one translation), searches them,
says whether one helped; signed-in customers see matching articles beside "Ask for help".

Views parse, check access (`kb.access`), call one action (`kb.actions_feedback`), render.
What a reader leaves behind — views, votes, searches, clicks — is recorded by those actions."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.cases.actions import MAX_SUBJECT
from aftersales.cases.attachments import ALLOWED_TYPES, IMAGE_TYPES, protected_file_response, sniff
from aftersales.core import throttle
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.kb.access import access_article
from aftersales.kb.actions_feedback import (
    article_viewed,
    deflection_opened,
    deflection_seen,
    search_clicked,
    search_logged,
    vote_record,
    voter_key,
)
from aftersales.kb.errors import KbError
from aftersales.kb.models import COMMENT_MAX, ArticleTranslation, SearchSource, Visibility
from aftersales.kb.selectors import (
    article_page,
    category_articles,
    category_tree,
    popular_articles,
    readable_attachment,
    roots,
)
from aftersales.portal.kb_params import (
    LANGUAGE_CODES,
    asked_language,
    deflection_token,
    reader_language,
    search_text,
    text_param,
)
from aftersales.portal.selectors_kb import hit_places, live_translation, vote_of
from aftersales.search.selectors import more_like_this, search

POPULAR = 10
SEARCH_LIMIT = 20
SUGGEST_LIMIT = 6
DEFLECT_LIMIT = 5
DEFLECT_BODY_MAX = 1000  # what is matched of the description (the page sends no more; the form takes more)
DEFLECT_TEXT_LIMIT = 20_000  # longer than this is not someone typing
VIEWED_KEY, VIEWED_MAX = "kb_viewed", 300  # articles this session has been counted for
SEARCHES_KEY, SEARCHES_MAX = "kb_searches", 30  # this session's search logs (their clicks count)
VOTES_PER_IP = throttle.Limit("kb.vote.ip", max_attempts=30, window=10 * 60)
SEARCH_LOGS_PER_IP = throttle.Limit("kb.search_log.ip", max_attempts=120, window=10 * 60)


def with_params(url: str, /, **params) -> str:
    """`url` with these query parameters added (None leaves one out). `url` is positional
    only: the parameters may come from a query string, which can hold a key named "url"."""
    parts = urlsplit(url)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = "&".join(p for p in (parts.query, extra) if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _remember(request: HttpRequest, key: str, value: int, limit: int) -> bool:
    """Add `value` to a list kept in the session; False when it was there already."""
    seen = request.session.get(key, [])
    if value in seen:
        return False
    request.session[key] = [*seen, value][-limit:]
    return True


def _is_customer(user) -> bool:
    return bool(user.is_authenticated and user.is_customer)


def _common(request: HttpRequest) -> dict:
    return {"can_ask": not request.user.is_authenticated or request.user.is_customer}


# ---- browsing ---------------------------------------------------------------------------------

@require_GET
def home(request: HttpRequest) -> HttpResponse:
    lang = reader_language()
    tree = category_tree(user=request.user, lang=lang)
    return render(request, "portal/kb/home.html", {
        **_common(request), "lang": lang, "tree": tree, "categories": roots(tree),
        "popular": popular_articles(user=request.user, lang=lang, limit=POPULAR),
    })


@require_GET
def category(request: HttpRequest, category_id: int, slug: str = "") -> HttpResponse:
    lang = reader_language()
    tree = category_tree(user=request.user, lang=lang)
    node = tree.get(category_id)
    if node is None or not node.articles:  # empty, or only articles this reader may not read
        raise Http404
    if slug != node.category.slug:
        return redirect(node.url, permanent=True)
    return render(request, "portal/kb/category.html", {
        **_common(request), "lang": lang, "node": node,
        "children": [child for child in node.children if child.articles],
        "articles": category_articles(user=request.user, category=node.category, lang=lang),
    })


def _bad_request(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "400.html", {"detail": error.detail, "code": error.code}, status=error.status)


@require_GET
def article(request: HttpRequest, article_id: int, slug: str = "") -> HttpResponse:
    try:
        asked = asked_language(request.GET.get("lang"))
    except DomainError as error:
        return _bad_request(request, error)
    item = access_article(user=request.user, article_id=article_id)
    inline = bool(request.htmx) and request.GET.get("inline") == "1"
    if slug != item.slug and not inline:
        canonical = reverse("kb:article", args=[item.pk, item.slug])
        return redirect(with_params(canonical, **request.GET.dict()), permanent=True)
    page = article_page(user=request.user, article=item, lang=asked)
    if page is None:
        raise Http404
    if _remember(request, VIEWED_KEY, item.pk, VIEWED_MAX):
        article_viewed(article=item, translation=page.translation)
    log_id = ascii_int(request.GET.get("s"))
    if log_id is not None and log_id in request.session.get(SEARCHES_KEY, []):
        search_clicked(log_id=log_id, article=item)
    token = deflection_token(request.GET.get("d"))
    if token is not None and _is_customer(request.user):
        deflection_opened(token=token, user=request.user, article_id=item.pk)
    canonical = reverse("kb:article", args=[item.pk, item.slug])
    if inline:
        return render(request, "portal/kb/partials/article_inline.html", {
            "page": page, "url": with_params(canonical, lang=page.translation.language,
                                             d=str(token) if token else None)})
    voter = voter_key(user=request.user, session_key=request.session.session_key)
    return _article_response(request, item, page,
                             _vote_context(item, page.translation, vote_of(translation=page.translation, voter=voter)))


def _article_response(request: HttpRequest, item, page, vote_context: dict, *, status: int = 200) -> HttpResponse:
    """The whole article page, its "Was this helpful?" box as `vote_context` describes it."""
    reader = reader_language()
    tree = category_tree(user=request.user, lang=reader, counted=False)  # the breadcrumb only
    return render(request, "portal/kb/article.html", {
        **_common(request), "page": page, "node": tree.get(item.category_id), "reader": reader,
        "canonical": reverse("kb:article", args=[item.pk, item.slug]),
        "internal": item.visibility == Visibility.INTERNAL, **vote_context,
    }, status=status)


# ---- was this helpful? ------------------------------------------------------------------------

def _vote_context(item, translation: ArticleTranslation, vote, **extra) -> dict:
    total = translation.helpful_yes + translation.helpful_no
    return {"article": item, "translation": translation, "vote": vote, "votes_yes": translation.helpful_yes,
            "votes_total": total, "comment_max": COMMENT_MAX, **extra}


HELPFUL = {"yes": True, "no": False}


def _vote_refused(request: HttpRequest, item, translation: ArticleTranslation, voter: str | None, *, detail: str,
                  code: str, status: int, comment: str) -> HttpResponse:
    """The box again, with the reader's vote as it stands, the message and what they typed: on its
    own for htmx to swap in, else inside the whole article page."""
    translation.refresh_from_db()
    context = _vote_context(item, translation, vote_of(translation=translation, voter=voter), error=detail,
                            error_code=code, comment=comment[:COMMENT_MAX * 2])
    if request.htmx:
        return render(request, "portal/kb/partials/vote.html", context, status=status)
    page = article_page(user=request.user, article=item, lang=translation.language)
    if page is None:
        raise Http404
    return _article_response(request, item, page, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def vote(request: HttpRequest, article_id: int) -> HttpResponse:
    if request.method != "POST":  # /help/a/<id>/vote/ read as an article's address
        return article(request, article_id, "vote")
    item = access_article(user=request.user, article_id=article_id)
    lang = request.POST.get("lang", "")
    translation = live_translation(article=item, language=lang) if lang in LANGUAGE_CODES else None
    if translation is None:  # a translation the reader cannot see is one that does not exist
        raise Http404
    comment = request.POST.get("comment", "")
    ip = throttle.client_ip(request)
    if throttle.is_limited(VOTES_PER_IP, ip):
        if not request.htmx:
            return throttle.too_many_response(request, VOTES_PER_IP)
        # htmx swaps the answer into the box: the box with the message, not a whole page in it.
        minutes = max(1, VOTES_PER_IP.window // 60)
        wait = ngettext("Please wait a minute before you try again.",
                        "Please wait %(minutes)s minutes before you try again.", minutes) % {"minutes": minutes}
        voter = voter_key(user=request.user, session_key=request.session.session_key)
        response = _vote_refused(request, item, translation, voter, detail=wait, code="", status=429, comment=comment)
        response["Retry-After"] = str(VOTES_PER_IP.window)
        return response
    if not request.session.session_key:
        request.session["kb_voter"] = True
        request.session.save()
    voter = voter_key(user=request.user, session_key=request.session.session_key)
    try:
        if request.POST.get("helpful") not in HELPFUL:
            raise ValidationFailed(KbError.VOTE_INVALID, _("Choose “Yes” or “No”."))
        recorded = vote_record(translation=translation, voter=voter, user=request.user,
                               helpful=HELPFUL[request.POST["helpful"]], comment=comment)
    except DomainError as exc:
        return _vote_refused(request, item, translation, voter, detail=str(exc.detail), code=exc.code,
                             status=exc.status, comment=comment)
    throttle.count_attempt(VOTES_PER_IP, ip)
    if not request.htmx:
        messages.success(request, _("Thank you for your feedback."))
        url = reverse("kb:article", args=[item.pk, item.slug])
        return redirect(with_params(url, lang=translation.language) + "#kb-feedback")
    translation.refresh_from_db()
    return render(request, "portal/kb/partials/vote.html",
                  _vote_context(item, translation, recorded, just_voted=True, comment_sent=bool(comment.strip())))


# ---- searching --------------------------------------------------------------------------------

@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    lang = reader_language()
    context = {**_common(request), "lang": lang, "q": ""}
    try:
        q = search_text(request.GET.get("q"))
    except DomainError as error:
        raw = request.GET.get("q") or ""
        context.update(error=error.detail, error_code=error.code, q=raw[:200],
                       popular=popular_articles(user=request.user, lang=lang, limit=POPULAR))
        return render(request, "portal/kb/search.html", context, status=error.status)
    q = " ".join(q.split())
    context["q"] = q
    if not q:
        context["popular"] = popular_articles(user=request.user, lang=lang, limit=POPULAR)
        return render(request, "portal/kb/search.html", context)
    results = search(user=request.user, scope="kb", q=q, prefer_lang=lang, limit=SEARCH_LIMIT)
    log = None
    ip = throttle.client_ip(request)
    if results.terms and not throttle.is_limited(SEARCH_LOGS_PER_IP, ip):
        log = search_logged(query=q, terms=results.terms, language=lang, source=SearchSource.PORTAL,
                            results=len(results.hits), user=request.user)
        throttle.count_attempt(SEARCH_LOGS_PER_IP, ip)
    if log is not None:
        _remember(request, SEARCHES_KEY, log.pk, SEARCHES_MAX)
    tree = category_tree(user=request.user, lang=lang, counted=False)  # where each hit is filed
    places = hit_places(user=request.user, ids=[h.id for h in results.hits], tree=tree)
    context.update(
        searched=True, nothing_to_search=not results.terms,
        hits=[{"hit": h, "url": with_params(h.url, s=log.pk if log else None), "place": places.get(h.id)}
              for h in results.hits])
    if not results.hits:
        context["popular"] = popular_articles(user=request.user, lang=lang, limit=POPULAR)
    return render(request, "portal/kb/search.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Articles for what is typed so far (the last word as a prefix), for the search box's list."""
    try:
        q = search_text(request.GET.get("q"))
    except DomainError as error:
        return render(request, "portal/kb/partials/suggest.html", {"error": error.detail, "error_code": error.code},
                      status=error.status)
    q = " ".join(q.split())
    hits = []
    if q:
        hits = search(user=request.user, scope="kb", q=q, suggest=True, prefer_lang=reader_language(),
                      limit=SUGGEST_LIMIT).hits
    return render(request, "portal/kb/partials/suggest.html", {"q": q, "hits": hits})


# ---- files ------------------------------------------------------------------------------------

@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An article's file, to who may read the article. The help centre is public, so the type is
    the one its bytes show now, not the one the row says: a changed file or row cannot turn it into
    a page the browser runs."""
    found = readable_attachment(user=request.user, attachment_id=attachment_id)
    if found is None:
        raise Http404
    try:
        with found.file.open("rb") as handle:
            head = handle.read(8192)
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    content_type = sniff(head) or ""
    if content_type not in ALLOWED_TYPES:
        content_type = "application/octet-stream"
    return protected_file_response(found.file, content_type=content_type, filename=found.filename,
                                   inline=content_type in IMAGE_TYPES)


# ---- deflection beside "Ask for help" -----------------------------------------------------------

@require_GET
def deflect(request: HttpRequest) -> HttpResponse:
    """Articles about what the customer is writing, in their language first; what was shown
    is recorded against the form's token (someone else's or a malformed token records nothing)."""
    if not _is_customer(request.user):
        raise Http404
    try:
        subject = text_param(request.GET.get("subject"), limit=MAX_SUBJECT * 4)
        body = text_param(request.GET.get("body"), limit=DEFLECT_TEXT_LIMIT)
    except DomainError as error:
        return render(request, "portal/kb/partials/deflect.html", {"error": error.detail,
                                                                   "error_code": error.code}, status=error.status)
    text = f"{subject[:MAX_SUBJECT]}\n{body[:DEFLECT_BODY_MAX]}".strip()
    token = deflection_token(request.GET.get("deflection"))
    lang = reader_language()
    hits = []
    if text:
        results = more_like_this(user=request.user, scope="kb", text=text, prefer_lang=lang, limit=DEFLECT_LIMIT)
        hits = sorted(results.hits, key=lambda h: h.lang != lang)  # the customer's language first
    if token is not None and hits:
        try:
            deflection_seen(token=token, user=request.user, query=text, article_ids=[h.id for h in hits])
        except ValidationFailed:  # someone else's form: show the articles, record nothing
            token = None
    return render(request, "portal/kb/partials/deflect.html", {
        "typed": bool(text), "lang": lang,
        "hits": [{"hit": h, "url": with_params(h.url, d=str(token) if token else None),
                  "inline": with_params(h.url, inline=1, d=str(token) if token else None)} for h in hits],
    })
