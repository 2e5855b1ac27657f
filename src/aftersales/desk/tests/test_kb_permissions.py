"""Who may use the desk's knowledge-base pages: every page and every write for a technician, an
agent, a supervisor, an administrator, a customer and a visitor. Staff read (KB_READ_INTERNAL),
agents and up write drafts (KB_EDIT), supervisors and administrators publish, delete, keep
the categories and read the analytics (KB_PUBLISH). Customers are a 404 everywhere in the
desk (as on every desk page), visitors are sent to sign in, a case out of sight is a 404, and a
refused write leaves everything as it was. The pages offer only what the role may do."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.cases.attachments import check_upload
from aftersales.core.tests.api_support import png_bytes
from aftersales.desk.tests.conftest import client_for
from aftersales.desk.tests.kb_support import build_kb, fingerprint, translation
from aftersales.kb import actions

pytestmark = pytest.mark.django_db

ROLES = ("technician", "agent", "supervisor", "admin", "customer", "visitor")


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    w = build_kb(django_capture_on_commit_callbacks)
    w.file = actions.attachment_add(actor=w.supervisor, article=w.washer, checked=check_upload(png_bytes(), "drum.png"))
    return w


def _client(w, role):
    if role == "visitor":
        return Client()
    return client_for(getattr(w, role))


# (method, url, data, answers per role: technician, agent, supervisor, admin). 302 = done and
# redirected; customers always get 404 and visitors 302 to the sign-in page.
PAGES = [
    ("get", "/desk/kb/", {}, (200, 200, 200, 200)),
    ("get", "/desk/kb/new/", {}, (403, 200, 200, 200)),
    ("get", "/desk/kb/{washer}/", {}, (403, 200, 200, 200)),
    ("get", "/desk/kb/{washer}/zh-hant/history/", {}, (403, 200, 200, 200)),
    ("get", "/desk/kb/{washer}/zh-hant/history/1/", {}, (403, 200, 200, 200)),
    ("get", "/desk/kb/{washer}/files/{file}/", {}, (403, 200, 200, 200)),
    ("get", "/desk/kb/categories/", {}, (403, 403, 200, 200)),
    ("get", "/desk/kb/analytics/", {}, (403, 403, 200, 200)),
    ("get", "/desk/cases/{case}/kb/", {}, (200, 200, 200, 200)),
    ("get", "/desk/cases/{case}/kb/search/", {"q": "洗衣機"}, (200, 200, 200, 200)),
    ("get", "/desk/cases/{case}/kb/{washer}/insert/", {"what": "text"}, (200, 200, 200, 200)),
    ("post", "/desk/kb/preview/", {"body": "**hi**"}, (403, 200, 200, 200)),
]
WRITES = [
    ("post", "/desk/kb/new/", {"category": "{washers}", "language": "en", "title": "New one", "body": "Text.",
                               "visibility": "public", "status": "draft"}, (403, 302, 302, 302)),
    ("post", "/desk/kb/{draft}/zh-hant/save/", {"title": "改好的草稿", "body": "新的內容。", "status": "draft",
                                                 "base_revision": "1"}, (403, 302, 302, 302)),
    # A published translation: changing it is publishing work.
    ("post", "/desk/kb/{washer}/en/save/", {"title": "Changed", "body": "Changed.", "status": "draft",
                                            "base_revision": "1"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{draft}/zh-hant/save/", {"title": "直接發布", "body": "內容。", "status": "published",
                                                 "base_revision": "1"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{draft}/settings/", {"category": "{washers}", "key": "washer-drum-noise-2"},
     (403, 302, 302, 302)),
    ("post", "/desk/kb/{draft}/settings/", {"category": "{washers}", "key": "washer-drum-noise",
                                            "visibility": "internal"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{washer}/en/delete/", {"confirm": "yes"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{draft}/delete/", {"confirm": "yes"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{washer}/zh-hant/history/1/restore/", {}, (403, 403, 302, 302)),
    ("post", "/desk/kb/{washer}/files/{file}/delete/", {}, (403, 302, 302, 302)),
    ("post", "/desk/kb/categories/new/", {"name_en": "Returns"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/categories/{washers}/", {"name_en": "Washing machines", "parent": "{root}"},
     (403, 403, 302, 302)),
    ("post", "/desk/kb/categories/{washers}/move/", {"direction": "down"}, (403, 403, 302, 302)),
    ("post", "/desk/kb/categories/{empty}/delete/", {}, (403, 403, 302, 302)),
]


def _fill(text: str, w) -> str:
    return text.format(washer=w.washer.pk, draft=w.draft.pk, file=w.file.pk, case=w.case.pk, washers=w.washers.pk,
                       root=w.root.pk, empty=w.empty_category.pk)


@pytest.mark.parametrize(("method", "url", "data", "answers"), PAGES + WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_write_for_every_role(w, role, method, url, data, answers):
    before = fingerprint()
    data = {k: _fill(v, w) for k, v in data.items()}
    response = getattr(_client(w, role), method)(_fill(url, w), data)
    if role == "customer":
        assert response.status_code == 404
    elif role == "visitor":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    else:
        expected = answers[ROLES.index(role)]
        assert response.status_code == expected, response.content.decode()[:500]
    if method == "post" and (role in ("customer", "visitor") or response.status_code != 302):
        assert fingerprint() == before  # refused: nothing written


def test_a_write_that_was_allowed_changed_what_it_said(w):
    client_for(w.agent).post(f"/desk/kb/{w.draft.pk}/zh-hant/save/",
                             {"title": "改好的草稿", "body": "新的內容。", "base_revision": "1"})
    t = translation(w.draft, "zh-hant")
    assert (t.title, t.body, t.status, t.revision) == ("改好的草稿", "新的內容。", "draft", 2)


@pytest.mark.parametrize("role", ["technician", "agent", "supervisor"])
@pytest.mark.parametrize("url", ["/desk/cases/{foreign}/kb/", "/desk/cases/{foreign}/kb/search/?q=洗衣機",
                                 "/desk/cases/{foreign}/kb/{washer}/insert/?what=link",
                                 "/desk/kb/new/?entry={foreign_reply}"])
def test_a_case_out_of_sight_is_a_404(w, role, url):
    url = url.format(foreign=w.foreign.pk, washer=w.washer.pk, foreign_reply=w.foreign_reply.pk)
    answer = client_for(getattr(w, role)).get(url).status_code
    if role == "supervisor":  # supervisors see every case
        assert answer == 200
    elif role == "technician" and "/kb/new/" in url:
        assert answer == 403  # no KB_EDIT: refused before any case is looked at
    else:
        assert answer == 404


def test_an_article_nobody_may_read_or_that_does_not_exist_is_a_404(w):
    client = client_for(w.agent)
    assert client.get(f"/desk/cases/{w.case.pk}/kb/{w.draft.pk}/insert/", {"what": "text"}).status_code == 404
    assert client.get(f"/desk/cases/{w.case.pk}/kb/999999/insert/", {"what": "text"}).status_code == 404
    assert client.get("/desk/kb/999999/").status_code == 404
    assert client.get(f"/desk/kb/{w.washer.pk}/ko/history/").status_code == 404  # no Korean translation
    assert client.get(f"/desk/kb/{w.washer.pk}/xx/history/").status_code == 404
    assert client.get(f"/desk/kb/{w.washer.pk}/zh-hant/history/99/").status_code == 404
    assert client.get(f"/desk/kb/{w.draft.pk}/files/{w.file.pk}/").status_code == 404  # another article's file


def _nav(html: str) -> str:
    return html.split('<nav class="top"', 1)[1].split("</nav>", 1)[0]


def _subnav(html: str) -> str:
    return html.split('class="kb-subnav"', 1)[1].split("</nav>", 1)[0]


def test_the_navigation_offers_what_each_role_may_use(w):
    for role in ("technician", "agent", "supervisor", "admin"):
        html = client_for(getattr(w, role)).get("/desk/kb/").content.decode()
        assert 'href="/desk/kb/">Knowledge base</a>' in _nav(html)
        sub = _subnav(html)
        assert ('href="/desk/kb/new/"' in sub) == (role != "technician")
        assert ('href="/desk/kb/categories/"' in sub) == (role in ("supervisor", "admin"))
        assert ('href="/desk/kb/analytics/"' in sub) == (role in ("supervisor", "admin"))


def test_the_editor_offers_agents_drafts_only(w):
    html = client_for(w.agent).get(f"/desk/kb/{w.washer.pk}/").content.decode()
    assert 'name="status" value="published"' not in html
    assert 'name="publish_at"' not in html
    assert 'name="visibility"' not in html
    assert "/delete/" not in html.replace(f"/desk/kb/{w.washer.pk}/files/{w.file.pk}/delete/", "")
    # the published translations are shown, not offered for editing; the missing Korean one is
    assert f'action="/desk/kb/{w.washer.pk}/zh-hant/save/"' not in html
    assert f'action="/desk/kb/{w.washer.pk}/ko/save/"' in html
    assert "This translation is published" in html

    html = client_for(w.supervisor).get(f"/desk/kb/{w.washer.pk}/").content.decode()
    for wanted in ('name="status" value="published"', 'name="publish_at"', 'name="visibility"',
                   f'action="/desk/kb/{w.washer.pk}/zh-hant/save/"', f'action="/desk/kb/{w.washer.pk}/delete/"',
                   f'action="/desk/kb/{w.washer.pk}/zh-hant/delete/"'):
        assert wanted in html


def test_restore_is_offered_to_agents_only_on_drafts(w):
    client_for(w.agent).post(f"/desk/kb/{w.draft.pk}/zh-hant/save/",
                             {"title": "第二版", "body": "第二版內容。", "base_revision": "1"})
    agent = client_for(w.agent)
    assert "/restore/" in agent.get(f"/desk/kb/{w.draft.pk}/zh-hant/history/").content.decode()
    assert "/restore/" not in agent.get(f"/desk/kb/{w.washer.pk}/zh-hant/history/").content.decode()


def test_the_list_shows_technicians_only_what_they_may_read(w):
    rows = client_for(w.technician).get("/desk/kb/").context["rows"]
    assert sorted(r.article.slug for r in rows) == ["handbook-e21", "washer-not-spinning"]
    rows = client_for(w.agent).get("/desk/kb/").context["rows"]
    assert sorted(r.article.slug for r in rows) == ["handbook-e21", "washer-drum-noise", "washer-not-spinning"]


def test_technicians_reply_to_customers_too_so_the_panel_offers_them_insert(w):
    html = client_for(w.technician).get(f"/desk/cases/{w.case.pk}/kb/").content.decode()
    assert html.count("data-kb-insert=") == 3  # link and text for the public article, text for the internal one


def test_the_upload_is_refused_to_technicians(w):
    upload = SimpleUploadedFile("x.png", png_bytes(3), content_type="image/png")
    before = fingerprint()
    response = client_for(w.technician).post(f"/desk/kb/{w.washer.pk}/files/", {"file": upload})
    assert response.status_code == 403
    assert fingerprint() == before
