"""Hostile input to every form and endpoint of the desk's knowledge base: oversized text, NUL and
other control characters, ids that are not numbers (or numbers of thousands of digits, or of
things that do not exist), dates that are not dates, language codes that are not ours, search
syntax. Each answer is a 4xx with a readable message (never a 500), and nothing is written: no
article, translation, revision, file, category, link or audit row."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.core.tests.api_support import png_bytes
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.desk.tests.kb_support import build_kb, fingerprint
from aftersales.kb.models import BODY_MAX, TITLE_MAX

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "²", "١٢", "9" * 30, "9" * 5000, "-1", "1.5", "0x10", "1\x00", "999999"]
BAD_LANGUAGES = ["xx", "ZH-HANT", "zh_hant", "en\x00", "e" * 500, "<script>"]
BAD_DATES = ["2031-13-40T25:00", "yesterday", "0001-01-01T00:00", "9999-12-31T23:59", "2031-03-01T09:30\x00",
             "２０３１-03-01T09:30", "1" * 5000]


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _new(w, **changes):
    data = {"category": str(w.washers.pk), "visibility": "public", "language": "en", "key": "",
            "title": "A title", "body": "A text.", "status": "published", "publish_at": "", "note": ""}
    data.update(changes)
    return data


NEW_CASES = [
    ({"title": "x" * (TITLE_MAX + 1)}, 422, "The title is longer than 300 characters."),
    ({"title": ""}, 422, "The title cannot be empty."),
    ({"title": "a\x00b"}, 422, "holds control characters"),
    ({"body": "x" * (BODY_MAX + 1)}, 422, "The text is longer than 100000 characters."),
    ({"body": "a\x00b"}, 422, "holds control characters"),
    ({"note": "a\x00b"}, 422, "The edit note holds characters that cannot be stored."),
    ({"note": "n" * 301}, 422, "The edit note is longer than 300 characters."),
    ({"visibility": "secret"}, 422, "Unknown visibility."),
    ({"status": "live"}, 422, "Unknown status."),
    ({"key": "Bad Key!"}, 422, "A key is lowercase letters, digits and hyphens"),
    ({"key": "k" * 81}, 422, "The key is longer than 80 characters."),
    ({"key": "a\x00"}, 422, "The key holds characters that cannot be stored."),
    *[({"category": bad}, 422, "category") for bad in BAD_IDS],
    ({"category": ""}, 422, "Choose a category."),
    *[({"language": bad}, 422, "Unknown language") for bad in BAD_LANGUAGES],
    *[({"publish_at": bad}, 422, "The publishing time") for bad in BAD_DATES],
]


@pytest.mark.parametrize(("changes", "status", "message"), NEW_CASES)
def test_new_article_form(w, changes, status, message):
    before = fingerprint()
    response = client_for(w.supervisor).post("/desk/kb/new/", _new(w, **changes))
    assert response.status_code == status
    assert message in response.content.decode()
    assert fingerprint() == before


SAVE_CASES = [
    ({"title": "x" * (TITLE_MAX + 1)}, 422, "The title is longer than 300 characters."),
    ({"body": ""}, 422, "The text cannot be empty."),
    ({"body": "x" * (BODY_MAX + 1)}, 422, "The text is longer than 100000 characters."),
    ({"body": "a\x00b"}, 422, "holds control characters"),
    ({"title": "a\x07b"}, 422, "holds control characters"),
    ({"note": "x\x00"}, 422, "The edit note holds characters"),
    ({"status": "published", "publish_at": "not a date"}, 422, "The publishing time is not a valid date"),
    ({"status": "published", "publish_at": "0001-01-01T00:00"}, 422, "between the years 2000 and 2999"),
    ({"base_revision": ""}, 422, "reload the page"),
    *[({"base_revision": bad}, 422, "reload the page") for bad in BAD_IDS[:-1]],
    ({"base_revision": "7"}, 409, "Someone saved this translation since you opened it"),
    ({"overwrite": "abc", "base_revision": "7"}, 409, "Someone saved this translation"),
]


@pytest.mark.parametrize(("changes", "status", "message"), SAVE_CASES)
def test_translation_save(w, changes, status, message):
    data = {"title": "新標題", "body": "新內容。", "status": "draft", "publish_at": "", "note": "",
            "base_revision": "1"}
    data.update(changes)
    before = fingerprint()
    response = client_for(w.supervisor).post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("lang", BAD_LANGUAGES[:2] + ["ko%00", "x" * 300])
def test_translation_save_in_a_language_that_is_not_ours(w, lang):
    before = fingerprint()
    response = client_for(w.supervisor).post(f"/desk/kb/{w.draft.pk}/{lang}/save/", {
        "title": "t", "body": "b", "base_revision": "0"})
    assert response.status_code == 422
    assert "Unknown language" in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"category": "abc"}, 422, "The category is not a valid number."),
    ({"category": "999999"}, 422, "Unknown category."),
    ({"key": "NOT OK"}, 422, "A key is lowercase letters"),
    ({"key": "washer-not-spinning"}, 409, "Another article has that key."),
    ({"products": ["abc"]}, 422, "Unknown product."),
    ({"products": ["999999"]}, 422, "Unknown product."),
    ({"products": [str(i) for i in range(1, 300)]}, 422, "Too many products."),
    ({"related_add": "no-such-article"}, 422, "Unknown related article: no-such-article"),
    ({"related_add": "<script>"}, 422, "Unknown related article: &lt;script&gt;"),
    ({"related_add": "999999"}, 422, "Unknown related article: 999999"),
    # a number longer than any id (SQLite cannot even be asked about it): looked for as a key
    ({"related_add": "9" * 30}, 422, "Unknown related article: " + "9" * 30),
    ({"related_add": ", ".join(f"a{i}" for i in range(60))}, 422, "At most 50 related articles at once."),
    ({"related_add": "a\x00b"}, 422, "holds characters that cannot be stored"),
    ({"related_keep": ["abc"]}, 422, "The related article is not a valid number."),
    ({"related_keep": ["{washer}"]}, 422, "Unknown related article"),  # not related yet: only "add" adds
    ({"visibility": "everyone"}, 422, "Unknown visibility."),
])
def test_article_settings(w, data, status, message):
    posted = {"category": str(w.washers.pk), "key": "washer-drum-noise"}
    posted.update({k: [x.format(washer=w.washer.pk) for x in v] if isinstance(v, list) else v
                   for k, v in data.items()})
    before = fingerprint()
    response = client_for(w.supervisor).post(f"/desk/kb/{w.draft.pk}/settings/", posted)
    assert response.status_code == status
    assert message in response.content.decode()
    assert fingerprint() == before


def test_uploads(w, settings):
    client = client_for(w.agent)
    before = fingerprint()
    cases = [
        ({}, 422, "Choose a file to upload."),
        ({"file": SimpleUploadedFile("empty.png", b"")}, 422, "The file is empty."),
        ({"file": SimpleUploadedFile("page.png", b"<!doctype html><script>x</script>")}, 415, "cannot be attached"),
    ]
    for data, status, message in cases:
        response = client.post(f"/desk/kb/{w.draft.pk}/files/", data)
        assert response.status_code == status
        assert message in response.content.decode()
    settings.AFTERSALES_MAX_UPLOAD_BYTES = 50
    response = client.post(f"/desk/kb/{w.draft.pk}/files/", {"file": SimpleUploadedFile("big.png", png_bytes() * 5)})
    assert response.status_code == 413
    assert "The file is larger than" in response.content.decode()
    assert fingerprint() == before


def test_preview(w):
    client = client_for(w.agent)
    response = client.post("/desk/kb/preview/", {"body": "x" * (BODY_MAX + 1)}, **HTMX)
    assert (response.status_code, "The text is longer than 100000 characters." in response.content.decode()) == (
        422, True)
    for bad in BAD_IDS:
        assert client.post("/desk/kb/preview/", {"body": "hi", "article": bad}).status_code == 404
    safe = client.post("/desk/kb/preview/", {"body": "<script>alert(1)</script>[x](javascript:alert(1))\x00",
                                             "lang": "xx"})
    assert safe.status_code == 200
    html = safe.content.decode()
    assert "<script" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the words typed


CATEGORY_CASES = [
    ("/desk/kb/categories/new/", {}, 422, "A category needs a name in at least one language."),
    ("/desk/kb/categories/new/", {"name_en": "a\x00b"}, 422, "holds control characters"),
    ("/desk/kb/categories/new/", {"name_en": "n" * 201}, 422, "The name is longer than 200 characters."),
    ("/desk/kb/categories/new/", {"name_en": "n" * 5000}, 422, "far too long"),
    ("/desk/kb/categories/new/", {"name_en": "Ok", "description_en": "d\x00"}, 422, "holds control characters"),
    ("/desk/kb/categories/new/", {"name_en": "Ok", "description_ko": "설명"}, 422,
     "A description needs a name in the same language."),
    ("/desk/kb/categories/new/", {"name_en": "Ok", "key": "Not a key"}, 422, "A key is lowercase letters"),
    *[("/desk/kb/categories/new/", {"name_en": "Ok", "parent": bad}, 422, "category") for bad in BAD_IDS],
    ("/desk/kb/categories/{root}/", {"name_en": "Loop", "parent": "{washers}"}, 422,
     "A category cannot sit inside itself."),
    ("/desk/kb/categories/{root}/", {"name_en": "Loop", "parent": "{root}"}, 422,
     "A category cannot sit inside itself."),
    ("/desk/kb/categories/{washers}/", {"name_en": "Taken", "key": "handbook"}, 409, "Another category has that key."),
    ("/desk/kb/categories/{washers}/move/", {"direction": "sideways"}, 422, "Move it up or down."),
    ("/desk/kb/categories/{washers}/move/", {}, 422, "Move it up or down."),
    ("/desk/kb/categories/{root}/delete/", {}, 409, "Move or delete its articles and sub-categories first."),
    ("/desk/kb/categories/{washers}/delete/", {}, 409, "Move or delete its articles and sub-categories first."),
]


@pytest.mark.parametrize(("url", "data", "status", "message"), CATEGORY_CASES)
def test_categories(w, url, data, status, message):
    ids = {"root": w.root.pk, "washers": w.washers.pk}
    data = {k: v.format(**ids) for k, v in data.items()}
    before = fingerprint()
    response = client_for(w.supervisor).post(url.format(**ids), data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert fingerprint() == before


@pytest.mark.parametrize("url", ["/desk/kb/categories/999999/", "/desk/kb/categories/999999/move/",
                                 "/desk/kb/categories/999999/delete/", "/desk/kb/999999/settings/",
                                 "/desk/kb/999999/en/save/", "/desk/kb/" + "9" * 30 + "/delete/",
                                 "/desk/kb/999999/files/", "/desk/kb/{draft}/files/999999/delete/",
                                 "/desk/kb/{washer}/ko/delete/", "/desk/kb/{washer}/zh-hant/history/99/restore/"])
def test_ids_of_nothing_are_404(w, url):
    before = fingerprint()
    url = url.format(draft=w.draft.pk, washer=w.washer.pk)
    response = client_for(w.supervisor).post(url, {"confirm": "yes", "title": "t", "body": "b", "base_revision": "0",
                                                   "name_en": "x", "direction": "up", "category": w.root.pk})
    assert response.status_code == 404
    assert fingerprint() == before


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "x" * 201}, "The search is longer than 200 characters."),
    ({"q": "洗衣機\x00"}, "The search holds characters that cannot be stored."),
    ({"q": "a\nb"}, "The search holds characters that cannot be stored."),
])
def test_case_search_refuses_what_cannot_be_searched(w, params, message):
    response = client_for(w.agent).get(f"/desk/cases/{w.case.pk}/kb/search/", params, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()


@pytest.mark.parametrize("q", ['"', "*", "洗衣機 NEAR 排水", "OR", "title:洗衣機", "a*b\"c", "((", "-", "^", "{}",
                               "' OR 1=1 --", "\\", "%_"])
def test_case_search_takes_search_syntax_as_words(w, q):
    for suggest in ("1", ""):
        response = client_for(w.agent).get(f"/desk/cases/{w.case.pk}/kb/search/", {"q": q, "suggest": suggest},
                                           **HTMX)
        assert response.status_code == 200
        matched = [item.hit.id for item in response.context["found"].hits]
        assert len(matched) <= 1  # never "everything"


def test_case_insert_with_bad_input(w):
    client = client_for(w.agent)
    for what in ("", "html", "text\x00", "x" * 5000):
        response = client.get(f"/desk/cases/{w.case.pk}/kb/{w.washer.pk}/insert/", {"what": what})
        assert response.status_code == 400
        assert response.json()["detail"] == "Ask for the link or the text."
    assert client.get(f"/desk/cases/{w.case.pk}/kb/{'9' * 30}/insert/", {"what": "text"}).status_code == 404
    assert client.get(f"/desk/cases/{'9' * 30}/kb/{w.washer.pk}/insert/", {"what": "text"}).status_code == 404


@pytest.mark.parametrize(("params", "message"), [
    ({"category": "abc"}, "The category is not a valid number."),
    ({"category": "9" * 40}, "The category is not a valid number."),
    ({"visibility": "secret"}, "Unknown visibility."),
    ({"state": "deleted"}, "Unknown state."),
    ({"language": "xx"}, "Unknown language: xx"),
    ({"q": "a\x00"}, "The search holds characters that cannot be stored."),
    ({"q": "q" * 201}, "The search is longer than 200 characters."),
    ({"cursor": "not-a-cursor"}, "The cursor is not valid; start again without it."),
    ({"cursor": "W1td"}, "The cursor is not valid"),
])
def test_list_filters(w, params, message):
    response = client_for(w.agent).get("/desk/kb/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(response.context["rows"]) == 3  # the refused filter is left out; the list still shows


@pytest.mark.parametrize("days", ["abc", "5", "9" * 10, "-7", "7.0", "30\x00"])
def test_analytics_period(w, days):
    response = client_for(w.supervisor).get("/desk/kb/analytics/", {"days": days})
    assert response.status_code == 422
    assert "Choose a period of 7, 30 or 90 days." in response.content.decode()


@pytest.mark.parametrize("before", ["abc", "9" * 40, "-1", "1\x00"])
def test_history_page(w, before):
    response = client_for(w.agent).get(f"/desk/kb/{w.washer.pk}/zh-hant/history/", {"before": before})
    assert response.status_code == 400
    assert "The page asked for is not a valid revision number." in response.content.decode()


def test_new_article_page_with_odd_prefills(w):
    response = client_for(w.agent).get("/desk/kb/new/", {"title": "t\x00" + "x" * 500, "lang": "xx"})
    assert response.status_code == 200
    values = response.context["values"]
    assert (values["title"], values["language"]) == ("t" + "x" * 298, "en")
