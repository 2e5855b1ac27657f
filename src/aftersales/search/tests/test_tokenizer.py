"""The tokenizer on fixed corpora in the four languages: exact hit sets for two-character
Chinese queries, either script finding the other, Korean words with particles, English stems,
mixed script, queries that find nothing, and query-syntax strings that neither fail nor match
everything. (The index backends are fed these same terms.)"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.search.tokenizer import UNIGRAM, index_terms, matches, normalise, query_terms

CORPUS = {
    "zh-hant-warranty": "三包保修期內，手機主機出現性能故障可以免費維修。",
    "zh-hans-return": "七天无理由退货：商品完好，自签收次日起七日内可申请退货。",
    "zh-hans-washer": "洗衣机不脱水怎么办？先检查排水管是否堵塞。",
    "zh-hant-invoice": "維修完成後開立發票，可選擇現金或轉帳付款。",
    "ko-battery": "배터리가 빨리 닳아요. 배터리 교체는 서비스 센터에서 가능합니다.",
    "ko-repair": "수리 접수 후 기사님이 방문합니다. 수리비는 현장에서 결제할 수 있어요.",
    "en-charging": "The phone stops charging after a few minutes; try another cable.",
    "en-install": "Installation of the washing machine is free within 30 days of delivery.",
    "mixed-iphone": "iPhone 屏幕碎了，可以换屏吗？",
    "fullwidth": "ＷＭ－８００型洗衣機，序號ＳＮ１２３４５",
}


def hits(query: str) -> set[str]:
    return {key for key, text in CORPUS.items() if matches(query, text)}


@pytest.mark.parametrize(("query", "expected"), [
    # two-character Chinese queries, inside longer text, either script
    ("保修", {"zh-hant-warranty"}),
    ("退货", {"zh-hans-return"}),
    ("維修", {"zh-hant-warranty", "zh-hant-invoice"}),
    ("维修", {"zh-hant-warranty", "zh-hant-invoice"}),  # Simplified query over Traditional text
    ("退貨", {"zh-hans-return"}),  # Traditional query over Simplified text
    ("洗衣机不脱水", {"zh-hans-washer"}),
    ("洗衣機", {"zh-hans-washer", "fullwidth"}),
    ("发票", {"zh-hant-invoice"}),
    # Korean: the word finds itself followed by a particle
    ("배터리", {"ko-battery"}),
    ("배터리 교체", {"ko-battery"}),
    ("수리", {"ko-repair"}),
    ("수리비", {"ko-repair"}),
    # English stems
    ("charge", {"en-charging"}),
    ("charging cable", {"en-charging"}),
    ("installing washing machines", {"en-install"}),
    ("how do I install it", {"en-install"}),  # the function words are not required
    # mixed script and full width
    ("iphone 屏幕", {"mixed-iphone"}),
    ("IPHONE", {"mixed-iphone"}),
    ("wm-800", {"fullwidth"}),
    ("sn12345", {"fullwidth"}),
    # nothing
    ("冰箱", set()),
    ("냉장고", set()),
    ("refrigerator", set()),
    ("保修 refrigerator", set()),  # every term must be there
])
def test_exact_hit_sets(query, expected):
    assert hits(query) == expected


@pytest.mark.parametrize("query", ['"', '""', "*", "NEAR", "OR", "AND", "NOT", ":", "title:保修", "保修*",
                                   '"保修" OR *', "NEAR(保修 退货)", "^x", "-保修", "(", ")", "{a b}", "a:b:c",
                                   "\x00", "   ", ""])
def test_query_syntax_neither_fails_nor_matches_everything(query):
    terms = query_terms(query)
    assert all(not set(t) & set('"*:()^{}[]-+') for t in terms)
    assert hits(query) != set(CORPUS)


def test_a_single_character_query_finds_the_character():
    assert query_terms("保") == [UNIGRAM + "保"]
    assert hits("保") == {"zh-hant-warranty"}


def test_normalisation():
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert normalise("維修 ＣＡＦÉ") == "维修 café"
    assert normalise("臺灣") == "台湾"


@given(st.text(max_size=200))
def test_any_text_tokenizes_and_finds_itself(text):
    terms = index_terms(text)
    assert all(isinstance(t, str) and t for t in terms)
    if query_terms(text):
        assert matches(text, text)
