"""Translation engines.

An engine translates a batch of texts from one language to another. The
pipeline never calls an engine once per fragment: it hands over every unique
text of a language pair at once. ``identity`` names the engine and model for
the translation memory's cache key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class Engine(Protocol):
    """What the pipeline needs from a translation engine."""

    name: str

    def identity(self, source: str, target: str) -> str:
        """A stable id of the engine and the model (package name and version) for a pair.

        Used in translation-memory keys: it changes when the model changes.
        """
        ...

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate every text; the result has the same length and order."""
        ...


def get_engine(name: str = "argos", **options: object) -> Engine:
    """Build an engine by name: ``argos`` (fast CTranslate2 path, the default),
    ``argos-reference`` (argostranslate.translate) or ``identity``."""
    from toolkit.errors import UsageError

    if name in ("argos", "argos-fast", "fast"):
        from toolkit.engines.argos import ArgosEngine

        return ArgosEngine(path="fast", **options)  # type: ignore[arg-type]
    if name in ("argos-reference", "reference"):
        from toolkit.engines.argos import ArgosEngine

        return ArgosEngine(path="reference", **options)  # type: ignore[arg-type]
    if name == "identity":
        from toolkit.engines.identity import IdentityEngine

        return IdentityEngine()
    raise UsageError(f"unknown engine {name!r}; choose argos, argos-reference or identity")
