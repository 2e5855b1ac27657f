"""The knowledge base in the desk: the article list, a new article (also "make an article"
from a staff reply on a case), and the editor — the article's settings, one tab per language
with a preview, publishing and scheduling, deleting.

Each page parses its input (`forms_kb`), fetches through `kb.access` / `cases.access` (a row
out of sight is a 404; a role that may not is a 403), calls one `kb.actions` write and
redirects, or redraws the page with the refusal beside its form, its 4xx status, and nothing
written. Agents write drafts (Op.KB_EDIT); publishing, scheduling, visibility and deleting
need Op.KB_PUBLISH, and the pages offer only what the person's role allows."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.accounts.permissions import Op, can
from aftersales.cases.models import CaseEntry
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.desk import forms_kb
from aftersales.desk.access import staff_required
from aftersales.desk.selectors_kb import (
    DRAFT,
    MISSING,
    PUBLISHED,
    SCHEDULED,
    Editor,
    category_choices,
    kb_article_list,
    kb_editor,
    preview_html,
    product_choices,
    related_ids,
    source_entry,
)
from aftersales.kb import actions
from aftersales.kb.access import access_article_for_edit
from aftersales.kb.errors import KbError
from aftersales.kb.models import BODY_MAX, Article, Category, TranslationStatus, Visibility
from aftersales.kb.search_scope import article_url
from aftersales.kb.selectors import reader_language


def kb_view(op: Op) -> Callable:
    """Staff only (customers 404, visitors to sign in), and a role that may `op` (else 403)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not can(request.user, op):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return staff_required(wrapper)

    return decorate


def local_input(value) -> str:
    """A stored instant as a `datetime-local` input value in the reader's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def category_from(raw: object, *, required: bool) -> Category | None:
    category_id = forms_kb.optional_id(raw, what=_("category"))
    if category_id is None:
        if required:
            raise forms_kb.invalid(_("Choose a category."), KbError.CATEGORY_INVALID)
        return None
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise forms_kb.invalid(_("Unknown category."), KbError.CATEGORY_INVALID)
    return category


# ---- the list -----------------------------------------------------------------------------------

@kb_view(Op.KB_READ_INTERNAL)
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    lang = reader_language()
    filters = forms_kb.list_filters(request.GET)
    categories = category_choices(lang=lang)
    errors = list(filters.errors)
    cursor = request.GET.get("cursor") or None
    try:
        page = kb_article_list(user=request.user, lang=lang, filters=filters, categories=categories, cursor=cursor)
    except ValidationFailed as exc:  # a forged or stale cursor
        errors.append(str(exc.detail))
        page = kb_article_list(user=request.user, lang=lang, filters=filters, categories=categories, cursor=None)
    query = filters.query()
    context = {
        "rows": page.items, "categories": categories, "filters": filters, "errors": errors,
        "next_url": "?" + urlencode({**query, "cursor": page.next_cursor}) if page.next_cursor else "",
        "first_url": "?" + urlencode(query) if cursor else "",
        "filtered": bool(query), "editor": can(request.user, Op.KB_EDIT),
        "visibilities": Visibility.choices, "kb_languages": forms_kb.LANGUAGES,
        "states": [(DRAFT, _("Draft")), (PUBLISHED, _("Published")), (SCHEDULED, _("Scheduled")),
                   (MISSING, _("Missing"))],
    }
    return render(request, "desk/kb/list.html", context, status=400 if errors else 200)


# ---- a new article ------------------------------------------------------------------------------

def _new_context(request: HttpRequest, values: dict[str, Any], *, entry: CaseEntry | None,
                 error: str | None = None) -> dict[str, Any]:
    return {
        "values": values, "entry": entry, "error": error,
        "categories": category_choices(lang=reader_language()),
        "kb_languages": forms_kb.LANGUAGES, "visibilities": Visibility.choices,
        "may_publish": can(request.user, Op.KB_PUBLISH), "body_max": BODY_MAX,
    }


def _source_note(entry: CaseEntry | None, note: str) -> str:
    if entry is None:
        return note
    origin = _("From case %(number)s") % {"number": entry.case.number}
    return f"{origin} — {note}"[:forms_kb.NOTE_MAX] if note else origin


@kb_view(Op.KB_EDIT)
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    entry = None
    if data.get("entry"):
        entry_id = ascii_int(data.get("entry"))
        if not entry_id:
            raise Http404
        entry = source_entry(user=request.user, entry_id=entry_id)
    if request.method == "GET":
        values = {"language": reader_language(), "title": "", "body": "", "status": DRAFT, "visibility": "public"}
        if entry is not None:
            values.update(language=entry.case.language, title=entry.case.subject[:300], body=entry.body)
        else:
            if request.GET.get("lang") in forms_kb.LANGUAGES:
                values["language"] = request.GET["lang"]
            values["title"] = request.GET.get("title", "")[:300].replace("\x00", "")
        return render(request, "desk/kb/new.html", _new_context(request, values, entry=entry))
    values = {name: request.POST.get(name, "") for name in
              ("category", "visibility", "key", "language", "title", "body", "status", "publish_at", "note")}
    try:
        category = category_from(request.POST.get("category"), required=True)
        language = forms_kb.language(request.POST.get("language"))
        form = forms_kb.translation_input(request.POST, needs_base=False)
        article = actions.article_create(
            actor=request.user, category=category, language=language, title=form.title, body=form.body,
            slug=forms_kb.key(request.POST.get("key")), visibility=forms_kb.visibility(request.POST.get("visibility")),
            status=form.status, publish_at=form.publish_at, note=_source_note(entry, form.note))
    except DomainError as exc:
        context = _new_context(request, values, entry=entry, error=str(exc.detail))
        return render(request, "desk/kb/new.html", context, status=exc.status)
    messages.success(request, _("The article is saved."))
    return redirect(reverse("desk:kb_edit", args=[article.pk]) + f"?lang={language}")


# ---- the editor ---------------------------------------------------------------------------------

def _tab_forms(request: HttpRequest, editor: Editor, *, posted=None, error_for: str = "",
               error_code: str = "") -> list[dict[str, Any]]:
    may_publish = can(request.user, Op.KB_PUBLISH)
    attachment_ids = [a.pk for a in editor.attachments]  # loaded once for every tab's preview
    forms = []
    for tab in editor.tabs:
        t = tab.translation
        values = {"title": t.title if t else "", "body": t.body if t else "",
                  "status": t.status if t else TranslationStatus.DRAFT,
                  "publish_at": local_input(t.publish_at) if t else "", "note": "", "base_revision": tab.revision}
        conflict = False
        if posted is not None and error_for == tab.code:
            values.update({name: posted.get(name, "") for name in ("title", "body", "status", "publish_at", "note")})
            # The revision the person started from stays: saving again is refused again until
            # they reload, or choose to overwrite the newer revision they are now shown.
            values["base_revision"] = ascii_int(posted.get("base_revision"), max_digits=9) or tab.revision
            conflict = error_code == KbError.EDIT_CONFLICT
        editable = may_publish or tab.state in (DRAFT, MISSING)
        forms.append({
            "tab": tab, "values": values, "editable": editable, "conflict": conflict,
            "html": "" if editable or t is None else preview_html(user=request.user, article=editor.article,
                                                                  body=t.body, lang=tab.code,
                                                                  attachment_ids=attachment_ids),
            "live_url": article_url(editor.article.pk, editor.article.slug, tab.code) if tab.state == PUBLISHED
            else "",
        })
    return forms


def editor_context(request: HttpRequest, article: Article, *, active: str = "", error: str | None = None,
                   error_for: str = "", error_code: str = "", posted=None) -> dict[str, Any]:
    lang = reader_language()
    editor = kb_editor(article=article, lang=lang)
    if active not in forms_kb.LANGUAGES:
        present = [t.code for t in editor.tabs if t.translation is not None]
        active = lang if lang in present or not present else present[0]
    settings_posted = posted if error_for == "settings" else None
    return {
        "editor": editor, "article": editor.article,
        "tabs": _tab_forms(request, editor, posted=posted, error_for=error_for, error_code=error_code),
        "active": active, "error": error, "error_for": error_for, "settings_posted": settings_posted,
        "categories": category_choices(lang=lang),
        # the article's own products first, the others after them (each group by SKU)
        "products": sorted(product_choices(), key=lambda p: p[0] not in editor.product_ids),
        "visibilities": Visibility.choices, "may_publish": can(request.user, Op.KB_PUBLISH),
        "body_max": BODY_MAX,
    }


def editor_page(request: HttpRequest, article: Article, *, status: int = 200, **kwargs) -> HttpResponse:
    return render(request, "desk/kb/editor.html", editor_context(request, article, **kwargs), status=status)


def back_to_editor(article_id: int, lang: str = "", anchor: str = "") -> HttpResponse:
    url = reverse("desk:kb_edit", args=[article_id])
    return redirect(url + (f"?lang={lang}" if lang else "") + anchor)


@kb_view(Op.KB_EDIT)
@require_GET
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    active = request.GET.get("lang", "")
    return editor_page(request, article, active=active if active in forms_kb.LANGUAGES else "")


@kb_view(Op.KB_EDIT)
@require_POST
def article_settings(request: HttpRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    try:
        category = category_from(request.POST.get("category"), required=True)
        visibility = None
        if "visibility" in request.POST:
            visibility = forms_kb.visibility(request.POST.get("visibility"))
        key = forms_kb.key(request.POST.get("key"))
        products = forms_kb.product_ids(request.POST.getlist("products"))
        keep = [forms_kb.row_id(raw, what=_("related article")) for raw in request.POST.getlist("related_keep")]
        tokens = forms_kb.related_tokens(request.POST.get("related_add"))
        current = set(article.related.values_list("pk", flat=True))
        if not set(keep) <= current:
            raise forms_kb.invalid(_("Unknown related article: %(key)s") % {"key": min(set(keep) - current)},
                                   KbError.RELATED_INVALID)
        related = sorted(set(keep) | set(related_ids(tokens, exclude=article.pk)))
        actions.article_update(actor=request.user, article=article, category=category, visibility=visibility,
                               slug=key or None, product_model_ids=products, related_ids=related)
    except DomainError as exc:
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for="settings",
                       posted=request.POST, active=request.POST.get("active", ""))
    messages.success(request, _("The article's settings are saved."))
    return back_to_editor(article.pk, request.POST.get("active", "")[:10])


@kb_view(Op.KB_EDIT)
@require_POST
def translation_save(request: HttpRequest, article_id: int, lang: str) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    try:
        language = forms_kb.language(lang)
        form = forms_kb.translation_input(request.POST, needs_base=True)
        saved = actions.translation_save(actor=request.user, article=article, language=language, title=form.title,
                                         body=form.body, status=form.status, publish_at=form.publish_at,
                                         note=form.note, base_revision=form.base_revision)
    except DomainError as exc:
        active = lang if lang in forms_kb.LANGUAGES else ""
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for=active or "page",
                       error_code=exc.code, posted=request.POST, active=active)
    if saved.revision == form.base_revision:
        messages.info(request, _("Nothing changed, so nothing was saved."))
    elif saved.scheduled:
        messages.success(request, _("Saved as revision %(n)s; it goes live at the time you set.")
                         % {"n": saved.revision})
    else:
        messages.success(request, _("Saved as revision %(n)s.") % {"n": saved.revision})
    return back_to_editor(article.pk, language)


@kb_view(Op.KB_PUBLISH)
@require_POST
def translation_delete(request: HttpRequest, article_id: int, lang: str) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    target = article.translations.filter(language=lang).first() if lang in forms_kb.LANGUAGES else None
    if target is None:
        raise Http404
    try:
        forms_kb.confirmed(request.POST)
        actions.translation_delete(actor=request.user, translation=target)
    except DomainError as exc:
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for=lang, active=lang)
    messages.success(request, _("The translation is deleted."))
    return back_to_editor(article.pk)


@kb_view(Op.KB_PUBLISH)
@require_POST
def article_delete(request: HttpRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    try:
        forms_kb.confirmed(request.POST)
        actions.article_delete(actor=request.user, article=article)
    except DomainError as exc:
        return editor_page(request, article, status=exc.status, error=str(exc.detail), error_for="delete")
    messages.success(request, _("The article is deleted."))
    return redirect("desk:kb_list")


@kb_view(Op.KB_EDIT)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The Markdown of the tab as readers will see it (htmx)."""
    body = request.POST.get("body", "")
    article = None
    if request.POST.get("article"):
        article_id = ascii_int(request.POST.get("article"))
        if not article_id:
            raise Http404
        article = access_article_for_edit(user=request.user, article_id=article_id)
    lang = request.POST.get("lang") if request.POST.get("lang") in forms_kb.LANGUAGES else reader_language()
    if len(body) > BODY_MAX:
        message = _("The text is longer than %(n)s characters.") % {"n": BODY_MAX}
        return render(request, "desk/kb/partials/preview.html", {"error": message}, status=422)
    html = preview_html(user=request.user, article=article, body=body, lang=lang)
    return render(request, "desk/kb/partials/preview.html", {"html": html})
