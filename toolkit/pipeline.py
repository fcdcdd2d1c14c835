"""Orchestration used by every command and by the Python API.

read → segment → detect → plan → protect → translate → restore+verify → render → write

:func:`translate_texts` is the core every translating command shares (documents
and gettext catalogs alike): it removes duplicates, asks the translation
memory first and sends the rest to the engine in batches, never one call per
text. :func:`translate_documents` runs the whole path over article files.
"""

from __future__ import annotations

import difflib
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from toolkit.engines import Engine
from toolkit.errors import (
    EngineError,
    FileIOError,
    MissingModelError,
    TolmachError,
    UsageError,
)
from toolkit.i18n import _

if TYPE_CHECKING:
    from toolkit.document import Document, Fragment
    from toolkit.glossary import Glossary
    from toolkit.markup import Marked
    from toolkit.memory import Memory


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

    _COUNTERS = (
        "texts",
        "unique",
        "from_memory",
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


class LocalExecutor:
    """Runs the engine in this process, one engine call per unit."""

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
            out.append(_engine_call(self.engine, unit, source, target))
        return out

    def close(self) -> None:
        """Nothing to release (executors that hold workers release them here)."""


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
) -> tuple[list[str], Stats]:
    """Translate ``texts`` from ``source`` to ``target``; same length and order.

    Duplicates are translated once; the translation memory is asked first. The
    rest is cut into units of at most ``batch_size`` texts and ``unit_tokens``
    tokens (default: :func:`default_unit_tokens`; None: no token budget), one
    engine call each, and the memory is updated after each round of units. With
    a glossary, terms are masked before the engine and restored, verified and
    repaired after it (segments that lost a term are retranslated in one more
    call). ``progress`` is called with the number of unique texts finished.

    ``executor`` runs the engine somewhere else (e.g. a Ray cluster,
    :class:`toolkit.executors.ray.RayExecutor`) on the same units; ``engine`` still
    names the model for the memory keys and counts tokens. Default:
    :class:`LocalExecutor` over ``engine``.
    """
    if executor is None:
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
        done.update(memory.get_many(engine_id, source, target, glossary_id, unique))
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


def _engine_call(engine: Engine, texts: Sequence[str], source: str, target: str) -> list[str]:
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


# --------------------------------------------------------------------------- documents


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    status: str = "pending"  # translated | unchanged | failed | skipped
    output: str | None = None
    fragments: int = 0  # foreign fragments found
    replaced: int = 0  # fragments whose text changed
    error: str | None = None
    exit_code: int = 0
    diff: str | None = None


@dataclass
class RunResult:
    files: list[FileResult] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    seconds: float = 0.0
    # Language pairs left untranslated for want of a model: (source, target, message).
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    # Inline elements whose place in a translation could not be decided: moved to
    # the sentence's boundary with their content (toolkit.markup).
    markup_relocated: int = 0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def to_dict(self) -> dict[str, object]:
        return {
            "files": [
                {k: v for k, v in vars(f).items() if k != "diff" and v is not None}
                for f in self.files
            ],
            "summary": {
                "files": len(self.files),
                "failed": len(self.failed),
                "fragments": sum(f.fragments for f in self.files),
                "replaced": sum(f.replaced for f in self.files),
                **self.stats.to_dict(),
                "markup_relocated": self.markup_relocated,
                "seconds": round(self.seconds, 3),
                "missing_models": [f"{s}-{t}" for s, t, _ in self.missing],
            },
        }


@dataclass
class _Planned:
    result: FileResult
    doc: Document
    original: bytes
    fragments: list[Fragment]
    sources: list[str]  # the source language of each fragment
    marked: list[Marked]  # each fragment as the engine gets it: markup as placeholders


def _output_path(path: Path, root: Path | None, output: Path | None, single: bool) -> Path | None:
    if output is None:
        return None
    if single and not (output.is_dir() or str(output).endswith(os.sep)):
        return output
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return output / rel


def _apply(
    doc: Document, frags: Sequence[Fragment], marked: Sequence[Marked], new_texts: Sequence[str]
) -> tuple[dict[int, str], int]:
    """Segment replacements from fragment translations, and how many inline
    elements were relocated. A segment with markup gets its marked text, the
    placeholders of each translation verified and repaired (:mod:`toolkit.markup`)."""
    from toolkit import markup

    by_segment: dict[int, list[tuple[Fragment, str]]] = defaultdict(list)
    with_markup: dict[int, list[tuple[Marked, str]]] = defaultdict(list)
    relocated = 0
    for frag, mark, new in zip(frags, marked, new_texts, strict=True):
        seg = doc.segments[frag.segment]
        if markup.has_markup(seg):
            if new != mark.text:
                restored = markup.restore(mark, new)
                relocated += restored.relocated
                with_markup[frag.segment].append((mark, restored.text))
        elif new != frag.text:
            by_segment[frag.segment].append((frag, new))
    replacements: dict[int, str] = {
        index: markup.replace_fragments(doc.segments[index], items)
        for index, items in with_markup.items()
    }
    for index, items in by_segment.items():
        text = doc.segments[index].text
        # one pass, left to right: a long segment with many fragments stays linear
        pieces: list[str] = []
        pos = 0
        for frag, new in sorted(items, key=lambda item: item[0].start):
            pieces += [text[pos : frag.start], new]
            pos = frag.end
        pieces.append(text[pos:])
        replacements[index] = "".join(pieces)
    return replacements, relocated


def plan_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[tuple[Path, Path | None]]:
    """The files to process, each with the folder it was found under (None if named)."""
    from toolkit import files, formats

    planned: list[tuple[Path, Path | None]] = []
    exts = formats.extensions() - {".po", ".pot"}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            planned += [
                (f, p) for f in files.walk([p], extensions=exts, include=include, exclude=exclude)
            ]
        else:
            planned.append((p, None))
    return planned


def read_and_plan(
    planned_files: Sequence[tuple[Path, Path | None]],
    run: RunResult,
    *,
    target: str,
    source: str | None = None,
    languages: Sequence[str] | None = None,
    format: str | None = None,
    out_path: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    in_place: bool = False,
    max_bytes: int | None = None,
) -> list[_Planned]:
    """The driver's first half: read, segment and detect every file (from
    :func:`plan_files`) and plan its foreign fragments. Each file gets a
    :class:`FileResult` in ``run.files``; unreadable ones are marked failed,
    files larger than ``max_bytes`` are refused before they are read, and links
    that would make a write leave the tree are skipped."""
    from toolkit import detect, formats, markup

    single = len(planned_files) == 1
    planned: list[_Planned] = []
    for n, (path, root) in enumerate(planned_files, 1):
        result = FileResult(path=str(path))
        run.files.append(result)
        skip = _unsafe_target(path, root, in_place, out_path, single)
        if skip:
            result.status, result.error = "skipped", f"{path}: {skip}"
            if progress:
                progress("read", n, len(planned_files))
            continue
        try:
            if path.suffix.lower() in (".po", ".pot") and format is None:
                raise UsageError(_("gettext catalogs are translated with `tolmach po translate`"))
            _check_size(path, max_bytes)
            original = path.read_bytes() if path.is_file() else None
            doc = formats.load(path, format, data=original)
            found = detect.fragments(doc, expect=target, languages=languages).foreign()
        except TolmachError as exc:
            result.status, result.error, result.exit_code = "failed", str(exc), exc.exit_code
            if progress:
                progress("read", n, len(planned_files))
            continue
        except OSError as exc:
            result.status, result.error = "failed", f"{path}: {exc.strerror or exc}"
            result.exit_code = FileIOError.exit_code
            if progress:
                progress("read", n, len(planned_files))
            continue
        assert original is not None
        if root is not None or out_path is not None:
            dest = _output_path(path, root, out_path, single)
            result.output = str(dest) if dest else None
        sources = [source or (f.lang or "") for f in found]
        marked = [markup.mark_fragment(doc.segments[f.segment], f.start, f.end) for f in found]
        planned.append(_Planned(result, doc, original, list(found), sources, marked))
        result.fragments = len(found)
        if progress:
            progress("read", n, len(planned_files))
    return planned


def translate_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    target: str,
    engine: Engine,
    source: str | None = None,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    languages: Sequence[str] | None = None,
    format: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    output: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    backup: str | None = None,
    dry_run: bool = False,
    on_progress: Callable[[str, int, int], None] | None = None,
    executor: Executor | None = None,
    batch_size: int = UNIT_TEXTS,
    max_bytes: int | None = None,
) -> tuple[RunResult, dict[str, bytes]]:
    """Translate every foreign fragment of every file into ``target``.

    Returns the run result and, when neither ``output`` nor ``in_place`` is
    set (nor ``dry_run``), the rendered bytes of each file for the caller to
    print. A file that cannot be read or parsed is reported and skipped; the
    others complete. Writes happen only after every translation is done, and
    each one is atomic, so an interrupted run leaves the inputs untouched.
    ``executor`` runs the engine elsewhere (see :func:`translate_texts`); reading,
    detection, planning, the memory, the glossary and writing stay here.
    ``batch_size``: texts per engine call at most (see :func:`translate_texts`).
    Files larger than ``max_bytes`` are refused before they are read.

    """
    from toolkit import formats

    started = time.perf_counter()
    run = RunResult()
    if in_place and output is not None:
        raise UsageError("--in-place and --output exclude each other")
    out_path = Path(output) if output is not None else None
    planned_files = plan_files(paths, include=include, exclude=exclude)
    single = len(planned_files) == 1
    if out_path is not None and not single and out_path.exists() and not out_path.is_dir():
        raise UsageError("--output must be a folder when translating several files")

    def progress(stage: str, done: int, total: int) -> None:
        if on_progress:
            on_progress(stage, done, total)

    # read → segment → detect → plan
    planned = read_and_plan(
        planned_files,
        run,
        target=target,
        source=source,
        languages=languages,
        format=format,
        out_path=out_path,
        progress=progress,
        in_place=in_place,
        max_bytes=max_bytes,
    )

    # group by language pair → memory → engine in batches
    by_pair: dict[str, list[str]] = defaultdict(list)
    for item in planned:
        for mark, src in zip(item.marked, item.sources, strict=True):
            by_pair[src].append(mark.text)
    translated: dict[tuple[str, str], str] = {}
    total_unique = sum(len(set(v)) for v in by_pair.values())
    finished = 0
    for src, texts in sorted(by_pair.items()):

        def tick(k: int) -> None:
            nonlocal finished
            finished += k
            progress("translate", finished, total_unique)

        try:
            outs, stats = translate_texts(
                texts,
                src,
                target,
                engine=engine,
                memory=memory,
                glossary=glossary,
                progress=tick,
                executor=executor,
                batch_size=batch_size,
            )
        except MissingModelError as exc:
            # The other pairs still complete; these fragments stay as they are.
            run.missing.append((src, target, str(exc)))
            outs, stats = list(texts), Stats(texts=len(texts))
        run.stats.add(stats)
        translated.update(((src, t), o) for t, o in zip(texts, outs, strict=True))

    # render → write
    rendered: dict[str, bytes] = {}
    for n, item in enumerate(planned, 1):
        result = item.result
        new_texts = [
            translated[(src, m.text)] for m, src in zip(item.marked, item.sources, strict=True)
        ]
        result.replaced = sum(1 for m, t in zip(item.marked, new_texts, strict=True) if t != m.text)
        replacements, relocated = _apply(item.doc, item.fragments, item.marked, new_texts)
        run.markup_relocated += relocated
        data = formats.dump(item.doc, replacements)
        result.status = "unchanged" if data == item.original else "translated"
        try:
            if dry_run:
                result.diff = _diff(item, data)
            elif in_place:
                if data != item.original:
                    # a file named on the command line may be a link: rewrite its
                    # target and keep the link (links found in folders are skipped)
                    real = Path(os.path.realpath(result.path))
                    if backup:
                        _backup(real, backup)
                    _write(real, data)
                result.output = result.path
            elif result.output is not None:
                dest = Path(result.output)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _write(dest, data)
            else:
                rendered[result.path] = data
        except TolmachError as exc:
            result.status, result.error, result.exit_code = "failed", str(exc), exc.exit_code
        except OSError as exc:
            result.status, result.error = "failed", f"{result.output}: {exc.strerror or exc}"
            result.exit_code = FileIOError.exit_code
        progress("write", n, len(planned))
    run.seconds = time.perf_counter() - started
    return run, rendered


def _check_size(path: Path, max_bytes: int | None) -> None:
    from toolkit.errors import InputError
    from toolkit.i18n import _

    if max_bytes is None or not path.is_file():
        return
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            _("file too large ({size:.1f} MB; the limit is {limit:.1f} MB, see --max-size)").format(
                size=size / 1e6, limit=max_bytes / 1e6
            ),
            path=str(path),
        )


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


def _unsafe_target(
    path: Path, root: Path | None, in_place: bool, output: Path | None, single: bool
) -> str | None:
    """Why writing ``path``'s result would go through a symbolic link, or None.

    With ``--in-place`` on a folder, files that are symbolic links are skipped:
    rewriting one would either write outside the folder (a link to an outside
    file) or turn the link into a copy (a link to a file inside, which is
    translated where it lives). With ``--output``, a destination whose folders
    lead outside the output folder through a link is refused.
    """
    from toolkit.i18n import _

    if in_place and root is not None and path.is_symlink():
        if _inside(path, root):
            return _("symbolic link; skipped (its target is translated where it lives)")
        return _("symbolic link to a file outside the folder; skipped")
    if output is not None and not (single and not output.is_dir()):
        dest = _output_path(path, root, output, single)
        if dest is not None and not _inside(dest.parent, output):
            return _("the output path leads outside the output folder through a link; skipped")
    return None


def _write(path: Path, data: bytes) -> None:
    from toolkit.files import atomic_write

    atomic_write(path, data)


def _backup(path: Path, suffix: str) -> None:
    from toolkit.files import atomic_write

    dest = path.with_name(path.name + suffix)
    atomic_write(dest, path.read_bytes(), mode=os.stat(path).st_mode & 0o777)
    shutil.copystat(path, dest)


def _diff(item: _Planned, data: bytes) -> str:
    enc = item.doc.encoding
    old = item.original.decode(enc, "replace").splitlines(keepends=True)
    new = data.decode(enc, "replace").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(old, new, fromfile=item.result.path, tofile=item.result.path)
    )
