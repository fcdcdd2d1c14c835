"""Glossary entries and glossaries: the in-memory model.

An :class:`Entry` is one concept: its name in several languages (each cell may
hold alternative spellings, the first one preferred), optional abbreviations
per language, a do-not-translate flag, a case rule, a domain and a note.
A :class:`Glossary` is an ordered list of entries with the language columns
they use. Both are plain values; reading and writing lives in ``io.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Separator of alternative spellings inside one TSV cell (first is preferred).
VARIANT_SEP = " | "


def _clean_variants(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return tuple(out)


def split_variants(cell: str) -> tuple[str, ...]:
    """``"UN | U.N."`` -> ``("UN", "U.N.")``; empty parts are dropped."""
    if not cell:
        return ()
    return _clean_variants(part.strip() for part in cell.split(VARIANT_SEP.strip()))


def _freeze(mapping: Mapping[str, Sequence[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not mapping:
        return ()
    items = []
    for lang, values in mapping.items():
        if isinstance(values, str):
            values = split_variants(values)
        cleaned = _clean_variants(values)
        if cleaned:
            items.append((lang, cleaned))
    return tuple(sorted(items))


@dataclass(frozen=True)
class Entry:
    """One concept of a glossary.

    ``terms`` and ``abbrs`` are ``((lang, (preferred, variant, ...)), ...)``
    sorted by language; build entries with :meth:`Entry.make`.
    """

    terms: tuple[tuple[str, tuple[str, ...]], ...]
    abbrs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dnt: bool = False
    case: str = ""  # "" (default rule), "sensitive", "insensitive"
    domain: str = ""
    note: str = ""
    source: str = field(default="", compare=False)  # glossary name, for messages
    row: int = field(default=0, compare=False)  # 1-based line in its file, 0 when unknown
    # "required", or the languages it concerns ("en", "en,de"): the abbreviations
    # there are also common words or codes ("ISO 100", an "EU plug"); they count
    # only beside the entry's full name
    context: str = ""

    @classmethod
    def make(
        cls,
        terms: Mapping[str, Sequence[str] | str],
        abbrs: Mapping[str, Sequence[str] | str] | None = None,
        *,
        dnt: bool = False,
        case: str = "",
        domain: str = "",
        note: str = "",
        source: str = "",
        row: int = 0,
        context: str = "",
    ) -> Entry:
        return cls(_freeze(terms), _freeze(abbrs), dnt, case, domain, note, source, row, context)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lang for lang, _ in self.terms} | {lang for lang, _ in self.abbrs}))

    def variants(self, lang: str) -> tuple[str, ...]:
        for code, values in self.terms:
            if code == lang:
                return values
        return ()

    def abbr_variants(self, lang: str) -> tuple[str, ...]:
        for code, values in self.abbrs:
            if code == lang:
                return values
        return ()

    def term(self, lang: str) -> str | None:
        """The preferred term in ``lang`` (the abbreviation when only that exists)."""
        values = self.variants(lang) or self.abbr_variants(lang)
        return values[0] if values else None

    def needs_context(self, lang: str) -> bool:
        """Whether the abbreviations in ``lang`` count only beside the full name."""
        return self.context == "required" or lang in self.context.split(",")

    def abbr(self, lang: str) -> str | None:
        values = self.abbr_variants(lang)
        return values[0] if values else None

    def label(self) -> str:
        """A short human name: the first language's preferred term."""
        for _lang, values in self.terms:
            return values[0]
        for _lang, values in self.abbrs:
            return values[0]
        return "?"

    def key(self) -> dict[str, object]:
        """What identifies the entry's content (used by digest and equality checks)."""
        return {
            "terms": [[lang, list(v)] for lang, v in self.terms],
            "abbrs": [[lang, list(v)] for lang, v in self.abbrs],
            "dnt": self.dnt,
            "case": self.case,
            "domain": self.domain,
            "note": self.note,
            **({"context": self.context} if self.context else {}),
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "terms": {lang: list(v) for lang, v in self.terms},
            "abbr": {lang: list(v) for lang, v in self.abbrs},
            "dnt": self.dnt,
            "case": self.case,
            "domain": self.domain,
            "note": self.note,
            "context": self.context,
            "glossary": self.source,
            "row": self.row,
        }


def _sort_key(entry: Entry, languages: Sequence[str]) -> tuple[object, ...]:
    first = ""
    for lang in languages:
        term = entry.term(lang)
        if term:
            first = term
            break
    return (first.casefold(), first, _ContentKey(entry))


class _ContentKey:
    """The tie-breaker of :func:`_sort_key`: the entry's content as sorted JSON,
    computed only when two entries share their first term (rare), not for every
    entry of a 100,000-row glossary."""

    __slots__ = ("_entry", "_json")

    def __init__(self, entry: Entry) -> None:
        self._entry = entry
        self._json: str | None = None

    def value(self) -> str:
        if self._json is None:
            self._json = json.dumps(self._entry.key(), ensure_ascii=False, sort_keys=True)
        return self._json

    def __lt__(self, other: _ContentKey) -> bool:
        return self.value() < other.value()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ContentKey) and self.value() == other.value()

    __hash__ = None  # type: ignore[assignment]  # unhashable, as __eq__ makes it; typeshed wants a method


@dataclass
class Glossary:
    """An ordered set of entries, with the language columns it uses."""

    entries: list[Entry] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    name: str = ""
    path: Path | None = None

    def __post_init__(self) -> None:
        self._sync_languages()

    def _sync_languages(self) -> None:
        seen = list(self.languages)
        extra = sorted({lang for e in self.entries for lang in e.languages} - set(seen))
        self.languages = seen + extra

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def add(self, entry: Entry) -> None:
        # Only the new entry can bring new languages: looking at every entry
        # here made an import of n rows take n^2 steps.
        self.entries.append(entry)
        known = set(self.languages)
        self.languages += sorted({lang for lang in entry.languages if lang not in known})

    def sorted_entries(self) -> list[Entry]:
        """Entries in the stable order used when a glossary is written."""
        return sorted(self.entries, key=lambda e: _sort_key(e, self.languages))

    def digest(self) -> str:
        """A stable hash of the active entries (order-independent, content only)."""
        ids = tuple(id(e) for e in self.entries)  # entries are frozen: same objects, same hash
        cached = self.__dict__.get("_digest")
        if cached is not None and cached[0] == ids:
            return str(cached[1])
        value = self._compute_digest()
        self.__dict__["_digest"] = (ids, value)
        return value

    def _compute_digest(self) -> str:
        keys = sorted(json.dumps(e.key(), ensure_ascii=False, sort_keys=True) for e in self.entries)
        h = hashlib.sha256()
        for key in keys:
            h.update(key.encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()[:16]

    def same_entries(self, other: Glossary) -> bool:
        return self.digest() == other.digest()

    @classmethod
    def merge(cls, glossaries: Iterable[Glossary], name: str = "") -> Glossary:
        entries: list[Entry] = []
        languages: list[str] = []
        names: list[str] = []
        for g in glossaries:
            entries.extend(g.entries)
            languages.extend(lang for lang in g.languages if lang not in languages)
            names.append(g.name)
        return cls(entries=entries, languages=languages, name=name or "+".join(names))
