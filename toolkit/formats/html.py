"""HTML: a forgiving scanner that keeps the exact source offset of every text run.

Tree parsers (lxml, html5lib) do not report where a text node sits in the
source, so this module scans the raw text once, left to right, with small
anchored regular expressions (no backtracking over the whole file): tags,
comments, doctype, processing instructions, CDATA, and the raw-text elements
``script``, ``style``, ``textarea`` and ``title``. Where a comment, a raw-text
element or a bogus construct ends follows the WHATWG tokenizer (``<!-->`` and
``<!--->`` are complete empty comments, ``--!>`` closes a comment, ``</>`` is
dropped, ``<![CDATA[`` outside SVG/MathML is a bogus comment, ``<!--`` in a
script hides a ``</script>`` only as browsers do);
``tests/hardening/test_html_differential.py`` checks this against the
html5lib-tests tokenizer suite and against html5lib on real pages.
Malformed markup never raises: an unclosed comment runs to the end, a stray
``<`` is text, unknown end tags are ignored.

Segments:

* one per block: the text of a block element (``p``, ``li``, ``td``, ``h1``-``h6``,
  ``blockquote``, ``figcaption``, ``dd``, ... any element that is not phrasing
  content ends a block), kind ``text`` or ``heading`` inside h1-h6, and
  ``title`` for ``<title>``; whitespace trimmed, entities decoded with a
  ``raw_map``, and a line break with the whitespace around it read as one
  space (the block is re-wrapped to its width when translated). Phrasing
  elements (``a``, ``em``, ``strong``, ``b``, ``i``, ``span``, ``abbr``, ``q``,
  ``sub``, ``sup``, ``small``, ``mark``, ``br``, ``img``, ...) and comments inside a
  block are its inline markup (:class:`~toolkit.document.Inline`), so a sentence
  is translated whole; ``code``, ``kbd``, ``samp``, ``var`` and phrasing elements
  with ``translate="no"`` or class ``notranslate`` are opaque: kept byte for byte;
  the content of ``<title>`` and ``<textarea>`` (RCDATA) is one run, tags
  inside it included, as a browser shows it;
* ``title``, ``alt``, ``placeholder`` and ``aria-label`` attribute values, and
  the ``content`` of ``<meta name="description">`` (and ``og:``/``twitter:``
  titles and descriptions): kind ``attribute``, ``name`` = the attribute name
  (``description`` for meta).

Skipped: ``script``, ``style``, ``pre``,
``svg``, ``math``, ``template``, ``plaintext`` and any subtree with
``translate="no"`` or class ``notranslate``. ``lang`` / ``xml:lang`` set
the declared language of a subtree (``Segment.lang``); ``<html lang>`` sets
``Document.lang``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import replace

from toolkit import markup
from toolkit.document import Document, Segment
from toolkit.formats.blocks import BlockBuilder

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
RCDATA = frozenset({"title", "textarea"})  # text with character references, no tags
RAW_TEXT = RCDATA | {"script", "style", "xmp", "noembed", "iframe", "noframes", "plaintext"}
FOREIGN = frozenset({"svg", "math"})  # no raw text inside; CDATA sections are real
SKIP = frozenset(
    [
        "script",
        "style",
        "code",
        "pre",
        "kbd",
        "samp",
        "svg",
        "math",
        "template",
        "noembed",
        "iframe",
        "xmp",
        "noframes",
        "plaintext",
    ]
)
TEXT_ATTRS = frozenset({"title", "alt", "placeholder", "aria-label"})
META_NAMES = frozenset(
    {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_STACK_SEARCH = 256


# --- the tokenizer's ends: where a comment, a raw-text element or a bogus construct ends


def comment_end(text: str, lt: int) -> int:
    """The end (exclusive) of the comment whose ``<!--`` is at ``lt``.

    As the WHATWG tokenizer reads it: ``<!-->`` and ``<!--->`` are complete
    (empty) comments; otherwise the first ``-->`` or ``--!>`` ends it; an
    unclosed comment runs to the end of the text.
    """
    body = lt + 4
    if text.startswith(">", body):
        return body + 1
    if text.startswith("->", body):
        return body + 2
    ends = [i for i in (text.find("-->", body), text.find("--!>", body)) if i != -1]
    if not ends:
        return len(text)
    first = min(ends)
    return first + (3 if text.startswith("-->", first) else 4)


_END_DELIMITER = "\t\n\f\r />"


def raw_text_end(text: str, pos: int, tag: str | None) -> int:
    """Where the content of a raw-text or RCDATA element ``tag`` that starts at
    ``pos`` ends: the ``<`` of its end tag (``</tag`` followed by whitespace,
    ``/`` or ``>``, in any case), or the end of the text. ``script`` follows
    the script-data escape rules; ``plaintext`` (or no tag) never ends."""
    if tag is None or tag == "plaintext":
        return len(text)
    if tag == "script":
        return _script_end(text, pos)
    return _end_tag(text, pos, tag)


_end_tag_res: dict[str, re.Pattern[str]] = {}


def _end_tag(text: str, pos: int, tag: str) -> int:
    pattern = _end_tag_res.get(tag)
    if pattern is None:
        pattern = re.compile("</" + re.escape(tag) + "(?=[" + _END_DELIMITER + "])", re.IGNORECASE)
        _end_tag_res[tag] = pattern
    m = pattern.search(text, pos)
    return len(text) if m is None else m.start()


def _script_end(text: str, pos: int) -> int:
    """The ``<`` of the ``</script>`` that ends script data starting at ``pos``.

    Inside ``<!-- ... -->`` a ``<script>`` starts a double-escaped part in which
    ``</script>`` does not end the element (browsers do this); the state
    machine runs only when a ``<!--`` comes before the first candidate end.
    """
    n = len(text)
    first = _end_tag(text, pos, "script")
    if text.find("<!--", pos, first) == -1:
        return first
    state = "data"  # data, escaped, double
    dashes = 0  # consecutive "-" just read in an escaped state
    i = pos
    while i < n:
        c = text[i]
        if state == "data":
            if text.startswith("<!--", i):
                state, dashes, i = "escaped", 2, i + 4
                continue
            if c == "<" and _at_end_tag(text, i, "script"):
                return i
            i += 1
            continue
        if c == "-":
            dashes += 1
            i += 1
            continue
        if c == ">" and dashes >= 2:
            state, dashes, i = "data", 0, i + 1
            continue
        dashes = 0
        if c == "<":
            if state == "escaped":
                if _at_end_tag(text, i, "script"):
                    return i
                if _at_start_tag(text, i, "script"):
                    state = "double"
                    i += 7
                    continue
            elif _at_end_tag(text, i, "script"):  # double escaped: back to escaped
                state = "escaped"
                i += 8
                continue
        i += 1
    return n


def _at_end_tag(text: str, i: int, tag: str) -> bool:
    end = i + 2 + len(tag)
    return (
        text.startswith("</", i)
        and text[i + 2 : end].lower() == tag
        and end < len(text)
        and text[end] in _END_DELIMITER
    )


def _at_start_tag(text: str, i: int, tag: str) -> bool:
    end = i + 1 + len(tag)
    return text[i + 1 : end].lower() == tag and end < len(text) and text[end] in _END_DELIMITER


def _unescape(ref: str) -> str:
    """One character reference as the tokenizer reads it: ``html.unescape``,
    except that a numeric reference to a noncharacter or a control character
    gives that character (a parse error, not a deletion); NUL, surrogates and
    numbers past U+10FFFF give U+FFFD; 0x80-0x9F are read as windows-1252."""
    if not ref.startswith("&#"):
        return html.unescape(ref)
    digits = ref[2:].rstrip(";")
    try:
        num = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    except ValueError:
        return ref
    replaced = getattr(html, "_invalid_charrefs", {}).get(num)
    if replaced is not None:
        return str(replaced)
    if num == 0 or num > 0x10FFFF or 0xD800 <= num <= 0xDFFF:
        return "\ufffd"
    return chr(num)


def _decode(raw: str) -> tuple[str, list[int] | None]:
    """Decode entities; return text and raw_map (None when unchanged)."""
    if "&" not in raw:
        return raw, None
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    changed = False
    for m in _ENTITY_RE.finditer(raw):
        decoded = _unescape(m.group())
        if decoded == m.group():
            continue
        changed = True
        for i in range(pos, m.start()):
            out.append(raw[i])
            offsets.append(i)
        for ch in decoded:
            out.append(ch)
            offsets.append(m.start())
        pos = m.end()
    if not changed:
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


_PHRASING_NAMES = "a abbr b bdi bdo big cite data del dfn em font i ins kbd label mark nobr q rp "
_PHRASING_NAMES += "rt ruby s samp small span strong sub sup time tt u var br wbr img code math svg"
PHRASING = frozenset(_PHRASING_NAMES.split())
# Phrasing elements in SKIP (code, kbd, samp, math, svg) and phrasing elements with
# translate="no" or class notranslate are opaque: kept byte for byte.
# Opaque phrasing whose text a reader does not read as words (formulas, drawings).
UNSHOWN = frozenset({"math", "svg"})


class _Block:
    """The block being read: its builder, and the kind and language of its first text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.builder = BlockBuilder(text)
        self.kind = "text"
        self.lang: str | None = None
        self.started = False
        self.opaque: tuple[int, int, list[str]] | None = None  # raw start, stack depth, text

    def add_run(self, start: int, end: int, kind: str, lang: str | None) -> None:
        """A text run: entities decoded, whitespace with a line break a soft break."""
        if self.opaque is not None:
            self.opaque[2].append(html.unescape(self.text[start:end]))
            return
        if not self.started and self.text[start:end].strip():
            self.kind, self.lang, self.started = kind, lang, True
        pos = start
        for m in _BREAK_RE.finditer(self.text, start, end):
            self._decoded(pos, m.start())
            self.builder.soft_break(m.start(), m.end())
            pos = m.end()
        self._decoded(pos, end)

    def _decoded(self, start: int, end: int) -> None:
        if end <= start:
            return
        decoded, offsets = _decode(self.text[start:end])
        absolute = None if offsets is None else [o + start for o in offsets]
        self.builder.text(start, decoded, absolute, end)


_BREAK_RE = re.compile(r"[ \t\f]*(?:\r\n|\n|\r)\s*")


def parse(text: str, path: str | None = None) -> Document:
    """Segments: one per block (see the module docstring), inline markup carried."""
    b = _Builder(text)
    n = len(text)
    # stack entries: (tag, lang, skip)
    stack: list[tuple[str, str | None, bool]] = []
    doc_lang: str | None = None
    pos = 0
    text_start = 0
    blocks: list[Segment] = []
    block = _Block(text)
    # stack depths of inline elements that declare another language: their
    # content is a unit of its own (a language switcher's "Русский")
    lang_units: set[int] = set()

    def state() -> tuple[str | None, bool, str]:
        if not stack:
            return None, False, "text"
        _tag, lang, skip = stack[-1]
        kind = "heading" if any(t in HEADINGS for t, _, _ in stack[-8:]) else "text"
        return lang, skip, kind

    def flush(end: int) -> None:
        if end > text_start:
            lang, skip, kind = state()
            if not skip or block.opaque is not None:
                block.add_run(text_start, end, kind, lang)

    def end_block() -> None:
        nonlocal block
        if block.opaque is not None:
            return  # inside an opaque element: its end closes it
        seg = block.builder.build(0, block.kind, block.lang)
        if seg is not None:
            blocks.append(seg)
        block = _Block(text)

    while True:
        lt = text.find("<", pos)
        if lt == -1:
            break
        if text.startswith("<!--", lt):
            flush(lt)
            pos = text_start = comment_end(text, lt)
            if block.opaque is None:
                block.builder.tag(lt, pos, "void")
            continue
        if text.startswith("<![CDATA[", lt) and any(t in FOREIGN for t, _, _ in stack):
            flush(lt)  # a CDATA section exists only in SVG and MathML
            close = text.find("]]>", lt + 9)
            pos = text_start = n if close == -1 else close + 3
            end_block()
            continue
        if text.startswith("<!", lt) or text.startswith("<?", lt):
            flush(lt)  # doctype or bogus comment (also <![CDATA[ in HTML): to the next ">"
            close = text.find(">", lt + 2)
            pos = text_start = n if close == -1 else close + 1
            end_block()
            continue
        m = _TAG_RE.match(text, lt)
        if not m:
            if text.startswith("</", lt) and lt + 2 < n:
                flush(lt)  # "</>" is dropped; "</" + anything else is a bogus comment
                close = text.find(">", lt + 2)
                pos = text_start = n if close == -1 else close + 1
                continue
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
        inline = tag in PHRASING
        if closing:
            for k in range(len(stack) - 1, max(-1, len(stack) - 1 - _MAX_STACK_SEARCH), -1):
                if stack[k][0] == tag:
                    if k in lang_units:
                        inline = False
                        lang_units.difference_update(range(k, len(stack) + 1))
                    if block.opaque is not None and k == block.opaque[1]:
                        raw_start, _depth, shown = block.opaque
                        block.opaque = None
                        words = "" if tag in UNSHOWN else "".join(shown)
                        block.builder.opaque(raw_start, pos, words)
                    elif inline and block.opaque is None and not stack[k][2]:
                        block.builder.tag(lt, pos, "close", tag)
                    del stack[k:]
                    break
            else:
                if inline and block.opaque is None and not state()[1]:
                    block.builder.tag(lt, pos, "void")  # a stray end tag, kept in place
            if not inline:
                end_block()
            continue
        values = {name: raw for name, _, _, raw in attrs}
        parent_lang, parent_skip, _ = state()
        lang = parent_lang
        declared = values.get("lang") or values.get("xml:lang")
        if declared is not None:
            lang = html.unescape(declared).strip() or None
            if tag == "html":
                doc_lang = lang
        void = tag in VOID or self_closing
        if inline and lang != parent_lang and not void:
            inline = False
            lang_units.add(len(stack))
        if not inline:
            end_block()
        classes = html.unescape(values.get("class", "")).split()
        own_skip = (
            tag in SKIP
            or html.unescape(values.get("translate", "")).strip().lower() == "no"
            or "notranslate" in classes
        )
        skip = parent_skip or own_skip
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
        if tag in RAW_TEXT and not any(t in FOREIGN for t, _, _ in stack):
            # "/>" does not close an HTML element: <script src=x /> still holds script
            end_block()
            end = raw_text_end(text, pos, tag)
            if tag in RCDATA and not skip:
                b.add(pos, end, "title" if tag == "title" else "text", lang)
            # continue after the end tag; it pops nothing (never pushed)
            pos = text_start = end
            if end < n:
                gt = text.find(">", end)
                pos = text_start = n if gt == -1 else gt + 1
            continue
        if inline and not parent_skip:
            if own_skip and not void and block.opaque is None:
                # code, translate="no": one opaque piece up to its end tag
                block.opaque = (lt, len(stack), [])
            elif block.opaque is None and tag == "br":
                block.builder.line_break(lt, pos)
            elif block.opaque is None:
                block.builder.tag(lt, pos, "void" if void else "open", tag)
        if void:
            continue
        stack.append((tag, lang, skip))
    flush(n)
    if block.opaque is not None:  # never closed: what was read is plain markup
        raw_start, _depth, _shown = block.opaque
        block.opaque = None
        block.builder.tag(raw_start, n, "void")
    end_block()
    segments = sorted(b.segments + blocks, key=lambda seg: (seg.start, -seg.end))
    ordered = tuple(replace(seg, index=i) for i, seg in enumerate(segments))
    return Document(text=text, segments=ordered, format=NAME, path=path, lang=doc_lang)


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape_text(text).replace('"', "&quot;").replace("'", "&#39;")


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return markup.splice(
        doc,
        replacements,
        lambda seg: escape_attribute if seg.kind == "attribute" else escape_text,
    )
