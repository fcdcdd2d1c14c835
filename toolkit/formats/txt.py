"""Plain text: one segment per non-blank line.

Every non-blank line is its own segment, so each line of page chrome
("Newsfeed", "0", "Chats") is detected and translated on its own. Leading and
trailing whitespace (and the ``\\r`` of CRLF) is not part of the segment.
Hard-wrapped prose is therefore split at line ends; that keeps every
replacement on its own line and never reflows the file.
"""

from __future__ import annotations

from collections.abc import Mapping

from toolkit.document import Document, Segment, splice

NAME = "txt"
STREAMABLE = True  # parse(a + b) has the segments of parse(a) and parse(b) when a ends with "\n"


def parse(text: str, path: str | None = None) -> Document:
    segments: list[Segment] = []
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
        if e > s:
            segments.append(Segment(index=len(segments), start=s, end=e, text=text[s:e]))
        if nl == -1:
            break
        pos = nl + 1
    return Document(text=text, segments=tuple(segments), format=NAME, path=path)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return splice(doc, replacements)
