"""Every write to the knowledge base: categories, articles, translations and their history,
attachments. Keyword-only, transactional, audited; the search index follows after commit.

Agents write drafts (Op.KB_EDIT); publishing, scheduling, unpublishing, deleting and the
category tree need Op.KB_PUBLISH. A translation is live — shown and findable — when it is
published and its `publish_at` (if any) has come; `kb_publish_due` (a periodic job) makes
scheduled ones live when their time comes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.attachments import CheckedFile
from aftersales.core.audit import audit_changes, audit_record, snapshot
from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.kb.errors import KbError
from aftersales.kb.models import (
    BODY_MAX,
    TITLE_MAX,
    Article,
    ArticleAttachment,
    ArticleRevision,
    ArticleTranslation,
    Category,
    CategoryName,
    TranslationStatus,
    Visibility,
)
from aftersales.search.actions import index_later

SCOPE = "kb"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ---- checks ---------------------------------------------------------------------------------

def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise ValidationFailed(KbError.LANGUAGE_INVALID, _("Unknown language: %(code)s") % {"code": code[:20]})
    return code


def _text(value: str, *, limit: int, empty: KbError, too_long: KbError, what: str, allow_empty=False) -> str:
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").strip()
    if _CONTROL.search(value):
        raise ValidationFailed(KbError.TRANSLATION_INVALID,
                               _("The %(what)s holds control characters that cannot be stored.") % {"what": what})
    if not value and not allow_empty:
        raise ValidationFailed(empty, _("The %(what)s cannot be empty.") % {"what": what})
    if len(value) > limit:
        raise ValidationFailed(too_long, _("The %(what)s is longer than %(n)s characters.") % {"what": what,
                                                                                              "n": limit})
    return value


def _slug(value: str, *, fallback: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        value = slugify(fallback, allow_unicode=False)[:60].strip("-") or "article"
    if not _SLUG.fullmatch(value):
        raise ValidationFailed(KbError.ARTICLE_INVALID,
                               _("A key is lowercase letters, digits and hyphens (up to 80)."))
    return value


def _unique_slug(model, base: str, exclude: int | None = None) -> str:
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while (candidate := f"{base[:79 - len(str(n))]}-{n}") in taken:
        n += 1
    return candidate


def _publish_rights(actor, status: str, current: ArticleTranslation | None) -> None:
    """Drafts are anyone's with KB_EDIT; making live, scheduling or unpublishing needs KB_PUBLISH."""
    require(actor, Op.KB_EDIT)
    changes_publication = status == TranslationStatus.PUBLISHED or (
        current is not None and current.status == TranslationStatus.PUBLISHED)
    if changes_publication:
        require(actor, Op.KB_PUBLISH)


def _saved_with_unique_key(obj, taken: str) -> None:
    """Save a category or article whose key another writer may take at the same moment: the
    unique index decides, and the loser gets a 409, not a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(KbError.SLUG_TAKEN, taken) from exc


def _reindex(article: Article) -> None:
    index_later(SCOPE, list(article.translations.values_list("id", flat=True)))


# ---- categories -----------------------------------------------------------------------------

@transaction.atomic
def category_save(*, actor, names: dict[str, tuple[str, str]], slug: str = "", parent: Category | None = None,
                  position: int | None = None, category: Category | None = None) -> Category:
    """Create a category or change one: its key, place in the tree and names per language
    (`{"en": ("Warranty", "What is covered…")}`); a language left out keeps its name. Without
    a `position` a new category — or one moved under another parent — goes last among its
    siblings, and one that stays where it is keeps its place."""
    require(actor, Op.KB_PUBLISH)
    cleaned = {}
    for lang, (name, description) in names.items():
        _language(lang)
        cleaned[lang] = (
            _text(name, limit=200, empty=KbError.TITLE_EMPTY, too_long=KbError.TITLE_TOO_LONG, what=_("name")),
            _text(description, limit=2000, empty=KbError.BODY_EMPTY, too_long=KbError.BODY_TOO_LONG,
                  what=_("description"), allow_empty=True))
    if category is None and not cleaned:
        raise ValidationFailed(KbError.CATEGORY_INVALID, _("A category needs a name in at least one language."))
    fallback = next(iter(cleaned.values()))[0] if cleaned else "category"
    key = _slug(slug, fallback=fallback)
    node = parent
    while node is not None:
        if category is not None and node.pk == category.pk:
            raise ValidationFailed(KbError.CATEGORY_CYCLE, _("A category cannot sit inside itself."))
        node = node.parent
    creating = category is None
    before = {} if creating else snapshot(category, ["slug", "parent", "position"])
    if position is None:
        if not creating and category.parent_id == getattr(parent, "pk", None):
            position = category.position
        else:
            last = Category.objects.filter(parent=parent).aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
    if creating:
        category = Category(slug=_unique_slug(Category, key), parent=parent, position=max(0, position))
    else:
        if Category.objects.filter(slug=key).exclude(pk=category.pk).exists():
            raise Conflict(KbError.SLUG_TAKEN, _("Another category has that key."))
        category.slug, category.parent, category.position = key, parent, max(0, position)
    _saved_with_unique_key(category, _("Another category has that key."))
    for lang, (name, description) in cleaned.items():
        CategoryName.objects.update_or_create(category=category, language=lang,
                                              defaults={"name": name, "description": description})
    after = snapshot(category, ["slug", "parent", "position"])
    if creating:
        audit_record(actor=actor, obj=category, action="kb.category_created", after=after)
    else:
        audit_changes(actor=actor, obj=category, action="kb.category_changed", before=before, after=after)
    return category


@transaction.atomic
def category_delete(*, actor, category: Category) -> None:
    require(actor, Op.KB_PUBLISH)
    if category.children.exists() or category.articles.exists():
        raise Conflict(KbError.CATEGORY_NOT_EMPTY, _("Move or delete its articles and sub-categories first."))
    audit_record(actor=actor, obj=category, action="kb.category_deleted", before={"slug": category.slug})
    category.delete()


@transaction.atomic
def category_move(*, actor, category: Category, offset: int) -> Category:
    """Move a category up (`offset` -1) or down (+1) among its siblings; their positions are
    renumbered 0, 1, 2… in the new order. At either end nothing moves."""
    require(actor, Op.KB_PUBLISH)
    siblings = list(Category.objects.select_for_update().filter(parent_id=category.parent_id)
                    .order_by("position", "id"))
    index = next((i for i, c in enumerate(siblings) if c.pk == category.pk), None)
    if index is None or offset not in (-1, 1):
        raise ValidationFailed(KbError.CATEGORY_INVALID, _("That category cannot move that way."))
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            Category.objects.filter(pk=sibling.pk).update(position=position)
    audit_record(actor=actor, obj=category, action="kb.category_moved",
                 before={"position": index}, after={"position": max(0, min(target, len(siblings) - 1))})
    return Category.objects.get(pk=category.pk)


# ---- articles -------------------------------------------------------------------------------

def _clean_translation(title: str, body: str) -> tuple[str, str]:
    return (
        _text(title, limit=TITLE_MAX, empty=KbError.TITLE_EMPTY, too_long=KbError.TITLE_TOO_LONG, what=_("title")),
        _text(body, limit=BODY_MAX, empty=KbError.BODY_EMPTY, too_long=KbError.BODY_TOO_LONG, what=_("text")),
    )


def _status(status: str, publish_at: datetime | None) -> str:
    if status not in TranslationStatus.values:
        raise ValidationFailed(KbError.TRANSLATION_INVALID, _("Unknown status."))
    if publish_at is not None and timezone.is_naive(publish_at):
        raise ValidationFailed(KbError.PUBLISH_AT_INVALID, _("The publishing time needs a time zone."))
    return status


@transaction.atomic
def article_create(*, actor, category: Category, language: str, title: str, body: str, slug: str = "",
                   visibility: str = Visibility.PUBLIC, status: str = TranslationStatus.DRAFT,
                   publish_at: datetime | None = None, note: str = "", at: datetime | None = None) -> Article:
    """A new article with its first translation (revision 1)."""
    require(actor, Op.KB_EDIT)
    _language(language)
    title, body = _clean_translation(title, body)
    if visibility not in Visibility.values:
        raise ValidationFailed(KbError.ARTICLE_INVALID, _("Unknown visibility."))
    status = _status(status, publish_at)
    _publish_rights(actor, status, None)
    at = at or timezone.now()
    key = _unique_slug(Article, _slug(slug, fallback=title if language == "en" else ""))
    article = Article(category=category, slug=key, visibility=visibility,
                      created_by=actor if getattr(actor, "pk", None) else None, created_at=at, updated_at=at)
    _saved_with_unique_key(article, _("Another article has that key."))
    _translation_write(actor=actor, article=article, translation=None, language=language, title=title, body=body,
                       status=status, publish_at=publish_at, note=note, at=at)
    audit_record(actor=actor, obj=article, action="kb.article_created",
                 after={"slug": key, "category": category.pk, "visibility": visibility, "language": language})
    return article


@transaction.atomic
def article_update(*, actor, article: Article, category: Category | None = None, visibility: str | None = None,
                   slug: str | None = None, product_model_ids: Iterable[int] | None = None,
                   related_ids: Iterable[int] | None = None) -> Article:
    """Change what the article is filed under, who may read it, its key, its products and the
    articles it links to. Visibility is a publishing decision (KB_PUBLISH)."""
    require(actor, Op.KB_EDIT)
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article, ["category", "visibility", "slug"])
    if visibility is not None and visibility != article.visibility:
        if visibility not in Visibility.values:
            raise ValidationFailed(KbError.ARTICLE_INVALID, _("Unknown visibility."))
        require(actor, Op.KB_PUBLISH)
        article.visibility = visibility
    if category is not None:
        article.category = category
    if slug is not None and slug != article.slug:
        key = _slug(slug, fallback=article.slug)
        if Article.objects.filter(slug=key).exclude(pk=article.pk).exists():
            raise Conflict(KbError.SLUG_TAKEN, _("Another article has that key."))
        article.slug = key
    if product_model_ids is not None:
        from aftersales.catalog.models import ProductModel

        wanted = {int(i) for i in product_model_ids}
        found = set(ProductModel.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if found != wanted:
            raise ValidationFailed(KbError.PRODUCT_INVALID, _("Unknown product."))
        article.product_models.set(found)
    if related_ids is not None:
        wanted = {int(i) for i in related_ids} - {article.pk}
        found = set(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if found != wanted:
            raise ValidationFailed(KbError.RELATED_INVALID, _("Unknown related article."))
        article.related.set(found)
    article.updated_at = timezone.now()
    _saved_with_unique_key(article, _("Another article has that key."))
    audit_changes(actor=actor, obj=article, action="kb.article_changed", before=before,
                  after=snapshot(article, ["category", "visibility", "slug"]))
    _reindex(article)
    return article


@transaction.atomic
def article_delete(*, actor, article: Article) -> None:
    """Delete an article with its translations, history, votes and files; it leaves the index."""
    require(actor, Op.KB_PUBLISH)
    ids = list(article.translations.values_list("id", flat=True))
    audit_record(actor=actor, obj=article, action="kb.article_deleted", before={"slug": article.slug})
    article.delete()
    index_later(SCOPE, ids)


# ---- translations ---------------------------------------------------------------------------

def _translation_write(*, actor, article: Article, translation: ArticleTranslation | None, language: str,
                       title: str, body: str, status: str, publish_at: datetime | None, note: str,
                       at: datetime) -> ArticleTranslation:
    if translation is None:
        translation = ArticleTranslation(article=article, language=language)
    translation.title, translation.body, translation.status, translation.publish_at = title, body, status, publish_at
    translation.revision += 1
    translation.updated_at = at
    translation.updated_by = actor if getattr(actor, "pk", None) else None
    translation.is_live = translation.live_at(at)
    if translation.is_live and translation.published_at is None:
        translation.published_at = at
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as exc:  # two editors created the same language at once
        raise Conflict(KbError.EDIT_CONFLICT, _("Someone else saved this translation first; reload it.")) from exc
    ArticleRevision.objects.create(translation=translation, number=translation.revision, title=title, body=body,
                                   status=status, publish_at=publish_at, note=note[:300],
                                   editor=translation.updated_by, created_at=at)
    Article.objects.filter(pk=article.pk).update(updated_at=at)
    index_later(SCOPE, [translation.pk])
    return translation


@transaction.atomic
def translation_save(*, actor, article: Article, language: str, title: str, body: str,
                     status: str = TranslationStatus.DRAFT, publish_at: datetime | None = None, note: str = "",
                     base_revision: int | None = None, at: datetime | None = None) -> ArticleTranslation:
    """Write one language of an article (a new revision). `base_revision` is the revision the
    editor started from: if someone saved since, nothing is written (409)."""
    _language(language)
    title, body = _clean_translation(title, body)
    status = _status(status, publish_at)
    current = (ArticleTranslation.objects.select_for_update()
               .filter(article=article, language=language).first())
    _publish_rights(actor, status, current)
    if current is None and base_revision:
        raise Conflict(KbError.EDIT_CONFLICT,
                       _("This translation was deleted since you opened it; reload to start it again."))
    if current is not None and base_revision is not None and base_revision != current.revision:
        raise Conflict(KbError.EDIT_CONFLICT,
                       _("Someone saved this translation since you opened it (revision %(n)s); "
                         "reload to see their changes.") % {"n": current.revision})
    if current is not None and (current.title, current.body, current.status, current.publish_at) == (
            title, body, status, publish_at):
        return current
    return _translation_write(actor=actor, article=article, translation=current, language=language, title=title,
                              body=body, status=status, publish_at=publish_at, note=note, at=at or timezone.now())


@transaction.atomic
def translation_restore(*, actor, translation: ArticleTranslation, number: int) -> ArticleTranslation:
    """Bring back an earlier revision's title and text as a new revision (the status stays)."""
    old = ArticleRevision.objects.filter(translation=translation, number=number).first()
    if old is None:
        raise ValidationFailed(KbError.REVISION_INVALID, _("There is no revision %(n)s.") % {"n": number})
    return translation_save(actor=actor, article=translation.article, language=translation.language,
                            title=old.title, body=old.body, status=translation.status,
                            publish_at=translation.publish_at,
                            note=_("Restored revision %(n)s") % {"n": number})


@transaction.atomic
def translation_delete(*, actor, translation: ArticleTranslation) -> None:
    require(actor, Op.KB_PUBLISH)
    audit_record(actor=actor, obj=translation.article, action="kb.translation_deleted",
                 before={"language": translation.language, "title": translation.title})
    pk = translation.pk
    translation.delete()
    index_later(SCOPE, [pk])


def kb_publish_due(*, now: datetime | None = None) -> int:
    """Scheduled translations whose time has come go live (and into the index)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(ArticleTranslation.objects.select_for_update().filter(
            status=TranslationStatus.PUBLISHED, is_live=False, publish_at__lte=now).values_list("pk", flat=True))
        if not due:
            return 0
        ArticleTranslation.objects.filter(pk__in=due, published_at__isnull=True).update(published_at=F("publish_at"))
        ArticleTranslation.objects.filter(pk__in=due).update(is_live=True)
        index_later(SCOPE, due)
    return len(due)


# ---- attachments ----------------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, actor, article: Article, checked: CheckedFile) -> ArticleAttachment:
    require(actor, Op.KB_EDIT)
    attachment = ArticleAttachment(article=article, filename=checked.filename, content_type=checked.content_type,
                                   size=checked.size, sha256=checked.sha256,
                                   uploaded_by=actor if getattr(actor, "pk", None) else None)
    attachment.file.save(checked.filename, ContentFile(checked.content), save=False)
    attachment.save()
    audit_record(actor=actor, obj=article, action="kb.attachment_added",
                 after={"attachment": attachment.pk, "filename": attachment.filename})
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: ArticleAttachment) -> None:
    require(actor, Op.KB_EDIT)
    audit_record(actor=actor, obj=attachment.article, action="kb.attachment_deleted",
                 before={"attachment": attachment.pk, "filename": attachment.filename})
    attachment.delete()


def kb_popularity_refresh() -> int:
    """Give the search index each live translation's article views (its tie-breaker)."""
    from aftersales.search.actions import popularity_set

    views = dict(ArticleTranslation.objects.filter(is_live=True).values_list("pk", "article__view_count"))
    return popularity_set(scope=SCOPE, values=views)
