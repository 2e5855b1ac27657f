"""A translation's history in the desk: every revision (who, when, the note, the status), one
revision with its text and what restoring it would change, and restoring it
(`kb.actions.translation_restore`: its title and text come back as a new revision; the status
stays, so restoring a published translation needs Op.KB_PUBLISH like any edit of it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.permissions import Op, can
from aftersales.core.errors import DomainError
from aftersales.core.formvalues import ascii_int
from aftersales.desk import forms_kb
from aftersales.desk.selectors_kb import preview_html, revision_diff, revisions
from aftersales.desk.views_kb import back_to_editor, kb_view
from aftersales.kb import actions
from aftersales.kb.access import access_article_for_edit
from aftersales.kb.models import Article, ArticleRevision, ArticleTranslation, TranslationStatus


def _translation(request: HttpRequest, article_id: int, lang: str) -> tuple[Article, ArticleTranslation]:
    article = access_article_for_edit(user=request.user, article_id=article_id)
    translation = article.translations.filter(language=lang).first() if lang in forms_kb.LANGUAGES else None
    if translation is None:
        raise Http404
    translation.article = article
    return article, translation


def _may_restore(user, translation: ArticleTranslation) -> bool:
    return can(user, Op.KB_PUBLISH) or translation.status == TranslationStatus.DRAFT


@kb_view(Op.KB_EDIT)
@require_GET
def history(request: HttpRequest, article_id: int, lang: str) -> HttpResponse:
    article, translation = _translation(request, article_id, lang)
    raw = request.GET.get("before")
    before = ascii_int(raw, max_digits=9) if raw else None
    if raw and before is None:
        context = {"article": article, "translation": translation, "rows": [], "more": None,
                   "error": _("The page asked for is not a valid revision number.")}
        return render(request, "desk/kb/history.html", context, status=400)
    rows, more = revisions(translation=translation, before=before)
    return render(request, "desk/kb/history.html", {
        "article": article, "translation": translation, "rows": rows, "more": more, "paged": before is not None,
        "may_restore": _may_restore(request.user, translation)})


def _revision_page(request: HttpRequest, article: Article, translation: ArticleTranslation, old: ArticleRevision, *,
                   error: str | None = None, status: int = 200) -> HttpResponse:
    return render(request, "desk/kb/revision.html", {
        "article": article, "translation": translation, "old": old, "error": error,
        "html": preview_html(user=request.user, article=article, body=old.body, lang=translation.language),
        "diff": revision_diff(old, translation), "title_changes": old.title != translation.title,
        "may_restore": _may_restore(request.user, translation) and old.number != translation.revision,
    }, status=status)


def _old(translation: ArticleTranslation, number: int) -> ArticleRevision:
    old = ArticleRevision.objects.filter(translation=translation, number=number).select_related("editor").first()
    if old is None:
        raise Http404
    return old


@kb_view(Op.KB_EDIT)
@require_GET
def revision(request: HttpRequest, article_id: int, lang: str, number: int) -> HttpResponse:
    article, translation = _translation(request, article_id, lang)
    return _revision_page(request, article, translation, _old(translation, number))


@kb_view(Op.KB_EDIT)
@require_POST
def restore(request: HttpRequest, article_id: int, lang: str, number: int) -> HttpResponse:
    article, translation = _translation(request, article_id, lang)
    old = _old(translation, number)
    try:
        restored = actions.translation_restore(actor=request.user, translation=translation, number=number)
    except DomainError as exc:
        return _revision_page(request, article, translation, old, error=str(exc.detail), status=exc.status)
    if restored.revision == translation.revision:
        messages.info(request, _("The text is already as in revision %(n)s.") % {"n": number})
    else:
        messages.success(request, _("Revision %(old)s is back, as revision %(new)s.")
                         % {"old": number, "new": restored.revision})
    return back_to_editor(article.pk, translation.language)
