"""The search indexes' tables (decision 0025).

One document table per scope, the same columns on SQLite and PostgreSQL: the tokenizer's terms
of each field (`documents.pack`), their counts, the filter terms, and what breaks ties. The
match index is the database's own, kept in step with this table by the database itself: on
SQLite a contentless FTS5 table filled by triggers, on PostgreSQL a generated `tsvector`
column with a GIN index (`backends/`, created by migration 0002). Only `search.actions` writes
here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    id = models.BigIntegerField(primary_key=True)
    parent = models.BigIntegerField(default=0)
    lang = models.CharField(max_length=10, blank=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    filters = models.TextField(blank=True)
    title_len = models.PositiveIntegerField(default=0)
    body_len = models.PositiveIntegerField(default=0)
    extra_len = models.PositiveIntegerField(default=0)
    popularity = models.BigIntegerField(default=0)
    recency = models.BigIntegerField(default=0)  # seconds since 1970 of the source's last change

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.db_table} {self.pk}"


class CaseDocument(IndexedDocument):
    class Meta:
        db_table = "search_doc_cases"
        verbose_name = _("indexed case")
        verbose_name_plural = _("indexed cases")


class ArticleDocument(IndexedDocument):
    class Meta:
        db_table = "search_doc_kb"
        verbose_name = _("indexed article translation")
        verbose_name_plural = _("indexed article translations")


class TermFrequency(models.Model):
    """How many documents of a scope hold a term, for the terms people have searched for: the
    `df` of the ranking where the match index cannot count cheaply (PostgreSQL's GIN reads a
    whole posting list to count it; SQLite's fts5vocab counts at once and needs no cache).
    Filled the first time a term is asked for, then moved by every index write."""

    index_table = models.CharField(max_length=40)
    term = models.CharField(max_length=200)
    documents = models.BigIntegerField()

    class Meta:
        verbose_name = _("term frequency")
        verbose_name_plural = _("term frequencies")
        constraints = [models.UniqueConstraint(fields=["index_table", "term"], name="search_term_per_table")]

    def __str__(self) -> str:
        return f"{self.index_table} {self.term}: {self.documents}"


class ScopeStats(models.Model):
    """How many documents a scope holds and how many terms each field has in all: the N and
    average lengths of the ranking. Written with every index change, in the same transaction."""

    scope = models.CharField(max_length=20, primary_key=True)
    documents = models.BigIntegerField(default=0)
    title_total = models.BigIntegerField(default=0)
    body_total = models.BigIntegerField(default=0)
    extra_total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("search statistics")
        verbose_name_plural = _("search statistics")

    def __str__(self) -> str:
        return f"{self.scope}: {self.documents}"
