"""The knowledge base's writes: translations sharing one article, revisions and conflicts,
publishing now or later, who may do what — and the search index following every change after
commit (an edit or a delete never leaves a stale hit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.accounts.models import Role
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.tests.factories import UserFactory
from aftersales.kb import actions
from aftersales.kb.actions_feedback import vote_record
from aftersales.kb.models import Article, ArticleRevision, ArticleTranslation, TranslationStatus, Visibility
from aftersales.search.models import ArticleDocument
from aftersales.search.selectors import search

pytestmark = pytest.mark.django_db
PUBLISHED = TranslationStatus.PUBLISHED


@pytest.fixture
def people():
    return {"agent": UserFactory(role=Role.AGENT), "boss": UserFactory(role=Role.SUPERVISOR),
            "tech": UserFactory(role=Role.TECHNICIAN), "customer": UserFactory(role=Role.CUSTOMER)}


@pytest.fixture
def category(people):
    return actions.category_save(actor=people["boss"], names={"en": ("Warranty", ""), "zh-hans": ("保修", "")},
                                 slug="warranty")


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run a write and its after-commit indexing."""
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def found(q, user=None, **kw):
    return [(h.id, h.lang) for h in search(user=user, scope="kb", q=q, **kw).hits]


def test_translations_share_one_article_and_each_is_found(people, category, indexed):
    article = indexed(actions.article_create, actor=people["boss"], category=category, language="en",
                      title="How long is the warranty?", body="Phones are covered for one year.", status=PUBLISHED)
    indexed(actions.translation_save, actor=people["boss"], article=article, language="zh-hant",
            title="保固多久？", body="手機保固一年，電池保固六個月。", status=PUBLISHED)
    assert found("warranty") == [(article.pk, "en")]
    assert found("保修") == []  # 保固 is Taiwan's word: a different word, not a different script
    assert found("电池") == [(article.pk, "zh-hant")]  # Simplified query, Traditional text
    assert article.translations.count() == 2


def test_a_draft_is_not_found_until_published(people, category, indexed):
    article = indexed(actions.article_create, actor=people["agent"], category=category, language="en",
                      title="Dishwasher error E24", body="Clean the drain filter.")
    assert found("dishwasher") == [] and not ArticleDocument.objects.exists()
    indexed(actions.translation_save, actor=people["boss"], article=article, language="en",
            title="Dishwasher error E24", body="Clean the drain filter.", status=PUBLISHED)
    assert found("dishwasher") == [(article.pk, "en")]


def test_scheduled_publishing(people, category, indexed):
    later = timezone.now() + timedelta(hours=2)
    article = indexed(actions.article_create, actor=people["boss"], category=category, language="en",
                      title="Holiday opening hours", body="The hotline closes at 18:00.", status=PUBLISHED,
                      publish_at=later)
    t = article.translations.get()
    assert t.scheduled and not t.is_live and found("hotline") == []
    assert indexed(actions.kb_publish_due, now=later - timedelta(minutes=1)) == 0
    assert indexed(actions.kb_publish_due, now=later) == 1
    t.refresh_from_db()
    assert t.is_live and t.published_at == later
    assert found("hotline") == [(article.pk, "en")]


def test_edits_and_deletes_leave_no_stale_hits(people, category, indexed):
    article = indexed(actions.article_create, actor=people["boss"], category=category, language="en",
                      title="Dryer is noisy", body="Check the drum felt.", status=PUBLISHED)
    indexed(actions.translation_save, actor=people["boss"], article=article, language="en",
            title="Dryer does not heat", body="Check the thermal fuse.", status=PUBLISHED)
    assert found("noisy") == [] and found("fuse") == [(article.pk, "en")]
    indexed(actions.translation_save, actor=people["boss"], article=article, language="en",
            title="Dryer does not heat", body="Check the thermal fuse.", status=TranslationStatus.DRAFT)
    assert found("fuse") == []  # unpublished: gone from the index
    indexed(actions.translation_save, actor=people["boss"], article=article, language="en",
            title="Dryer does not heat", body="Check the thermal fuse.", status=PUBLISHED)
    indexed(actions.article_delete, actor=people["boss"], article=article)
    assert found("fuse") == [] and not ArticleDocument.objects.exists()


def test_internal_articles_are_found_by_staff_only(people, category, indexed):
    article = indexed(actions.article_create, actor=people["boss"], category=category, language="en",
                      title="Goodwill repairs", body="A supervisor approves goodwill.", status=PUBLISHED,
                      visibility=Visibility.INTERNAL)
    assert found("goodwill", people["tech"]) == [(article.pk, "en")]
    assert found("goodwill", people["customer"]) == [] and found("goodwill") == []
    indexed(actions.article_update, actor=people["boss"], article=article, visibility=Visibility.PUBLIC)
    assert found("goodwill") == [(article.pk, "en")]


def test_every_save_is_a_revision_and_any_can_come_back(people, category, indexed):
    article = indexed(actions.article_create, actor=people["agent"], category=category, language="en",
                      title="Cracked screen", body="First words.", note="from a case")
    t = article.translations.get()
    indexed(actions.translation_save, actor=people["agent"], article=article, language="en",
            title="Cracked screen", body="Second words.", base_revision=1)
    indexed(actions.translation_restore, actor=people["agent"], translation=t, number=1)
    t.refresh_from_db()
    assert (t.revision, t.body) == (3, "First words.")
    assert list(ArticleRevision.objects.filter(translation=t).values_list("number", "body", "note")) == [
        (3, "First words.", "Restored revision 1"), (2, "Second words.", ""), (1, "First words.", "from a case")]


def test_an_edit_from_an_old_revision_is_refused_and_nothing_is_written(people, category):
    article = actions.article_create(actor=people["agent"], category=category, language="en",
                                     title="Cracked screen", body="One.")
    actions.translation_save(actor=people["boss"], article=article, language="en", title="Cracked screen",
                             body="Two.", base_revision=1)
    with pytest.raises(Conflict) as refused:
        actions.translation_save(actor=people["agent"], article=article, language="en", title="Cracked screen",
                                 body="Three.", base_revision=1)
    assert refused.value.code == "kb_edit_conflict"
    assert ArticleTranslation.objects.get().body == "Two." and ArticleRevision.objects.count() == 2


@pytest.mark.parametrize(("who", "status", "allowed"), [
    ("agent", TranslationStatus.DRAFT, True), ("agent", PUBLISHED, False), ("boss", PUBLISHED, True),
    ("tech", TranslationStatus.DRAFT, False), ("customer", TranslationStatus.DRAFT, False),
])
def test_who_may_write_and_publish(people, category, who, status, allowed):
    def write():
        return actions.article_create(actor=people[who], category=category, language="en", title="T",
                                      body="B", status=status)
    if allowed:
        assert write().translations.get().status == status
    else:
        with pytest.raises(PermissionDenied):
            write()
        assert not Article.objects.exists()


def test_an_agent_cannot_unpublish_either(people, category):
    article = actions.article_create(actor=people["boss"], category=category, language="en", title="T", body="B",
                                     status=PUBLISHED)
    with pytest.raises(PermissionDenied):
        actions.translation_save(actor=people["agent"], article=article, language="en", title="T", body="B2")
    assert ArticleTranslation.objects.get().body == "B"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("title", "", "kb_title_empty"), ("title", "x" * 301, "kb_title_too_long"), ("body", "  ", "kb_body_empty"),
    ("body", "x" * 100_001, "kb_body_too_long"), ("body", "a\x00b", "kb_translation_invalid"),
    ("language", "fr", "kb_language_invalid"), ("status", "live", "kb_translation_invalid"),
])
def test_bad_translations_are_refused_whole(people, category, field, value, code):
    fields = {"title": "T", "body": "B", "language": "en", "status": TranslationStatus.DRAFT, **{field: value}}
    with pytest.raises(ValidationFailed) as refused:
        actions.article_create(actor=people["boss"], category=category, **fields)
    assert refused.value.code == code
    assert not Article.objects.exists() and not ArticleRevision.objects.exists()


def test_a_naive_publishing_time_is_refused(people, category):
    with pytest.raises(ValidationFailed) as refused:
        actions.article_create(actor=people["boss"], category=category, language="en", title="T", body="B",
                               status=PUBLISHED, publish_at=timezone.now().replace(tzinfo=None))
    assert refused.value.code == "kb_publish_at_invalid"


def test_categories_nest_to_any_depth_but_not_in_themselves(people, category):
    child = actions.category_save(actor=people["boss"], names={"en": ("Phones", "")}, parent=category)
    grandchild = actions.category_save(actor=people["boss"], names={"en": ("Batteries", "")}, parent=child)
    with pytest.raises(ValidationFailed) as refused:
        actions.category_save(actor=people["boss"], names={}, category=category, slug="warranty",
                              parent=grandchild)
    assert refused.value.code == "kb_category_cycle"
    with pytest.raises(Conflict):
        actions.category_delete(actor=people["boss"], category=child)
    actions.category_delete(actor=people["boss"], category=grandchild)


def test_votes_count_once_per_reader_and_follow_a_change_of_mind(people, category):
    article = actions.article_create(actor=people["boss"], category=category, language="en", title="T", body="B",
                                     status=PUBLISHED)
    t = article.translations.get()
    vote_record(translation=t, voter="s1", user=None, helpful=True)
    vote_record(translation=t, voter="s2", user=None, helpful=True)
    vote_record(translation=t, voter="s1", user=None, helpful=False, comment="It does not say how long.")
    t.refresh_from_db()
    assert (t.helpful_yes, t.helpful_no) == (1, 1)
    assert t.votes.get(voter="s1").comment == "It does not say how long."
    with pytest.raises(ValidationFailed):
        vote_record(translation=t, voter="s3", user=None, helpful=False, comment="x" * 2001)
    t.refresh_from_db()
    assert (t.helpful_yes, t.helpful_no) == (1, 1)


def test_the_reindex_command(people, category, indexed):
    from io import StringIO

    from django.core.management import call_command

    article = indexed(actions.article_create, actor=people["boss"], category=category, language="en",
                      title="Washer won't spin", body="Check the drain filter.", status=PUBLISHED)
    ArticleDocument.objects.all().delete()  # as if the index were lost
    assert found("spin") == []
    out = StringIO()
    call_command("search", "reindex", "kb", stdout=out, stderr=StringIO())
    assert "kb: 1 documents indexed" in out.getvalue()
    assert found("spin") == [(article.pk, "en")]
    out = StringIO()
    call_command("search", "query", "kb", "spinning", stdout=out)
    assert "Washer won&#x27;t <mark>spin</mark>" in out.getvalue()


def test_a_save_from_a_deleted_translation_is_refused(people, category):
    article = actions.article_create(actor=people["boss"], category=category, language="en", title="T", body="B")
    zh = actions.translation_save(actor=people["boss"], article=article, language="zh-hans", title="标题", body="正文")
    actions.translation_delete(actor=people["boss"], translation=zh)
    with pytest.raises(Conflict) as refused:
        actions.translation_save(actor=people["boss"], article=article, language="zh-hans", title="标题",
                                 body="改过的正文", base_revision=1)
    assert refused.value.code == "kb_edit_conflict"
    assert not article.translations.filter(language="zh-hans").exists()
    # Starting the language afresh (no revision to start from) is fine.
    actions.translation_save(actor=people["boss"], article=article, language="zh-hans", title="标题", body="新")


def test_new_and_moved_categories_go_last_among_their_siblings(people, category):
    def save(name, **kw):
        return actions.category_save(actor=people["boss"], names={"en": (name, "")}, **kw)

    a, b = save("A", parent=category), save("B", parent=category)
    top = save("Top")
    assert (category.position, top.position, a.position, b.position) == (0, 1, 0, 1)
    a = save("A again", category=a, slug=a.slug, parent=category)
    assert a.position == 0  # stays where it is
    b = save("B", category=b, slug=b.slug, parent=None)
    assert b.position == 2  # moved to the top level: after "warranty" and "Top"
