"""The knowledge base (decision 0026): a category tree, articles whose translations share one
identity, every edit kept, attachments, votes, and what readers searched for.

Content people write is stored per language as rows: `CategoryName` and `ArticleTranslation`.
An article is public (customers and visitors) or internal (staff); each translation is a draft
or published, and a published one may wait for its `publish_at` (scheduled publishing). Only
`kb.actions` writes here; the search index follows through `search.actions.index_later`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TITLE_MAX = 300
BODY_MAX = 100_000
COMMENT_MAX = 2000


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: customers and visitors")
    INTERNAL = "internal", _("Internal: staff only")


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Category(models.Model):
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge-base category")
        verbose_name_plural = _("knowledge-base categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.slug


class CategoryName(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("category name")
        verbose_name_plural = _("category names")
        constraints = [models.UniqueConstraint(fields=["category", "language"], name="kb_category_name_per_language")]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="articles")
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    product_models = models.ManyToManyField("catalog.ProductModel", verbose_name=_("products"), blank=True,
                                            related_name="articles")
    related = models.ManyToManyField("self", verbose_name=_("related articles"), blank=True, symmetrical=True)
    # Views in every language, for "most viewed first" and as the search tie-breaker.
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-view_count", "id"]
        indexes = [models.Index(fields=["category", "-view_count", "id"], name="kb_article_category_idx")]

    def __str__(self) -> str:
        return self.slug


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TranslationStatus.choices,
                              default=TranslationStatus.DRAFT)
    # Published translations go live at this instant (scheduled publishing); empty = at once.
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # The translation is in the search index as findable: published and its time has come.
    # Kept by the actions and by the periodic job that publishes scheduled translations.
    is_live = models.BooleanField(_("live"), default=False, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        ordering = ["article_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="kb_translation_per_language"),
        ]
        indexes = [
            models.Index(fields=["status", "is_live", "publish_at"], name="kb_translation_schedule_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def live_at(self, now) -> bool:
        return self.status == TranslationStatus.PUBLISHED and (self.publish_at is None or self.publish_at <= now)

    @property
    def scheduled(self) -> bool:
        return self.status == TranslationStatus.PUBLISHED and not self.is_live and self.publish_at is not None


class ArticleRevision(models.Model):
    """One saved state of a translation: every edit is kept and can be restored."""

    translation = models.ForeignKey(ArticleTranslation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TranslationStatus.choices)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("editor"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["translation_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["translation", "number"], name="kb_revision_number")]

    def __str__(self) -> str:
        return f"{self.translation_id} r{self.number}"


def article_attachment_path(instance: ArticleAttachment, filename: str) -> str:
    return f"kb/{instance.sha256[:2]}/{instance.sha256}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("file"), upload_to=article_attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ArticleVote(models.Model):
    """"Was this helpful?": one vote per reader and translation (a later vote replaces it)."""

    translation = models.ForeignKey(ArticleTranslation, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)  # "u<user id>" or a hash of the visitor's session
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["translation", "voter"], name="kb_vote_per_reader")]

    def __str__(self) -> str:
        return f"{self.translation_id} {'+' if self.helpful else '-'}"


class SearchSource(models.TextChoices):
    PORTAL = "portal", _("Help centre")
    DEFLECTION = "deflection", _("Ask for help form")
    DESK = "desk", _("Desk")
    API = "api", _("API")


class SearchLog(models.Model):
    """A search someone ran in the knowledge base: what they typed, how many articles it found,
    and which they opened — for the top searches and the searches that found nothing."""

    query = models.CharField(_("query"), max_length=200)
    normalized = models.CharField(_("normalised query"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    source = models.CharField(_("where"), max_length=12, choices=SearchSource.choices)
    results = models.PositiveIntegerField(_("results"))
    clicked = models.ForeignKey(Article, verbose_name=pgettext_lazy("search result", "opened"), null=True,
                                blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("knowledge-base search")
        verbose_name_plural = _("knowledge-base searches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["results", "created_at"], name="kb_search_results_idx")]

    def __str__(self) -> str:
        return self.query


class Deflection(models.Model):
    """One "Ask for help" form: the articles shown beside it while the customer typed, the ones
    opened, and whether a request was sent in the end (not sent = the articles answered it)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(_("last text matched"), max_length=300, blank=True)
    shown = models.JSONField(_("articles shown"), default=list, blank=True)
    opened = models.JSONField(_("articles opened"), default=list, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case sent"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.token)

    @property
    def submitted(self) -> bool:
        return self.case_id is not None
