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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.engines import Engine
from toolkit.errors import UsageError
from toolkit.i18n import _
from toolkit.languages import Language
from toolkit.po import placeholders
from toolkit.po.catalog import Catalog, load_catalog, render_catalog
from toolkit.translation import Progress, Stats, translate_texts

if TYPE_CHECKING:
    from toolkit.glossary import Glossary
    from toolkit.memory import Memory

_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass
class Failure:
    line: int
    msgid: str
    reason: str


@dataclass
class CatalogResult:
    path: str
    source: str
    target: str
    original: bytes
    output: bytes
    filled: int = 0
    candidates: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.output != self.original

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "source": self.source,
            "target": self.target,
            "candidates": self.candidates,
            "filled": self.filled,
            "failed": len(self.failures),
            "changed": self.changed,
            "failures": [f.__dict__ for f in self.failures],
        }


@dataclass
class _Line:
    lead: str
    core: str
    trail: str
    masked: str | None  # None: copied as is (no letters to translate)
    tokens: list[str]


@dataclass
class _Source:
    """One source string prepared for the engine."""

    text: str
    flags: tuple[str, ...]
    lines: list[_Line]

    def units(self) -> list[str]:
        return [ln.masked for ln in self.lines if ln.masked is not None]

    def assemble(self, translated: dict[str, str]) -> str:
        out: list[str] = []
        for ln in self.lines:
            if ln.masked is None:
                out.append(ln.lead + ln.core + ln.trail)
                continue
            core = placeholders.unmask(translated[ln.masked], ln.tokens).strip()
            if not core:
                raise placeholders.PlaceholderLost(_("the engine returned an empty translation"))
            out.append(ln.lead + core + ln.trail)
        return "\n".join(out)


def prepare(text: str, flags: Sequence[str] = ()) -> _Source:
    markup = placeholders.is_markup(text)
    lines: list[_Line] = []
    for raw in text.split("\n"):
        core = raw.strip()
        lead = raw[: len(raw) - len(raw.lstrip())]
        trail = raw[len(raw.rstrip()) :] if core else ""
        masked, tokens = placeholders.mask(core, flags, markup=markup)
        if not _LETTER_RE.search(placeholders.SENTINEL_RE.sub("", masked)):
            lines.append(_Line(lead, core, trail, None, []))
        else:
            lines.append(_Line(lead, core, trail, masked, tokens))
    return _Source(text, tuple(flags), lines)


def _form_sources(entry: object, catalog: Catalog) -> list[int]:
    """For each msgstr[n]: 0 to translate msgid, 1 to translate msgid_plural.

    A form that is chosen for n == 1 alone (or for 1 among others, when msgid
    and msgid_plural carry the same placeholders) comes from msgid; every
    other form comes from msgid_plural, so ``%d`` stays where n varies.
    """
    pf = catalog.plural_forms
    assert pf is not None
    same = placeholders.multiset(entry.msgid, entry.flags) == placeholders.multiset(  # type: ignore[attr-defined]
        entry.msgid_plural,  # type: ignore[attr-defined]
        entry.flags,  # type: ignore[attr-defined]
    )
    out = []
    for values in pf.forms_for():
        out.append(0 if 1 in values and (values == {1} or same) else 1)
    return out


def _needs_work(entry: object, overwrite_fuzzy: bool) -> bool:
    if entry.obsolete:  # type: ignore[attr-defined]
        return False
    fuzzy = "fuzzy" in entry.flags  # type: ignore[attr-defined]
    if fuzzy:
        return overwrite_fuzzy
    if entry.msgid_plural:  # type: ignore[attr-defined]
        forms = entry.msgstr_plural  # type: ignore[attr-defined]
        return not forms or any(not v for v in forms.values())
    return not entry.msgstr  # type: ignore[attr-defined]


@dataclass
class _Job:
    catalog: Catalog
    result: CatalogResult
    work: list[tuple[int, object, list[_Source]]]


def translate_catalogs(
    paths: Sequence[str | Path],
    *,
    engine: Engine,
    source: str = "en",
    target: str | None = None,
    overwrite_fuzzy: bool = False,
    mark_fuzzy: bool = True,
    batch_size: int = 64,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
) -> tuple[list[CatalogResult], Stats]:
    """Translate the untranslated entries of every catalog; nothing is written.

    Each result holds the original bytes and the new bytes (identical when
    nothing changed). The target language is ``target`` or each catalog's
    ``Language`` header; a catalog with neither raises :class:`UsageError`.
    """
    source = Language.parse(source)
    jobs: list[_Job] = []
    for path in paths:
        catalog = load_catalog(path)
        declared = target or catalog.language
        if not declared:
            raise UsageError(
                _("the catalog has no Language header; pass --lang LANG"), path=str(path)
            )
        lang = Language.parse(declared)
        result = CatalogResult(str(path), source, lang, catalog.data, catalog.data)
        work = []
        for index, (entry, span) in enumerate(zip(catalog.entries, catalog.spans, strict=True)):
            if span.obsolete or not _needs_work(entry, overwrite_fuzzy):
                continue
            if entry.msgid_plural and catalog.plural_forms is None:  # type: ignore[attr-defined]
                result.failures.append(
                    Failure(span.start + 1, entry.msgid, _("no Plural-Forms header"))  # type: ignore[attr-defined]
                )
                continue
            flags = [f for f in entry.flags if f != "fuzzy"]  # type: ignore[attr-defined]
            sources = [prepare(entry.msgid, flags)]  # type: ignore[attr-defined]
            if entry.msgid_plural:  # type: ignore[attr-defined]
                sources.append(prepare(entry.msgid_plural, flags))  # type: ignore[attr-defined]
            work.append((index, entry, sources))
        result.candidates = len(work)
        jobs.append(_Job(catalog, result, work))

    stats = Stats()
    by_pair: dict[str, list[str]] = {}
    for job in jobs:
        units = by_pair.setdefault(job.result.target, [])
        for _index, _entry, sources in job.work:
            for src in sources:
                units.extend(src.units())
    if on_total is not None:
        on_total(sum(len(dict.fromkeys(u)) for u in by_pair.values()))
    done: dict[str, dict[str, str]] = {}
    for lang, units in by_pair.items():
        if not units:
            done[lang] = {}
            continue
        out, st = translate_texts(
            units,
            source,
            lang,
            engine=engine,
            memory=memory,
            glossary=glossary,
            batch_size=batch_size,
            progress=progress,
        )
        stats.add(st)
        done[lang] = dict(zip(units, out, strict=True))

    for job in jobs:
        changed: dict[int, object] = {}
        table = done[job.result.target]
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
                job.result.failures.append(Failure(span.start + 1, entry.msgid, str(exc)))  # type: ignore[attr-defined]
                continue
            new = copy.copy(entry)
            new.flags = [f for f in entry.flags if f != "fuzzy"]  # type: ignore[attr-defined]
            if mark_fuzzy:
                new.flags.insert(0, "fuzzy")
            if entry.msgid_plural:  # type: ignore[attr-defined]
                forms = dict(entry.msgstr_plural)  # type: ignore[attr-defined]
                is_fuzzy = "fuzzy" in entry.flags  # type: ignore[attr-defined]
                for k, which in enumerate(_form_sources(entry, job.catalog)):
                    if is_fuzzy or not forms.get(k):
                        forms[k] = texts[which]
                new.msgstr_plural = forms
            else:
                new.msgstr = texts[0]
            changed[index] = new
            job.result.filled += 1
        job.result.output = render_catalog(job.catalog, changed)
    return [job.result for job in jobs], stats
