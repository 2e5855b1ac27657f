""""Was this helpful?" on an article (one vote per reader and translation; a change of mind moves
the counts; an optional comment) and an article's files (to who may read the article only,
with the type their bytes show)."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.cases.attachments import check_upload
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.kb import actions
from aftersales.kb.models import ArticleAttachment, ArticleVote, Visibility
from aftersales.portal.tests.helpers import png_bytes
from aftersales.portal.tests.kb_support import HTMX, client_for, one, page_tree, text, translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(kb):
    repairs = kb.category("repairs", {"en": ("Repairs", "")})
    return {
        "washer": kb.article(repairs, "washer", {"en": ("Washer not spinning", "Clean the filter."),
                                                 "zh-hant": ("洗衣機不脫水", "清潔過濾網。")},
                             drafts={"ko": ("세탁기", "초안")}),
        "internal": kb.article(repairs, "handbook", {"en": ("Handbook", "Staff only.")},
                               visibility=Visibility.INTERNAL),
    }


def vote(client: Client, article, helpful="yes", lang="en", htmx=True, **extra):
    data = {"helpful": helpful, "lang": lang, **extra}
    return client.post(f"/help/a/{article.pk}/vote/", {k: v for k, v in data.items() if v is not None},
                       **(HTMX if htmx else {}))


def counts(article, lang="en") -> tuple[int, int]:
    t = translation(article, lang)
    return t.helpful_yes, t.helpful_no


# ---- votes --------------------------------------------------------------------------------------

def test_a_visitor_votes_and_changes_their_mind(corpus):
    washer = corpus["washer"]
    visitor = client_for()
    response = vote(visitor, washer, "yes")
    assert response.status_code == 200
    root = page_tree(response)
    assert text(one(root, "kb-thanks")).startswith("Thank you for your feedback. Glad it helped.")
    assert [b.get("aria-pressed") for b in one(root, "kb-vote").iter("button")] == ["true", "false"]
    assert text(one(root, "kb-votes")) == "1 of 1 reader found this helpful"
    assert counts(washer) == (1, 0)
    only = ArticleVote.objects.get()
    assert only.voter.startswith("s") and only.user is None and only.helpful is True

    assert vote(visitor, washer, "no").status_code == 200  # a change of mind moves the counts
    assert counts(washer) == (0, 1)
    assert vote(visitor, washer, "no").status_code == 200  # the same answer again changes nothing
    assert counts(washer) == (0, 1)
    assert ArticleVote.objects.count() == 1

    vote(client_for(), washer, "yes")  # another visitor
    assert counts(washer) == (1, 1)
    assert counts(washer, "zh-hant") == (0, 0)  # votes belong to the translation read


def test_the_vote_is_shown_again_on_the_article(corpus):
    washer = corpus["washer"]
    customer = client_for(CustomerUserFactory())
    vote(customer, washer, "no")
    root = page_tree(customer.get(f"/help/a/{washer.pk}/washer/"))
    assert [b.get("aria-pressed") for b in one(root, "kb-vote").iter("button")] == ["false", "true"]
    assert one(root, "kb-feedback").find(".//textarea").get("name") == "comment"


def test_a_customer_votes_as_their_account_and_adds_a_comment(corpus):
    washer = corpus["washer"]
    me = CustomerUserFactory()
    client = client_for(me)
    vote(client, washer, "no", lang="zh-hant")
    response = vote(client, washer, "no", lang="zh-hant", comment="  沒有寫到要等多久。  ")
    assert response.status_code == 200
    assert text(one(page_tree(response), "kb-thanks")).startswith("Thank you: your comment was sent")
    assert page_tree(response).find(".//textarea") is None
    recorded = ArticleVote.objects.get()
    assert (recorded.voter, recorded.user, recorded.helpful, recorded.comment) == (f"u{me.pk}", me, False,
                                                                                   "沒有寫到要等多久。")
    assert counts(washer, "zh-hant") == (0, 1)


def test_voting_without_htmx_goes_back_to_the_article(corpus):
    washer = corpus["washer"]
    client = client_for()
    response = vote(client, washer, "yes", htmx=False)
    assert (response.status_code, response["Location"]) == (302, f"/help/a/{washer.pk}/washer/?lang=en#kb-feedback")
    page = client.get(response["Location"])
    assert "Thank you for your feedback." in page.content.decode()
    assert counts(washer) == (1, 0)


@pytest.mark.parametrize(("data", "code"), [
    ({"helpful": "maybe"}, "kb_vote_invalid"),
    ({"helpful": None}, "kb_vote_invalid"),
    ({"helpful": "YES"}, "kb_vote_invalid"),
    ({"helpful": "yes\x00"}, "kb_vote_invalid"),
    ({"comment": "x" * 2001}, "kb_comment_too_long"),
    ({"comment": "a\x00b"}, "kb_vote_invalid"),
    ({"comment": "bell\x07"}, "kb_vote_invalid"),
])
def test_bad_vote_bodies_are_422_with_a_code_and_change_nothing(corpus, data, code):
    washer = corpus["washer"]
    client = client_for()
    vote(client, washer, "yes", comment="first")
    response = vote(client, washer, **{"helpful": "no", **data})
    assert response.status_code == 422
    error = one(page_tree(response), "error")
    assert error.get("data-code") == code and text(error)
    assert counts(washer) == (1, 0)
    assert list(ArticleVote.objects.values_list("helpful", "comment")) == [(True, "first")]


def test_a_bad_vote_without_javascript_gets_the_whole_article_back_with_the_comment_kept(corpus):
    washer = corpus["washer"]
    client = client_for()
    vote(client, washer, "no")
    response = vote(client, washer, "maybe", htmx=False, comment="the hose was fine")
    assert response.status_code == 422
    tree = page_tree(response)
    # the whole page, not a bare box
    assert text(next(tree.iter("h1"))) == text(next(tree.iter("title"))).split(" · ")[0] != ""
    assert one(tree, "error").get("data-code") == "kb_vote_invalid"
    assert [text(t) for t in tree.iter("textarea") if t.get("name") == "comment"] == ["the hose was fine"]
    assert counts(washer) == (0, 1)


def test_a_comment_of_exactly_2000_characters_is_kept(corpus):
    washer = corpus["washer"]
    client = client_for()
    assert vote(client, washer, "no", comment="長" * 2000).status_code == 200
    assert ArticleVote.objects.get().comment == "長" * 2000


@pytest.mark.parametrize("lang", ["", "xx", "ko", "zh-hans", "en\x00", "x" * 500, None])
def test_a_translation_that_is_not_live_or_not_a_language_is_not_found(corpus, lang):
    response = vote(client_for(), corpus["washer"], "yes", lang=lang)
    assert response.status_code == 404
    assert ArticleVote.objects.count() == 0


@pytest.mark.parametrize("article_id", ["0", "999999", "99999999999999999999"])
def test_votes_on_articles_that_do_not_exist_are_not_found(corpus, article_id):
    response = client_for().post(f"/help/a/{article_id}/vote/", {"helpful": "yes", "lang": "en"})
    assert response.status_code == 404


def test_votes_on_internal_articles_are_for_staff_only(corpus):
    internal = corpus["internal"]
    assert vote(client_for(CustomerUserFactory()), internal).status_code == 404
    assert vote(client_for(), internal).status_code == 404
    assert vote(client_for(UserFactory(role=Role.AGENT)), internal).status_code == 200
    assert counts(internal) == (1, 0)


def test_vote_needs_post_and_the_csrf_token(kb, corpus):
    washer = corpus["washer"]
    response = client_for().get(f"/help/a/{washer.pk}/vote/")  # read as the article's address with a wrong key
    assert (response.status_code, response["Location"]) == (301, f"/help/a/{washer.pk}/washer/")
    named_vote = kb.article(washer.category, "vote", {"en": ("How we count votes", "One per reader.")})
    assert client_for().get(f"/help/a/{named_vote.pk}/vote/").status_code == 200
    assert client_for().put(f"/help/a/{washer.pk}/vote/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/help/a/{washer.pk}/vote/", {"helpful": "yes", "lang": "en"}).status_code == 403
    assert ArticleVote.objects.count() == 0


def test_votes_from_one_address_are_limited(corpus):
    washer = corpus["washer"]
    for _ in range(30):
        assert vote(client_for(), washer, "yes").status_code == 200
    response = vote(client_for(), washer, "yes", comment="Too slow")
    assert (response.status_code, response["Retry-After"]) == (429, "600")
    root = page_tree(response)  # the box again, with the message, for htmx to swap in
    assert root.find(".//html") is None
    assert text(one(root, "error")) == "Please wait 10 minutes before you try again."
    assert [b.get("aria-pressed") for b in one(root, "kb-vote").iter("button")] == ["false", "false"]
    page = vote(client_for(), washer, "yes", htmx=False)  # without htmx: the page that says so
    assert page.status_code == 429 and "Please wait 10 minutes" in text(page_tree(page))
    assert page_tree(page).find(".//html") is not None
    assert counts(washer) == (30, 0)


# ---- files --------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def files(kb, corpus):
    def add(article, content: bytes, name: str) -> ArticleAttachment:
        return actions.attachment_add(actor=kb.editor, article=article, checked=check_upload(content, name))

    return {
        "photo": add(corpus["washer"], png_bytes(), "filter.png"),
        "manual": add(corpus["washer"], PDF, "manual.pdf"),
        "notes": add(corpus["washer"], "清潔步驟\n".encode(), "steps.txt"),
        "staff": add(corpus["internal"], png_bytes(), "staff.png"),
    }


def test_files_are_served_to_readers_with_their_real_type(corpus, files):
    client = client_for()
    photo = client.get(f"/help/files/{files['photo'].pk}/")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert photo["Content-Disposition"].startswith("inline")
    assert b"".join(photo.streaming_content) == png_bytes()
    manual = client.get(f"/help/files/{files['manual'].pk}/")
    assert (manual["Content-Type"], manual["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert manual["Content-Disposition"] == 'attachment; filename="manual.pdf"'
    notes = client.get(f"/help/files/{files['notes'].pk}/")
    assert notes["Content-Type"] == "text/plain" and notes["Content-Disposition"].startswith("attachment")
    assert "sandbox" in notes["Content-Security-Policy"]


def test_the_article_lists_its_files(corpus, files):
    root = page_tree(client_for().get(f"/help/a/{corpus['washer'].pk}/washer/"))
    links = one(root, "kb-files").iter("a")
    assert [(a.get("href"), text(a)) for a in links] == [
        (f"/help/files/{files['photo'].pk}/", "filter.png"), (f"/help/files/{files['manual'].pk}/", "manual.pdf"),
        (f"/help/files/{files['notes'].pk}/", "steps.txt")]


def test_files_of_articles_a_reader_may_not_read_are_not_found(kb, corpus, files):
    staff = files["staff"]
    assert client_for().get(f"/help/files/{staff.pk}/").status_code == 404
    assert client_for(CustomerUserFactory()).get(f"/help/files/{staff.pk}/").status_code == 404
    assert client_for(UserFactory(role=Role.AGENT)).get(f"/help/files/{staff.pk}/").status_code == 200
    draft = kb.article(corpus["washer"].category, "draft", {"en": ("Draft", "x")}, status="draft")
    hidden = actions.attachment_add(actor=kb.editor, article=draft, checked=check_upload(png_bytes(), "d.png"))
    assert client_for(UserFactory(role=Role.AGENT)).get(f"/help/files/{hidden.pk}/").status_code == 404
    for bad in ("999999", "99999999999999999999"):
        assert client_for().get(f"/help/files/{bad}/").status_code == 404


def test_a_file_missing_from_the_disk_is_not_found(corpus, files):
    photo = files["photo"]
    photo.file.storage.delete(photo.file.name)
    assert client_for().get(f"/help/files/{photo.pk}/").status_code == 404


def test_a_stored_type_the_bytes_do_not_show_is_served_as_bytes_to_download(corpus, files):
    notes = files["notes"]
    ArticleAttachment.objects.filter(pk=notes.pk).update(content_type="text/html")
    response = client_for().get(f"/help/files/{notes.pk}/")
    assert response["Content-Type"] == "text/plain"  # what the bytes are, not what the row says
    with notes.file.open("wb") as handle:
        handle.write(b"<html><script>alert(1)</script></html>")
    response = client_for().get(f"/help/files/{notes.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
