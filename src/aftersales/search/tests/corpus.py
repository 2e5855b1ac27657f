"""A fixed four-language corpus indexed through a scope of its own, so the tests exercise the
real backend (FTS5 or PostgreSQL full-text), the real term counts and the real ranking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from aftersales.search import registry, scoring
from aftersales.search.actions import index_refresh
from aftersales.search.documents import Document
from aftersales.search.models import ArticleDocument

SCOPE = "testcorpus"
T0 = datetime(2026, 1, 1, tzinfo=UTC)

# id: (language, title, body, staff-only text, popularity)
CORPUS: dict[int, tuple[str, str, str, str, int]] = {
    1: ("zh-hant", "三包保固說明", "三包保修期內，手機主機出現性能故障可以免費維修。", "", 10),
    2: ("zh-hans", "七天无理由退货", "七天无理由退货：商品完好，自签收次日起七日内可申请退货。", "", 30),
    3: ("zh-hans", "洗衣机不脱水怎么办", "洗衣机不脱水怎么办？先检查排水管是否堵塞，再清理过滤器。", "", 50),
    4: ("zh-hant", "維修完成後的發票", "維修完成後開立發票，可選擇現金或轉帳付款。", "", 5),
    5: ("ko", "배터리가 빨리 닳아요", "배터리가 빨리 닳아요. 배터리 교체는 서비스 센터에서 가능합니다.", "", 40),
    6: ("ko", "수리 접수 안내", "수리 접수 후 기사님이 방문합니다. 수리비는 현장에서 결제할 수 있어요.", "", 8),
    7: ("en", "Phone stops charging", "The phone stops charging after a few minutes; try another cable.", "", 20),
    8: ("en", "Washing machine installation",
        "Installation of the washing machine is free within 30 days of delivery.", "", 15),
    9: ("zh-hans", "iPhone 屏幕碎了", "iPhone 屏幕碎了，可以换屏吗？换屏价格视型号而定。", "", 12),
    10: ("zh-hant", "ＷＭ－８００型洗衣機序號", "洗衣機型號 ＷＭ－８００，序號ＳＮ１２３４５，請提供照片。", "", 3),
    11: ("en", "Charger and cable warranty", "The charger is covered for one year; a charging cable for three months.",
         "Internal: approve cable swaps without a photo.", 25),
    12: ("zh-hans", "保修期从什么时候开始", "保修期自发票日期起计算；维修期间不计入保修期。",
         "内部：保修 维修 记录要上传。", 60),
    13: ("en", "Return a washing machine", "Returns of a washing machine need the original packaging.", "", 9),
    14: ("ko", "세탁기 탈수가 안 돼요", "세탁기 탈수가 안 되면 배수 호스를 먼저 확인해 주세요.", "", 11),
    15: ("en", "Internal escalation NEAR breach", "Escalate to the team lead OR the supervisor before the breach.",
         "Only staff read this.", 1),
}


def _documents(ids: list[int]) -> list[Document]:
    out = []
    for i in ids:
        if i not in CORPUS:
            continue
        lang, title, body, extra, popularity = CORPUS[i]
        out.append(Document(id=i, parent=i, lang=lang, title=title, body=body, extra=extra,
                            filters=("pub", "l" + lang.replace("-", "")), popularity=popularity,
                            recency=T0 + timedelta(days=i)))
    return out


def _all(batch: int) -> Iterator[list[int]]:
    ids = sorted(CORPUS)
    for start in range(0, len(ids), batch):
        yield ids[start:start + batch]


def _filters(user, lang=None, **_narrow):
    return [registry.any_of(["l" + lang.replace("-", "")])] if lang else []


def _shown(user, ids):
    return {i: registry.Shown(id=i, title=CORPUS[i][1], text=CORPUS[i][2], lang=CORPUS[i][0])
            for i in ids if i in CORPUS}


def register(fields=scoring.ALL_FIELDS) -> registry.Scope:
    scope = registry.Scope(name=SCOPE, model=ArticleDocument, documents=_documents, all_ids=_all,
                           filters_for=_filters, fields_for=lambda user: fields, shown=_shown)
    registry.register(scope)
    return scope


def load() -> None:
    register()
    index_refresh(scope=SCOPE, ids=list(CORPUS))
