"""The demo's knowledge base: the category tree and 40+ articles in four languages from
`fixtures/kb_*.toml`, written through the knowledge base's actions (so every article has its
revision history and sits in the search index), plus realistic readership: views, "was this
helpful?" votes with comments, the searches customers ran (some finding nothing) and "Ask for
help" forms that the articles answered or did not. Idempotent (`DemoLoad` key "kb")."""

from __future__ import annotations

import random
import tomllib
import uuid
from datetime import timedelta
from importlib import resources

from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.catalog.models import ProductModel
from aftersales.demo.models import DemoLoad
from aftersales.kb import actions
from aftersales.kb.models import (
    Article,
    ArticleTranslation,
    ArticleVote,
    Category,
    Deflection,
    SearchLog,
    TranslationStatus,
    Visibility,
)

KEY = "kb"
LANGUAGES = ("en", "zh-hant", "zh-hans", "ko")
ARTICLE_FILES = ("kb_articles_warranty.toml", "kb_articles_repairs.toml", "kb_articles_orders.toml",
                 "kb_articles_products.toml")

# What readers who said "no" wrote, per language.
COMMENTS = {
    "en": ["It doesn't say how long the whole thing takes.", "I still don't know who pays for the courier.",
           "My case is different: I bought it in a shop, not online.", "Too long, please put the answer first."],
    "zh-hant": ["沒有寫到要等多久。", "還是不知道運費誰付。", "我是在門市買的，不是網購，情況不一樣。",
                "太長了，希望先講結論。"],
    "zh-hans": ["没写要等多久。", "还是不清楚运费谁出。", "我是在实体店买的，不是网购，情况不一样。",
                "太长了，希望先说结论。"],
    "ko": ["얼마나 걸리는지 안 나와 있어요.", "택배비는 누가 내는지 모르겠어요.",
           "저는 온라인이 아니라 매장에서 샀어요.", "너무 길어요. 결론부터 알려 주세요."],
}

# What customers typed into the help centre's search box over the last weeks (some find nothing).
SEARCHES = {
    "en": ["warranty", "return", "refund", "battery", "not charging", "invoice",
           "washing machine not spinning", "installation", "cracked screen", "repair cost", "track my repair",
           "dishwasher", "gift card"],
    "zh-hant": ["保固", "退貨", "發票", "電池", "螢幕", "冷氣不冷", "洗衣機", "維修費用", "到府維修", "洗碗機",
                "點數"],
    "zh-hans": ["三包", "退货", "保修", "发票", "洗衣机不脱水", "空调不制冷", "屏幕碎了", "退款多久到账", "假一赔三",
                "以旧换新", "扫地机器人"],
    "ko": ["배터리", "환불", "반품", "수리비", "액정", "세탁기 탈수", "에어컨 설치", "영수증", "보증 기간",
           "식기세척기"],
}


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("aftersales.demo").joinpath("fixtures", name).read_text("utf-8"))


def is_loaded() -> bool:
    return DemoLoad.objects.filter(key=KEY).exists()


def load_kb(*, seed: int) -> dict[str, int]:
    """Load the demo knowledge base unless it is there. Returns what was made."""
    if is_loaded():
        return {}
    rng = random.Random(f"{seed}:kb")
    author = User.objects.filter(username="supervisor").first() or User.objects.filter(is_superuser=True).first()
    if author is None:
        raise RuntimeError("the demo's staff must be loaded before its knowledge base")
    with transaction.atomic():
        categories = _categories(author)
        articles = _articles(author, categories, rng)
        _readers(articles, rng)
        DemoLoad.objects.create(key=KEY, seed=seed, cases=0)
    _searches(rng)  # after the commit: the index has the articles now
    return {"categories": len(categories), "articles": len(articles),
            "translations": ArticleTranslation.objects.count()}


def _categories(author) -> dict[str, Category]:
    made: dict[str, Category] = {}
    for position, raw in enumerate(_load("kb_categories.toml")["category"]):
        names = {lang: (raw[lang]["name"], raw[lang].get("description", "")) for lang in LANGUAGES}
        made[raw["key"]] = actions.category_save(actor=author, names=names, slug=raw["key"],
                                                 parent=made.get(raw["parent"]), position=position)
    return made


def _articles(author, categories: dict[str, Category], rng: random.Random) -> dict[str, Article]:
    now = timezone.now()
    raws = [raw for name in ARTICLE_FILES for raw in _load(name)["article"]]
    models_by_category: dict[str, list[int]] = {}
    for pk, code in ProductModel.objects.values_list("pk", "category__code"):
        models_by_category.setdefault(code, []).append(pk)
    made: dict[str, Article] = {}
    for raw in raws:
        written = now - timedelta(days=rng.uniform(60, 400))
        first = raw["en"]
        article = actions.article_create(
            actor=author, category=categories[raw["category"]], language="en", title=first["title"],
            body=first["body"], slug=raw["key"], status=TranslationStatus.PUBLISHED,
            visibility=Visibility.INTERNAL if raw["visibility"] == "internal" else Visibility.PUBLIC, at=written)
        for lang in LANGUAGES[1:]:
            actions.translation_save(actor=author, article=article, language=lang, title=raw[lang]["title"],
                                     body=raw[lang]["body"], status=TranslationStatus.PUBLISHED,
                                     at=written + timedelta(days=rng.uniform(1, 20)))
        products = [pk for code in raw.get("products", []) for pk in models_by_category.get(code, [])]
        actions.article_update(actor=author, article=article, product_model_ids=products)
        made[raw["key"]] = article
    for raw in raws:
        related = [made[k].pk for k in raw.get("related", []) if k in made]
        if related:
            actions.article_update(actor=author, article=made[raw["key"]], related_ids=related)
    return made


def _readers(articles: dict[str, Article], rng: random.Random) -> None:
    """Views and votes, spread over the four languages the way the demo's customers are."""
    raws = {raw["key"]: raw for name in ARTICLE_FILES for raw in _load(name)["article"]}
    share = {"zh-hant": 0.32, "zh-hans": 0.32, "ko": 0.2, "en": 0.16}
    votes = []
    for key, article in articles.items():
        raw = raws[key]
        views, (yes, no) = int(raw.get("views", 100)), raw.get("helpful", [0, 0])
        Article.objects.filter(pk=article.pk).update(view_count=views)
        for t in article.translations.all():
            t_yes, t_no = round(yes * share[t.language]), round(no * share[t.language])
            ArticleTranslation.objects.filter(pk=t.pk).update(
                view_count=round(views * share[t.language]), helpful_yes=t_yes, helpful_no=t_no)
            for i in range(t_yes + t_no):
                helpful = i < t_yes
                comment = "" if helpful or rng.random() > 0.3 else rng.choice(COMMENTS[t.language])
                votes.append(ArticleVote(translation=t, voter=f"demo-{t.pk}-{i}", helpful=helpful, comment=comment,
                                         created_at=timezone.now() - timedelta(days=rng.uniform(0, 90))))
    ArticleVote.objects.bulk_create(votes, batch_size=1000)
    actions.kb_popularity_refresh()


def _searches(rng: random.Random) -> None:
    """Searches of the last 30 days, with their real result counts, some opening an article."""
    from aftersales.kb.actions_feedback import search_logged
    from aftersales.search.selectors import search

    if SearchLog.objects.exists():
        return
    now = timezone.now()
    visitor = None
    logs = []
    for lang, queries in SEARCHES.items():
        for rank, query in enumerate(queries):
            results = search(user=visitor, scope="kb", q=query, lang=lang, limit=5)
            for _ in range(max(1, round(rng.uniform(3, 14) / (1 + rank * 0.3)))):
                log = search_logged(query=query, terms=results.terms, language=lang, source="portal",
                                    results=len(results.hits), user=None)
                if log is None:
                    continue
                log.created_at = now - timedelta(days=rng.uniform(0, 30))
                if results.hits and rng.random() < 0.6:
                    log.clicked_id = results.hits[0].id
                logs.append(log)
    SearchLog.objects.bulk_update(logs, ["created_at", "clicked"], batch_size=500)
    _deflections(rng)


def _deflections(rng: random.Random) -> None:
    customers = list(User.objects.filter(role="customer").order_by("pk")[:8])
    popular = list(Article.objects.filter(visibility=Visibility.PUBLIC).order_by("-view_count")
                   .values_list("pk", flat=True)[:12])
    if not customers or not popular:
        return
    from aftersales.cases.models import Case

    now = timezone.now()
    rows = []
    for i in range(24):
        user = customers[i % len(customers)]
        shown = rng.sample(popular, k=min(3, len(popular)))
        opened = shown[:1] if rng.random() < 0.55 else []
        sent = rng.random() < 0.45
        case = Case.objects.filter(customer__user=user).order_by("-created_at").first() if sent else None
        at = now - timedelta(days=rng.uniform(1, 30))
        rows.append(Deflection(token=uuid.UUID(int=rng.getrandbits(128)), user=user, query="", shown=shown,
                               opened=opened, case=case, created_at=at, updated_at=at + timedelta(minutes=4)))
    Deflection.objects.bulk_create(rows)
