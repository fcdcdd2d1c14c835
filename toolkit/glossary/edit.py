"""Library functions behind ``tolmach glossary``: one call per subcommand."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import TolmachError, UsageError
from toolkit.findings import Finding
from toolkit.glossary.match import Match, Rejected, fold
from toolkit.glossary.model import Entry, Glossary
from toolkit.glossary.store import edit, edit_target, load, load_path, resolve, specs_or_default
from toolkit.i18n import _


def _keys(entry: Entry, lang: str | None = None) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for code, values in entry.terms + entry.abbrs:
        if lang is None or code == lang:
            out.update((code, fold(v)) for v in values)
    return out


def add_entry(
    specs: Sequence[str] | None, entry: Entry, *, replace: bool = False
) -> tuple[Path, int]:
    """Add ``entry`` to the edit target; returns the file and how many entries it replaced."""
    path = edit_target(specs)
    new_keys = _keys(entry)

    def change(g: Glossary) -> int:
        clashes = [e for e in g.entries if _keys(e) & new_keys]
        if clashes and not replace:
            e = clashes[0]
            raise UsageError(
                _("{t!r} is already in {p} (row {r}); remove it first or use --replace").format(
                    t=e.label(), p=path, r=e.row
                )
            )
        for e in clashes:
            g.entries.remove(e)
        g.add(entry)
        return len(clashes)

    return path, edit(path, change)


def remove_entries(
    specs: Sequence[str] | None, term: str, lang: str | None = None
) -> tuple[Path, list[Entry]]:
    path = edit_target(specs)
    if not path.exists():
        raise UsageError(_("glossary {p} does not exist").format(p=path))
    key = fold(term.strip())

    def change(g: Glossary) -> list[Entry]:
        gone = [e for e in g.entries if any(k == key for _c, k in _keys(e, lang))]
        if not gone:
            raise UsageError(_("no entry has the term {t!r} in {p}").format(t=term, p=path))
        g.entries = [e for e in g.entries if e not in gone]
        return gone

    return path, edit(path, change)


def filter_entries(
    glossary: Glossary,
    *,
    lang: str | None = None,
    domain: str | None = None,
    search: str | None = None,
) -> list[Entry]:
    out = []
    needle = fold(search) if search else None
    for e in glossary.sorted_entries():
        if lang and not (e.variants(lang) or e.abbr_variants(lang)):
            continue
        if domain is not None and e.domain != domain:
            continue
        if needle is not None:
            cells = [v for _c, vs in e.terms + e.abbrs for v in vs] + [e.note, e.domain]
            if not any(needle in fold(c) for c in cells):
                continue
        out.append(e)
    return out


def explain(
    specs: Sequence[str] | None, text: str, lang: str | None = None
) -> tuple[list[Match], list[Rejected]]:
    """Matches and rejected candidates of ``text`` in one language or every language."""
    from toolkit.glossary.match import Matcher

    glossary = load(specs)
    langs = [lang] if lang else list(glossary.languages)
    matches: list[Match] = []
    rejected: list[Rejected] = []
    seen: set[tuple[int, int, Entry]] = set()
    for code in langs:
        found, rej = Matcher(glossary, code).explain(text)
        for m in found:
            key = (m.start, m.end, m.entry)
            if key not in seen:
                seen.add(key)
                matches.append(m)
        rejected.extend(r for r in rej if r.reason != "overlap")
    matched_spans = {(m.start, m.end) for m in matches}
    rejected = [r for r in dict.fromkeys(rejected) if (r.start, r.end) not in matched_spans]
    matches.sort(key=lambda m: m.start)
    return matches, rejected


def check_all(
    specs: Sequence[str] | None, errors: list[TolmachError] | None = None
) -> list[Finding]:
    """Check every glossary; with ``errors``, one that cannot be read is
    appended there and the others are still checked."""
    from toolkit.glossary.check import check_file

    out: list[Finding] = []
    for spec in specs_or_default(list(specs) if specs else None):
        try:
            path = resolve(spec)
            out.extend(check_file(path, load_path(path)))
        except TolmachError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return out


def import_file(
    specs: Sequence[str] | None,
    file: Path,
    fmt: str = "auto",
    source: str | None = None,
    target: str | None = None,
) -> tuple[Path, int, int]:
    """Import ``file`` into the edit target. Nothing is written when the file is bad."""
    from toolkit.files import read_bytes
    from toolkit.glossary.io import FORMATS, guess_format, read_exchange

    if fmt == "auto":
        fmt = guess_format(file)
    if fmt not in FORMATS:
        raise UsageError(
            _("unknown format {f!r}; choose auto, {c}").format(f=fmt, c=", ".join(FORMATS))
        )
    with _no_cycle_collection():
        incoming = read_exchange(
            read_bytes(file), fmt, source=source, target=target, name=file.stem, path=str(file)
        )
        path = edit_target(specs)

        def change(g: Glossary) -> tuple[int, int]:
            existing = {_identity(e) for e in g.entries}
            added = skipped = 0
            for e in incoming.entries:
                key = _identity(e)
                if key in existing:
                    skipped += 1
                    continue
                existing.add(key)
                g.add(e)
                added += 1
            for code in incoming.languages:
                if code not in g.languages:
                    g.languages.append(code)
            return added, skipped

        added, skipped = edit(path, change)
    return path, added, skipped


def _identity(e: Entry) -> tuple[object, ...]:
    """What :meth:`Entry.key` holds, as a hashable tuple (no dict, no repr per row)."""
    return (e.terms, e.abbrs, e.dnt, e.case, e.domain, e.note, e.context)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import: every row makes
    a handful of objects, none in a cycle, and the collector's full passes over
    them made a 100,000-row import take 1.5x longer than linear."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
