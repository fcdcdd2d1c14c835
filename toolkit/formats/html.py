"""HTML: a forgiving scanner that keeps the exact source offset of every text run.

Tree parsers (lxml, html5lib) do not report where a text node sits in the
source, so this module scans the raw text once, left to right, with small
anchored regular expressions (no backtracking over the whole file): tags,
comments, doctype, processing instructions, CDATA, and the raw-text elements
``script``, ``style``, ``textarea`` and ``title``. Malformed markup never
raises: an unclosed comment runs to the end, a stray ``<`` is text, unknown
end tags are ignored.

Segments:

* every text run between tags (kind ``text``, ``heading`` inside h1-h6,
  ``title`` for ``<title>``), whitespace trimmed, entities decoded with a
  ``raw_map``; inline tags split runs, so a replacement can never touch markup;
* ``title``, ``alt``, ``placeholder`` and ``aria-label`` attribute values, and
  the ``content`` of ``<meta name="description">`` (and ``og:``/``twitter:``
  titles and descriptions): kind ``attribute``, ``name`` = the attribute name
  (``description`` for meta).

Skipped: ``script``, ``style``, ``code``, ``pre``, ``kbd``, ``samp``,
``textarea``, ``svg``, ``math``, ``template`` and any subtree with
``translate="no"`` or class ``notranslate``. ``lang`` / ``xml:lang`` set
the declared language of a subtree (``Segment.lang``); ``<html lang>`` sets
``Document.lang``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from toolkit.document import Document, Segment, splice

NAME = "html"

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)")
_ATTR_RE = re.compile(r"""[\s/]*(?:([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?)?""")
_ENTITY_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
    ]
)
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "iframe"})
SKIP = frozenset(
    [
        "script",
        "style",
        "code",
        "pre",
        "kbd",
        "samp",
        "textarea",
        "svg",
        "math",
        "template",
        "noembed",
        "iframe",
        "xmp",
    ]
)
TEXT_ATTRS = frozenset({"title", "alt", "placeholder", "aria-label"})
META_NAMES = frozenset(
    {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_STACK_SEARCH = 256


def _decode(raw: str) -> tuple[str, list[int] | None]:
    """Decode entities; return text and raw_map (None when unchanged)."""
    if "&" not in raw:
        return raw, None
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _ENTITY_RE.finditer(raw):
        decoded = html.unescape(m.group())
        if decoded == m.group():
            continue
        for i in range(pos, m.start()):
            out.append(raw[i])
            offsets.append(i)
        for ch in decoded:
            out.append(ch)
            offsets.append(m.start())
        pos = m.end()
    if not out:
        return raw, None
    for i in range(pos, len(raw)):
        out.append(raw[i])
        offsets.append(i)
    offsets.append(len(raw))
    return "".join(out), offsets


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.segments: list[Segment] = []

    def add(
        self, start: int, end: int, kind: str, lang: str | None, name: str | None = None
    ) -> None:
        raw = self.text[start:end]
        decoded, offsets = _decode(raw)
        stripped = decoded.strip()
        if not stripped:
            return
        lead = len(decoded) - len(decoded.lstrip())
        trail = lead + len(stripped)
        if offsets is None:
            s, e = start + lead, start + trail
            seg = Segment(len(self.segments), s, e, stripped, kind, lang, name)
        else:
            s = start + offsets[lead]
            e = start + offsets[trail] if trail < len(offsets) - 1 else end
            rel = (*tuple(o + start - s for o in offsets[lead:trail]), e - s)
            seg = Segment(len(self.segments), s, e, stripped, kind, lang, name, rel)
        self.segments.append(seg)


def parse(text: str, path: str | None = None) -> Document:
    b = _Builder(text)
    n = len(text)
    # stack entries: (tag, lang, skip)
    stack: list[tuple[str, str | None, bool]] = []
    doc_lang: str | None = None
    pos = 0
    text_start = 0

    def state() -> tuple[str | None, bool, str]:
        if not stack:
            return None, False, "text"
        _tag, lang, skip = stack[-1]
        kind = "heading" if any(t in HEADINGS for t, _, _ in stack[-8:]) else "text"
        return lang, skip, kind

    def flush(end: int) -> None:
        if end > text_start:
            lang, skip, kind = state()
            if not skip:
                b.add(text_start, end, kind, lang)

    while True:
        lt = text.find("<", pos)
        if lt == -1:
            break
        if text.startswith("<!--", lt):
            flush(lt)
            close = text.find("-->", lt + 4)
            pos = text_start = n if close == -1 else close + 3
            continue
        if text.startswith("<![CDATA[", lt):
            flush(lt)
            close = text.find("]]>", lt + 9)
            pos = text_start = n if close == -1 else close + 3
            continue
        if text.startswith("<!", lt) or text.startswith("<?", lt):
            flush(lt)
            close = text.find(">", lt + 2)
            pos = text_start = n if close == -1 else close + 1
            continue
        m = _TAG_RE.match(text, lt)
        if not m:
            pos = lt + 1  # a stray "<" is text
            continue
        flush(lt)
        closing = m.group(1) == "/"
        tag = m.group(2).lower()
        # attributes, up to the closing ">"
        p = m.end()
        attrs: list[tuple[str, int, int, str]] = []  # name, value start, end, raw value
        while p < n:
            am = _ATTR_RE.match(text, p)
            if am is None or am.end() == p:
                break
            if am.group(1):
                for g in (2, 3, 4):
                    if am.group(g) is not None:
                        attrs.append((am.group(1).lower(), am.start(g), am.end(g), am.group(g)))
                        break
                else:
                    attrs.append((am.group(1).lower(), am.end(), am.end(), ""))
            p = am.end()
        if p < n and text[p] != ">":
            # "<" inside a tag, or junk: end the tag at the next ">"
            gt = text.find(">", p)
            p = n if gt == -1 else gt
        self_closing = p > 0 and text[p - 1] == "/"
        pos = text_start = min(n, p + 1)
        if closing:
            for k in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_STACK_SEARCH), -1):
                if stack[k][0] == tag:
                    del stack[k:]
                    break
            continue
        values = {name: raw for name, _, _, raw in attrs}
        parent_lang, parent_skip, _ = state()
        lang = parent_lang
        declared = values.get("lang") or values.get("xml:lang")
        if declared is not None:
            lang = html.unescape(declared).strip() or None
            if tag == "html":
                doc_lang = lang
        classes = html.unescape(values.get("class", "")).split()
        skip = (
            parent_skip
            or tag in SKIP
            or html.unescape(values.get("translate", "")).strip().lower() == "no"
            or "notranslate" in classes
        )
        if not skip:
            for name, s, e, _raw in attrs:
                if name in TEXT_ATTRS and e > s:
                    b.add(s, e, "attribute", lang, name)
            if tag == "meta" and "content" in values:
                meta = html.unescape(values.get("name") or values.get("property") or "")
                meta = meta.strip().lower()
                if meta in META_NAMES:
                    for name, s, e, _raw in attrs:
                        if name == "content" and e > s:
                            b.add(s, e, "attribute", lang, meta)
        if tag in RAW_TEXT and not self_closing:
            close_re = re.compile(r"</" + re.escape(tag) + r"[\s/>]", re.IGNORECASE)
            cm = close_re.search(text, pos)
            end = n if cm is None else cm.start()
            if tag == "title" and not skip:
                b.add(pos, end, "title", lang)
            # continue just before the end tag; it pops nothing (never pushed)
            pos = text_start = end
            if cm is not None:
                gt = text.find(">", cm.start())
                pos = text_start = n if gt == -1 else gt + 1
            continue
        if tag in VOID or self_closing:
            continue
        stack.append((tag, lang, skip))
    flush(n)
    return Document(text=text, segments=tuple(b.segments), format=NAME, path=path, lang=doc_lang)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("'", "&#39;")


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return splice(
        doc,
        replacements,
        escape_for=lambda seg: _escape_attr if seg.kind == "attribute" else _escape_text,
    )
