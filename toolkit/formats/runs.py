"""Rendering a translated paragraph of runs (WordprocessingML ``w:r``/``w:t``,
DrawingML ``a:r``/``a:t``) so that the part stays a valid document.

In HTML an element may hold another; a run may not: text stands only inside a
run's text element, and runs, hyperlinks, fields and tracked changes stand only
between runs. After translation the engine may put words outside every run, or
an element's placeholders around words of another run (a placeholder the
engine lost is moved to the sentence's boundary, :mod:`toolkit.markup`). So each
piece of markup is given the *level* it needs before it and leaves after it
(0 between runs, 1 inside a run, 2 inside its text), read from the run and text
tags in its source, and from where it stood in the original when it has none;
the changed units of the paragraph are written with just the closing and
opening run and text tags that take each unit to its level. A run opened that
way is plain (no properties); every original piece of markup still comes back
exactly once, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from toolkit import markup
from toolkit.document import Document, Inline, Segment, apply_edits, segment_edits
from toolkit.formats import xmlparts

_RT_RE = re.compile(r"<(/?)((?:[\w.-]+:)?)([rt])(?=[\s/>])[^>]*?(/?)>")
_TEXT_OPEN_RE = re.compile(r"<((?:[\w.-]+:)?)t(?:\s[^>]*)?>$")


def _preserves(raw: str, prefix: str) -> bool:
    """Does the last text element opened in ``raw`` keep its edge spaces?"""
    found = re.findall(rf"<{re.escape(prefix)}t(?:\s[^>]*)?>", raw)
    return bool(found) and "preserve" in found[-1]


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    """``doc.text`` with segments replaced (plain ones in place, with runs repaired)."""
    plain = {i: t for i, t in replacements.items() if not markup.has_markup(doc.segments[i])}
    edits = segment_edits(doc, plain, xmlparts.escape)
    for index, new in replacements.items():
        if index in plain:
            continue
        edit = _edit(doc, doc.segments[index], new)
        if edit is not None:
            edits.append(edit)
    return apply_edits(doc.text, edits)


def _levels(raw: str, prefix: str) -> tuple[int, int] | None:
    """(level before, level after) of a piece of markup, from its run and text
    tags of ``prefix``; None when it has none."""
    before: int | None = None
    level = 0
    for m in _RT_RE.finditer(raw):
        closing, pfx, name, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if pfx != prefix or empty:
            continue
        if before is None:
            before = (2 if name == "t" else 1) if closing else 0 if name == "r" else 1
            level = before
        level += -1 if closing else 1
    return None if before is None else (before, level)


def _nested(units: list[str | int], marks: Sequence[Inline]) -> list[str | int]:
    """``units`` with every element whose tags cross another's, or whose end
    comes before its start, moved around the whole paragraph (as
    :func:`toolkit.markup.restore` does with a sentence), so elements nest."""
    stack: list[int] = []
    broken: set[int] = set()
    for u in units:
        if isinstance(u, str):
            continue
        m = marks[u]
        if m.role == "open" and m.pair >= 0:
            stack.append(u)
        elif m.role == "close" and m.pair >= 0:
            if stack and stack[-1] == m.pair:
                stack.pop()
            elif m.pair in stack:
                at = stack.index(m.pair)
                broken.update(stack[at + 1 :])
                del stack[at:]
            else:
                broken.add(u)
    if not broken:
        return units
    broken |= {marks[k].pair for k in broken}
    opens = sorted(k for k in broken if marks[k].role == "open")
    rest = [u for u in units if not (isinstance(u, int) and u in broken)]
    return [*opens, *rest, *(marks[k].pair for k in reversed(opens))]


def _edit(doc: Document, seg: Segment, new: str) -> tuple[int, int, str] | None:
    lay = markup.layout(seg)
    old = list(lay.units)
    units = _nested(markup.carried_units(seg, new), lay.marks)
    if units == old:
        return None
    first_char = next(i for i, u in enumerate(old) if isinstance(u, str))
    at = seg.raw_offset(lay.positions[first_char])
    opener = _TEXT_OPEN_RE.search(doc.text[max(0, at - 400) : at])
    prefix = opener.group(1) if opener else ""
    space = "" if prefix == "a:" else ' xml:space="preserve"'  # DrawingML has no xml:space
    marks = [doc.text[m.raw_start : m.raw_end] for m in lay.marks]
    levels = [_levels(raw, prefix) for raw in marks]
    # the level before each unit of the original
    start = 2
    for u in old:
        if isinstance(u, str):
            break
        found = levels[u]
        if found is not None:
            start = found[0]
            break
    need: dict[int, tuple[int, int]] = {}
    level = start
    before_unit: list[int] = []
    for u in old:
        before_unit.append(level)
        if isinstance(u, int):
            found = levels[u]
            need[u] = found if found is not None else (level, level)
            level = need[u][1]
    end_level = level
    p = 0
    limit = min(len(old), len(units))
    while p < limit and old[p] == units[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == units[-1 - s]:
        s += 1
    bounds = markup.unit_bounds(seg, lay)
    old_end = len(old) - s
    if p < old_end:
        raw_start, raw_end = bounds[p][0], bounds[old_end - 1][1]
    else:
        raw_start = raw_end = bounds[p - 1][1] if p > 0 else bounds[p][0]
    level = before_unit[p] if p < len(old) else end_level
    goal = before_unit[old_end] if old_end < len(old) else end_level
    out: list[str] = []
    text: list[str] = []
    # does the text element open at level 2 keep its edge spaces (xml:space)?
    preserving = prefix == "a:" or _preserves(doc.text[max(0, raw_start - 400) : raw_start], prefix)
    fresh = not (p > 0 and isinstance(old[p - 1], str))  # no text yet in that element

    def flush(edge: bool) -> None:
        """Write the pending text; ``edge``: the text element ends after it."""
        nonlocal fresh
        if not text:
            return
        chunk = xmlparts.escape("".join(text))
        text.clear()
        if not preserving:
            # Word drops the edge spaces of a text element without xml:space:
            # they get an element of their own that keeps them
            lead = len(chunk) - len(chunk.lstrip()) if fresh else 0
            trail = len(chunk) - len(chunk.rstrip()) if edge and lead < len(chunk) else 0

            def keep(spaces: str) -> str:
                return f"</{prefix}t><{prefix}t{space}>{spaces}</{prefix}t><{prefix}t>"

            head = keep(chunk[:lead]) if lead else ""
            tail = keep(chunk[len(chunk) - trail :]) if trail else ""
            chunk = head + chunk[lead : len(chunk) - trail] + tail
        out.append(chunk)
        fresh = False

    def move(to: int, edge: bool = True) -> None:
        nonlocal level, preserving, fresh
        flush(edge)
        while level > to:
            out.append(f"</{prefix}t>" if level == 2 else f"</{prefix}r>")
            level -= 1
        while level < to:
            out.append(f"<{prefix}r>" if level == 0 else f"<{prefix}t{space}>")
            level += 1
            preserving, fresh = True, True  # a text element of ours keeps its spaces

    # a break's space has no source: the break itself separates the words
    after_break = (
        p > 0 and isinstance(old[p - 1], int) and lay.marks[int(old[p - 1])].role == "break"
    )
    for u in units[p : len(units) - s]:
        if isinstance(u, str):
            if after_break and u == " ":
                after_break = False
                continue
            after_break = False
            if level != 2:
                move(2)
            text.append(u)
            continue
        before, after = need[u]
        move(before)
        out.append(marks[u])
        level = after
        if after == 2 and f"<{prefix}t" in marks[u]:
            preserving = prefix == "a:" or _preserves(marks[u], prefix)
            fresh = True
        after_break = lay.marks[u].role == "break"
    move(goal, not (old_end < len(old) and isinstance(old[old_end], str)))
    return raw_start, raw_end, "".join(out)
