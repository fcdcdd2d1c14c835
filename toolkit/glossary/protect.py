"""Glossary enforcement: mask terms before the engine, restore and verify after.

``mask`` replaces each matched term with a numbered sentinel ``⟦n⟧``. The
sentinel is digits between mathematical white square brackets: it survived a
copying SentencePiece model intact (DESIGN.md), it has no letters for an engine
to re-case, no ``_`` (SentencePiece turns it into a space), and NFKC leaves it
alone. Text that already contains ``⟦`` or ``⟧`` is protected the same way,
as a literal slot that restores to itself and is not counted as a term.

``restore`` puts each slot's target term in place and verifies that every
sentinel came back exactly once. Damage is repaired where it can be undone:

* spaces inserted inside, brackets swapped for look-alikes (``[[1]]``, ``〚1〛``)
  or one bracket lost: found with a tolerant pattern -> ``repaired``;
* duplicated: the first copy is kept, the others removed -> ``repaired``;
* an id that was never issued, while exactly that many slots are missing:
  taken as the missing ones in order -> ``repaired``;
* lost: the segment is translated again with the source term left in place
  (``retranslate``), and the source term is substituted afterwards; or the
  target term is already there -> ``repaired``; otherwise ``failed``.

Every term gets one outcome: ``applied`` (came back intact), ``repaired`` or
``failed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolkit.glossary.match import _SAME, Matcher, fold, matcher_for
from toolkit.glossary.model import Entry, Glossary

OPEN, CLOSE = "⟦", "⟧"
APPLIED, REPAIRED, FAILED = "applied", "repaired", "failed"

_OPENS = r"(?:⟦|〚|\[\[|\[ \[)"
_CLOSES = r"(?:⟧|〛|\]\]|\] \])"
_NUM = r"(\d(?:[ \t\u00a0\u200b]*\d)*)"
_SP = r"[ \t\u00a0\u200b]*"
_FUZZY = re.compile(
    # both brackets: spaces may have been inserted anywhere inside
    rf"{_OPENS}{_SP}{_NUM}{_SP}{_CLOSES}"
    # the closing bracket lost: only the digits that touch the opening one
    rf"|{_OPENS}{_SP}(\d+)"
    # the opening bracket lost
    rf"|(?<![\w⟦〚\[])(\d+){_SP}{_CLOSES}"
)
_LITERAL = re.compile(r"[⟦⟧〚〛]")


def sentinel(number: int) -> str:
    return f"{OPEN}{number}{CLOSE}"


@dataclass(frozen=True)
class Slot:
    """One masked span: the sentinel, what it replaced and what it restores to."""

    number: int
    source_text: str  # the text as written in the source
    target_text: str  # what goes back in: the target term (dnt: source as written)
    entry: Entry | None  # None for a literal bracket character in the source
    start: int
    end: int
    how: str = ""  # how the term matched: exact | casefold | lemma

    @property
    def sentinel(self) -> str:
        return sentinel(self.number)


@dataclass(frozen=True)
class Masked:
    """A source text with its terms replaced by sentinels."""

    source: str
    text: str
    slots: tuple[Slot, ...] = ()

    @property
    def terms(self) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.entry is not None)


@dataclass(frozen=True)
class TermOutcome:
    source_text: str
    target_text: str
    status: str  # applied | repaired | failed
    detail: str = ""
    entry: Entry | None = None
    number: int = 0  # the slot's sentinel number


@dataclass(frozen=True)
class Restored:
    text: str
    outcomes: tuple[TermOutcome, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        out = {APPLIED: 0, REPAIRED: 0, FAILED: 0}
        for o in self.outcomes:
            out[o.status] += 1
        return out

    @property
    def needs_retranslation(self) -> bool:
        return any(o.status == FAILED and o.detail == "lost" for o in self.outcomes)


# ----------------------------------------------------------------------------- mask


def target_term(entry: Entry, found: str, target: str, *, abbr: bool) -> str | None:
    """What a source term becomes in ``target`` (None: the entry has no target term)."""
    if entry.dnt:
        return found
    if abbr:
        value = entry.abbr(target) or entry.term(target)
    else:
        value = (entry.variants(target) or (None,))[0] or entry.term(target)
    return value


def mask(text: str, matcher: Matcher, target: str) -> Masked:
    """Replace every glossary term that has a ``target`` rendering with a sentinel."""
    spans: list[tuple[int, int, str, Entry | None, str]] = []
    for m in matcher.find(text):
        tgt = target_term(m.entry, m.text, target, abbr=m.abbr)
        if tgt is None:
            continue
        spans.append((m.start, m.end, tgt, m.entry, m.how))
    taken = [(s, e) for s, e, *_ in spans]
    for lit in _LITERAL.finditer(text):
        if not any(s <= lit.start() < e for s, e in taken):
            spans.append((lit.start(), lit.end(), lit.group(), None, ""))
    spans.sort(key=lambda s: s[0])
    parts: list[str] = []
    slots: list[Slot] = []
    pos = 0
    for number, (start, end, tgt, entry, how) in enumerate(spans, start=1):
        parts.append(text[pos:start])
        parts.append(sentinel(number))
        slots.append(Slot(number, text[start:end], tgt, entry, start, end, how))
        pos = end
    parts.append(text[pos:])
    return Masked(source=text, text="".join(parts), slots=tuple(slots))


# ----------------------------------------------------------------------------- restore


@dataclass
class _Hit:
    start: int
    end: int
    number: int
    exact: bool
    keep: bool = True
    assigned: int | None = None


def _scan(translated: str) -> list[_Hit]:
    hits = []
    for m in _FUZZY.finditer(translated):
        digits = m.group(1) or m.group(2) or m.group(3) or ""
        digits = re.sub(r"\D", "", digits)
        if not digits:
            continue
        number = int(digits)
        hits.append(_Hit(m.start(), m.end(), number, m.group() == sentinel(number)))
    return hits


def _find_loose(haystack: str, needle: str) -> tuple[int, int] | None:
    """``needle`` in ``haystack`` ignoring case, ё/е and runs of whitespace."""
    if not needle.strip():
        return None
    pattern = r"\s+".join(re.escape(w) for w in fold(needle).split())
    hay = haystack.casefold().translate(_SAME)
    if len(hay) != len(haystack):
        return None
    m = re.search(rf"(?<!\w){pattern}(?!\w)", hay)
    return (m.start(), m.end()) if m else None


def restore(
    masked: Masked, translated: str, *, retranslate: Callable[[str], str] | None = None
) -> Restored:
    """Put the target terms back in place of the sentinels, verify and repair."""
    restored = _restore_once(masked, translated)
    lost = [o for o in restored.outcomes if o.status == FAILED and o.detail == "lost"]
    if not lost or retranslate is None:
        return restored
    request = retranslation_request(masked, restored)
    return finish_retranslation(masked, restored, request, retranslate(request.text))


def _restore_once(masked: Masked, translated: str) -> Restored:
    slots = {s.number: s for s in masked.slots}
    hits = _scan(translated)
    by_number: dict[int, list[_Hit]] = {}
    strays: list[_Hit] = []
    for hit in hits:
        if hit.number in slots:
            by_number.setdefault(hit.number, []).append(hit)
        else:
            strays.append(hit)
    status: dict[int, tuple[str, str]] = {}
    for number in slots:
        found = by_number.get(number, [])
        if not found:
            continue
        keep = next((h for h in found if h.exact), found[0])
        for h in found:
            h.keep = h is keep
            h.assigned = number
        if len(found) > 1:
            status[number] = (REPAIRED, "duplicated")
        elif not keep.exact:
            status[number] = (REPAIRED, "altered")
        else:
            status[number] = (APPLIED, "")
    missing = [n for n in slots if n not in by_number]
    if strays and len(strays) == len(missing):
        for hit, number in zip(strays, missing, strict=True):
            hit.assigned = number
            hit.keep = True
            status[number] = (REPAIRED, "renumbered")
    else:
        for hit in strays:
            hit.keep = False  # an id that was never issued: engine noise
    # rebuild the text
    parts: list[str] = []
    pos = 0
    for hit in sorted(hits, key=lambda h: h.start):
        parts.append(translated[pos : hit.start])
        if hit.keep and hit.assigned is not None:
            parts.append(slots[hit.assigned].target_text)
        elif parts and parts[-1].endswith(" ") and translated[hit.end : hit.end + 1] in (" ", ""):
            parts[-1] = parts[-1][:-1]  # removing a copy: do not leave a double space
        pos = hit.end
    parts.append(translated[pos:])
    text = "".join(parts)
    outcomes: list[TermOutcome] = []
    for number, slot in slots.items():
        if slot.entry is None:
            continue
        state, detail = status.get(number, (FAILED, "lost"))
        outcomes.append(
            TermOutcome(slot.source_text, slot.target_text, state, detail, slot.entry, number)
        )
    return Restored(text=text, outcomes=tuple(outcomes))


@dataclass(frozen=True)
class Retranslation:
    """The segment to translate again: lost terms are left in place as written."""

    text: str
    inline: tuple[Slot, ...]  # the lost slots, now present as source text


def retranslation_request(masked: Masked, restored: Restored) -> Retranslation:
    lost_numbers = {o.number for o in restored.outcomes if o.detail == "lost"}
    lost = [s for s in masked.slots if s.number in lost_numbers]
    text = masked.text
    for slot in lost:
        text = text.replace(slot.sentinel, slot.source_text, 1)
    return Retranslation(
        text=text, inline=tuple(s for s in masked.slots if s.number in lost_numbers)
    )


def finish_retranslation(
    masked: Masked, first: Restored, request: Retranslation, translated: str
) -> Restored:
    """Restore the retranslated segment; substitute the terms left in place."""
    kept = tuple(s for s in masked.slots if s not in request.inline)
    second = _restore_once(Masked(masked.source, request.text, kept), translated)
    text = second.text
    outcomes = list(second.outcomes)
    for slot in request.inline:
        if slot.entry is None:
            continue
        where = _find_loose(text, slot.source_text)
        if where is not None:
            text = text[: where[0]] + slot.target_text + text[where[1] :]
        found = where is not None or _find_loose(text, slot.target_text) is not None
        status, detail = (REPAIRED, "retranslated") if found else (FAILED, "lost")
        outcomes.append(
            TermOutcome(slot.source_text, slot.target_text, status, detail, slot.entry, slot.number)
        )
    candidate = Restored(text=text, outcomes=tuple(outcomes))
    better = candidate.counts[FAILED] < first.counts[FAILED]
    return candidate if better else first


# ----------------------------------------------------------------------------- batches


def protect_batch(
    texts: Sequence[str], glossary: Glossary, source: str, target: str
) -> list[Masked]:
    """Mask every text of a batch (one matcher, built once per glossary content)."""
    matcher = matcher_for(glossary, source)
    return [mask(t, matcher, target) for t in texts]


def restore_batch(
    masked: Sequence[Masked],
    translated: Sequence[str],
    *,
    retranslate: Callable[[str], str] | None = None,
    retranslate_batch: Callable[[Sequence[str]], list[str]] | None = None,
) -> list[Restored]:
    """Restore a batch. Lost terms are retranslated in one batch call when
    ``retranslate_batch`` is given (or one call per text with ``retranslate``)."""
    if len(masked) != len(translated):
        raise ValueError("masked and translated differ in length")
    results = [_restore_once(m, t) for m, t in zip(masked, translated, strict=True)]
    todo = [i for i, r in enumerate(results) if r.needs_retranslation]
    if not todo or (retranslate is None and retranslate_batch is None):
        return results
    requests = {i: retranslation_request(masked[i], results[i]) for i in todo}
    if retranslate_batch is not None:
        again = retranslate_batch([requests[i].text for i in todo])
    else:
        assert retranslate is not None
        again = [retranslate(requests[i].text) for i in todo]
    for i, text in zip(todo, again, strict=True):
        results[i] = finish_retranslation(masked[i], results[i], requests[i], text)
    return results


def enforce(
    texts: Sequence[str], glossary: Glossary, source: str, target: str, engine: object
) -> list[Restored]:
    """Mask, translate with any :class:`~toolkit.engines.Engine`, restore, repair.

    Two engine calls at most: the batch, and one batch of retranslations for
    segments that lost a term."""
    masked = protect_batch(texts, glossary, source, target)
    translate = engine.translate_batch  # type: ignore[attr-defined]
    translated = translate([m.text for m in masked], source, target)
    return restore_batch(
        masked, translated, retranslate_batch=lambda batch: translate(list(batch), source, target)
    )


def count(results: Sequence[Restored]) -> dict[str, int]:
    """Applied/repaired/failed totals over a batch (the pipeline's summary)."""
    out = {APPLIED: 0, REPAIRED: 0, FAILED: 0}
    for r in results:
        for key, value in r.counts.items():
            out[key] += value
    return out
