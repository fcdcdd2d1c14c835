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

from collections.abc import Sequence
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
# The registry lives with the packages (toolkit.models): installing or removing a
# package runs the callbacks that engines register to drop the models they loaded.
from toolkit.models import models_changed, on_models_changed  # noqa: E402

__all__ = [
    "Engine",
    "EngineSpec",
    "build_engine",
    "get_engine",
    "models_changed",
    "on_models_changed",
    "resolve_engine_spec",
]
