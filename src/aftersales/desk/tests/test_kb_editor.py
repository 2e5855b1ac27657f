"""The editor, end to end through the pages: a new article, a second language, edits with their
revisions and notes, the history, a revision restored, a concurrent edit refused (and then
knowingly overwritten), scheduled publishing that only search finds when its time has come,
the article's settings, files and images, and deleting with confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.catalog.models import ProductModel
from aftersales.core.tests.api_support import png_bytes
from aftersales.core.tests.factories import ProductModelFactory
from aftersales.desk.tests.conftest import client_for
from aftersales.desk.tests.kb_support import build_kb, translation
from aftersales.kb import actions
from aftersales.kb.models import Article, ArticleAttachment, ArticleRevision, ArticleTranslation
from aftersales.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _found(user, q, lang=None):
    return [(h.id, h.lang) for h in search(user=user, scope="kb", q=q, lang=lang).hits]


def test_a_new_article_a_second_language_edits_history_and_restore(w, django_capture_on_commit_callbacks):
    client = client_for(w.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/desk/kb/new/", {
            "category": w.washers.pk, "visibility": "public", "language": "en", "key": "",
            "title": "Descaling the washer", "body": "Run an **empty** hot wash once a month.",
            "status": "published", "note": "first version"})
    article = Article.objects.get(slug="descaling-the-washer")
    assert response.status_code == 302
    assert response["Location"] == f"/desk/kb/{article.pk}/?lang=en"
    assert (article.category, article.visibility, article.created_by) == (w.washers, "public", w.supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/kb/{article.pk}/ko/save/", {
            "title": "세탁기 통 세척", "body": "한 달에 한 번 빈 통으로 온수 세탁을 하세요.", "status": "published",
            "base_revision": "0", "note": "번역"})
    assert response.status_code == 302
    for n, (title, body, note) in enumerate([
            ("Descaling the washer monthly", "Run an **empty** hot wash once a month.\n\nUse descaler.", "add tip"),
            ("Descaling the washer", "Run an empty hot wash every month.", "simpler")], start=2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/desk/kb/{article.pk}/en/save/", {
                "title": title, "body": body, "status": "published", "base_revision": str(n - 1), "note": note})
        assert response.status_code == 302
    en = translation(article, "en")
    assert (en.title, en.body, en.revision, en.status, en.is_live) == (
        "Descaling the washer", "Run an empty hot wash every month.", 3, "published", True)
    assert [(r.number, r.note, r.editor) for r in ArticleRevision.objects.filter(translation=en)] == [
        (3, "simpler", w.supervisor), (2, "add tip", w.supervisor), (1, "first version", w.supervisor)]
    assert _found(w.customer, "descale") == [(article.pk, "en")]
    assert _found(w.customer, "세척") == [(article.pk, "ko")]

    history = client.get(f"/desk/kb/{article.pk}/en/history/")
    assert [r.number for r in history.context["rows"]] == [3, 2, 1]
    html = history.content.decode()
    assert "add tip" in html and "simpler" in html and "Sam Super" in html

    page = client.get(f"/desk/kb/{article.pk}/en/history/2/")
    assert page.context["old"].title == "Descaling the washer monthly"
    assert ("+", "Use descaler.") in page.context["diff"]
    assert "<strong>empty</strong>" in page.context["html"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/kb/{article.pk}/en/history/2/restore/")
    assert response.status_code == 302
    en = translation(article, "en")
    assert (en.title, en.body, en.revision, en.status) == (
        "Descaling the washer monthly", "Run an **empty** hot wash once a month.\n\nUse descaler.", 4, "published")
    assert ArticleRevision.objects.get(translation=en, number=4).note == "Restored revision 2"
    assert _found(w.customer, "descaler") == [(article.pk, "en")]


def test_saving_nothing_new_writes_no_revision(w):
    client = client_for(w.agent)
    t = translation(w.draft, "zh-hant")
    response = client.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/",
                           {"title": t.title, "body": t.body, "base_revision": "1"}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert ArticleRevision.objects.filter(translation=t).count() == 1


def test_a_concurrent_edit_is_refused_and_kept_then_overwritten_knowingly(w):
    ada, sam = client_for(w.agent), client_for(w.supervisor)
    # both opened the draft at revision 1; Sam saves first
    assert sam.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", {
        "title": "Sam 的版本", "body": "Sam 寫的內容。", "status": "draft", "base_revision": "1"}).status_code == 302
    response = ada.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", {
        "title": "Ada 的版本", "body": "Ada 寫的內容。", "base_revision": "1", "note": "mine"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved this translation since you opened it (revision 2)" in html
    t = translation(w.draft, "zh-hant")
    assert (t.title, t.revision) == ("Sam 的版本", 2)  # nothing of Ada's was written
    assert ArticleRevision.objects.filter(translation=t).count() == 2
    # Ada's text is still in her form, Sam's is shown beside it, and saving plainly stays refused
    assert "Ada 寫的內容。</textarea>" in html
    assert 'value="Ada 的版本"' in html
    assert "Sam 寫的內容。" in html
    assert 'name="base_revision" value="1"' in html
    assert 'name="overwrite" value="2"' in html
    assert ada.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", {
        "title": "Ada 的版本", "body": "Ada 寫的內容。", "base_revision": "1"}).status_code == 409
    # she chooses to save hers over revision 2 (Sam's stays in the history)
    response = ada.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", {
        "title": "Ada 的版本", "body": "Ada 寫的內容。", "base_revision": "1", "overwrite": "2"})
    assert response.status_code == 302
    t = translation(w.draft, "zh-hant")
    assert (t.title, t.revision, t.updated_by) == ("Ada 的版本", 3, w.agent)
    assert ArticleRevision.objects.get(translation=t, number=2).title == "Sam 的版本"


def test_a_scheduled_translation_is_found_only_once_its_time_has_come(w, django_capture_on_commit_callbacks, settings):
    settings.TIME_ZONE = "UTC"
    w.supervisor.time_zone = "Asia/Taipei"
    w.supervisor.save()
    client = client_for(w.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/kb/{w.draft.pk}/zh-hant/save/", {
            "title": "洗衣機滾筒異音", "body": "滾筒異音多半是軸承磨損。", "status": "published",
            "publish_at": "2031-03-01T09:30", "base_revision": "1", "note": "scheduled"})
    assert response.status_code == 302
    t = translation(w.draft, "zh-hant")
    # 09:30 in Taipei is 01:30 UTC
    assert t.publish_at == datetime(2031, 3, 1, 1, 30, tzinfo=UTC)
    assert (t.status, t.is_live, t.scheduled) == ("published", False, True)
    row = next(r for r in client.get("/desk/kb/").context["rows"] if r.article == w.draft)
    state = next(s for s in row.languages if s.code == "zh-hant")
    assert (state.state, state.publish_at) == ("scheduled", t.publish_at)
    editor = client.get(f"/desk/kb/{w.draft.pk}/?lang=zh-hant").content.decode()
    assert 'name="publish_at" value="2031-03-01T09:30"' in editor
    assert _found(w.customer, "軸承") == []
    assert _found(w.agent, "軸承") == []

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.kb_publish_due(now=t.publish_at - timedelta(seconds=1)) == 0
    assert _found(w.customer, "軸承") == []
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.kb_publish_due(now=t.publish_at) == 1
    assert _found(w.customer, "軸承") == [(w.draft.pk, "zh-hant")]
    t.refresh_from_db()
    assert (t.is_live, t.published_at) == (True, t.publish_at)


def test_unpublishing_takes_the_translation_out_of_search(w, django_capture_on_commit_callbacks):
    assert _found(w.customer, "drain hose") == [(w.washer.pk, "en")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.supervisor).post(f"/desk/kb/{w.washer.pk}/en/save/", {
            "title": "The washer does not spin", "body": translation(w.washer, "en").body, "status": "draft",
            "base_revision": "1"})
    assert response.status_code == 302
    assert _found(w.customer, "drain hose") == []


def test_settings_category_key_products_and_related(w):
    first, second = ProductModelFactory(sku="WM-800"), ProductModelFactory(sku="WM-900")
    client = client_for(w.agent)
    response = client.post(f"/desk/kb/{w.draft.pk}/settings/", {
        "category": w.root.pk, "key": "drum-noise", "products": [first.pk, second.pk],
        "related_add": f"washer-not-spinning, {w.handbook.pk}", "active": "zh-hant"})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/kb/{w.draft.pk}/?lang=zh-hant"
    w.draft.refresh_from_db()
    assert (w.draft.category, w.draft.slug, w.draft.visibility) == (w.root, "drum-noise", "public")
    assert sorted(w.draft.product_models.values_list("sku", flat=True)) == ["WM-800", "WM-900"]
    assert sorted(w.draft.related.values_list("slug", flat=True)) == ["handbook-e21", "washer-not-spinning"]
    assert list(w.washer.related.values_list("slug", flat=True)) == ["drum-noise"]  # both ways
    # unticking one keeps the other; dropping a product
    response = client.post(f"/desk/kb/{w.draft.pk}/settings/", {
        "category": w.root.pk, "key": "drum-noise", "products": [second.pk], "related_keep": [w.washer.pk]})
    assert response.status_code == 302
    assert list(w.draft.related.values_list("slug", flat=True)) == ["washer-not-spinning"]
    assert list(w.draft.product_models.values_list("sku", flat=True)) == ["WM-900"]
    page = client.get(f"/desk/kb/{w.draft.pk}/").content.decode()
    assert f'name="products" value="{second.pk}" checked' in page
    assert f'name="products" value="{first.pk}">' in page
    assert ProductModel.objects.count() == 2


def test_files_upload_serve_embed_and_delete(w):
    client = client_for(w.agent)
    upload = SimpleUploadedFile("drum photo.png", png_bytes(7), content_type="image/png")
    response = client.post(f"/desk/kb/{w.draft.pk}/files/", {"file": upload, "active": "zh-hant"})
    assert response.status_code == 302
    assert response["Location"] == f"/desk/kb/{w.draft.pk}/?lang=zh-hant#kb-files"
    attachment = ArticleAttachment.objects.get(article=w.draft)
    assert (attachment.filename, attachment.content_type, attachment.uploaded_by) == (
        "drum photo.png", "image/png", w.agent)

    served = client.get(f"/desk/kb/{w.draft.pk}/files/{attachment.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert b"".join(served.streaming_content) == png_bytes(7)

    editor = client.get(f"/desk/kb/{w.draft.pk}/").content.decode()
    assert f"![drum photo.png](attachment:{attachment.pk})" in editor
    preview = client.post("/desk/kb/preview/", {"article": w.draft.pk, "lang": "zh-hant",
                                                "body": f"看圖：\n\n![滾筒](attachment:{attachment.pk})\n\n"
                                                        f"![別人的](attachment:999)"})
    html = preview.content.decode()
    assert f'<img src="/desk/kb/{w.draft.pk}/files/{attachment.pk}/" alt="滾筒">' in html
    assert '<img alt="別人的">' in html  # not this article's file: no address

    response = client.post(f"/desk/kb/{w.draft.pk}/files/{attachment.pk}/delete/", {"active": "zh-hant"})
    assert response.status_code == 302
    assert not ArticleAttachment.objects.filter(article=w.draft).exists()


@pytest.mark.parametrize(("content", "name", "status", "message"), [
    (b"<html><script>alert(1)</script></html>", "photo.png", 415, "This kind of file cannot be attached"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.exe", 415, "This kind of file cannot be attached"),
])
def test_a_file_that_is_not_what_it_says_is_refused(w, content, name, status, message):
    response = client_for(w.agent).post(f"/desk/kb/{w.draft.pk}/files/",
                                        {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not ArticleAttachment.objects.exists()


def test_deleting_needs_the_box_ticked(w, django_capture_on_commit_callbacks):
    client = client_for(w.supervisor)
    assert _found(w.customer, "过滤网", lang="zh-hans") == [(w.washer.pk, "zh-hans")]
    response = client.post(f"/desk/kb/{w.washer.pk}/zh-hans/delete/", {})
    assert response.status_code == 422
    assert "Tick the box to confirm." in response.content.decode()
    assert w.washer.translations.filter(language="zh-hans").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/desk/kb/{w.washer.pk}/zh-hans/delete/", {"confirm": "yes"}).status_code == 302
    assert sorted(w.washer.translations.values_list("language", flat=True)) == ["en", "zh-hant"]
    assert _found(w.customer, "过滤网", lang="zh-hans") == []  # (the Traditional text still matches)
    assert client.post(f"/desk/kb/{w.washer.pk}/delete/", {}).status_code == 422
    assert Article.objects.filter(pk=w.washer.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/desk/kb/{w.washer.pk}/delete/", {"confirm": "yes"})
    assert (response.status_code, response["Location"]) == (302, "/desk/kb/")
    assert not Article.objects.filter(pk=w.washer.pk).exists()
    assert not ArticleTranslation.objects.filter(article_id=w.washer.pk).exists()
    assert _found(w.customer, "drain hose") == []


EDITOR_QUERIES = 11  # session, user, the article, its translations, related articles, files, products linked,
#                     categories, their names, product models (no names to fetch here), unread notifications


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_the_editor_costs_the_same_however_many_languages_are_published(w, role, django_assert_num_queries):
    client = client_for(getattr(w, role))
    # one language in draft; three published (an agent is shown those rendered, not a form)
    for article in (w.draft, w.washer):
        with django_assert_num_queries(EDITOR_QUERIES):
            assert client.get(f"/desk/kb/{article.pk}/").status_code == 200
