from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from aftersales.core.schemas import LanguageCode, RowId

QUERY_MAX = 200


class SearchQuery(Schema):
    q: str = Field(description="What to look for, in any of the four languages; every word must be found "
                               "(Chinese and Korean need no spaces). Up to 200 characters.")
    scope: Literal["kb", "cases"] = Field("kb", description="`kb`: knowledge-base articles; `cases`: cases "
                                                            "(customers find only their own).")
    lang: LanguageCode | None = Field(None, description="Only documents in this language.")
    limit: int = Field(20, ge=1, le=50)
    product: RowId | None = Field(None, description="kb only: articles linked to this product model.")
    suggest: bool = Field(False, description="Suggestions while typing: the last word may be unfinished.")


class SearchHitOut(Schema):
    id: int = Field(description="The article's id (scope kb) or the case's id (scope cases).")
    scope: str
    title: str = Field(description="HTML: the title, escaped, the query's words in <mark>.")
    snippet: str = Field(description="HTML: the best passage, escaped, the query's words in <mark>, … where cut.")
    score: float = Field(description="BM25 over title and text; higher is better.")
    lang: str
    url: str
    number: str = Field("", description="The case number (scope cases).")


class SearchOut(Schema):
    query: str
    scope: str
    terms: list[str] = Field(description="The terms the query was reduced to (normalised, segmented, stemmed).")
    results: list[SearchHitOut]
