"""A small knowledge base for the desk's tests, written through `kb.actions` (so every article
has its revisions and sits in the real search index): a category tree, a public article in
three languages, an internal one, a draft, and a case in Traditional Chinese about a washer."""

from __future__ import annotations

from types import SimpleNamespace

from aftersales.accounts.models import Role
from aftersales.cases import actions as case_actions
from aftersales.core.audit import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UserFactory
from aftersales.kb import actions
from aftersales.kb.models import (
    Article,
    ArticleAttachment,
    ArticleRevision,
    ArticleTranslation,
    Category,
    CategoryName,
    Visibility,
)

WASHER_HANT = ("洗衣機不脫水怎麼辦？",
               "## 先檢查排水\n先檢查**排水管**是否堵塞，再清理過濾網。\n\n- 拔掉電源\n- 打開底部蓋板")
WASHER_HANS = ("洗衣机不脱水怎么办？", "先检查**排水管**是否堵塞，再清理过滤网。")
WASHER_EN = ("The washer does not spin", "First check that the **drain hose** is not blocked, then clean the filter.")
HANDBOOK = ("洗衣機 E21 的內部處理流程", "E21 代表排水逾時：先請客戶拍照，再安排到府。")
DRAFT = ("洗衣機滾筒異音（草稿）", "尚未完成的說明。")


def build_kb(capture) -> SimpleNamespace:
    """`capture` is pytest-django's `django_capture_on_commit_callbacks`: the search index is
    written after commit, as in production."""
    w = SimpleNamespace()
    w.team = TeamFactory(code="kb-desk", name="KB desk")
    w.other_team = TeamFactory(code="kb-elsewhere", name="Elsewhere")
    w.technician = UserFactory(username="kb-tech", role=Role.TECHNICIAN, teams=[w.team], display_name="Tina Tech")
    w.agent = UserFactory(username="kb-agent", role=Role.AGENT, teams=[w.team], display_name="Ada Agent")
    w.supervisor = UserFactory(username="kb-super", role=Role.SUPERVISOR, display_name="Sam Super")
    w.admin = UserFactory(username="kb-admin", role=Role.ADMINISTRATOR, display_name="Al Admin")
    w.customer = CustomerUserFactory(username="kb-customer")
    with capture(execute=True):
        w.root = actions.category_save(actor=w.supervisor, slug="appliances", names={
            "en": ("Appliances", "Washers and fridges"), "zh-hant": ("家電", ""), "zh-hans": ("家电", "")})
        w.washers = actions.category_save(actor=w.supervisor, slug="washers", parent=w.root, position=0,
                                          names={"en": ("Washers", ""), "zh-hant": ("洗衣機", "")})
        w.handbook_category = actions.category_save(actor=w.supervisor, slug="handbook", position=1,
                                                    names={"en": ("Agent handbook", "")})
        w.empty_category = actions.category_save(actor=w.supervisor, slug="empty", position=2,
                                                 names={"en": ("Nothing here yet", "")})
        w.washer = actions.article_create(actor=w.supervisor, category=w.washers, language="zh-hant",
                                          title=WASHER_HANT[0], body=WASHER_HANT[1], slug="washer-not-spinning",
                                          status="published")
        actions.translation_save(actor=w.supervisor, article=w.washer, language="zh-hans", title=WASHER_HANS[0],
                                 body=WASHER_HANS[1], status="published")
        actions.translation_save(actor=w.supervisor, article=w.washer, language="en", title=WASHER_EN[0],
                                 body=WASHER_EN[1], status="published")
        w.handbook = actions.article_create(actor=w.supervisor, category=w.handbook_category, language="zh-hant",
                                            title=HANDBOOK[0], body=HANDBOOK[1], slug="handbook-e21",
                                            visibility=Visibility.INTERNAL, status="published")
        w.draft = actions.article_create(actor=w.agent, category=w.washers, language="zh-hant", title=DRAFT[0],
                                         body=DRAFT[1], slug="washer-drum-noise")
        w.case = case_actions.case_open(customer=w.customer.customer, actor=w.customer, subject="洗衣機不脫水",
                                        body="我的洗衣機不脫水，排水很慢，顯示 E21。", team=w.team,
                                        language="zh-hant")
        w.reply = case_actions.case_post_message(case=w.case, actor=w.agent, public=True,
                                                 body="請先檢查排水管是否堵塞，再清理過濾網。")
        w.foreign = case_actions.case_open(customer=w.customer.customer, actor=w.customer, subject="洗衣機不脫水",
                                           body="另一件：洗衣機不脫水。", team=w.other_team, language="zh-hant")
        w.foreign_reply = case_actions.case_post_message(case=w.foreign, actor=w.supervisor, public=True,
                                                         body="這是別的團隊的回覆。")
    return w


def translation(article, language):
    return article.translations.get(language=language)


def fingerprint():
    """Everything the knowledge-base pages can write: a refused request leaves it equal."""
    return (
        list(Article.objects.order_by("pk").values_list("pk", "slug", "visibility", "category_id")),
        list(ArticleTranslation.objects.order_by("pk").values_list("pk", "title", "body", "status", "revision",
                                                                    "publish_at", "is_live")),
        ArticleRevision.objects.count(), ArticleAttachment.objects.count(),
        list(Category.objects.order_by("pk").values_list("pk", "slug", "parent_id", "position")),
        list(CategoryName.objects.order_by("pk").values_list("pk", "name", "description")),
        sorted(Article.related.through.objects.values_list("from_article_id", "to_article_id")),
        sorted(Article.product_models.through.objects.values_list("article_id", "productmodel_id")),
        AuditEntry.objects.count(),
    )
