"""Markdown (CommonMark + tables + strikethrough) through markdown-it-py.

A segment is one block: a paragraph, list item, heading (kind ``heading``) or
table cell. Its text is what a reader sees; emphasis, links, inline HTML tags,
hard breaks and images are its inline markup (:class:`~toolkit.document.Inline`),
so ``Это **очень важное** сообщение о`` + line break + ``нашей компании, см.
[ссылку](http://x.ru).`` is one text, translated whole, its markup carried as
placeholders and its lines wrapped again with their prefix (``> ``, list
indentation). Inline code, autolinks and inline HTML elements that the HTML
format keeps (``code``, ``translate="no"``, ``notranslate``) are opaque: kept
byte for byte. Image alt text is a segment of its own (kind ``alt``), as are
the text attributes of inline HTML tags (kind ``html-attribute``).

Raw HTML blocks go through the HTML format (kinds ``html-text``,
``html-heading``, ``html-attribute``). Link reference definitions give their
titles (kind ``title``). YAML (``---``) and TOML (``+++``) front matter at the top
gives the values of its text keys (:data:`TEXT_KEYS`), without their quotes
(kinds ``front-matter-...``, ``name`` = the key); keys and every other value are
never touched, and a translated value is escaped for its quoting. Code blocks,
fences, link targets and HTML comments are never segments.

markdown-it gives line maps only, so each inline token is located in the source
with a forward cursor, matching backslash escapes and entities character by
character, and the markup between the texts is measured by its markers; the
result is an exact span, a ``raw_map`` and exact spans for the markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from toolkit import markup
from toolkit.document import Document, Segment
from toolkit.formats.blocks import BlockBuilder

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


_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_NL_RE = re.compile(r"[ \t]*(?:\r\n|\n|\r)[ \t>]*")
_HARD_RE = re.compile(r"(?:\\|[ \t]{2,})(?:\r\n|\n|\r)[ \t>]*")


def _balanced_end(
    src: str, p: int, limit: int, pair: str, depth: int, *, code: bool = False, titles: bool = False
) -> int:
    """Index just after the ``pair[1]`` that brings ``depth`` open ``pair[0]`` to
    zero, scanning from ``p`` (-1: none). Backslash escapes are skipped; with
    ``code``, code spans too; with ``titles``, quoted link titles."""
    quote = ""
    while p < limit:
        c = src[p]
        if c == "\\":
            p += 2
            continue
        if code and c == "`":
            close = src.find(c, p + 1, limit)
            p = p + 1 if close == -1 else close + 1
            continue
        if quote:
            if c == quote:
                quote = ""
        elif titles and c in "\"'" and src[p - 1] in " \t\n":
            quote = c
        elif c == pair[0]:
            depth += 1
        elif c == pair[1]:
            depth -= 1
            if depth == 0:
                return p + 1
        p += 1
    return -1


def _close_bracket(src: str, p: int, limit: int) -> int:
    """Index just after the "]" that closes the "[" before ``p`` (-1: none)."""
    return _balanced_end(src, p, limit, "[]", 1, code=True)


def _link_tail(src: str, p: int, limit: int) -> int:
    """End of a link's or image's tail after its "]": ``(dest "title")``, ``[ref]``
    or nothing."""
    if p < limit and src[p] == "(":
        return _balanced_end(src, p, limit, "()", 0, titles=True)
    if p < limit and src[p] == "[":
        close = src.find("]", p, limit)
        return -1 if close == -1 else close + 1
    return p


def _html_role(tag: str) -> tuple[str, str]:
    """(role, name) of an inline HTML tag, by the HTML format's rules."""
    from toolkit.formats.html import VOID

    m = _HTML_TAG_RE.match(tag)
    if m is None:
        return "void", ""  # a comment, a declaration
    name = m.group(2).lower()
    if m.group(1):
        return "close", name
    if name in VOID or tag.rstrip().endswith("/>"):
        return "void", name
    return "open", name


_TRANSLATE_NO_RE = re.compile(
    r"""\stranslate\s*=\s*["']?no\b|\sclass\s*=\s*["'][^"']*\bnotranslate\b""", re.I
)


def _html_opaque(tag: str, name: str) -> bool:
    """Is this inline HTML element kept as written (the HTML format's rules)?"""
    from toolkit.formats.html import PHRASING, SKIP

    return (name in SKIP and name in PHRASING) or _TRANSLATE_NO_RE.search(tag) is not None


def _html_close(text: str, name: str, start: int, limit: int) -> int:
    """End of the end tag that closes an inline ``name`` element opened before
    ``start`` (nested ones counted), or -1."""
    pattern = re.compile(r"<(/?)" + re.escape(name) + r"(?=[\s/>])[^>]*>", re.I)
    depth = 0
    for m in pattern.finditer(text, start, limit):
        depth += -1 if m.group(1) else 1
        if depth < 0:
            return m.end()
    return -1


def _html_attributes(text: str, start: int, end: int) -> list[Segment]:
    """The text attributes (title, alt, ...) of an inline HTML tag, by the HTML rules."""
    if "=" not in text[start:end]:
        return []
    from toolkit.formats import html

    inner = html.parse(text[start:end])
    return [
        replace(_shift(seg, start), kind="html-" + seg.kind)
        for seg in inner.segments
        if seg.kind == "attribute"
    ]


def _inline_block(
    text: str, tok: Any, start: int, limit: int, finder: _Finder, kind: str, index: int
) -> tuple[Segment | None, list[Segment]]:
    """The segment of one inline block, and the alt texts of its images."""
    b = BlockBuilder(text)
    alts: list[Segment] = []
    p = start
    children = tok.children or []
    k = 0
    while k < len(children):
        child = children[k]
        k += 1
        t = child.type
        end = -1
        if t == "text":
            found = _match(text, p, limit, child.content)
            if found is None:
                located = _locate(finder, p, limit, child.content) if child.content else None
                if located is None:
                    return None, []
                b.tag(p, located[0], "void")  # markup this reader could not name
                found = located
            b.text(found[0], child.content, found[:-1], found[-1])
            p = found[-1]
            continue
        if t == "softbreak":
            m = _NL_RE.match(text, p, limit)
            if m is not None:
                b.soft_break(p, m.end())
                p = m.end()
                continue
        elif t == "hardbreak":
            m = _HARD_RE.match(text, p, limit)
            end = m.end() if m is not None else -1
            if end != -1:
                b.line_break(p, end)
                p = end
                continue
        elif t == "code_inline":
            if text.startswith(child.markup, p):
                fence = re.compile(r"(?<!`)" + re.escape(child.markup) + r"(?!`)")
                m = fence.search(text, p + len(child.markup), limit)
                if m is not None:
                    b.opaque(p, m.end(), child.content)
                    p = m.end()
                    continue
        elif t == "link_open" and child.markup == "autolink":
            close = text.find(">", p, limit)
            if text.startswith("<", p) and close != -1:
                shown = "".join(c.content for c in children[k:] if c.type == "text")
                while k < len(children) and children[k].type != "link_close":
                    k += 1
                k += 1
                b.opaque(p, close + 1, shown[: close - p - 1] or shown)
                p = close + 1
                continue
        elif t == "image":
            if text.startswith("![", p):
                bracket = _close_bracket(text, p + 2, limit)
                end = _link_tail(text, bracket, limit) if bracket != -1 else -1
                if end != -1:
                    cursor = p + 2
                    for sub in child.children or []:
                        if sub.type != "text" or not sub.content.strip():
                            continue
                        found = _locate(finder, cursor, bracket, sub.content.strip())
                        if found is not None:
                            alts.append(_plain_segment(text, found, sub.content.strip(), "alt"))
                            cursor = found[-1]
                    b.tag(p, end, "void")
                    p = end
                    continue
        elif t == "html_inline":
            if text.startswith(child.content, p):
                role, name = _html_role(child.content)
                end = p + len(child.content)
                if role == "open" and _html_opaque(child.content, name):
                    close = _html_close(text, name, end, limit)
                    if close != -1:
                        # code, translate="no": kept byte for byte, by the HTML rules
                        words: list[str] = []
                        depth = 0
                        while k < len(children):
                            sub = children[k]
                            k += 1
                            if sub.type == "html_inline":
                                sub_role, sub_name = _html_role(sub.content)
                                if sub_name == name and sub_role in ("open", "close"):
                                    depth += 1 if sub_role == "open" else -1
                                    if depth < 0:
                                        break
                            elif sub.type in ("text", "code_inline"):
                                words.append(sub.content)
                        b.opaque(p, close, "" if name in ("math", "svg") else "".join(words))
                        p = close
                        continue
                b.tag(p, end, role, "html:" + name)
                alts += _html_attributes(text, p, end)
                p = end
                continue
        elif t == "link_open":
            if text.startswith("[", p):
                b.tag(p, p + 1, "open", "link")
                p += 1
                continue
        elif t == "link_close":
            if text.startswith("]", p):
                end = _link_tail(text, p + 1, limit)
                if end != -1:
                    b.tag(p, end, "close", "link")
                    p = end
                    continue
        elif t.endswith(("_open", "_close")) and child.markup and text.startswith(child.markup, p):
            role = "open" if t.endswith("_open") else "close"
            b.tag(p, p + len(child.markup), role, t.rsplit("_", 1)[0])
            p += len(child.markup)
            continue
        # markup this reader could not measure: up to the next text, kept as it is
        nxt = next((c for c in children[k:] if c.type == "text" and c.content), None)
        located = _locate(finder, p, limit, nxt.content) if nxt is not None else None
        if located is None:
            return None, []
        if located[0] > p:
            b.tag(p, located[0], "void")
        p = located[0]
    return b.build(index, kind), alts


def _plain_segment(text: str, offsets: list[int], content: str, kind: str) -> Segment:
    s, e = offsets[0], offsets[-1]
    raw = text[s:e]
    return Segment(
        index=0,
        start=s,
        end=e,
        text=content,
        kind=kind,
        raw_map=None if raw == content else tuple(o - s for o in offsets),
    )


def parse(text: str, path: str | None = None) -> Document:
    matter_end, matter = front_matter(text)
    body = _blank(text, matter_end)
    tokens = _parser().parse(body)
    # markdown-it counts "\r\n", "\r" and "\n" as line breaks
    starts = [0] + [m.end() for m in _NEWLINE_RE.finditer(text)]
    starts.append(len(text))
    segments: list[Segment] = list(matter)
    finder = _Finder(text)
    covered: list[tuple[int, int]] = []
    kind = "text"
    for tok in tokens:
        if tok.map:
            covered.append((tok.map[0], tok.map[1]))
        if tok.type == "heading_open":
            kind = "heading"
        elif tok.type == "heading_close":
            kind = "text"
        if tok.type == "html_block" and tok.map:
            segments += _html_block(
                text, starts[tok.map[0]], starts[min(tok.map[1], len(starts) - 1)]
            )
            continue
        if tok.type != "inline" or not tok.children or not tok.map:
            continue
        line_start = starts[tok.map[0]]
        limit = starts[min(tok.map[1], len(starts) - 1)]
        first_line = tok.content.split("\n", 1)[0]
        start = text.find(first_line, line_start, limit) if first_line else -1
        if start == -1:
            continue
        seg, alts = _inline_block(text, tok, start, limit, finder, kind, len(segments))
        if seg is not None:
            segments.append(seg)
        segments += alts
    segments += _definition_titles(text, starts, covered, matter_end)
    segments.sort(key=lambda seg: (seg.start, -seg.end))
    ordered = tuple(replace(seg, index=i) for i, seg in enumerate(segments))
    return Document(text=text, segments=ordered, format=NAME, path=path)


def _blank(text: str, end: int) -> str:
    """``text`` with its first ``end`` characters blanked (line breaks kept), so
    that markdown-it sees the front matter as blank lines at the same offsets."""
    if not end:
        return text
    head = re.sub(r"[^\r\n]", " ", text[:end])
    return head + text[end:]


def _html_block(text: str, start: int, end: int) -> list[Segment]:
    """Segments of a raw HTML block, by the HTML format's rules."""
    from toolkit.formats import html

    inner = html.parse(text[start:end])
    return [replace(_shift(seg, start), kind="html-" + seg.kind) for seg in inner.segments]


def _shift(seg: Segment, by: int) -> Segment:
    from toolkit.document import Inline

    inline = tuple(
        Inline(m.start, m.end, m.raw_start + by, m.raw_end + by, m.role, m.pair) for m in seg.inline
    )
    return replace(seg, start=seg.start + by, end=seg.end + by, inline=inline)


_DEFINITION_RE = re.compile(
    r"[ ]{0,3}\[[^\]]+\]:[ \t]*\S+[ \t]+(?:\"([^\"\r\n]*)\"|'([^'\r\n]*)'|\(([^()\r\n]*)\))[ \t]*$"
)


def _definition_titles(
    text: str, starts: list[int], covered: list[tuple[int, int]], matter_end: int
) -> list[Segment]:
    """Titles of link reference definitions (markdown-it keeps no token for them)."""
    out: list[Segment] = []
    if "]:" not in text:
        return out
    busy: set[int] = set()
    for a, b in covered:
        busy.update(range(a, b))
    for line in range(len(starts) - 1):
        if line in busy or starts[line] < matter_end:
            continue
        s, e = starts[line], starts[line + 1]
        raw = text[s:e].rstrip("\r\n")
        m = _DEFINITION_RE.match(raw)
        if m is None:
            continue
        g = next(g for g in (1, 2, 3) if m.group(g) is not None)
        value = m.group(g)
        if value.strip():
            a = s + m.start(g)
            out.append(Segment(0, a, a + len(value), value, "title"))
    return out


# --------------------------------------------------------------------------- front matter

TEXT_KEYS = frozenset({"title", "description", "summary", "subtitle", "excerpt", "caption"})
_YAML_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_TOML_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*?)[ \t]*$")


def front_matter(text: str, keys: frozenset[str] = TEXT_KEYS) -> tuple[int, list[Segment]]:
    """(end of the front matter, segments of its text values).

    YAML between ``---`` lines or TOML between ``+++`` lines at the top of the
    file. Only the top-level values of ``keys`` are segments, without their
    quotes (kind ``front-matter``, ``name`` the key); keys and every other
    value are never touched."""
    fence = text[:3]
    if fence not in ("---", "+++") or text[3:4] not in ("\n", "\r"):
        return 0, []
    lines = list(re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", text))
    pattern = _YAML_RE if fence == "---" else _TOML_RE
    segments: list[Segment] = []
    for m in lines[1:]:
        raw = m.group().rstrip("\r\n")
        if raw.rstrip() == fence:
            return m.end(), segments
        if not m.group():
            break
        kv = pattern.match(raw)
        if kv is None or kv.group(1).lower() not in keys or not kv.group(2):
            continue
        value, at = kv.group(2), m.start() + kv.start(2)
        quote = value[0]
        if quote in "\"'" and len(value) >= 2 and value[-1] == quote:
            inner = value[1:-1]
            if "\\" in inner and quote == '"':
                continue  # escapes: left alone rather than misread
            name = "yaml" if fence == "---" else "toml"
            kind = f"front-matter-{name}-{'double' if quote == chr(34) else 'single'}"
            at += 1
            value = inner
        elif fence == "+++" or value[0] in "[{&*!|>%@`#":
            continue  # not a plain string (TOML strings are always quoted)
        else:
            kind = "front-matter-yaml-plain"
            value = value.split(" #", 1)[0].rstrip()
        if value.strip():
            segments.append(Segment(0, at, at + len(value), value, kind, name=kv.group(1)))
    return 0, []  # no closing fence: not front matter


def _escape_front_matter(kind: str) -> Callable[[str], str]:
    if kind.endswith("-double"):
        return lambda t: t.replace("\\", "\\\\").replace('"', '\\"')
    if kind == "front-matter-yaml-single":
        return lambda t: t.replace("'", "''")
    if kind == "front-matter-toml-single":
        return lambda t: t.replace("'", "\u2019")
    # a plain YAML scalar: ": " and " #" would end it; a no-break space keeps it one value
    return lambda t: t.replace(": ", ":\u00a0").replace(" #", "\u00a0#").replace("\n", " ")


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _escape_for(seg: Segment) -> Callable[[str], str]:
    if seg.kind.startswith("front-matter"):
        return _escape_front_matter(seg.kind)
    if seg.kind == "title":
        return lambda t: t.replace('"', "'").replace("(", "[").replace(")", "]")
    if seg.kind.startswith("html-"):
        from toolkit.formats import html

        return html.escape_attribute if seg.kind == "html-attribute" else html.escape_text
    return _escape


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return markup.splice(doc, replacements, _escape_for)
