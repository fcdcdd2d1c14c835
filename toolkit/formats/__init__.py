"""Document formats: one module per format, chosen by file extension.

Each format module defines ``NAME``, ``parse(text, path=None) -> Document``
and ``render(doc, replacements) -> str``, with the contract
``render(parse(x), {}) == x``; its extensions are declared in :data:`REGISTRY`
alone. Modules are imported lazily, on first use.

A container format (a zip: DOCX, ODT, EPUB) declares ``CONTAINER = True`` and
defines ``parse_bytes(data, path=None) -> Document`` instead of ``parse``, its
``render`` works on the joined text of its parts, and ``pack(doc, text) ->
bytes`` writes that text back into the container (:mod:`toolkit.formats.parts`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from toolkit.document import Document
from toolkit.errors import UsageError

# format name -> (module, extensions). The one place formats are declared.
REGISTRY: dict[str, tuple[str, tuple[str, ...]]] = {
    "txt": ("toolkit.formats.txt", (".txt", ".text")),
    "markdown": ("toolkit.formats.markdown", (".md", ".markdown")),
    "html": ("toolkit.formats.html", (".html", ".htm", ".xhtml")),
    "srt": ("toolkit.formats.srt", (".srt",)),
    "po": ("toolkit.formats.po", (".po", ".pot")),
    "docx": ("toolkit.formats.ooxml", (".docx", ".docm", ".dotx", ".dotm")),
    "pptx": ("toolkit.formats.ooxml", (".pptx", ".pptm")),
    "odt": ("toolkit.formats.odf", (".odt", ".ott")),
    "odp": ("toolkit.formats.odf", (".odp",)),
    "epub": ("toolkit.formats.epub", (".epub",)),
}

ALIASES = {"md": "markdown", "text": "txt", "htm": "html", "pot": "po"}


def names() -> list[str]:
    return list(REGISTRY)


def extensions() -> set[str]:
    return {ext for _, exts in REGISTRY.values() for ext in exts}


def is_container(name: str) -> bool:
    """Is the format ``name`` a zip container (read as bytes, not text)?"""
    return bool(getattr(get(name), "CONTAINER", False))


def get(name: str) -> ModuleType:
    """The format module called ``name`` (or one of its aliases)."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in REGISTRY:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(REGISTRY)}")
    return importlib.import_module(REGISTRY[key][0])


def for_path(path: str | Path, override: str | None = None) -> ModuleType:
    """The format for a file: ``override`` if given, else by extension."""
    if override:
        return get(override)
    suffix = Path(path).suffix.lower()
    for name, (_, exts) in REGISTRY.items():
        if suffix in exts:
            return get(name)
    raise UsageError(
        f"unknown file type {suffix or '(no extension)'!r}; use --format ({', '.join(REGISTRY)})",
        path=str(path),
    )


def load(path: str | Path, format: str | None = None, data: bytes | None = None) -> Document:
    """Read, decode and parse one file. ``data`` skips the read (already in memory)."""
    from dataclasses import replace

    from toolkit import files

    module = for_path(path, format)
    raw = files.read_bytes(path) if data is None else data
    if getattr(module, "CONTAINER", False):
        container: Document = module.parse_bytes(raw, str(path))
        return replace(container, path=str(path))
    decoded = files.decode(raw, str(path))
    doc: Document = module.parse(decoded.text, str(path))
    return replace(doc, path=str(path), encoding=decoded.encoding, bom=bool(decoded.bom))


def dump(doc: Document, replacements: Mapping[int, str] | None = None) -> bytes:
    """Render ``doc`` with segment replacements and encode it as it was read."""
    import codecs

    module = get(doc.format)
    text: str = module.render(doc, dict(replacements or {}))
    if getattr(module, "CONTAINER", False):
        packed: bytes = module.pack(doc, text)
        return packed
    bom = b""
    if doc.bom:
        enc = codecs.lookup(doc.encoding).name
        bom = {
            "utf-8": codecs.BOM_UTF8,
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
            "utf-32-le": codecs.BOM_UTF32_LE,
            "utf-32-be": codecs.BOM_UTF32_BE,
        }.get(enc, b"")
    return bom + text.encode(doc.encoding)
