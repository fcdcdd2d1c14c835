"""The text core every translating command shares (documents and gettext catalogs).

dedup → translation memory → units (token-sized engine batches) → executor → memory

:func:`translate_texts` removes duplicates, asks the translation memory first,
masks glossary terms, cuts the rest into *units* (one engine batch each) and
hands them to an :class:`Executor` (:mod:`toolkit.executors`: ``local`` or
``ray``), never one call per text; the memory is updated after each round.
The document driver (:mod:`toolkit.pipeline`) and the catalog filler
(:mod:`toolkit.po.translate`) both call it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, TypeVar, runtime_checkable

from toolkit.engines import Engine
from toolkit.errors import TolmachError

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from toolkit.glossary import Glossary
    from toolkit.memory import Memory


@dataclass
class Stats:
    """Counters a run reports in its summary."""

    texts: int = 0  # texts asked for (with duplicates)
    unique: int = 0  # unique texts after removing duplicates
    from_memory: int = 0  # all from the memory: exact + fuzzy + machine translations cached
    exact: int = 0  # exact human matches, used as is
    fuzzy: int = 0  # fuzzy human matches, patched (numbers, placeholders, markup)
    offered: int = 0  # matches not used (documents) or written for review (catalogs)
    translated: int = 0  # sent to the engine
    engine_calls: int = 0
    terms_applied: int = 0
    terms_repaired: int = 0
    terms_failed: int = 0

    _COUNTERS = (
        "texts",
        "unique",
        "from_memory",
        "exact",
        "fuzzy",
        "offered",
        "translated",
        "engine_calls",
        "terms_applied",
        "terms_repaired",
        "terms_failed",
    )

    def add(self, other: Stats) -> None:
        for name in self._COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self._COUNTERS}


Progress = Callable[[int], None]


@dataclass
class FillResult:
    """One catalog filled (nothing written yet): its original and new bytes,
    how many units needed a translation and how many got one (and from where),
    and the units left untranslated (``failures``, each with a ``line`` and a
    ``reason``)."""

    path: str
    source: str
    target: str
    original: bytes
    output: bytes
    filled: int = 0
    candidates: int = 0
    failures: list[Any] = field(default_factory=list)
    exact: int = 0  # filled from exact human matches in the memory
    fuzzy: int = 0  # filled from fuzzy human matches, patched
    offered: int = 0  # filled from matches for review (always marked for review)

    @property
    def engine(self) -> int:
        """Units filled by the engine."""
        return self.filled - self.exact - self.fuzzy - self.offered

    @property
    def changed(self) -> bool:
        return self.output != self.original

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "source": self.source,
            "target": self.target,
            "candidates": self.candidates,
            "filled": self.filled,
            "exact": self.exact,
            "fuzzy": self.fuzzy,
            "offered": self.offered,
            "engine": self.engine,
            "failed": len(self.failures),
            "changed": self.changed,
            "failures": [f.__dict__ for f in self.failures],
        }


@runtime_checkable
class Executor(Protocol):
    """Where the engine runs.

    The driver (:func:`translate_texts`) removes duplicates, asks the translation
    memory, masks glossary terms, cuts the rest into *units* (engine batches) and
    updates the memory; an executor only translates units. Both executors get the
    same units in the same order, so they make the same engine calls and give the
    same bytes. ``parallel``: units handed over at once (the memory is updated after
    each round). ``calls``: units translated so far.
    """

    name: str
    parallel: int
    calls: int

    def translate_units(
        self, units: Sequence[Sequence[str]], source: str, target: str
    ) -> list[list[str]]:
        """Translate each unit (one engine batch each); same lengths and order."""
        ...


# A unit (one engine batch) closes at this many texts or at unit_tokens tokens.
UNIT_TEXTS = 256
# unit_tokens = 32 x the engine's batch_tokens. Within a unit the engine sorts
# sentences into length groups; small units make small groups, and on the
# 200-file bench corpus 8x units left the pipeline at 68% of raw batched
# CTranslate2 (32x: one unit per pair there, the same batches as the ceiling).
UNIT_TOKENS_PER_ENGINE_BATCH = 32


def default_unit_tokens(engine: Engine) -> int | None:
    """Token budget of a unit: 32 engine batches (CPU 16,384, GPU 131,072 tokens), or
    no budget for engines without ``batch_tokens``."""
    per_batch = getattr(engine, "batch_tokens", None)
    return int(per_batch) * UNIT_TOKENS_PER_ENGINE_BATCH if per_batch else None


def cut_units(
    texts: Sequence[str], tokens: Sequence[int] | None, max_texts: int, max_tokens: int | None
) -> list[list[str]]:
    """Consecutive units of at most ``max_texts`` texts and ``max_tokens`` tokens (a
    longer text is a unit of its own)."""
    units: list[list[str]] = []
    current: list[str] = []
    size = 0
    for i, text in enumerate(texts):
        n = tokens[i] if tokens is not None else 0
        full = len(current) >= max_texts or (
            max_tokens is not None and current and size + n > max_tokens
        )
        if full:
            units.append(current)
            current, size = [], 0
        current.append(text)
        size += n
    if current:
        units.append(current)
    return units


def _count_tokens(engine: Engine, texts: Sequence[str], source: str, target: str) -> list[int]:
    count = getattr(engine, "count_tokens", None)
    if count is not None:
        try:
            return [int(n) for n in count(texts, source, target)]
        except TolmachError:
            pass
    return [max(1, len(t) // 4) for t in texts]


def term_pairs(glossary: Glossary | None, source: str, target: str) -> dict[str, str]:
    """Source-language term → its target-language term, for patching fuzzy matches
    (:func:`toolkit.fuzzy.patch_terms`): every variant and abbreviation of every
    entry that has a target term (or is do-not-translate)."""
    pairs: dict[str, str] = {}
    if glossary is None:
        return pairs
    for entry in glossary:
        full, abbr = entry.term(target), entry.abbr(target)
        for variant in entry.variants(source):
            if full or entry.dnt:
                pairs.setdefault(variant, full or variant)
        for variant in entry.abbr_variants(source):
            if abbr or full or entry.dnt:
                pairs.setdefault(variant, abbr or full or variant)
    return pairs


def translate_texts(
    texts: Sequence[str],
    source: str,
    target: str,
    *,
    engine: Engine,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    batch_size: int = UNIT_TEXTS,
    progress: Progress | None = None,
    executor: Executor | None = None,
    unit_tokens: int | None = -1,
    min_similarity: float | None = 75.0,
    reuse: bool = True,
) -> tuple[list[str], Stats]:
    """Translate ``texts`` from ``source`` to ``target``; same length and order.

    Duplicates are translated once; the translation memory is asked first. The
    rest is cut into units of at most ``batch_size`` texts and ``unit_tokens``
    tokens (default: :func:`default_unit_tokens`; None: no token budget), one
    engine call each, and the memory is updated after each round of units. With
    a glossary, terms are masked before the engine and restored, verified and
    repaired after it (segments that lost a term are retranslated in one more
    call). ``progress`` is called with the number of unique texts finished.

    With ``reuse`` (and a memory), human translations come first
    (:meth:`toolkit.memory.Memory.reuse`): an exact human match is used as is, a
    fuzzy one at or above ``min_similarity`` (None: exact only) is used when its
    differences can be patched safely; other matches are counted as offered and the
    engine translates those texts.

    ``executor`` runs the engine somewhere else (e.g. a Ray cluster,
    :class:`toolkit.executors.ray.RayExecutor`) on the same units; ``engine`` still
    names the model for the memory keys and counts tokens. Default:
    :class:`toolkit.executors.local.LocalExecutor` over ``engine``.
    """
    if executor is None:
        from toolkit.executors.local import LocalExecutor

        executor = LocalExecutor(engine)
    if unit_tokens == -1:
        unit_tokens = default_unit_tokens(engine)
    stats = Stats(texts=len(texts))
    unique = list(dict.fromkeys(texts))
    stats.unique = len(unique)
    engine_id = engine.identity(source, target)
    glossary_id = glossary.digest() if glossary is not None and len(glossary) else ""
    if not glossary_id:
        glossary = None
    done: dict[str, str] = {}
    if memory is not None:
        if reuse:
            terms = term_pairs(glossary, source, target)
            reused = memory.reuse(unique, source, target, min_similarity, terms)
            for text, found in reused.items():
                if found.kind == "offered":
                    stats.offered += 1
                    continue
                done[text] = found.text
                stats.exact += found.kind == "exact"
                stats.fuzzy += found.kind == "fuzzy"
        rest = [t for t in unique if t not in done]
        done.update(memory.get_many(engine_id, source, target, glossary_id, rest))
        stats.from_memory = len(done)
        if progress and done:
            progress(len(done))
    todo = [t for t in unique if t not in done]
    tokens = _count_tokens(engine, todo, source, target) if unit_tokens and todo else None
    units = cut_units(todo, tokens, max(1, batch_size), unit_tokens)
    per_round = max(1, int(executor.parallel))
    for r in range(0, len(units), per_round):
        group = units[r : r + per_round]
        outs = _translate_units(executor, group, source, target, glossary, stats)
        pairs = [
            pair
            for unit, out in zip(group, outs, strict=True)
            for pair in zip(unit, out, strict=True)
        ]
        stats.translated += len(pairs)
        done.update(pairs)
        if memory is not None:
            memory.put_many(engine_id, source, target, glossary_id, pairs)
        if progress:
            progress(len(pairs))
    return [done[t] for t in texts], stats


class CoreOptions(TypedDict, total=False):
    """What a catalog filler passes on to :func:`translate_groups` as is."""

    memory: Memory | None
    batch_size: int
    progress: Progress | None
    on_total: Callable[[int], None] | None


@dataclass
class TextGroup:
    """Texts translated together: one language pair and one glossary."""

    source: str
    target: str
    glossary: Glossary | None = None
    texts: list[str] = field(default_factory=list)


K = TypeVar("K", bound=Hashable)


def translate_groups(
    groups: Mapping[K, TextGroup],
    *,
    engine: Engine,
    reuse: bool = True,
    **options: Unpack[CoreOptions],
) -> tuple[dict[K, dict[str, str]], Stats]:
    """:func:`translate_texts` for several groups of texts (each its own
    language pair and glossary): one batched call per group; returns each
    group's table (text -> translation) and the summed statistics.
    ``on_total`` first gets the number of unique texts (the ``progress`` total)."""
    on_total = options.get("on_total")
    if on_total is not None:
        on_total(sum(len(dict.fromkeys(g.texts)) for g in groups.values()))
    stats = Stats()
    tables: dict[K, dict[str, str]] = {}
    for key, group in groups.items():
        if not group.texts:
            tables[key] = {}
            continue
        out, st = translate_texts(
            group.texts,
            group.source,
            group.target,
            engine=engine,
            memory=options.get("memory"),
            glossary=group.glossary,
            batch_size=options.get("batch_size", UNIT_TEXTS),
            progress=options.get("progress"),
            reuse=reuse,
        )
        stats.add(st)
        tables[key] = dict(zip(group.texts, out, strict=True))
    return tables, stats


def _translate_units(
    executor: Executor,
    units: Sequence[Sequence[str]],
    source: str,
    target: str,
    glossary: Glossary | None,
    stats: Stats,
) -> list[list[str]]:
    """One round of units through the executor, with glossary protection (on this
    side: the executor only sees masked text) when a glossary is active."""

    def run(batches: Sequence[Sequence[str]]) -> list[list[str]]:
        before = executor.calls
        outs = executor.translate_units([list(b) for b in batches], source, target)
        if len(outs) != len(batches) or any(
            len(o) != len(b) for o, b in zip(outs, batches, strict=True)
        ):
            raise RuntimeError(f"executor {executor.name} returned the wrong number of texts")
        stats.engine_calls += executor.calls - before
        return outs

    if glossary is None:
        return run(units)
    from toolkit.glossary.protect import count, protect_batch, restore_batch

    masked = [protect_batch(unit, glossary, source, target) for unit in units]
    outs = run([[m.text for m in unit] for unit in masked])

    def again(texts: Sequence[str]) -> list[str]:
        return run([texts])[0]

    results = []
    for unit_masked, out in zip(masked, outs, strict=True):
        restored = restore_batch(unit_masked, out, retranslate_batch=again)
        counts = count(restored)
        stats.terms_applied += counts.get("applied", 0)
        stats.terms_repaired += counts.get("repaired", 0)
        stats.terms_failed += counts.get("failed", 0)
        results.append([r.text for r in restored])
    return results
