"""The document model shared by formats, detection, translation and audit.

A :class:`Document` is the decoded text of one file plus its translatable
:class:`Segment` s. Each segment knows its exact span in ``Document.text`` so
that rendering can splice replacements in and leave every other character as
it was. :class:`Fragment` s are language runs inside one segment.

Offsets are character offsets into ``Document.text`` (the decoded file, BOM
removed). ``line`` and ``column`` are 1-based.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Segment:
    """A translatable unit.

    ``start``/``end`` delimit the raw source span in ``Document.text``.
    ``text`` is what a reader sees (entities decoded, escapes resolved). When
    the two differ, ``raw_map`` gives, for every index ``i`` in ``text`` (and
    ``len(text)``), the offset in the raw span where that character begins.
    When ``raw_map`` is None, ``text == Document.text[start:end]``.
    """

    index: int
    start: int
    end: int
    text: str
    kind: str = "text"  # text | heading | attribute | caption | msgid | msgstr ...
    lang: str | None = None  # language declared for this segment (HTML lang=), if any
    name: str | None = None  # attribute name, PO entry reference, subtitle number ...
    raw_map: tuple[int, ...] | None = None

    def raw_offset(self, i: int) -> int:
        """Absolute offset in ``Document.text`` of index ``i`` of ``self.text``."""
        if self.raw_map is None:
            return self.start + i
        return self.start + self.raw_map[i]


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file. ``text`` is the decoded content without BOM."""

    text: str
    segments: tuple[Segment, ...]
    format: str
    path: str | None = None
    lang: str | None = None  # language declared by the document itself (html lang, PO Language)
    encoding: str = "utf-8"
    bom: bool = False
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an absolute character offset."""
        starts = self._line_starts
        if not starts:
            starts.append(0)
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of one language inside a segment.

    ``start``/``end`` are offsets into ``segment.text``; ``offset`` is the
    absolute offset of ``start`` in ``Document.text``.
    ``lang`` is None when the run is not language at all (numbers, URLs).
    ``kind`` is None for language text; ``name``, ``code``, ``template``,
    ``label``, ``url`` or ``symbol`` (see :mod:`toolkit.names`) for a run in
    another language that is not text to translate: it is never foreign.
    """

    segment: int
    start: int
    end: int
    text: str
    lang: str | None
    confidence: float
    detector: str
    offset: int
    line: int
    column: int
    kind: str | None = None


Escape = Callable[[str], str]


def splice(
    doc: Document,
    replacements: Mapping[int, str],
    escape: Escape | None = None,
    *,
    escape_for: Callable[[Segment], Escape | None] | None = None,
) -> str:
    """Return ``doc.text`` with segment texts replaced.

    ``replacements`` maps a segment index to the segment's new *decoded*
    text. Only the part that differs (after the common prefix and suffix of
    old and new text) is rewritten, so characters outside the changed region
    keep their raw form (entities, escapes, line wrapping). ``escape`` encodes
    new text for the format (HTML entities, for instance); ``escape_for``
    picks it per segment instead (attribute values need quotes escaped, text
    does not).
    """
    if not replacements:
        return doc.text
    edits: list[tuple[int, int, str]] = []
    for index, new in replacements.items():
        seg = doc.segments[index]
        old = seg.text
        if new == old:
            continue
        p = 0
        limit = min(len(old), len(new))
        while p < limit and old[p] == new[p]:
            p += 1
        s = 0
        while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
            s += 1
        middle = new[p : len(new) - s]
        raw_start = seg.raw_offset(p)
        raw_end = seg.raw_offset(len(old) - s)
        esc = escape_for(seg) if escape_for is not None else escape
        edits.append((raw_start, raw_end, esc(middle) if esc else middle))
    edits.sort()
    out: list[str] = []
    pos = 0
    for start, end, text in edits:
        if start < pos:
            raise ValueError("overlapping segment replacements")
        out.append(doc.text[pos:start])
        out.append(text)
        pos = end
    out.append(doc.text[pos:])
    return "".join(out)
