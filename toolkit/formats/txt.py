"""Plain text: one segment per paragraph line group.

Lines are grouped into segments as a reader groups them: a line continues the
one before it (a hard-wrapped sentence) when that line does not end a sentence
and the next starts in lower case, or when the line before is long (most of the
paragraph's width) and does not end a sentence. So wrapped prose is one
segment, its line breaks read as spaces, and is re-wrapped to the paragraph's
width when translated; while short lines of page chrome ("Newsfeed", "0",
"Chats", a Russian caption) stay one segment each. Leading and trailing
whitespace (and the ``\\r`` of CRLF) is not part of a segment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit import markup
from toolkit.document import Document, Segment
from toolkit.formats.blocks import BlockBuilder

NAME = "txt"
STREAMABLE = True  # parse(a + b) has the segments of parse(a) and parse(b) when a ends with "\n"

_ENDS_SENTENCE = re.compile(r"[.!?…:;]['\"»”’)\]]*$")
_LONG_SHARE = 0.6
_LONG_MIN = 40


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content without edge whitespace (end == start:
    blank)."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
        if nl == -1:
            break
        pos = nl + 1
    return out


def _continues(text: str, prev: tuple[int, int], line: tuple[int, int], width: int) -> bool:
    s, e = prev
    if _ENDS_SENTENCE.search(text, s, e):
        return False
    first = text[line[0]]
    if first.islower():
        return True
    long = e - s >= max(_LONG_MIN, int(width * _LONG_SHARE))
    word = text[line[0] : line[1]].split(None, 1)[0]
    return long and first.isalnum() and not (len(word) > 1 and word.isupper())


def parse(text: str, path: str | None = None) -> Document:
    segments: list[Segment] = []
    lines = _lines(text)
    i = 0
    while i < len(lines):
        if lines[i][0] == lines[i][1]:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j][0] != lines[j][1]:
            j += 1
        paragraph = lines[i:j]
        width = max(e - s for s, e in paragraph)
        groups: list[list[tuple[int, int]]] = []
        for line in paragraph:
            if groups and _continues(text, groups[-1][-1], line, width):
                groups[-1].append(line)
            else:
                groups.append([line])
        for group in groups:
            if len(group) == 1:
                s, e = group[0]
                segments.append(Segment(index=len(segments), start=s, end=e, text=text[s:e]))
                continue
            b = BlockBuilder(text)
            for k, (s, e) in enumerate(group):
                if k:
                    b.soft_break(group[k - 1][1], s)
                b.text(s, text[s:e], None, e)
            seg = b.build(len(segments))
            if seg is not None:
                segments.append(seg)
        i = j
    return Document(text=text, segments=tuple(segments), format=NAME, path=path)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return markup.splice(doc, replacements, lambda seg: None)
