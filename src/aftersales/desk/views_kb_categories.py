"""The knowledge base's category tree in the desk (Op.KB_PUBLISH): create a category at any
depth, rename it per language, move it under another parent, reorder it among its siblings,
delete it when it holds no articles and no sub-categories. Each form calls one `kb.actions`
write; a refusal redraws the page with the message beside its form and its 4xx status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.permissions import Op
from aftersales.core.errors import DomainError
from aftersales.desk import forms_kb
from aftersales.desk.selectors_kb import category_choices, subtree_ids
from aftersales.desk.views_kb import category_from, kb_view
from aftersales.kb import actions
from aftersales.kb.models import Category
from aftersales.kb.selectors import reader_language

NAME_MAX = 200
DESCRIPTION_MAX = 2000


def _page(request: HttpRequest, *, error: str | None = None, error_for: str = "", posted=None,
          status: int = 200) -> HttpResponse:
    choices = category_choices(lang=reader_language(), count_articles=True)
    for choice in choices:  # where each may move (anywhere but inside itself), its names per language
        inside = subtree_ids(choices, choice.id)
        choice.parents = [c for c in choices if c.id not in inside]
        mine = posted if posted is not None and error_for == str(choice.id) else None
        choice.rows = [_name_row(code, choice.names.get(code), mine) for code in forms_kb.LANGUAGES]
        choice.key = mine.get("key", "") if mine is not None else choice.category.slug
    fresh = posted if error_for == "new" else None
    context: dict[str, Any] = {"choices": choices, "kb_languages": forms_kb.LANGUAGES, "error": error,
                               "error_for": error_for, "posted": fresh,
                               "new_rows": [_name_row(code, None, fresh) for code in forms_kb.LANGUAGES]}
    return render(request, "desk/kb/categories.html", context, status=status)


def _name_row(code: str, stored, posted) -> tuple[str, str, str]:
    if posted is not None:
        return code, posted.get(f"name_{code}", "")[:NAME_MAX], posted.get(f"description_{code}", "")[:DESCRIPTION_MAX]
    return code, stored.name if stored else "", stored.description if stored else ""


def _names(post) -> dict[str, tuple[str, str]]:
    """The names typed per language; a language left empty keeps the name it has."""
    names = {}
    for lang in forms_kb.LANGUAGES:
        name = post.get(f"name_{lang}", "")
        description = post.get(f"description_{lang}", "")
        if len(name) > NAME_MAX * 4 or len(description) > DESCRIPTION_MAX * 4:
            raise forms_kb.invalid(_("The name or description is far too long."))
        if name.strip():
            names[lang] = (name, description)
        elif description.strip():
            raise forms_kb.invalid(_("A description needs a name in the same language."))
    return names


@kb_view(Op.KB_PUBLISH)
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    return _page(request)


@kb_view(Op.KB_PUBLISH)
@require_POST
def category_create(request: HttpRequest) -> HttpResponse:
    try:
        parent = category_from(request.POST.get("parent"), required=False)
        category = actions.category_save(actor=request.user, names=_names(request.POST),
                                         slug=forms_kb.key(request.POST.get("key")), parent=parent)
    except DomainError as exc:
        return _page(request, error=str(exc.detail), error_for="new", posted=request.POST, status=exc.status)
    messages.success(request, _("The category %(key)s is created.") % {"key": category.slug})
    return redirect(reverse("desk:kb_categories") + f"#category-{category.pk}")


@kb_view(Op.KB_PUBLISH)
@require_POST
def category_save(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=category_id)
    try:
        parent = category_from(request.POST.get("parent"), required=False)
        key = forms_kb.key(request.POST.get("key")) or category.slug
        actions.category_save(actor=request.user, names=_names(request.POST), slug=key, parent=parent,
                              category=category)
    except DomainError as exc:
        return _page(request, error=str(exc.detail), error_for=str(category.pk), posted=request.POST,
                     status=exc.status)
    messages.success(request, _("The category is saved."))
    return redirect(reverse("desk:kb_categories") + f"#category-{category.pk}")


@kb_view(Op.KB_PUBLISH)
@require_POST
def category_move(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=category_id)
    offsets = {"up": -1, "down": 1}
    try:
        if request.POST.get("direction") not in offsets:
            raise forms_kb.invalid(_("Move it up or down."))
        actions.category_move(actor=request.user, category=category, offset=offsets[request.POST["direction"]])
    except DomainError as exc:
        return _page(request, error=str(exc.detail), error_for=str(category.pk), status=exc.status)
    return redirect(reverse("desk:kb_categories") + f"#category-{category.pk}")


@kb_view(Op.KB_PUBLISH)
@require_POST
def category_delete(request: HttpRequest, category_id: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=category_id)
    try:
        actions.category_delete(actor=request.user, category=category)
    except DomainError as exc:
        return _page(request, error=str(exc.detail), error_for=str(category.pk), status=exc.status)
    messages.success(request, _("The category is deleted."))
    return redirect("desk:kb_categories")
