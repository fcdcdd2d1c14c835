"""``memory import``: human translations into the translation memory.

One registry maps a file extension to a reader that yields
:class:`toolkit.memory.Unit` s: TMX (:func:`toolkit.tmx.read_tmx`) and gettext
catalogs (:func:`read_catalog`). A catalog format of the localization-formats
work plugs in with :func:`register`. Each file is stored in one transaction,
so a file that turns out malformed or hostile half-way leaves the memory as it
was; every stored unit records its origin and the file it came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import FileIOError, UsageError
from toolkit.i18n import _
from toolkit.memory import ImportCounts, Memory
from toolkit.tmx import Unit


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Decided once at the entry. ``origin``: the origin of units whose file does
    not say (None: each reader's default: human for TMX and translated catalog
    entries, imported for fuzzy ones). ``source``/``target``: the languages of a
    catalog's msgid and msgstr (target default: its Language header)."""

    origin: str | None = None
    source: str = "en"
    target: str | None = None
    max_bytes: int | None = 500_000_000


Reader = Callable[[Path, ImportOptions], Iterator[Unit]]
_READERS: dict[str, Reader] = {}


def register(extension: str, reader: Reader) -> None:
    """Import files ending in ``extension`` (``.xlf``) with ``reader``."""
    _READERS[extension.lower()] = reader


def extensions() -> list[str]:
    return sorted(_READERS)


def _read_tmx(path: Path, options: ImportOptions) -> Iterator[Unit]:
    from toolkit import files
    from toolkit.tmx import read_tmx

    files.check_size(path, options.max_bytes)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the generator ends
    except OSError:
        files.read_bytes(path)  # the one-line error for this path
        raise
    with stream:
        yield from read_tmx(
            stream, path=str(path), origin=options.origin or "human", max_bytes=options.max_bytes
        )


def read_catalog(path: Path, options: ImportOptions) -> Iterator[Unit]:
    """A gettext catalog's translated entries: human ones, and fuzzy ones as
    ``imported`` (unreviewed). Plural entries are not imported (a msgstr per form
    has no single source text)."""
    from toolkit import files
    from toolkit.po.catalog import load_catalog
    from toolkit.tmx import lang_code

    files.check_size(path, options.max_bytes)
    catalog = load_catalog(path)
    target = options.target or catalog.language
    if not target:
        raise UsageError(_("the catalog has no Language header; pass --to LANG"), path=str(path))
    source, target = lang_code(options.source), lang_code(target)
    for entry, _span in catalog.active():
        if entry.msgid_plural or not entry.msgid or not entry.msgstr:
            continue
        default = "imported" if "fuzzy" in entry.flags else "human"
        origin = options.origin if options.origin and default == "human" else default
        yield Unit(source, target, entry.msgid, entry.msgstr, origin)


register(".tmx", _read_tmx)
register(".po", read_catalog)


def import_file(
    memory: Memory, path: str | os.PathLike[str], options: ImportOptions
) -> ImportCounts:
    """Store one file's units in ``memory`` (all or nothing)."""
    p = Path(path)
    if p.exists() and not p.is_file():  # a FIFO would block the read forever
        raise FileIOError(_("not a regular file (a folder, FIFO or device); not read"), path=str(p))
    reader = _READERS.get(p.suffix.lower())
    if reader is None:
        raise UsageError(
            _("cannot import {ext} files (known: {known})").format(
                ext=p.suffix or p.name, known=", ".join(extensions())
            ),
            path=str(p),
        )
    return memory.import_units(reader(p, options), file=str(path))
