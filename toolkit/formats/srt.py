"""SubRip subtitles: one segment per cue's text.

A cue is a block of non-blank lines: an optional number, a timing line
(``00:00:01,000 --> 00:00:02,500``) and text lines. The text lines of a cue
(with the line breaks between them) form one segment of kind ``caption``
whose ``name`` is the cue number. Numbers and timings are never segments;
blocks without a timing line are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.document import Document, Segment, splice

NAME = "srt"

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
        start = body[0][0]
        end = body[-1][1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            segments.append(
                Segment(
                    index=len(segments),
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind="caption",
                    name=number,
                )
            )
    return Document(text=text, segments=tuple(segments), format=NAME, path=path)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return splice(doc, replacements)
