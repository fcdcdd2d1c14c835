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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.catalogs import Catalog, is_untranslated, open_catalog, syntax
from toolkit.catalogs.model import Unit
from toolkit.engines import Engine
from toolkit.i18n import _
from toolkit.po import placeholders
from toolkit.translation import CoreOptions, FillResult, Stats, TextGroup, translate_groups

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from toolkit.glossary import Glossary

_XML_SYNTAXES = ("xliff", "android")


@dataclass
class Failure:
    line: int
    column: int
    key: str
    reason: str


@dataclass
class Result(FillResult):
    format: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"format": self.format, **super().to_dict()}


@dataclass
class Prepared:
    text: str
    pieces: list[placeholders.Piece]

    def units(self) -> list[str]:
        return [p.masked for p in self.pieces if p.masked is not None]

    def assemble(self, table: dict[str, str], escape: Callable[[str], str]) -> str:
        return "".join(p.assemble(table, escape) for p in self.pieces)


def prepare(text: str, kind: str) -> Prepared:
    pieces: list[placeholders.Piece] = []
    for structure, chunk in syntax.pieces(text, kind):
        if structure:
            pieces.append(placeholders.Piece("", chunk, "", None, []))
            continue
        lines = chunk.split("\n")
        for n, raw in enumerate(lines):
            nl = "\n" if n < len(lines) - 1 else ""
            pieces.append(placeholders.split_line(raw, lambda c: syntax.mask(c, kind), nl))
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
    glossary: Glossary | None = None,
    glossary_for: Callable[[str], Glossary | None] | None = None,
    **core: Unpack[CoreOptions],
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
        result = Result(
            str(path), cat.source_language, cat.target_language, b"", b"", format=cat.format
        )
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

    groups: dict[tuple[str, str, int], TextGroup] = {}
    for _cat, result, work in jobs:
        # translated together: same language pair, same glossary
        terms = terms_of[result.path]
        group = groups.setdefault(
            _group_key(result, terms), TextGroup(result.source, result.target, terms)
        )
        for _unit, prep in work:
            group.texts.extend(prep.units())
    done, stats = translate_groups(groups, engine=engine, **core)

    for cat, result, work in jobs:
        kind = cat.store.syntax
        table = done[_group_key(result, terms_of[result.path])]
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


def _group_key(result: Result, terms: Glossary | None) -> tuple[str, str, int]:
    return result.source, result.target, id(terms)
