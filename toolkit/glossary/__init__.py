"""Glossaries: the store, inflection-aware matching and verified enforcement.

Public API::

    from toolkit.glossary import Glossary, Entry, load, Matcher, protect_batch, restore_batch

``load(["international-organizations", "my.tsv"])`` merges glossaries (no
argument: the configured default set); ``Matcher(glossary, "ru").find(text)``
finds terms; ``protect_batch``/``restore_batch`` mask and restore terms around
an engine call. Nothing here imports the translation stack.
"""

from __future__ import annotations

from typing import Any

from toolkit.glossary.model import Entry, Glossary
from toolkit.glossary.store import load

__all__ = [
    "Entry",
    "Glossary",
    "Masked",
    "Match",
    "Matcher",
    "Restored",
    "enforce",
    "load",
    "protect_batch",
    "restore_batch",
]


def __getattr__(name: str) -> Any:
    if name in ("Match", "Matcher", "matcher_for"):
        from toolkit.glossary import match

        return getattr(match, name)
    if name in (
        "Masked",
        "Restored",
        "protect_batch",
        "restore_batch",
        "enforce",
        "mask",
        "restore",
    ):
        from toolkit.glossary import protect

        return getattr(protect, name)
    raise AttributeError(name)
