"""The local executor: the engine runs in this process, one engine call per unit."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.engines import Engine
from toolkit.errors import EngineError
from toolkit.i18n import _


class LocalExecutor:
    """Runs the engine in this process, one engine call per unit (see
    :class:`toolkit.translation.Executor`)."""

    name = "local"
    parallel = 1

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.calls = 0

    def translate_units(
        self, units: Sequence[Sequence[str]], source: str, target: str
    ) -> list[list[str]]:
        out = []
        for unit in units:
            self.calls += 1
            out.append(engine_call(self.engine, unit, source, target))
        return out

    def close(self) -> None:
        """Nothing to release (executors that hold workers release them here)."""


def engine_call(engine: Engine, texts: Sequence[str], source: str, target: str) -> list[str]:
    """One engine batch; an engine library's failure becomes one EngineError line."""
    try:
        out = engine.translate_batch(list(texts), source, target)
    except (RuntimeError, ValueError, MemoryError) as exc:  # CTranslate2 and friends
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EngineError(
            _("the {engine} engine failed on {src}→{tgt}: {err}").format(
                engine=engine.name, src=source, tgt=target, err=first
            )
        ) from None
    if len(out) != len(texts):
        raise RuntimeError(f"engine {engine.name} returned {len(out)} texts for {len(texts)}")
    return out
