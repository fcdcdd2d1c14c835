"""Building one block segment from text runs, inline markup and soft line breaks.

Every format that has inline markup (HTML, Markdown, SubRip) walks its source
once and feeds a :class:`BlockBuilder`: text with the source offset of each
character, tags (paired by name), opaque elements whose text a reader sees but
the engine must not change, and soft line breaks. :meth:`BlockBuilder.build`
returns the :class:`~toolkit.document.Segment`: its text as a reader sees it
(edges trimmed, each line break one space), its ``raw_map``, its
:class:`~toolkit.document.Inline` pieces and how the block was wrapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.document import Inline, Segment, Wrap


@dataclass
class _Mark:
    pos: int  # text position
    end: int  # text end (opaque)
    raw_start: int
    raw_end: int
    role: str
    name: str
    pair: int = -1


class BlockBuilder:
    def __init__(self, src: str) -> None:
        self.src = src
        self.chars: list[str] = []
        self.offsets: list[int] = []  # absolute raw start of each character
        self.ends: list[int] = []  # absolute raw end of each character
        self.marks: list[_Mark] = []
        self._open: list[int] = []  # indices of unpaired open marks
        self.breaks = 0
        self.newline = ""
        self.prefix: str | None = None

    def __bool__(self) -> bool:
        return bool(self.chars) or bool(self.marks)

    def text(self, raw_start: int, decoded: str, offsets: list[int] | None, raw_end: int) -> None:
        """Decoded text; ``offsets`` (absolute, one per character, None when the
        text is the raw source) with ``raw_end`` the end of the last one."""
        n = len(decoded)
        if not n:
            return
        self.chars.extend(decoded)
        if offsets is None:
            self.offsets.extend(range(raw_start, raw_start + n))
            self.ends.extend(range(raw_start + 1, raw_start + n))
        else:
            self.offsets.extend(offsets[:n])
            self.ends.extend(offsets[1:n])
        self.ends.append(raw_end)

    def raw_text(self, start: int, end: int) -> None:
        """Source text taken as it is, runs of whitespace with a line break
        becoming one soft break."""
        src = self.src
        i = start
        while i < end:
            ch = src[i]
            if ch in "\r\n" or (ch.isspace() and _line_break_ahead(src, i, end)):
                j = i
                while j < end and src[j].isspace():
                    j += 1
                self.soft_break(i, j)
                i = j
                continue
            self.chars.append(ch)
            self.offsets.append(i)
            self.ends.append(i + 1)
            i += 1

    def soft_break(self, raw_start: int, raw_end: int) -> None:
        """A line break (with the spaces and prefix around it) read as one space."""
        raw = self.src[raw_start:raw_end]
        nl = raw.find("\n")
        cr = raw.find("\r")
        if nl == -1 and cr == -1:
            self.text(raw_start, " ", None, raw_end)
            return
        first = min(i for i in (nl, cr) if i != -1)
        newline = "\r\n" if raw[first : first + 2] == "\r\n" else raw[first]
        self.breaks += 1
        self.newline = self.newline or newline
        if self.prefix is None:
            self.prefix = raw[first + len(newline) :]
        if self.chars and self.chars[-1] == " " and self.ends[-1] == raw_start:
            self.ends[-1] = raw_end  # spaces already there: one space
            return
        self.chars.append(" ")
        self.offsets.append(raw_start)
        self.ends.append(raw_end)

    def tag(self, raw_start: int, raw_end: int, role: str, name: str = "") -> None:
        """An ``open``, ``close`` or ``void`` tag; opens and closes pair by name."""
        mark = _Mark(len(self.chars), len(self.chars), raw_start, raw_end, role, name)
        index = len(self.marks)
        self.marks.append(mark)
        if role == "open":
            self._open.append(index)
        elif role == "close":
            for k in range(len(self._open) - 1, -1, -1):
                if self.marks[self._open[k]].name == name:
                    opener = self._open[k]
                    self.marks[opener].pair = index
                    mark.pair = opener
                    del self._open[k:]
                    break
            else:
                mark.role = "void"

    def line_break(self, raw_start: int, raw_end: int) -> None:
        """A hard line break (``<br>``, a Markdown hard break): markup that a reader
        sees as a break between words, so the text gets a space there, of no width
        in the source."""
        self.tag(raw_start, raw_end, "break")
        if self.chars and not self.chars[-1].isspace():
            self.chars.append(" ")
            self.offsets.append(raw_end)
            self.ends.append(raw_end)

    def opaque(self, raw_start: int, raw_end: int, shown: str) -> None:
        """An element kept byte for byte; a reader sees ``shown``."""
        pos = len(self.chars)
        for ch in shown:
            self.chars.append(ch)
            self.offsets.append(raw_start)
            self.ends.append(raw_start)
        self.marks.append(_Mark(pos, len(self.chars), raw_start, raw_end, "opaque", ""))

    def build(
        self,
        index: int,
        kind: str = "text",
        lang: str | None = None,
        name: str | None = None,
        *,
        lines: bool = False,
    ) -> Segment | None:
        """The segment (None when the block has no text). ``lines``: a subtitle
        cue, re-split into its number of lines."""
        chars, offsets, ends = self.chars, self.offsets, self.ends
        opaque = [(m.pos, m.end) for m in self.marks if m.role == "opaque"]

        def free(i: int) -> bool:
            return chars[i].isspace() and not any(s <= i < e for s, e in opaque[:1] + opaque[-1:])

        lo, hi = 0, len(chars)
        while lo < hi and free(lo):
            lo += 1
        while hi > lo and free(hi - 1):
            hi -= 1
        covered = sum(max(0, min(e, hi) - max(s, lo)) for s, e in opaque)
        if lo == hi or covered >= hi - lo:
            return None  # no text, or only text that is never translated
        text = "".join(chars[lo:hi])
        marks = []
        for m in self.marks:
            role = m.role
            if role in ("open", "close") and m.pair < 0:
                role = "void"
            pos = min(max(m.pos, lo), hi) - lo
            end = min(max(m.end, lo), hi) - lo
            marks.append(Inline(pos, end, m.raw_start, m.raw_end, role, m.pair))
        first_raw = offsets[lo]
        last_raw = ends[hi - 1]
        start = min([first_raw] + [m.raw_start for m in marks if m.start == 0])
        end = max([last_raw] + [m.raw_end for m in marks if m.end == len(text)])
        # leading/trailing marks outside the kept text stay in the segment
        rel = [o - start for o in offsets[lo:hi]] + [last_raw - start]
        plain = not marks and rel == list(range(len(text) + 1)) and self.src[start:end] == text
        wrap = None
        if self.breaks:
            if lines:
                wrap = Wrap(0, "", self.newline, self.breaks + 1)
            else:
                wrap = Wrap(self._width(start, end), self.prefix or "", self.newline)
        return Segment(
            index=index,
            start=start,
            end=end,
            text=text,
            kind=kind,
            lang=lang,
            name=name,
            raw_map=None if plain else tuple(rel),
            inline=tuple(marks),
            wrap=wrap,
        )

    def _width(self, start: int, end: int) -> int:
        line_start = self.src.rfind("\n", 0, start) + 1
        line_end = self.src.find("\n", end)
        block = self.src[line_start : len(self.src) if line_end == -1 else line_end]
        return max(len(line.rstrip("\r")) for line in block.split("\n"))


def _line_break_ahead(src: str, i: int, end: int) -> bool:
    j = i
    while j < end and src[j].isspace():
        if src[j] in "\r\n":
            return True
        j += 1
    return False
