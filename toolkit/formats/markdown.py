"""Markdown (CommonMark + tables + strikethrough) through markdown-it-py.

Segments are the text runs of inline content: a paragraph ``Read **this**
now`` gives ``Read``, ``this`` and ``now``, so a replacement can never touch
the emphasis markers. A soft line break ends a run too, so a hard-wrapped
paragraph gives one segment per source line. Link text and image alt text are segments (kinds
``link`` and ``alt``); headings give kind ``heading``. Code blocks, fences,
inline code, autolinks, link targets, raw HTML and HTML comments are never
segments.

markdown-it gives line maps only, so each text token is located in the source
with a forward cursor, matching backslash escapes and entities character by
character; the result is an exact span and a ``raw_map``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from toolkit.document import Document, Segment, splice

NAME = "markdown"

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_SPECIAL = set("\\`*_{}[]()#+-.!<>&|~\"'")


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _match(src: str, pos: int, limit: int, want: str) -> list[int] | None:
    """Match decoded ``want`` at ``src[pos:]``; return raw offsets (len+1) or None."""
    offsets: list[int] = []
    p = pos
    for ch in want:
        if p >= limit:
            return None
        c = src[p]
        if c == ch and c not in "\\&":
            offsets.append(p)
            p += 1
            continue
        if c == "\\" and p + 1 < limit and src[p + 1] == ch and ch in _SPECIAL:
            offsets.append(p)
            p += 2
            continue
        if c == "&":
            m = _ENTITY_RE.match(src, p, limit)
            if m and html.unescape(m.group()) == ch:
                offsets.append(p)
                p = m.end()
                continue
            if ch == "&":
                offsets.append(p)
                p += 1
                continue
        if c == "\\" and ch == "\\":
            offsets.append(p)
            p += 1
            continue
        return None
    offsets.append(p)
    return offsets


class _Finder:
    """``str.find`` with memory: the next occurrence of a character at or after a
    position is found once and reused while the cursor moves forward, so
    locating every token of one long paragraph stays linear."""

    def __init__(self, src: str) -> None:
        self.src = src
        self._next: dict[str, tuple[int, int]] = {}  # char -> (searched from, found at or -1)

    def find(self, ch: str, p: int, limit: int) -> int:
        cached = self._next.get(ch)
        if cached is not None and cached[0] <= p and (cached[1] == -1 or p <= cached[1]):
            at = cached[1]
        else:
            at = self.src.find(ch, p)
            self._next[ch] = (p, at)
        return at if at != -1 and at < limit else -1


def _locate(finder: _Finder, cursor: int, limit: int, want: str) -> list[int] | None:
    src = finder.src
    first = want[0]
    p = cursor
    while p < limit:
        candidates = [i for i in (finder.find(first, p, limit), finder.find("\\", p, limit),
                                  finder.find("&", p, limit)) if i != -1]  # fmt: skip
        if not candidates:
            return None
        i = min(candidates)
        found = _match(src, i, limit, want)
        if found is not None:
            return found
        p = i + 1
    return None


def parse(text: str, path: str | None = None) -> Document:
    tokens = _parser().parse(text)
    # markdown-it counts "\r\n", "\r" and "\n" as line breaks
    starts = [0] + [m.end() for m in _NEWLINE_RE.finditer(text)]
    starts.append(len(text))
    segments: list[Segment] = []
    finder = _Finder(text)
    cursor = 0
    kind = "text"
    for tok in tokens:
        if tok.type == "heading_open":
            kind = "heading"
        elif tok.type == "heading_close":
            kind = "text"
        if tok.type != "inline" or not tok.children:
            continue
        block_start = starts[tok.map[0]] if tok.map else cursor
        limit = starts[min(tok.map[1], len(starts) - 1)] if tok.map else len(text)
        cursor = max(cursor, block_start)
        in_link = 0
        autolink = 0
        pending: list[tuple[Any, str]] = []
        for child in tok.children:
            if child.type == "link_open":
                in_link += 1
                if child.markup == "autolink" or child.info == "auto":
                    autolink += 1
            elif child.type == "link_close":
                in_link -= 1
                if autolink:
                    autolink -= 1
            elif child.type == "text" and not autolink:
                pending.append((child, "link" if in_link else kind))
            elif child.type == "image":
                for sub in child.children or []:
                    if sub.type == "text":
                        pending.append((sub, "alt"))
        for child, seg_kind in pending:
            content = child.content
            stripped = content.strip()
            if not stripped:
                continue
            lead = len(content) - len(content.lstrip())
            content = content[lead : lead + len(stripped)]
            offsets = _locate(finder, cursor, limit, content)
            if offsets is None:
                continue
            s, e = offsets[0], offsets[-1]
            raw = text[s:e]
            segments.append(
                Segment(
                    index=len(segments),
                    start=s,
                    end=e,
                    text=content,
                    kind=seg_kind,
                    raw_map=None if raw == content else tuple(o - s for o in offsets),
                )
            )
            cursor = e
    return Document(text=text, segments=tuple(segments), format=NAME, path=path)


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return splice(doc, replacements, _escape)
