"""Fill the untranslated units of catalogs of any format through the text core.

As ``po translate``: every source text is cut at its structure (ICU
plural/select syntax) and at newlines; each piece's placeholders are masked
with sentinels and only the masked words go to the engine, all catalogs in
one batched :func:`toolkit.translation.translate_texts` call per target
language. ICU plural arguments first get the categories the target language
needs (copies of ``other``). A unit whose placeholders do not come back as
its source's multiset stays untranslated and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.catalogs import Catalog, is_untranslated, open_catalog, syntax
from toolkit.catalogs.model import Unit
from toolkit.engines import Engine
from toolkit.i18n import _
from toolkit.po import placeholders
from toolkit.translation import Progress, Stats, translate_texts

if TYPE_CHECKING:
    from toolkit.glossary import Glossary
    from toolkit.memory import Memory

_LETTER_RE = re.compile(r"[^\W\d_]")
_XML_SYNTAXES = ("xliff", "android")


@dataclass
class Failure:
    line: int
    column: int
    key: str
    reason: str


@dataclass
class Result:
    path: str
    format: str
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
            "format": self.format,
            "source": self.source,
            "target": self.target,
            "candidates": self.candidates,
            "filled": self.filled,
            "failed": len(self.failures),
            "changed": self.changed,
            "failures": [f.__dict__ for f in self.failures],
        }


@dataclass
class _Piece:
    lead: str
    core: str
    trail: str
    masked: str | None  # None: kept as is
    tokens: list[str]


@dataclass
class Prepared:
    text: str
    pieces: list[_Piece]

    def units(self) -> list[str]:
        return [p.masked for p in self.pieces if p.masked is not None]

    def assemble(self, table: dict[str, str], escape: Callable[[str], str]) -> str:
        out: list[str] = []
        for p in self.pieces:
            if p.masked is None:
                out.append(p.lead + p.core + p.trail)
                continue
            core = placeholders.unmask(escape(table[p.masked]), p.tokens).strip()
            if not core:
                raise placeholders.PlaceholderLost(_("the engine returned an empty translation"))
            out.append(p.lead + core + p.trail)
        return "".join(out)


def prepare(text: str, kind: str) -> Prepared:
    pieces: list[_Piece] = []
    for structure, chunk in syntax.pieces(text, kind):
        if structure:
            pieces.append(_Piece("", chunk, "", None, []))
            continue
        lines = chunk.split("\n")
        for n, raw in enumerate(lines):
            nl = "\n" if n < len(lines) - 1 else ""
            core = raw.strip()
            lead = raw[: len(raw) - len(raw.lstrip())]
            trail = (raw[len(raw.rstrip()) :] if core else "") + nl
            masked, tokens = syntax.mask(core, kind)
            if not _LETTER_RE.search(placeholders.SENTINEL_RE.sub("", masked)):
                pieces.append(_Piece(lead, core, trail, None, []))
            else:
                pieces.append(_Piece(lead, core, trail, masked, tokens))
    return Prepared(text, pieces)


def _escape_for(kind: str) -> Callable[[str], str]:
    if kind in _XML_SYNTAXES:
        return lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return lambda s: s


def translate_paths(
    paths: Sequence[str | Path],
    *,
    engine: Engine,
    source: str | Path | None = None,
    source_language: str = "en",
    target: str | None = None,
    review: bool = True,
    batch_size: int = 64,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    glossary_for: Callable[[str], Glossary | None] | None = None,
) -> tuple[list[Result], Stats]:
    """Fill every catalog's untranslated units; nothing is written.
    ``glossary_for(path)`` gives each catalog its own glossary (the project's
    ``glossary-paths``) instead of ``glossary``."""
    jobs: list[tuple[Catalog, Result, list[tuple[Unit, Prepared]]]] = []
    terms_of: dict[str, Glossary | None] = {}
    for path in paths:
        terms_of[str(path)] = glossary_for(str(path)) if glossary_for is not None else glossary
        cat = open_catalog(
            path, source=source, source_language=source_language, target_language=target
        )
        result = Result(str(path), cat.format, cat.source_language, cat.target_language, b"", b"")
        result.original = Path(path).read_bytes() if not cat.created else b""
        kind = cat.store.syntax
        work = []
        for unit in cat.units:
            if not is_untranslated(unit, cat.bilingual):
                continue
            text = unit.source
            if kind == "json" and syntax.is_icu(text):
                text = syntax.expand_icu_plurals(text, cat.target_language)
            work.append((unit, prepare(text, kind)))
        result.candidates = len(work)
        jobs.append((cat, result, work))

    stats = Stats()

    def group(result: Result) -> tuple[str, int]:
        # translated together: same target language, same glossary
        return result.target, id(terms_of[result.path])

    by_group: dict[tuple[str, int], tuple[Glossary | None, list[str]]] = {}
    for _cat, result, work in jobs:
        _g, units = by_group.setdefault(group(result), (terms_of[result.path], []))
        for _unit, prep in work:
            units.extend(prep.units())
    if on_total is not None:
        on_total(sum(len(dict.fromkeys(u)) for _g, u in by_group.values()))
    done: dict[tuple[str, int], dict[str, str]] = {}
    for key, (terms, units) in by_group.items():
        if not units:
            done[key] = {}
            continue
        out, st = translate_texts(
            units,
            result_source(jobs, key[0]),
            key[0],
            engine=engine,
            memory=memory,
            glossary=terms,
            batch_size=batch_size,
            progress=progress,
        )
        stats.add(st)
        done[key] = dict(zip(units, out, strict=True))

    for cat, result, work in jobs:
        kind = cat.store.syntax
        table = done[group(result)]
        fills: list[tuple[Unit, str]] = []
        for unit, prep in work:
            try:
                text = prep.assemble(table, _escape_for(kind))
                missing, extra = syntax.mismatch(prep.text, text, kind)
                if missing or extra:
                    raise placeholders.PlaceholderLost(
                        _("placeholders changed") + ": " + " ".join(missing + extra)
                    )
            except placeholders.PlaceholderLost as exc:
                result.failures.append(Failure(unit.line, unit.column, unit.key, str(exc)))
                continue
            fills.append((unit, text))
        result.filled = len(fills)
        # nothing filled: nothing written (a new catalog is not started as a bare copy)
        result.output = cat.render(fills, review=review) if fills else result.original
    return [r for _c, r, _w in jobs], stats


def result_source(
    jobs: list[tuple[Catalog, Result, list[tuple[Unit, Prepared]]]], lang: str
) -> str:
    for _cat, result, _work in jobs:
        if result.target == lang:
            return result.source
    return "en"
