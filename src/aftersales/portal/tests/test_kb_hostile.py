"""Hostile input on every help-centre endpoint: ids out of range, languages that are not ones,
NUL and control characters, oversized text, bodies of the wrong shape. Always a 4xx (or the page
with a clear message), never a 500, never a half-written record."""

from __future__ import annotations

import uuid

import pytest

from aftersales.core.tests.factories import CustomerUserFactory
from aftersales.kb.models import ArticleVote, Deflection, SearchLog
from aftersales.portal.tests.kb_support import HTMX, client_for, page_tree, text

pytestmark = pytest.mark.django_db

HOSTILE = ["", "x", "\x00", "a\x00b", "²", "١٢", "9" * 30, "9" * 5000, "x" * 20_000, "-1", "' OR 1=1 --",
           '"*" NEAR OR title:', "<script>alert(1)</script>", "%00", "\u202e\u200b", "𠀀𠀁", "\ufffd"]


@pytest.fixture
def washer(kb):
    repairs = kb.category("repairs", {"en": ("Repairs", "")})
    return kb.article(repairs, "washer", {"en": ("Washing machine not spinning", "Clean the filter.")})


@pytest.mark.parametrize("path", [
    "/help/a/99999999999999999999/", "/help/a/99999999999999999999/washer/", "/help/a/0/washer/",
    "/help/c/99999999999999999999/", "/help/c/99999999999999999999/repairs/", "/help/files/99999999999999999999/",
    "/help/a/-1/washer/", "/help/a/1.5/washer/", "/help/a/%C2%B2/washer/", "/help/a/1/wa%00sher/",
    "/help/c/1/%E2%80%AE/",
])
def test_ids_that_are_not_there_or_not_numbers_are_not_found(washer, path):
    assert client_for().get(path).status_code == 404


def test_any_query_key_is_kept_on_the_redirect_to_the_articles_address(washer):
    # The old address's query goes along to the right one, whatever its keys ("url" included).
    response = client_for().get(f"/help/a/{washer.pk}/old-key/", {"url": "x", "lang": "en", "\x00": "1"})
    assert (response.status_code, response["Location"]) == (
        301, f"/help/a/{washer.pk}/washer/?url=x&lang=en&%00=1")


@pytest.mark.parametrize("lang", ["xx", "zh", "zh-Hant-TW", "en\x00", "\x00", "x" * 5000, "../en", "ko;", "Ｅｎ"])
def test_a_language_that_is_not_offered_is_a_400_with_a_message(washer, lang):
    response = client_for().get(f"/help/a/{washer.pk}/washer/", {"lang": lang})
    assert response.status_code == 400
    assert "This language is not offered." in text(page_tree(response))


@pytest.mark.parametrize("value", HOSTILE)
def test_no_endpoint_fails_on_hostile_values(washer, value):
    customer = client_for(CustomerUserFactory())
    visitor = client_for()
    token = str(uuid.uuid4())
    answers = [
        visitor.get("/help/search/", {"q": value}),
        visitor.get("/help/suggest/", {"q": value}, **HTMX),
        visitor.get(f"/help/a/{washer.pk}/washer/", {"lang": value}),
        visitor.get(f"/help/a/{washer.pk}/washer/", {"s": value, "d": value}),
        customer.get(f"/help/a/{washer.pk}/washer/", {"d": value, "inline": value}, **HTMX),
        visitor.post(f"/help/a/{washer.pk}/vote/", {"helpful": value, "lang": "en"}, **HTMX),
        visitor.post(f"/help/a/{washer.pk}/vote/", {"helpful": "no", "lang": value}, **HTMX),
        visitor.post(f"/help/a/{washer.pk}/vote/", {"helpful": "no", "lang": "en", "comment": value}, **HTMX),
        customer.get("/help/deflect/", {"subject": value, "body": value, "deflection": value}, **HTMX),
        customer.get("/help/deflect/", {"subject": value, "deflection": token}, **HTMX),
        customer.post("/help/new/", {"kind": "repair", "subject": value, "body": value, "deflection": value}),
    ]
    statuses = [r.status_code for r in answers]
    assert all(s < 500 for s in statuses), statuses
    assert all(s in (200, 302, 400, 404, 422) for s in statuses), statuses


def test_hostile_values_write_nothing(washer):
    customer = client_for(CustomerUserFactory())
    for value in ("a\x00b", "x" * 20_000, "\x1b[31m"):
        assert client_for().get("/help/search/", {"q": value}).status_code == 400
        assert client_for().post(f"/help/a/{washer.pk}/vote/", {"helpful": "yes", "lang": "en", "comment": value},
                                 **HTMX).status_code == 422
        assert customer.get("/help/deflect/", {"subject": value, "deflection": str(uuid.uuid4())},
                            **HTMX).status_code == 400
    assert SearchLog.objects.count() == 0
    assert ArticleVote.objects.count() == 0
    assert Deflection.objects.count() == 0


def test_a_vote_body_that_is_json_or_empty_is_refused(washer):
    client = client_for()
    url = f"/help/a/{washer.pk}/vote/"
    assert client.post(url, data='{"helpful": "yes", "lang": "en"}', content_type="application/json",
                       **HTMX).status_code == 404  # no form fields: no such translation
    assert client.post(url, data=b"\xff\xfe\x00", content_type="application/x-www-form-urlencoded",
                       **HTMX).status_code == 404
    assert client.post(url, {"lang": "en"}, **HTMX).status_code == 422
    assert ArticleVote.objects.count() == 0


def test_wrong_methods_are_refused(washer):
    customer = client_for(CustomerUserFactory())
    assert customer.put("/help/new/").status_code == 405
    assert customer.delete("/help/new/").status_code == 405
    assert customer.post("/help/deflect/", {"subject": "washer"}).status_code == 405
    for path in ("/help/", f"/help/c/{washer.category_id}/repairs/", f"/help/a/{washer.pk}/washer/", "/help/suggest/"):
        assert client_for().post(path).status_code == 405
    assert client_for().delete(f"/help/a/{washer.pk}/vote/").status_code == 405
