"""``po translate``: fill untranslated catalog entries through the text core.

Every source string is cut into lines at embedded newlines; each line's
leading and trailing whitespace is kept aside, its placeholders are masked
with sentinels, and only the masked core goes to the engine (all catalogs,
all entries, in one batched :func:`toolkit.translation.translate_texts` call per
language pair). Afterwards the sentinels are restored and the placeholder
multiset of every written string is compared with its source; an entry that
fails is left untranslated and reported, never written broken.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.engines import Engine
from toolkit.errors import TolmachError, UsageError
from toolkit.i18n import _
from toolkit.languages import Language
from toolkit.po import placeholders
from toolkit.po.catalog import Catalog, Message, load_catalog, render_catalog
from toolkit.translation import (
    CoreOptions,
    FillResult,
    Stats,
    TextGroup,
    term_pairs,
    translate_groups,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from toolkit.glossary import Glossary
    from toolkit.memory import Memory, Reuse


@dataclass
class Failure:
    line: int
    msgid: str
    reason: str


@dataclass
class _Source:
    """One source string prepared for the engine, line by line."""

    text: str
    flags: tuple[str, ...]
    lines: list[placeholders.Piece]

    def units(self) -> list[str]:
        return [ln.masked for ln in self.lines if ln.masked is not None]

    def assemble(self, translated: dict[str, str]) -> str:
        return "\n".join(ln.assemble(translated) for ln in self.lines)


def prepare(text: str, flags: Sequence[str] = ()) -> _Source:
    markup = placeholders.is_markup(text)
    lines = [
        placeholders.split_line(raw, lambda c: placeholders.mask(c, flags, markup=markup))
        for raw in text.split("\n")
    ]
    return _Source(text, tuple(flags), lines)


def _form_sources(entry: Message, catalog: Catalog) -> list[int]:
    """For each msgstr[n]: 0 to translate msgid, 1 to translate msgid_plural.

    A form that is chosen for n == 1 alone (or for 1 among others, when msgid
    and msgid_plural carry the same placeholders) comes from msgid; every
    other form comes from msgid_plural, so ``%d`` stays where n varies.
    """
    pf = catalog.plural_forms
    assert pf is not None
    same = placeholders.multiset(entry.msgid, entry.flags) == placeholders.multiset(
        entry.msgid_plural,
        entry.flags,
    )
    out: list[int] = []
    for values in pf.forms_for():
        out.append(0 if 1 in values and (values == {1} or same) else 1)
    return out


def _needs_work(entry: Message, overwrite_fuzzy: bool) -> bool:
    if entry.obsolete:
        return False
    fuzzy = "fuzzy" in entry.flags
    if fuzzy:
        return overwrite_fuzzy
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return not forms or any(not v for v in forms.values())
    return not entry.msgstr


@dataclass
class _Job:
    catalog: Catalog
    result: FillResult
    work: list[tuple[int, Message, list[_Source]]]
    reused: dict[int, Reuse] = field(default_factory=dict)
    glossary: Glossary | None = None

    @property
    def group(self) -> tuple[str, int]:
        """Catalogs translated together: same target language, same glossary."""
        return self.result.target, id(self.glossary)


def _usable(text: str, entry: Message, flags: Sequence[str], encoding: str) -> bool:
    """A translation from the memory keeps the msgid's placeholders and fits the charset."""
    missing, extra = placeholders.mismatch(entry.msgid, text, flags)
    if missing or extra:
        return False
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _reuse_from_memory(
    jobs: Sequence[_Job],
    memory: Memory,
    source: str,
    min_similarity: float | None,
) -> None:
    """Memory first: entries (singular ones) with a human translation in the memory
    move from ``work`` to ``reused``; the engine gets the rest."""
    by_group: dict[tuple[str, int], tuple[Glossary | None, list[str]]] = {}
    for job in jobs:
        _g, texts = by_group.setdefault(job.group, (job.glossary, []))
        texts += [e.msgid for _i, e, _s in job.work if not e.msgid_plural]
    found = {
        key: memory.reuse(texts, source, key[0], min_similarity, term_pairs(g, source, key[0]))
        if texts
        else {}
        for key, (g, texts) in by_group.items()
    }
    for job in jobs:
        table = found[job.group]
        keep: list[tuple[int, Message, list[_Source]]] = []
        for index, entry, sources in job.work:
            r = None if entry.msgid_plural else table.get(entry.msgid)
            if r is not None and _usable(r.text, entry, sources[0].flags, job.catalog.encoding):
                job.reused[index] = r
            else:
                keep.append((index, entry, sources))
        job.work = keep


def translate_catalogs(
    paths: Sequence[str | Path],
    *,
    engine: Engine,
    source: str = "en",
    target: str | None = None,
    overwrite_fuzzy: bool = False,
    mark_fuzzy: bool = True,
    errors: list[TolmachError] | None = None,
    min_similarity: float | None = 75.0,
    glossary: Glossary | None = None,
    glossary_for: Callable[[str], Glossary | None] | None = None,
    **core: Unpack[CoreOptions],
) -> tuple[list[FillResult], Stats]:
    """Translate the untranslated entries of every catalog; nothing is written.

    Memory first: an entry whose msgid has an exact human translation in the memory
    gets it as is (not marked fuzzy); a fuzzy human match at or above
    ``min_similarity`` that differs only in numbers, placeholders or markup is
    patched; any other match at or above it is written for review, marked fuzzy,
    with the match in a translator comment. The engine fills the rest.

    Each result holds the original bytes and the new bytes (identical when
    nothing changed). The target language is ``target`` or each catalog's
    ``Language`` header; a catalog with neither raises :class:`UsageError`.
    With ``errors``, a catalog that cannot be read or has no language is
    appended there and skipped, and the others are translated.
    ``glossary_for(path)`` gives each catalog its own glossary (the project's
    ``glossary-paths``) instead of ``glossary``.
    """
    source = Language.parse(source)
    jobs: list[_Job] = []
    for path in paths:
        try:
            catalog = load_catalog(path)
            declared = target or catalog.language
            if not declared:
                raise UsageError(
                    _("the catalog has no Language header; pass --lang LANG"), path=str(path)
                )
            lang = Language.parse(declared)
        except TolmachError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        result = FillResult(str(path), source, lang, catalog.data, catalog.data)
        work: list[tuple[int, Message, list[_Source]]] = []
        for index, (entry, span) in enumerate(zip(catalog.entries, catalog.spans, strict=True)):
            if span.obsolete or not _needs_work(entry, overwrite_fuzzy):
                continue
            if entry.msgid_plural and catalog.plural_forms is None:
                result.failures.append(
                    Failure(span.start + 1, entry.msgid, _("no Plural-Forms header"))
                )
                continue
            flags = [f for f in entry.flags if f != "fuzzy"]
            sources = [prepare(entry.msgid, flags)]
            if entry.msgid_plural:
                sources.append(prepare(entry.msgid_plural, flags))
            work.append((index, entry, sources))
        result.candidates = len(work)
        terms = glossary_for(str(path)) if glossary_for is not None else glossary
        jobs.append(_Job(catalog, result, work, glossary=terms))

    stats = Stats()
    memory = core.get("memory")
    if memory is not None:
        _reuse_from_memory(jobs, memory, source, min_similarity)
    groups: dict[tuple[str, int], TextGroup] = {}
    for job in jobs:
        group = groups.setdefault(job.group, TextGroup(source, job.result.target, job.glossary))
        for _index, _entry, sources in job.work:
            for src in sources:
                group.texts.extend(src.units())
    # reuse: done above, per entry, on the unmasked msgids
    done, st = translate_groups(groups, engine=engine, reuse=False, **core)
    stats.add(st)

    for job in jobs:
        changed: dict[int, Message] = {}
        notes: dict[int, list[str]] = {}
        for index, r in job.reused.items():
            original = job.catalog.entries[index]
            new = copy.copy(original)
            new.flags = [f for f in original.flags if f != "fuzzy"]
            if r.kind == "offered" or (r.kind == "fuzzy" and mark_fuzzy):
                new.flags.insert(0, "fuzzy")
            new.msgstr = r.text
            changed[index] = new
            if r.kind != "exact":
                m = r.match
                notes[index] = [
                    _("tolmach: {kind} match {score:.0f}% ({origin}, {file}): {text}").format(
                        kind=r.kind,
                        score=m.score,
                        origin=m.origin,
                        file=Path(m.file).name if m.file else "-",
                        text=m.source_text.replace("\n", "\\n"),
                    )
                ]
            setattr(job.result, r.kind, getattr(job.result, r.kind) + 1)
            setattr(stats, r.kind, getattr(stats, r.kind) + 1)
            job.result.filled += 1
        table = done[job.group]
        for index, entry, sources in job.work:
            span = job.catalog.spans[index]
            try:
                texts = [src.assemble(table) for src in sources]
                for src, text in zip(sources, texts, strict=True):
                    missing, extra = placeholders.mismatch(src.text, text, src.flags)
                    if missing or extra:
                        raise placeholders.PlaceholderLost(
                            _("placeholders changed") + ": " + " ".join(missing + extra)
                        )
                    try:
                        text.encode(job.catalog.encoding)
                    except UnicodeEncodeError:
                        raise placeholders.PlaceholderLost(
                            _("the translation does not fit the catalog's charset")
                            + f" {job.catalog.encoding}"
                        ) from None
            except placeholders.PlaceholderLost as exc:
                job.result.failures.append(Failure(span.start + 1, entry.msgid, str(exc)))
                continue
            new = copy.copy(entry)
            new.flags = [f for f in entry.flags if f != "fuzzy"]
            if mark_fuzzy:
                new.flags.insert(0, "fuzzy")
            if entry.msgid_plural:
                forms = dict(entry.msgstr_plural)
                is_fuzzy = "fuzzy" in entry.flags
                for k, which in enumerate(_form_sources(entry, job.catalog)):
                    if is_fuzzy or not forms.get(k):
                        forms[k] = texts[which]
                new.msgstr_plural = forms
            else:
                new.msgstr = texts[0]
            changed[index] = new
            job.result.filled += 1
        job.result.output = render_catalog(job.catalog, changed, notes)
    return [job.result for job in jobs], stats
