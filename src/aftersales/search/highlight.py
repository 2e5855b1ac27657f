"""Snippets: the part of a text where the query's terms are, with each hit marked — plain
Python, no Django.

The hits are found the way the index matched them: the text is normalised character by
character (NFKC, case folding, Traditional → Simplified) keeping a map back to the original
characters, Chinese and Korean terms are found as substrings, Latin terms as words whose stem
is the term. The snippet shows the original text, HTML-escaped, hits in `<mark>`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from aftersales.search import tokenizer

WIDTH = 160  # display columns (a Chinese or Korean character takes two)
MAX_TEXT = 20_000
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_WORD = re.compile(rf"[^\W_{_CJK}]+")
_SPACE = re.compile(r"\s+")
# Characters that NFKC and case folding leave as one character: CJK ideographs, Hangul syllables, kana.
_SIMPLE = re.compile(r"[\u3400-\u9fff\uac00-\ud7a3\u3041-\u30ff]").match


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _normalised(text: str) -> tuple[str, list[int] | range]:
    """The normalised text and, for each of its characters, the index of the original one."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    origin: list[int] | range
    if len(folded) == len(text) and all(len(unicodedata.normalize("NFKC", ch).casefold()) == 1
                                        for ch in text if not ch.isascii() and not _SIMPLE(ch)):
        origin = range(len(text))  # one character for one: the common case, done in C
    else:
        parts: list[str] = []
        origin = []
        for i, ch in enumerate(text):
            n = unicodedata.normalize("NFKC", ch).casefold() if not ch.isascii() else ch.lower()
            parts.append(n)
            origin.extend([i] * len(n))
        folded = "".join(parts)
    if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in folded):
        converted = tokenizer._converter().convert(folded)
        if len(converted) != len(folded):  # a phrase changed length: convert one character at a time
            converted = "".join(tokenizer._converter().convert(c) or c for c in folded)
        if len(converted) == len(folded):
            folded = converted
    return folded, origin


def hit_spans(text: str, terms: Sequence[str], prefix: str | None = None) -> list[tuple[int, int]]:
    """(start, end) ranges of the original text that hold a query term, merged and sorted."""
    text = text[:MAX_TEXT]
    folded, origin = _normalised(text)
    spans: list[tuple[int, int]] = []
    latin = set()
    for term in terms:
        needle = term[1:] if term.startswith(tokenizer.UNIGRAM) else term
        if needle and not needle[0].isascii() and not _WORD.fullmatch(needle):
            start = folded.find(needle)
            while start != -1:
                spans.append((origin[start], origin[start + len(needle) - 1] + 1))
                start = folded.find(needle, start + 1)
        else:
            latin.add(needle)
    if latin or prefix:
        for m in _WORD.finditer(folded):
            word = m.group()
            stem = tokenizer._word(word)
            if stem in latin or word in latin or (prefix and (word.startswith(prefix) or stem.startswith(prefix))):
                spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The stretch of about WIDTH columns that holds the most hits, starting a little before them."""
    if not spans:
        start = 0
    else:
        best, best_count = spans[0][0], 0
        for i, (s, _e) in enumerate(spans):
            cols, j, count = 0, s, 0
            k = i
            while j < len(text) and cols < WIDTH * 0.8:
                cols += _columns(text[j])
                j += 1
                while k < len(spans) and spans[k][0] < j:
                    count += 1
                    k += 1
            if count > best_count:
                best, best_count = s, count
        start, cols = best, 0
        while start > 0 and cols < WIDTH * 0.2:  # some context before the first hit
            start -= 1
            cols += _columns(text[start])
        if start > 0 and text[start - 1].isalnum() and text[start].isascii():
            while start < best and not text[start].isspace():
                start += 1  # do not begin in the middle of a Latin word
    end, cols = start, 0
    while end < len(text) and cols < WIDTH:
        cols += _columns(text[end])
        end += 1
    if end < len(text) and text[end - 1].isascii() and text[end - 1].isalnum():
        back = end
        while back > start and not text[back - 1].isspace():
            back -= 1
        if back > start + WIDTH // 3:
            end = back
    return start, end


def snippet(text: str, terms: Sequence[str], prefix: str | None = None) -> str:
    """HTML: the best stretch of `text` for the query, escaped, hits in <mark>, … where cut."""
    text = _SPACE.sub(" ", text or "").strip()[:MAX_TEXT]
    spans = hit_spans(text, terms, prefix)
    start, end = _window(text, spans)
    out: list[str] = ["…" if start > 0 else ""]
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(text[at:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        at = e
    out.append(html.escape(text[at:end]))
    if end < len(text):
        out.append("…")
    return "".join(out).strip()


def highlight(text: str, terms: Sequence[str], prefix: str | None = None) -> str:
    """HTML: the whole (short) text, escaped, hits in <mark> — for titles."""
    text = text or ""
    out: list[str] = []
    at = 0
    for s, e in hit_spans(text, terms, prefix):
        out.append(html.escape(text[at:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        at = e
    out.append(html.escape(text[at:]))
    return "".join(out)
