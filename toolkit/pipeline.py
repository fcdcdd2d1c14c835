"""The document driver: read → plan → translate → render → write.

read → segment → detect → plan → (:func:`toolkit.translation.translate_texts`:
dedup → memory → protect → units → executor → restore+verify → memory) →
render → write. :func:`translate_documents` runs the whole path over article
files; the text core lives in :mod:`toolkit.translation`.
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
from typing import TYPE_CHECKING

from toolkit import interrupt
from toolkit.engines import Engine
from toolkit.errors import FileIOError, MissingModelError, TolmachError, UsageError
from toolkit.i18n import _
from toolkit.translation import UNIT_TEXTS, Executor, Stats, translate_texts

if TYPE_CHECKING:
    from toolkit.document import Document, Fragment
    from toolkit.glossary import Glossary
    from toolkit.markup import Marked
    from toolkit.memory import Memory


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


def apply_translations(
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
    from toolkit import detect, files, formats, markup

    single = len(planned_files) == 1
    planned: list[_Planned] = []
    for n, (path, root) in enumerate(planned_files, 1):
        result = FileResult(path=str(path))
        run.files.append(result)
        skip = _unsafe_target(path, root, in_place, out_path, single)
        if skip:
            result.status, result.error = "skipped", f"{path}: {skip}"
        else:
            try:
                if path.suffix.lower() in (".po", ".pot") and format is None:
                    raise UsageError(
                        _("gettext catalogs are translated with `tolmach po translate`")
                    )
                original = files.read_bytes(path, max_bytes=max_bytes)
                doc = formats.load(path, format, data=original)
                found = detect.fragments(doc, expect=target, languages=languages).foreign()
            except (TolmachError, OSError) as exc:
                _fail(result, exc, str(path))
            else:
                if root is not None or out_path is not None:
                    dest = _output_path(path, root, out_path, single)
                    result.output = str(dest) if dest else None
                sources = [source or (f.lang or "") for f in found]
                marked = [
                    markup.mark_fragment(doc.segments[f.segment], f.start, f.end) for f in found
                ]
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
    min_similarity: float | None = 75.0,
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
    ``min_similarity``: fuzzy human matches from the memory at or above it are used
    when they can be patched safely (see :func:`translate_texts`).

    """
    from toolkit import files, formats

    started = time.perf_counter()
    run = RunResult()
    if in_place and output is not None:
        raise UsageError("--in-place and --output exclude each other")
    out_path = Path(output) if output is not None else None
    planned_files = plan_files(paths, include=include, exclude=exclude)
    single = len(planned_files) == 1
    if out_path is not None and not single and out_path.exists() and not out_path.is_dir():
        raise UsageError("--output must be a folder when translating several files")
    if out_path is not None and not dry_run:
        _check_outputs(planned_files, out_path, single)
    interrupt.running()

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
                min_similarity=min_similarity,
            )
        except MissingModelError as exc:
            # The other pairs still complete; these fragments stay as they are.
            run.missing.append((src, target, str(exc)))
            outs, stats = list(texts), Stats(texts=len(texts))
        run.stats.add(stats)
        translated.update(((src, t), o) for t, o in zip(texts, outs, strict=True))

    # render → write
    interrupt.check()
    rendered: dict[str, bytes] = {}
    for n, item in enumerate(planned, 1):
        interrupt.check()
        result = item.result
        new_texts = [
            translated[(src, m.text)] for m, src in zip(item.marked, item.sources, strict=True)
        ]
        result.replaced = sum(1 for m, t in zip(item.marked, new_texts, strict=True) if t != m.text)
        replacements, relocated = apply_translations(
            item.doc, item.fragments, item.marked, new_texts
        )
        run.markup_relocated += relocated
        data = formats.dump(item.doc, replacements)
        result.status = "unchanged" if data == item.original else "translated"
        try:
            if dry_run:
                result.diff = _diff(item, data, replacements)
            elif in_place:
                if data != item.original:
                    # a file named on the command line may be a link: rewrite its
                    # target and keep the link (links found in folders are skipped)
                    real = Path(os.path.realpath(result.path))
                    if not files.unchanged(real, item.original):
                        raise FileIOError(
                            _("changed since tolmach read it; not overwritten"), path=result.path
                        )
                    if backup:
                        _backup(real, backup, item.original)
                    files.atomic_write(real, data, expect=item.original)
                result.output = result.path
            elif result.output is not None:
                dest = Path(result.output)
                files.make_folders(dest.parent)
                files.atomic_write(dest, data)
            else:
                rendered[result.path] = data
        except (TolmachError, OSError) as exc:
            _fail(result, exc, str(result.output))
        progress("write", n, len(planned))
    if not dry_run and (in_place or out_path is not None):
        interrupt.finished()  # every write is done: a late Ctrl-C cuts nothing
    run.seconds = time.perf_counter() - started
    return run, rendered


def _fail(result: FileResult, exc: TolmachError | OSError, where: str) -> None:
    """Mark a file failed: the error's line and exit code (an OSError: exit 5, named
    after ``where``)."""
    result.status = "failed"
    if isinstance(exc, TolmachError):
        result.error, result.exit_code = str(exc), exc.exit_code
    else:
        result.error = f"{where}: {exc.strerror or exc}"
        result.exit_code = FileIOError.exit_code


def _check_outputs(
    planned_files: Sequence[tuple[Path, Path | None]], out_path: Path, single: bool
) -> None:
    """Refuse, before anything is read, a run whose writes would clash: two
    inputs with the same output path (``d1/a.txt d2/a.txt -o out/``; tolmach
    never overwrites one result with another), an output that is one of the
    inputs (that is --in-place), or a read-only output folder."""
    from toolkit import files

    if out_path.is_dir() and not files.writable_folder(out_path):
        raise FileIOError(_("output folder is not writable"), path=str(out_path))
    inputs = {os.path.realpath(p): p for p, _root in planned_files}
    seen: dict[str, Path] = {}
    for path, root in planned_files:
        dest = _output_path(path, root, out_path, single)
        if dest is None:
            continue
        key = os.path.realpath(dest)
        if key in seen:
            raise UsageError(
                _(
                    "{a} and {b} would both be written to {dest}; translate them in "
                    "separate runs or give their folders instead"
                ).format(a=seen[key], b=path, dest=dest)
            )
        seen[key] = path
        if key in inputs:
            raise UsageError(
                _("{dest} is an input; use --in-place to translate a file where it is").format(
                    dest=dest
                )
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


def _backup(path: Path, suffix: str, original: bytes) -> None:
    """Save what was read (and checked unchanged) beside the file."""
    from toolkit.files import atomic_write

    dest = path.with_name(path.name + suffix)
    atomic_write(dest, original, mode=os.stat(path).st_mode & 0o777)
    shutil.copystat(path, dest)


def _diff(item: _Planned, data: bytes, replacements: dict[int, str]) -> str:
    if item.doc.parts:  # a container: the changed parts, as text
        from toolkit import formats

        doc = item.doc
        rendered = formats.get(doc.format).render(doc, replacements)
        pieces: list[str] = []
        for (name, _start), old_part, new_part in zip(
            doc.parts, doc.text.split("\x00"), rendered.split("\x00"), strict=True
        ):
            if old_part != new_part:
                where = f"{item.result.path}!{name}"
                pieces += difflib.unified_diff(
                    old_part.splitlines(keepends=True),
                    new_part.splitlines(keepends=True),
                    fromfile=where,
                    tofile=where,
                )
        return "".join(pieces)
    enc = item.doc.encoding
    old = item.original.decode(enc, "replace").splitlines(keepends=True)
    new = data.decode(enc, "replace").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(old, new, fromfile=item.result.path, tofile=item.result.path)
    )
