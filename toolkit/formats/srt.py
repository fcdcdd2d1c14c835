"""SubRip subtitles: one segment per cue's text.

A cue is a block of non-blank lines: an optional number, a timing line
(``00:00:01,000 --> 00:00:02,500``) and text lines. The text lines of a cue
form one segment of kind ``caption`` whose ``name`` is the cue number: one text,
the line breaks read as spaces, so a sentence split over two lines is
translated whole; a changed cue is split back into its number of lines,
balanced, with the file's line breaks. Formatting tags (``<i>``, ``<b>``,
``<u>``, ``<font ...>``) and positioning codes (``{\an8}``) are inline markup.
Numbers and timings are never segments; blocks without a timing line are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit import markup
from toolkit.document import Document, Segment
from toolkit.formats.blocks import BlockBuilder

NAME = "srt"

_TAG_RE = re.compile(r"<(/?)(i|b|u|font)\b[^<>]*>|\{\\[^{}]*\}", re.IGNORECASE)
_TIMING_RE = re.compile(r"^\s*\d+:\d+:\d+[,.]\d+\s*-->\s*\d+:\d+:\d+[,.]\d+")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, without its line break."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        content_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        out.append((pos, content_end))
        if nl == -1:
            return out
        pos = nl + 1


def parse(text: str, path: str | None = None) -> Document:
    segments: list[Segment] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        if not text[lines[i][0] : lines[i][1]].strip():
            i += 1
            continue
        block_start = i
        while i < len(lines) and text[lines[i][0] : lines[i][1]].strip():
            i += 1
        block = lines[block_start:i]
        timing = next((k for k, (s, e) in enumerate(block) if _TIMING_RE.match(text[s:e])), None)
        if timing is None or timing + 1 >= len(block):
            continue
        number = None
        if timing > 0:
            candidate = text[block[timing - 1][0] : block[timing - 1][1]].strip()
            number = candidate or None
        body = block[timing + 1 :]
        b = BlockBuilder(text)
        for k, (s, e) in enumerate(body):
            if k:
                b.soft_break(body[k - 1][1], s)
            pos = s
            for m in _TAG_RE.finditer(text, s, e):
                b.text(pos, text[pos : m.start()], None, m.start())
                if m.group(2) is None:
                    b.tag(m.start(), m.end(), "void")
                else:
                    role = "close" if m.group(1) else "open"
                    b.tag(m.start(), m.end(), role, m.group(2).lower())
                pos = m.end()
            b.text(pos, text[pos:e], None, e)
        seg = b.build(len(segments), "caption", name=number, lines=True)
        if seg is not None:
            segments.append(seg)
    return Document(text=text, segments=tuple(segments), format=NAME, path=path)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return markup.splice(doc, replacements, lambda seg: None)
