"""Orchestration used by every command and by the Python API.

read → segment → detect → plan → protect → translate → restore+verify → render → write

:func:`translate_texts` is the core every translating command shares (documents
and gettext catalogs alike): it removes duplicates, asks the translation
memory first and sends the rest to the engine in batches, never one call per
text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from toolkit.engines import Engine


@dataclass
class Stats:
    """Counters a run reports in its summary."""

    texts: int = 0  # texts asked for (with duplicates)
    unique: int = 0  # unique texts after removing duplicates
    from_memory: int = 0
    translated: int = 0  # sent to the engine
    engine_calls: int = 0
    terms_applied: int = 0
    terms_repaired: int = 0
    terms_failed: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Stats) -> None:
        for name in (
            "texts",
            "unique",
            "from_memory",
            "translated",
            "engine_calls",
            "terms_applied",
            "terms_repaired",
            "terms_failed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)


Progress = Callable[[int], None]


def translate_texts(
    texts: Sequence[str],
    source: str,
    target: str,
    *,
    engine: Engine,
    batch_size: int = 64,
    progress: Progress | None = None,
) -> tuple[list[str], Stats]:
    """Translate ``texts`` from ``source`` to ``target``; same length and order.

    Duplicates are translated once. ``progress`` is called with the number of
    texts finished after each engine batch.
    """
    stats = Stats(texts=len(texts))
    unique = list(dict.fromkeys(texts))
    stats.unique = len(unique)
    done: dict[str, str] = {}
    for i in range(0, len(unique), batch_size):
        batch = unique[i : i + batch_size]
        out = engine.translate_batch(batch, source, target)
        if len(out) != len(batch):
            raise RuntimeError(f"engine {engine.name} returned {len(out)} texts for {len(batch)}")
        stats.engine_calls += 1
        stats.translated += len(batch)
        done.update(zip(batch, out, strict=True))
        if progress:
            progress(len(batch))
    return [done[t] for t in texts], stats
