"""Article text: Markdown (CommonMark with tables) to safe HTML, and to plain text for search
and for pasting into a reply.

markdown-it-py parses with raw HTML turned off; links are resolved (`kb:<key>` to the article,
`attachment:<id>` to the article's file) and every other link must be http(s), mailto or tel;
nh3 (the ammonia sanitiser) then keeps only the tags and attributes below, as a second fence.
Headings start at <h2>: the page's title is the <h1>.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "del", "code", "pre",
        "blockquote", "a", "img", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"style"}, "td": {"style"}}
SCHEMES = {"http", "https", "mailto", "tel"}
_KB_LINK = re.compile(r"kb:([a-z0-9][a-z0-9-]{0,79})")
LINKED_KEYS = re.compile(r"(?<![\w:])kb:([a-z0-9][a-z0-9-]{0,79})")  # every key a text may link to
_ATTACHMENT_LINK = re.compile(r"attachment:(\d{1,12})")

Resolver = Callable[[str], str | None]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"])


_PARSER = _parser()


def _resolve(url: str, article_url: Resolver, attachment_url: Resolver) -> str | None:
    url = url.strip()
    if m := _KB_LINK.fullmatch(url):
        return article_url(m.group(1))
    if m := _ATTACHMENT_LINK.fullmatch(url):
        return attachment_url(m.group(1))
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme in SCHEMES or url.startswith("/") and not url.startswith("//"):
        return url
    return None


def _rewrite(tokens: list[Token], article_url: Resolver, attachment_url: Resolver) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"
        if token.type == "link_open":
            href = _resolve(str(token.attrGet("href") or ""), article_url, attachment_url)
            if href is None:
                token.attrs.pop("href", None)
            else:
                token.attrSet("href", href)
        if token.type == "image":
            src = _resolve(str(token.attrGet("src") or ""), article_url, attachment_url)
            if src is None:
                token.attrs.pop("src", None)
            else:
                token.attrSet("src", src)
        if token.children:
            _rewrite(token.children, article_url, attachment_url)


def _none(_key: str) -> str | None:
    return None


def to_html(markdown: str, *, article_url: Resolver = _none, attachment_url: Resolver = _none) -> str:
    tokens = _PARSER.parse(markdown or "")
    _rewrite(tokens, article_url, attachment_url)
    rendered = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer nofollow")


_BLOCK_ENDS = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "tr_close",
               "code_block", "fence", "hr"}


def to_text(markdown: str) -> str:
    """The words of the article without markup: paragraphs and list items on their own lines,
    links as their text (kb: and attachment: links lose their address)."""
    lines: list[str] = []
    current: list[str] = []
    bullet = ""

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            lines.append(bullet + text)
        current.clear()

    for token in _PARSER.parse(markdown or ""):
        if token.type == "list_item_open":
            bullet = "• "
        elif token.type == "inline" and token.children is not None:
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    current.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    current.append("\n" if child.type == "hardbreak" else " ")
                elif child.type == "image":
                    current.append(child.content)
        elif token.type in ("code_block", "fence"):
            current.append(token.content.rstrip("\n"))
        elif token.type == "th_close" or token.type == "td_close":
            current.append("  ")
        if token.type in _BLOCK_ENDS:
            flush()
            if token.type == "list_item_close":
                bullet = ""
    flush()
    return "\n".join(lines)


_TEXTS: OrderedDict[str, str] = OrderedDict()
_TEXTS_KEPT = 2048
_TEXTS_LOCK = threading.Lock()


def plain_text(markdown: str) -> str:
    """`to_text`, with the last texts worked out kept (keyed by the Markdown itself, so a kept
    one is never stale): search snippets, list summaries and the index ask for the same ones."""
    with _TEXTS_LOCK:
        text = _TEXTS.get(markdown)
        if text is not None:
            _TEXTS.move_to_end(markdown)
            return text
    text = to_text(markdown)
    with _TEXTS_LOCK:
        _TEXTS[markdown] = text
        if len(_TEXTS) > _TEXTS_KEPT:
            _TEXTS.popitem(last=False)
    return text
