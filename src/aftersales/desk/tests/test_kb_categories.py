"""The category tree page: create at any depth, rename per language, move under another parent,
reorder among siblings, delete only when empty — each through one `kb.actions` write."""

from __future__ import annotations

import pytest

from aftersales.core.audit import AuditEntry
from aftersales.desk.tests.conftest import client_for
from aftersales.desk.tests.kb_support import build_kb
from aftersales.kb.models import Category, CategoryName

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(django_capture_on_commit_callbacks):
    return build_kb(django_capture_on_commit_callbacks)


def _tree(client) -> list[tuple[int, str, str]]:
    return [(c.depth, c.category.slug, c.name) for c in client.get("/desk/kb/categories/").context["choices"]]


def test_the_tree_in_order_with_depth_and_counts(w):
    client = client_for(w.supervisor)
    response = client.get("/desk/kb/categories/")
    assert _tree(client) == [(0, "appliances", "Appliances"), (1, "washers", "Washers"),
                             (0, "handbook", "Agent handbook"), (0, "empty", "Nothing here yet")]
    counts = {c.category.slug: (c.articles, c.empty) for c in response.context["choices"]}
    assert counts == {"appliances": (0, False), "washers": (2, False), "handbook": (1, False), "empty": (0, True)}
    html = response.content.decode()
    assert html.count("/delete/") == 1  # only the empty one offers it
    # a supervisor reading in Chinese sees the Chinese names, and English where there is none
    w.supervisor.language = "zh-hant"
    w.supervisor.save()
    assert [name for _d, _s, name in _tree(client)] == ["家電", "洗衣機", "Agent handbook", "Nothing here yet"]


def test_create_at_any_depth_rename_move_reorder_delete(w):
    client = client_for(w.supervisor)
    response = client.post("/desk/kb/categories/new/", {
        "name_en": "Front loaders", "description_en": "Doors at the front", "name_ko": "드럼 세탁기",
        "parent": w.washers.pk, "key": ""})
    assert response.status_code == 302
    front = Category.objects.get(slug="front-loaders")
    assert (front.parent, front.position) == (w.washers, 0)
    assert dict(front.names.values_list("language", "name")) == {"en": "Front loaders", "ko": "드럼 세탁기"}
    assert _tree(client)[2] == (2, "front-loaders", "Front loaders")

    # rename in one language, keep the others, move to the top level (it goes last)
    response = client.post(f"/desk/kb/categories/{front.pk}/", {
        "name_en": "Front-loading washers", "name_ko": "", "description_en": "", "key": "front-loaders",
        "parent": ""})
    assert response.status_code == 302
    front.refresh_from_db()
    assert (front.parent, front.position) == (None, 3)
    assert dict(front.names.values_list("language", "name")) == {"en": "Front-loading washers", "ko": "드럼 세탁기"}
    assert CategoryName.objects.get(category=front, language="en").description == ""
    assert [s for _d, s, _n in _tree(client)] == ["appliances", "washers", "handbook", "empty", "front-loaders"]

    # reorder: up twice, then down once; at the top, up changes nothing
    for direction in ("up", "up"):
        assert client.post(f"/desk/kb/categories/{front.pk}/move/", {"direction": direction}).status_code == 302
    assert [s for d, s, _n in _tree(client) if d == 0] == ["appliances", "front-loaders", "handbook", "empty"]
    assert client.post(f"/desk/kb/categories/{front.pk}/move/", {"direction": "down"}).status_code == 302
    assert [s for d, s, _n in _tree(client) if d == 0] == ["appliances", "handbook", "front-loaders", "empty"]
    client.post(f"/desk/kb/categories/{w.root.pk}/move/", {"direction": "up"})
    assert [s for d, s, _n in _tree(client) if d == 0] == ["appliances", "handbook", "front-loaders", "empty"]
    assert AuditEntry.objects.filter(action="kb.category_moved").count() == 4

    # delete when empty
    assert client.post(f"/desk/kb/categories/{front.pk}/delete/").status_code == 302
    assert not Category.objects.filter(pk=front.pk).exists()


def test_a_category_moves_with_its_articles_and_children(w):
    client = client_for(w.supervisor)
    response = client.post(f"/desk/kb/categories/{w.washers.pk}/", {
        "name_en": "Washers", "key": "washers", "parent": w.handbook_category.pk})
    assert response.status_code == 302
    assert _tree(client) == [(0, "appliances", "Appliances"), (0, "handbook", "Agent handbook"),
                             (1, "washers", "Washers"), (0, "empty", "Nothing here yet")]
    # the page offers no parent that would put a category inside itself
    choices = {c.category.slug: [p.category.slug for p in c.parents]
               for c in client.get("/desk/kb/categories/").context["choices"]}
    assert choices["handbook"] == ["appliances", "empty"]
