"""Inline markup through translation: numbered placeholders, verified and repaired.

A segment (one block) carries its inline markup as :class:`~toolkit.document.Inline`
pieces. A sentence goes to the engine as its text with every piece inside it
replaced by a numbered sentinel ``⟦n⟧``, the glossary's own placeholder
(:mod:`toolkit.glossary.protect`: it survives SentencePiece and CTranslate2, and
its tolerant reader finds sentinels with spaces inserted or a bracket lost). An
element is two sentinels, one for each tag, around the words it marks up:

    Генеральный секретарь <a href="/x">ОДКБ</a> заявил  →  Генеральный секретарь ⟦1⟧ОДКБ⟦2⟧ заявил

After the engine, :func:`restore` checks that every sentinel came back exactly
once and that the elements nest; a duplicate is dropped, a renumbered one is
taken back, and an element whose place cannot be decided (lost, or crossing
another) moves to the nearest sentence boundary with its content: it wraps the
whole sentence; a lone tag (``<br>``, an image, inline code, a tag whose partner
lies in another sentence) goes to the sentence's end or start. Each such move is
counted (``markup relocated``); nothing is dropped or duplicated.

Opaque elements (inline code, ``translate="no"``, ``notranslate``) are one
sentinel that restores to their source, byte for byte, like a do-not-translate
term. ``⟦`` or ``⟧`` written in the text itself are opaque too.

:func:`splice` renders a document whose segments were replaced by *marked* text
(the segment's text with global sentinels, see :func:`marked_text`): only the
units (characters and markup pieces) that changed are rewritten, markup is copied
from the source, and a changed run of a wrapped block is wrapped again to the
block's width and prefix, or split into the cue's number of balanced lines.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from toolkit.document import Document, Inline, Segment

OPEN, CLOSE = "⟦", "⟧"
_EXACT = re.compile(r"⟦(\d+)⟧")
_LITERALS = frozenset("⟦⟧")
_SPACE = frozenset(" \t\u00a0")

Escape = Callable[[str], str]


def sentinel(number: int) -> str:
    return f"{OPEN}{number}{CLOSE}"


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Layout:
    """A segment as a sequence of units: a character of its text (``str``) or a
    markup piece (``int``, an index into ``marks``). ``marks`` are the segment's
    inline pieces plus literal ``⟦``/``⟧`` characters (opaque, one character)."""

    units: tuple[str | int, ...]
    marks: tuple[Inline, ...]
    positions: tuple[int, ...]  # text position of each unit (a mark: its start)
    opaque: tuple[tuple[int, int], ...] = ()  # text spans of opaque pieces, in order
    opaque_ends: tuple[int, ...] = ()


_LAYOUTS: dict[int, tuple[Segment, Layout]] = {}


def layout(seg: Segment) -> Layout:
    """The units of ``seg`` (cached per segment object)."""
    hit = _LAYOUTS.get(id(seg))
    if hit is not None and hit[0] is seg:
        return hit[1]
    marks = list(seg.inline)
    text = seg.text
    if _LITERALS & set(text):
        covered = [(m.start, m.end) for m in marks if m.role == "opaque"]
        for i, ch in enumerate(text):
            if ch in _LITERALS and not any(s <= i < e for s, e in covered):
                raw_start = seg.raw_offset(i)
                marks.append(Inline(i, i + 1, raw_start, seg.raw_offset(i + 1), "opaque"))
        remap = {id(m): k for k, m in enumerate(seg.inline)}
        order = sorted(range(len(marks)), key=lambda k: (marks[k].start, marks[k].raw_start))
        new_index = {old: new for new, old in enumerate(order)}
        fixed = []
        for k in order:
            m = marks[k]
            pair = m.pair
            if pair >= 0 and id(seg.inline[pair]) in remap:
                pair = new_index[pair]
            fixed.append(Inline(m.start, m.end, m.raw_start, m.raw_end, m.role, pair))
        marks = fixed
    units: list[str | int] = []
    positions: list[int] = []
    k = 0
    i = 0
    n = len(text)
    while i <= n:
        skip_to = i
        while k < len(marks) and marks[k].start <= i:
            units.append(k)
            positions.append(marks[k].start)
            if marks[k].role == "opaque":
                skip_to = max(skip_to, marks[k].end)
            k += 1
        if skip_to > i:
            i = skip_to
            continue
        if i < n:
            units.append(text[i])
            positions.append(i)
        i += 1
    opaque = tuple((m.start, m.end) for m in marks if m.role == "opaque")
    ends = tuple(e for _s, e in opaque)
    result = Layout(tuple(units), tuple(marks), tuple(positions), opaque, ends)
    if len(_LAYOUTS) > 4096:
        _LAYOUTS.clear()
    _LAYOUTS[id(seg)] = (seg, result)
    return result


_HAS: dict[int, tuple[Segment, bool]] = {}


def has_markup(seg: Segment) -> bool:
    """Does ``seg`` need the marked form (inline pieces, wrapping or literal brackets)?
    (Cached per segment object: a long segment is asked once per sentence.)"""
    if seg.inline or seg.wrap is not None:
        return True
    hit = _HAS.get(id(seg))
    if hit is not None and hit[0] is seg:
        return hit[1]
    value = OPEN in seg.text or CLOSE in seg.text
    if len(_HAS) > 4096:
        _HAS.clear()
    _HAS[id(seg)] = (seg, value)
    return value


def marked_text(seg: Segment) -> str:
    """The segment's text with every markup piece as its global sentinel (index + 1)."""
    return _render_units(layout(seg).units, lambda k: sentinel(k + 1))


def _render_units(units: Sequence[str | int], mark: Callable[[int], str]) -> str:
    return "".join(u if isinstance(u, str) else mark(u) for u in units)


def parse_marked(text: str) -> list[str | int]:
    """Units of a marked text: characters, and sentinel numbers - 1 as ints."""
    out: list[str | int] = []
    pos = 0
    for m in _EXACT.finditer(text):
        out.extend(text[pos : m.start()])
        out.append(int(m.group(1)) - 1)
        pos = m.end()
    out.extend(text[pos:])
    return out


# --------------------------------------------------------------------------- fragments


@dataclass(frozen=True)
class Marked:
    """One sentence on its way to the engine.

    ``text``: the sentence with local sentinels ``⟦1⟧``, ``⟦2⟧``, ... ``marks``: the
    global mark index of each local number - 1; ``roles``/``pairs``: the local
    structure (a tag whose partner is outside the sentence is ``lone-open`` or
    ``lone-close``). ``first``/``last``: the segment units the sentence covers
    (``last`` exclusive); ``start``/``end``: its text span (widened over opaque
    elements it touches)."""

    text: str
    marks: tuple[int, ...]
    roles: tuple[str, ...]
    pairs: tuple[int, ...]
    first: int
    last: int
    start: int
    end: int
    spaces: tuple[tuple[bool, bool], ...]  # whitespace before/after each sentinel


def fragment_span(seg: Segment, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened so that no opaque element is cut."""
    if not has_markup(seg):
        return start, end
    opaque = layout(seg).opaque
    # opaque elements do not overlap one another: their starts and ends are sorted
    k = bisect.bisect_right(layout(seg).opaque_ends, start)
    while k < len(opaque) and opaque[k][0] < end:
        o_start, o_end = opaque[k]
        if o_end > start:
            start, end = min(start, o_start), max(end, o_end)
        k += 1
    return start, end


def mark_fragment(seg: Segment, start: int, end: int) -> Marked:
    """The sentence ``seg.text[start:end]`` with the markup inside it as sentinels."""
    start, end = fragment_span(seg, start, end)
    if not has_markup(seg):  # units are the characters
        return Marked(seg.text[start:end], (), (), (), start, end, start, end, ())
    lay = layout(seg)
    marks = lay.marks

    def inside_element(k: int) -> bool:
        m = marks[k]
        if m.pair < 0:
            return False
        o, c = (m, marks[m.pair]) if m.role == "open" else (marks[m.pair], m)
        return start <= o.start and c.start <= end

    # units strictly inside, plus the boundary marks that belong to the sentence
    first = last = -1
    lo_idx = bisect.bisect_left(lay.positions, start)
    hi_idx = bisect.bisect_right(lay.positions, end)
    for idx in range(lo_idx, hi_idx):
        unit, pos = lay.units[idx], lay.positions[idx]
        if isinstance(unit, str):
            if start <= pos < end:
                if first == -1:
                    first = idx
                last = idx + 1
            continue
        m = marks[unit]
        if m.role == "opaque":
            if start <= m.start and m.end <= end and (m.start < end or m.start == m.end):
                if first == -1:
                    first = idx
                last = idx + 1
            continue
        if start < m.start < end:
            if first == -1:
                first = idx
            last = idx + 1
    if first == -1:
        return Marked(seg.text[start:end], (), (), (), 0, 0, start, end, ())
    # widen over boundary tags: opens (and voids between them) before the first
    # character, closes (and voids) after the last, when their element is inside
    lo = first
    k = first - 1
    while k >= 0 and isinstance(lay.units[k], int):
        u = lay.units[k]
        assert isinstance(u, int)
        m = marks[u]
        if m.role == "open" and inside_element(u):
            lo = k
        elif m.role not in ("void", "break", "opaque") or m.start != start:
            break
        k -= 1
    hi = last
    k = last
    while k < len(lay.units) and isinstance(lay.units[k], int):
        u = lay.units[k]
        assert isinstance(u, int)
        m = marks[u]
        if m.role == "close" and inside_element(u):
            hi = k + 1
        elif m.role not in ("void", "break", "opaque") or m.start != end:
            break
        k += 1
    first, last = lo, hi
    chosen = lay.units[first:last]
    globals_ = [u for u in chosen if isinstance(u, int)]
    local = {g: n for n, g in enumerate(globals_)}
    roles: list[str] = []
    pairs: list[int] = []
    for g in globals_:
        m = marks[g]
        if m.role in ("open", "close") and m.pair in local:
            roles.append(m.role)
            pairs.append(local[m.pair])
        elif m.role == "open":
            roles.append("lone-open")
            pairs.append(-1)
        elif m.role == "close":
            roles.append("lone-close")
            pairs.append(-1)
        else:
            roles.append(m.role)
            pairs.append(-1)
    text = _render_units(chosen, lambda g: sentinel(local[g] + 1))
    spaces: list[tuple[bool, bool]] = []
    for i, u in enumerate(chosen):
        if isinstance(u, int):
            before = i > 0 and chosen[i - 1] in _SPACE
            after = i + 1 < len(chosen) and chosen[i + 1] in _SPACE
            spaces.append((bool(before), bool(after)))
    return Marked(
        text, tuple(globals_), tuple(roles), tuple(pairs), first, last, start, end, tuple(spaces)
    )


@dataclass(frozen=True)
class Restored:
    """A translated sentence with global sentinels, and how many elements moved."""

    text: str
    relocated: int = 0


def restore(marked: Marked, translated: str) -> Restored:
    """Verify and repair the sentinels of ``translated``; return global marked text.

    Every local sentinel ends up exactly once, elements nest, and each one whose
    place could not be decided is relocated to the sentence's boundary (counted).
    """
    n = len(marked.marks)
    if n == 0:
        return Restored(_strip_strays(translated))
    from toolkit.glossary.protect import scan

    hits = scan(translated)
    by_number: dict[int, list[int]] = {}
    strays: list[int] = []
    for h_index, hit in enumerate(hits):
        if 1 <= hit.number <= n:
            by_number.setdefault(hit.number, []).append(h_index)
        else:
            strays.append(h_index)
    keep: dict[int, int] = {}  # local number -> hit index
    for number, found in by_number.items():
        exact = [i for i in found if hits[i].exact]
        keep[number] = (exact or found)[0]
    missing = [k for k in range(1, n + 1) if k not in keep]
    if strays and len(strays) == len(missing):
        for h_index, number in zip(strays, missing, strict=True):
            keep[number] = h_index
        missing = []
    # the sequence of text pieces and local numbers, in output order
    owner = {h: number for number, h in keep.items()}
    seq: list[str | int] = []
    pos = 0
    for h_index, hit in enumerate(hits):
        piece = translated[pos : hit.start]
        owned = owner.get(h_index)
        if owned is None:
            # a duplicate or engine noise: drop it, without leaving a double space
            if piece.endswith(" ") and translated[hit.end : hit.end + 1] in (" ", ""):
                piece = piece[:-1]
            seq.append(piece)
        else:
            seq += [piece, owned - 1]
        pos = hit.end
    seq.append(translated[pos:])
    placed = [u for u in seq if isinstance(u, int)]
    broken = set(range(n)) - set(placed)
    broken |= _crossing(placed, marked.roles, marked.pairs)
    # an element is relocated whole: both of its tags
    for k in list(broken):
        if marked.pairs[k] >= 0:
            broken.add(marked.pairs[k])
    kept: list[str | int] = []
    for u in seq:
        if isinstance(u, int) and u in broken:
            kept.append("")  # a junction: no double space where it was
            continue
        if isinstance(u, str) and kept and kept[-1] == "" and len(kept) > 1:
            kept.pop()
            prev = kept[-1]
            if isinstance(prev, str):
                if prev.endswith(" ") and u.startswith(" "):
                    u = u[1:]
                kept[-1] = prev + u
                continue
        kept.append(u)
    seq = [u for u in kept if u != ""]
    seq = _tidy_spaces(seq, marked)
    head: list[int] = []
    tail: list[int] = []
    for k in sorted(broken):
        role = marked.roles[k]
        if role in ("open", "lone-close"):
            head.append(k)
        else:
            tail.append(k)
    # closes of relocated elements wrap the sentence in reverse order of their opens
    closes = [k for k in tail if marked.roles[k] == "close"]
    others = [k for k in tail if marked.roles[k] != "close"]
    closes.sort(key=lambda k: -marked.pairs[k])
    lone_close = [k for k in head if marked.roles[k] == "lone-close"]
    opens = [k for k in head if marked.roles[k] == "open"]
    body = "".join(u if isinstance(u, str) else sentinel(marked.marks[u] + 1) for u in seq)
    lead = len(body) - len(body.lstrip())
    trail = len(body.rstrip())
    text = (
        body[:lead]
        + "".join(sentinel(marked.marks[k] + 1) for k in lone_close + opens)
        + body[lead:trail]
        + "".join(sentinel(marked.marks[k] + 1) for k in closes + others)
        + body[trail:]
    )
    if marked.text == marked.text.strip():
        text = text.strip()
    relocated = sum(1 for k in broken if marked.roles[k] != "close")
    return Restored(text, relocated)


def _strip_strays(text: str) -> str:
    """A sentence without markup: sentinels the engine invented are noise."""
    if OPEN not in text:
        return text
    return _EXACT.sub("", text)


def _crossing(placed: Sequence[int], roles: Sequence[str], pairs: Sequence[int]) -> set[int]:
    """Local numbers whose placement breaks nesting (a close before its open, crossing
    elements, a lone close after an open tag, a lone open before a close)."""
    broken: set[int] = set()
    stack: list[int] = []
    for k in placed:
        role = roles[k]
        if role == "open":
            stack.append(k)
        elif role == "close":
            if stack and stack[-1] == pairs[k]:
                stack.pop()
            elif pairs[k] in stack:
                # everything opened after its open crosses it
                at = stack.index(pairs[k])
                broken.update(stack[at + 1 :])
                del stack[at:]
            else:
                broken.add(k)  # before its open
        elif role == "lone-close":
            if stack:
                broken.add(k)
        elif role == "lone-open":
            stack.append(k)
    return broken


def _tidy_spaces(seq: list[str | int], marked: Marked) -> list[str | int]:
    """Whitespace the engine put just inside an element (``⟦1⟧ CSTO ⟦2⟧``) moves
    outside it when the source had none there."""
    out = list(seq)
    for i, u in enumerate(out):
        if not isinstance(u, int):
            continue
        before, after = marked.spaces[u]
        role = marked.roles[u]
        if role == "open" and not after and i + 1 < len(out):
            nxt = out[i + 1]
            if isinstance(nxt, str) and nxt[:1] in _SPACE:
                out[i + 1] = nxt.lstrip(" ")
                if i > 0 and isinstance(out[i - 1], str) and not str(out[i - 1]).endswith(" "):
                    out[i - 1] = str(out[i - 1]) + " "
        if role == "close" and not before and i > 0:
            prev = out[i - 1]
            if isinstance(prev, str) and prev[-1:] in _SPACE:
                out[i - 1] = prev.rstrip(" ")
                if i + 1 < len(out) and isinstance(out[i + 1], str):
                    nxt = str(out[i + 1])
                    if nxt[:1] not in _SPACE and nxt[:1].isalnum():
                        out[i + 1] = " " + nxt
    return out


def replace_fragments(seg: Segment, items: Sequence[tuple[Marked, str]]) -> str:
    """The segment's marked text with each sentence's units replaced by its
    restored (global marked) translation."""
    units = layout(seg).units
    pieces: list[str] = []
    pos = 0
    for marked, new in sorted(items, key=lambda item: item[0].first):
        if marked.first < pos:
            continue  # overlapping sentences: keep the first
        pieces.append(_render_units(units[pos : marked.first], lambda k: sentinel(k + 1)))
        pieces.append(new)
        pos = marked.last
    pieces.append(_render_units(units[pos:], lambda k: sentinel(k + 1)))
    return "".join(pieces)


# --------------------------------------------------------------------------- render


def splice(
    doc: Document,
    replacements: Mapping[int, str],
    escape_for: Callable[[Segment], Escape | None],
) -> str:
    """``doc.text`` with segments replaced (see the module docstring).

    A segment without markup (:func:`has_markup`) is replaced by its new plain
    text; a segment with markup by its new *marked* text. Sentinels missing from
    a marked replacement are appended, so markup is never lost even when a caller
    passes plain text."""
    from toolkit.document import apply_edits, segment_edits

    if not replacements:
        return doc.text
    simple = {i: t for i, t in replacements.items() if not has_markup(doc.segments[i])}
    leaf = sorted(segment_edits(doc, simple, escape_for=escape_for))
    used: set[int] = set()
    edits: list[tuple[int, int, str]] = []
    for index, new in replacements.items():
        if index in simple:
            continue
        seg = doc.segments[index]
        edit = _segment_edit(doc, seg, new, escape_for(seg), leaf, used)
        if edit is not None:
            edits.append(edit)
    edits += [e for i, e in enumerate(leaf) if i not in used]
    return apply_edits(doc.text, edits)


def carried_units(seg: Segment, new: str) -> list[str | int]:
    """The units of ``seg``'s new marked text, every markup piece exactly once:
    duplicates and unknown sentinels dropped, missing pieces appended."""
    marks = len(layout(seg).marks)
    seen: set[int] = set()
    cleaned: list[str | int] = []
    for u in parse_marked(new):
        if isinstance(u, int):
            if u in seen or not 0 <= u < marks:
                continue
            seen.add(u)
        cleaned.append(u)
    cleaned += [k for k in range(marks) if k not in seen]
    return cleaned


def unit_bounds(seg: Segment, lay: Layout) -> list[tuple[int, int]]:
    """Absolute (raw start, raw end) of every unit of ``seg``."""
    bounds: list[tuple[int, int]] = []
    units = lay.units
    for idx, unit in enumerate(units):
        if isinstance(unit, int):
            m = lay.marks[unit]
            bounds.append((m.raw_start, m.raw_end))
            continue
        pos = lay.positions[idx]
        start = seg.raw_offset(pos)
        nxt = units[idx + 1] if idx + 1 < len(units) else None
        if isinstance(nxt, int):
            end = lay.marks[nxt].raw_start
        elif nxt is not None:
            end = seg.raw_offset(pos + 1)
        else:
            end = seg.raw_offset(pos + 1) if pos + 1 <= len(seg.text) else seg.end
        bounds.append((start, max(start, end)))
    return bounds


def _segment_edit(
    doc: Document,
    seg: Segment,
    new: str,
    escape: Escape | None,
    leaf: list[tuple[int, int, str]],
    used: set[int],
) -> tuple[int, int, str] | None:
    lay = layout(seg)
    old_units = list(lay.units)
    new_units = carried_units(seg, new)
    if new_units == old_units:
        return None
    p = 0
    limit = min(len(old_units), len(new_units))
    while p < limit and old_units[p] == new_units[p]:
        p += 1
    s = 0
    while s < limit - p and old_units[-1 - s] == new_units[-1 - s]:
        s += 1
    bounds = unit_bounds(seg, lay)
    old_end = len(old_units) - s
    if p < old_end:
        raw_start, raw_end = bounds[p][0], bounds[old_end - 1][1]
    else:  # a pure insertion
        raw_start = raw_end = bounds[p - 1][1] if p > 0 else bounds[p][0]
    middle = new_units[p : len(new_units) - s]
    parts: list[tuple[str, bool]] = []  # (raw text, breakable text?)
    text_run: list[str] = []

    def flush() -> None:
        if text_run:
            value = "".join(text_run)
            if seg.wrap is not None:
                value = value.replace("\r\n", " ").replace("\n", " ")
            parts.append((escape(value) if escape else value, True))
            text_run.clear()

    after_break = p > 0 and isinstance(old_units[p - 1], int)
    after_break = after_break and lay.marks[int(old_units[p - 1])].role == "break"
    for u in middle:
        if isinstance(u, str):
            if not (after_break and not text_run and u == " "):
                text_run.append(u)  # (a line break already separates the words)
            after_break = False
            continue
        flush()
        m = lay.marks[u]
        parts.append((_copy_raw(doc, m.raw_start, m.raw_end, leaf, used), False))
        after_break = m.role == "break"
    flush()
    if seg.wrap is not None and any(t for t, b in parts if b and " " in t):
        outside = doc.text[seg.start : raw_start] + doc.text[raw_end : seg.end]
        column = raw_start - (doc.text.rfind("\n", 0, raw_start) + 1)
        line_end = doc.text.find("\n", raw_end, seg.end)
        tail = len(doc.text[raw_end : seg.end if line_end == -1 else line_end].rstrip("\r"))
        text = _wrap(parts, seg, column, outside, tail)
    else:
        text = "".join(t for t, _ in parts)
    return raw_start, raw_end, text


def _copy_raw(
    doc: Document, start: int, end: int, leaf: list[tuple[int, int, str]], used: set[int]
) -> str:
    """The source of a markup piece, with the edits of segments inside it (an
    attribute value, an image's alt text) applied."""
    # leaf is sorted by start: the edits inside [start, end) are one run of it
    k = bisect.bisect_left(leaf, (start, -1, ""))
    inner = []
    while k < len(leaf) and leaf[k][0] < end:
        if leaf[k][1] <= end:
            inner.append((k, leaf[k]))
        k += 1
    if not inner:
        return doc.text[start:end]
    out: list[str] = []
    pos = start
    for i, (s, e, t) in sorted(inner, key=lambda item: item[1][0]):
        out += [doc.text[pos:s], t]
        pos = e
        used.add(i)
    out.append(doc.text[pos:end])
    return "".join(out)


def _wrap(
    parts: list[tuple[str, bool]], seg: Segment, column: int, outside: str, tail: int = 0
) -> str:
    """Join ``parts``, breaking at spaces of the text parts: greedily at the block's
    width (the line starts at ``column``; ``tail`` characters of the source follow
    on the last line), or into the cue's number of balanced lines."""
    wrap = seg.wrap
    assert wrap is not None
    pieces: list[str] = []
    breaks: list[int] = []
    size = 0
    for raw, breakable in parts:
        if breakable:
            at = raw.find(" ")
            while at != -1:
                breaks.append(size + at)
                at = raw.find(" ", at + 1)
        pieces.append(raw)
        size += len(raw)
    text = "".join(pieces)
    # a space at either end is no place for a line break
    breaks = [b for b in breaks if 0 < b < len(text) - 1 and text[b - 1] != " "]
    if not breaks:
        return text
    chosen: list[int] = []
    if wrap.lines > 0:
        k = wrap.lines - outside.count("\n")
        if k <= 1:
            return text
        total = len(text)
        pos = -1
        for j in range(1, k):
            target = total * j / k
            options = [b for b in breaks if b > pos]
            if not options:
                break
            best = min(options, key=lambda b: abs(b - target))
            chosen.append(best)
            pos = best
    else:
        width = wrap.width
        line_start, col = 0, column
        last_ok: int | None = None
        for b in [*breaks, len(text)]:
            newline = text.rfind("\n", line_start, b)
            if newline != -1:  # a hard break's source ends the line there
                line_start, col, last_ok = newline + 1, 0, None
            extra = tail if b == len(text) else 0
            if col + (b - line_start) + extra > width and last_ok is not None:
                chosen.append(last_ok)
                line_start, col = last_ok + 1, len(wrap.prefix)
            last_ok = b
    out: list[str] = []
    pos = 0
    for b in chosen:
        out += [text[pos:b], wrap.newline + wrap.prefix]
        pos = b + 1
    out.append(text[pos:])
    return "".join(out)
