"""The document model shared by formats, detection, translation and audit.

A :class:`Document` is the decoded text of one file plus its translatable
:class:`Segment` s. Each segment knows its exact span in ``Document.text`` so
that rendering can splice replacements in and leave every other character as
it was. :class:`Fragment` s are language runs inside one segment.

Offsets are character offsets into ``Document.text`` (the decoded file, BOM
removed). ``line`` and ``column`` are 1-based.

A segment is one block (an HTML block element, a Markdown paragraph, list item,
heading or table cell, a text paragraph, one subtitle cue). Its ``text`` is what
a reader sees: inline markup removed and soft line breaks read as one space.
The markup it spans is carried as :class:`Inline` pieces (tags, opaque elements
such as inline code) with their exact source spans, and ``wrap`` says how the
block was wrapped, so that a translated sentence can be rendered back with its
markup (:mod:`toolkit.markup`) and re-wrapped as the source was.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Inline:
    """One piece of inline markup inside a segment.

    ``start``/``end`` are offsets in ``Segment.text``: equal for a tag (it sits
    before the character at ``start``), the text it covers for an opaque element
    (inline code, ``translate="no"``), whose source is kept byte for byte.
    ``raw_start``/``raw_end`` delimit its source in ``Document.text``. ``role`` is
    ``open``, ``close``, ``void`` (an image, a comment, a tag whose partner lies
    outside the block), ``break`` (``<br>``, a Markdown hard break: the text has a
    space of no width after it) or ``opaque``; ``pair`` is the index in
    ``Segment.inline`` of the other half of an element (-1 for none).
    """

    start: int
    end: int
    raw_start: int
    raw_end: int
    role: str
    pair: int = -1


@dataclass(frozen=True, slots=True)
class Wrap:
    """How a block's lines were wrapped in the source.

    ``width``: the longest line of the block (characters), ``prefix``: what
    starts each continuation line (indentation, ``> `` of a blockquote),
    ``newline``: the file's line break there. ``lines`` > 0 asks for exactly that
    many balanced lines instead (a subtitle cue).
    """

    width: int
    prefix: str = ""
    newline: str = "\n"
    lines: int = 0


@dataclass(frozen=True, slots=True)
class Segment:
    """A translatable unit.

    ``start``/``end`` delimit the raw source span in ``Document.text``.
    ``text`` is what a reader sees (entities decoded, escapes resolved). When
    the two differ, ``raw_map`` gives, for every index ``i`` in ``text`` (and
    ``len(text)``), the offset in the raw span where that character begins.
    When ``raw_map`` is None, ``text == Document.text[start:end]``.
    ``inline`` is the markup the block spans (ordered by position), ``wrap`` its
    soft line breaks (None: the block is one line, or not re-wrapped).
    """

    index: int
    start: int
    end: int
    text: str
    kind: str = "text"  # text | heading | attribute | caption | msgid | msgstr ...
    lang: str | None = None  # language declared for this segment (HTML lang=), if any
    name: str | None = None  # attribute name, PO entry reference, subtitle number ...
    raw_map: tuple[int, ...] | None = None
    inline: tuple[Inline, ...] = ()
    wrap: Wrap | None = None

    def raw_offset(self, i: int) -> int:
        """Absolute offset in ``Document.text`` of index ``i`` of ``self.text``."""
        if self.raw_map is None:
            return self.start + i
        return self.start + self.raw_map[i]


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed file. ``text`` is the decoded content without BOM.

    A container (DOCX, ODT, EPUB) is several text parts: ``text`` is their
    decoded texts joined by ``\x00`` (a character XML cannot hold), ``parts``
    names each with the offset where it starts, ``container`` holds the file's
    bytes, and lines and columns count from the start of each part.
    """

    text: str
    segments: tuple[Segment, ...]
    format: str
    path: str | None = None
    lang: str | None = None  # language declared by the document itself (html lang, PO Language)
    encoding: str = "utf-8"
    bom: bool = False
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)
    parts: tuple[tuple[str, int], ...] = ()  # (member name, start offset in text)
    container: bytes | None = field(default=None, repr=False, compare=False)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an absolute character offset (in its part)."""
        starts = self._line_starts
        if not starts:
            starts.append(0)
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
        line = bisect.bisect_right(starts, offset) - 1
        if not self.parts:
            return line + 1, offset - starts[line] + 1
        base = self.parts[self._part_index(offset)][1]
        first = bisect.bisect_right(starts, base) - 1
        return line - first + 1, offset - max(starts[line], base) + 1

    def _part_index(self, offset: int) -> int:
        k = bisect.bisect_right([start for _name, start in self.parts], offset) - 1
        return max(k, 0)

    def part_at(self, offset: int) -> str | None:
        """The member name of the part that holds ``offset`` (None: not a container)."""
        return self.parts[self._part_index(offset)][0] if self.parts else None


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of one language inside a segment.

    ``start``/``end`` are offsets into ``segment.text``; ``offset`` is the
    absolute offset of ``start`` in ``Document.text``.
    ``lang`` is None when the run is not language at all (numbers, URLs).
    ``end_offset``/``end_line``/``end_column`` locate the end of the run (the
    position just after its last character).
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
    end_offset: int = -1
    end_line: int = 0
    end_column: int = 0
    kind: str | None = None
    part: str | None = None  # the container member that holds it (DOCX, ODT, EPUB)


Escape = Callable[[str], str]


def segment_edits(
    doc: Document,
    replacements: Mapping[int, str],
    escape: Escape | None = None,
    *,
    escape_for: Callable[[Segment], Escape | None] | None = None,
) -> list[tuple[int, int, str]]:
    """The raw edits ``(start, end, new raw text)`` that :func:`splice` makes.

    Only the part that differs (after the common prefix and suffix of old and
    new text) is rewritten, so characters outside the changed region keep their
    raw form (entities, escapes, line wrapping)."""
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
    return edits


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping raw edits applied."""
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(edits):
        if start < pos:
            raise ValueError("overlapping segment replacements")
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def splice(
    doc: Document,
    replacements: Mapping[int, str],
    escape: Escape | None = None,
    *,
    escape_for: Callable[[Segment], Escape | None] | None = None,
) -> str:
    """Return ``doc.text`` with segment texts replaced.

    ``replacements`` maps a segment index to the segment's new *decoded*
    text (see :func:`segment_edits`). ``escape`` encodes new text for the format
    (HTML entities, for instance); ``escape_for`` picks it per segment instead
    (attribute values need quotes escaped, text does not). Segments that carry
    inline markup are rendered by :func:`toolkit.markup.splice`.
    """
    if not replacements:
        return doc.text
    return apply_edits(doc.text, segment_edits(doc, replacements, escape, escape_for=escape_for))
