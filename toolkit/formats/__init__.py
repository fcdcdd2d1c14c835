"""Document formats: one module per format, chosen by file extension.

Each format module defines ``NAME``, ``EXTENSIONS``, ``parse(text, path=None)
-> Document`` and ``render(doc, replacements) -> str``, with the contract
``render(parse(x), {}) == x``. Modules are imported lazily, on first use.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from toolkit.errors import UsageError

# format name -> (module, extensions). The one place formats are declared.
REGISTRY: dict[str, tuple[str, tuple[str, ...]]] = {
    "txt": ("toolkit.formats.txt", (".txt", ".text")),
    "markdown": ("toolkit.formats.markdown", (".md", ".markdown")),
    "html": ("toolkit.formats.html", (".html", ".htm", ".xhtml")),
    "srt": ("toolkit.formats.srt", (".srt",)),
    "po": ("toolkit.formats.po", (".po", ".pot")),
}

ALIASES = {"md": "markdown", "text": "txt", "htm": "html", "pot": "po"}


def names() -> list[str]:
    return list(REGISTRY)


def extensions() -> set[str]:
    return {ext for _, exts in REGISTRY.values() for ext in exts}


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
