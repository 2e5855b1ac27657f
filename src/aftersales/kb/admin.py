"""The knowledge base in the admin, read-only: articles, categories and translations are written
in the desk's editor (`/desk/kb/`), through `kb.actions`, so every edit keeps its revision, its
audit row and the search index in step. Votes, searches and deflections are records, not settings."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aftersales.kb.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVote,
    Category,
    CategoryName,
    Deflection,
    SearchLog,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CategoryNameInline(admin.TabularInline):
    model = CategoryName
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnly):
    list_display = ("slug", "parent", "position")
    inlines = [CategoryNameInline]


class TranslationInline(admin.TabularInline):
    model = ArticleTranslation
    fields = ("language", "title", "status", "publish_at", "is_live", "revision", "view_count", "helpful_yes",
              "helpful_no")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnly):
    list_display = ("slug", "category", "visibility", "view_count", "updated_at")
    list_filter = ("visibility", "category")
    search_fields = ("slug", "translations__title")
    inlines = [TranslationInline]


@admin.register(ArticleRevision)
class RevisionAdmin(ReadOnly):
    list_display = ("translation", "number", "status", "editor", "created_at", "note")
    list_select_related = ("translation", "editor")


@admin.register(ArticleVote)
class VoteAdmin(ReadOnly):
    list_display = ("translation", "helpful", "comment", "created_at")
    list_filter = ("helpful",)
    list_select_related = ("translation",)


@admin.register(SearchLog)
class SearchLogAdmin(ReadOnly):
    list_display = ("query", "normalized", "language", "source", "results", "clicked", "created_at")
    list_filter = ("source", "language")
    search_fields = ("query",)


@admin.register(Deflection)
class DeflectionAdmin(ReadOnly):
    list_display = ("token", "user", "created_at", "case")
    list_select_related = ("user", "case")
    readonly_fields = ("token", "user", "query", "shown", "opened", "case", "created_at", "updated_at")
    fieldsets = ((_("Ask for help form"), {"fields": readonly_fields}),)
