"""The search tokenizer: the same terms for what is indexed and for what is asked, in Chinese
(both scripts), Korean and English — plain Python, no Django.

- Unicode NFKC (full-width letters and digits become half-width), then case folding.
- Traditional Chinese folded to Simplified with OpenCC (`t2s`), so 維修 finds 维修 and back:
  both sides go through the same folding.
- Chinese and Korean runs have no spaces to split on: each run gives its overlapping
  two-character terms (洗衣机 → 洗衣 衣机), and its single characters for one-character
  queries. A query of two or more characters asks for its two-character terms only, so
  保修 matches 保修期 and 洗衣机不脱水 matches the sentence that contains it. A Korean word
  followed by a particle keeps the word's terms (배터리가 → 배터 터리 리가 ⊇ 배터리).
- Latin words and numbers: split on anything else, English words reduced by the Snowball
  stemmer (charging, charged and charge all become "charg").

Terms never carry the characters a full-text query language gives meaning to (quotes, `*`,
`:`, parentheses, `^`, `-`, `+`), and the words AND, OR, NOT and NEAR are only ever words:
a backend quotes every term it is given.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

UNIGRAM = "\u2027"  # a prefix that marks a single CJK character term (never produced by NFKC text)

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_KANA = r"\u3040-\u30ff"
_HANGUL = r"\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_RUN = re.compile(rf"(?P<cjk>[{_HAN}{_KANA}]+)|(?P<hangul>[{_HANGUL}]+)|(?P<word>[^\W_{_HAN}{_KANA}{_HANGUL}]+)")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_TERMS = 20_000  # a body longer than this many terms is indexed up to here
MAX_QUERY_TERMS = 32
# English words a query need not find ("how do I charge it" asks about charging); a query of
# nothing else keeps them.
STOPWORDS = frozenset("""a an and are as at be by can do does for from how i in is it its me my no not of on or our
so that the this to was were what when where which why will with you your""".split())


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    """NFKC, case folding and Traditional → Simplified folding."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    if _HAN_CHAR.search(text):
        text = _converter().convert(text)
    return text


def _grams(run: str, *, unigrams: bool) -> list[str]:
    if len(run) == 1:
        return [UNIGRAM + run]
    out = [a + b for a, b in zip(run, run[1:], strict=False)]
    if unigrams:
        out += [UNIGRAM + ch for ch in run]
    return out


@lru_cache(maxsize=65536)
def _word(word: str) -> str:
    if word.isascii() and word.isalpha():
        return _stemmer().stemWord(word)
    return word


@lru_cache(maxsize=1)
def _stopword_terms() -> frozenset[str]:
    return frozenset(_word(w) for w in STOPWORDS)


def _terms(text: str, *, unigrams: bool, limit: int) -> list[str]:
    out: list[str] = []
    for match in _RUN.finditer(normalise(text)):
        if match.lastgroup in ("cjk", "hangul"):
            out.extend(_grams(match.group(), unigrams=unigrams))
        else:
            out.append(_word(match.group()))
        if len(out) >= limit:
            return out[:limit]
    return out


def index_terms(text: str) -> list[str]:
    """The terms a text is indexed under, in order (repeats kept: they weigh in ranking)."""
    return _terms(text, unigrams=True, limit=MAX_TERMS)


def query_terms(text: str) -> list[str]:
    """The terms a query asks for, each once, in order; a result must have every one. Empty
    when the query has nothing searchable (only punctuation or query syntax)."""
    seen: dict[str, None] = {}
    for term in _terms(text, unigrams=False, limit=MAX_QUERY_TERMS * 4):
        seen.setdefault(term, None)
    terms = list(seen)
    stop = _stopword_terms()
    content = [t for t in terms if t not in stop]
    return (content or terms)[:MAX_QUERY_TERMS]


_JAMO_TAIL = re.compile(r"[\u1100-\u11ff\u3130-\u318f]+$")


def suggest_terms(text: str) -> tuple[list[str], str | None]:
    """For suggestions while someone types: the terms of what is complete, and the last Latin
    word as a prefix of an indexed term (None when the text ends in a space or in Chinese or
    Korean, whose two-character terms already match part of a word). Korean jamo still being
    composed at the end are left out. The prefix is shortened so that the stem of the word
    being typed starts with it: "chargin" asks for "charg…", "battery" for "batteri…"."""
    text = _JAMO_TAIL.sub("", text or "")
    normal = normalise(text)
    last = None
    for match in _RUN.finditer(normal):
        last = match
    if last is None or last.lastgroup != "word" or last.end() != len(normal.rstrip()) or normal[-1:].isspace():
        return query_terms(text), None
    word = last.group()
    stem = _word(word)
    if len(word) >= 5 and stem != word:
        prefix = stem
    elif len(word) > 4:
        prefix = word[: len(word) - 2]
    else:
        prefix = word
    stop = _stopword_terms()
    head = [t for t in query_terms(normal[: last.start()]) if t not in stop and t != prefix]
    if len(prefix) < 2:
        return head, None
    return head, prefix


def matches(query: str, text: str) -> bool:
    """Whether `text` holds every term of `query` (the rule both index backends implement)."""
    wanted = query_terms(query)
    return bool(wanted) and set(wanted) <= set(index_terms(text))
