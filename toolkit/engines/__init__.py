"""Translation engines.

An engine translates a batch of texts from one language to another. The
pipeline never calls an engine once per fragment: it hands over every unique
text of a language pair at once. ``identity`` names the engine and model for
the translation memory's cache key.

Which engine, device, beam and batch size is decided once, in
:func:`~toolkit.engines.spec.resolve_engine_spec`; :func:`build_engine` turns
that :class:`~toolkit.engines.spec.EngineSpec` into an engine. Importing this
package stays light: engines import their libraries when they are built.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from toolkit.engines.spec import EngineSpec, resolve_engine_spec


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


def build_engine(spec: EngineSpec) -> Engine:
    """The engine a resolved :class:`EngineSpec` names."""
    if spec.name == "identity":
        from toolkit.engines.identity import IdentityEngine

        return IdentityEngine()
    from toolkit.engines.argos import ArgosEngine

    return ArgosEngine(spec)


def get_engine(name: str = "argos", **options: Any) -> Engine:
    """Build an engine by name: ``argos`` (fast CTranslate2 path, the default),
    ``argos-reference`` (argostranslate.translate) or ``identity``; ``options`` are
    :func:`resolve_engine_spec`'s (``device``, ``beam``, ...)."""
    return build_engine(resolve_engine_spec(name, **options))


# --- cache invalidation --------------------------------------------------------------------

_on_models_changed: list[Callable[[], None]] = []


def on_models_changed(callback: Callable[[], None]) -> Callable[[], None]:
    """Register ``callback`` to run when models are installed or removed (engines that
    cache loaded models register their cache's ``clear``); usable as a decorator."""
    if callback not in _on_models_changed:
        _on_models_changed.append(callback)
    return callback


def models_changed() -> None:
    """Tell every engine that the installed models changed (``toolkit.models`` calls
    this after an install or removal); nothing is imported."""
    for callback in list(_on_models_changed):
        callback()


@on_models_changed
def _clear_argostranslate() -> None:
    """argostranslate caches its installed translations; drop them when it is loaded
    (looked up, never imported: importing it loads torch)."""
    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.installed_translates.clear()
        translate.get_installed_languages.cache_clear()


__all__ = [
    "Engine",
    "EngineSpec",
    "build_engine",
    "get_engine",
    "models_changed",
    "on_models_changed",
    "resolve_engine_spec",
]
