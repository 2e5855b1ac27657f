from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from aftersales.core.schemas import LanguageCode, RowId


class LangQuery(Schema):
    lang: LanguageCode | None = Field(None, description="The language to show; default: yours. An article "
                                                        "missing in it comes in another live language.")


class ArticleListQuery(LangQuery):
    category: RowId | None = None
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


class CategoryOut(Schema):
    id: int
    key: str
    parent_id: int | None
    position: int
    name: str
    description: str
    articles: int = Field(description="Articles you may read here and in its sub-categories.")


class ArticleItemOut(Schema):
    id: int
    key: str
    category_id: int
    visibility: str
    language: str
    title: str
    url: str
    views: int
    updated_at: datetime


class ArticleListOut(Schema):
    items: list[ArticleItemOut]
    next_cursor: str | None


class ArticleOut(Schema):
    id: int
    key: str
    category_id: int
    visibility: str
    language: str = Field(description="The language shown.")
    languages: list[str] = Field(description="Every language the article can be read in.")
    title: str
    body: str = Field(description="The text as written (Markdown).")
    html: str = Field(description="The text as safe HTML.")
    related: list[int]
    product_model_ids: list[int]
    views: int
    helpful_yes: int
    helpful_no: int
    published_at: datetime | None
    updated_at: datetime
