"""``po translate`` and ``catalog translate``: the options they share (one
:class:`FillSetup`), filling gettext and other catalogs with one engine, writing
them (or printing a diff), and saying what was filled, the same way."""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from toolkit.cli.options import (
    AsJson,
    CatalogOutput,
    DryRun,
    MemoryChoice,
    Quiet,
    Terms,
    engine_options,
    glossary_options,
    memory_options,
    option_group,
)
from toolkit.errors import TolmachError, UsageError, run_exit_code
from toolkit.i18n import _, ngettext

if TYPE_CHECKING:
    from toolkit.engines.spec import EngineSpec
    from toolkit.languages import Language
    from toolkit.translation import FillResult

PO_SUFFIXES = (".po", ".pot")


@dataclass(frozen=True)
class Delivery:
    """Where filled catalogs go and what is said: ``--dry-run``, ``--json``,
    ``--output``, ``--quiet``."""

    dry_run: bool = False
    as_json: bool = False
    output: Path | None = None
    quiet: bool = False


def _delivery(
    dry_run: DryRun = False,
    as_json: AsJson = False,
    output: CatalogOutput = None,
    quiet: Quiet = False,
) -> Delivery:
    return Delivery(dry_run, as_json, output, quiet)


@dataclass(frozen=True)
class FillSetup:
    """The options every filling command shares, decided at the entry: the
    engine, the translation memory, the glossary, and the delivery."""

    spec: EngineSpec
    memory: MemoryChoice
    terms: Terms
    out: Delivery


@engine_options
@memory_options
@glossary_options
@option_group("out", _delivery)
def _setup(*, out: Delivery, spec: EngineSpec, memory: MemoryChoice, terms: Terms) -> FillSetup:
    return FillSetup(spec, memory, terms, out)


fill_options = option_group("setup", _setup)
"""The engine, memory, glossary and delivery options as one ``setup: FillSetup``."""


@dataclass(frozen=True)
class FillOptions:
    """How ``po translate`` and ``catalog translate`` fill, decided at the entry."""

    setup: FillSetup
    source_language: Language
    target: Language | None = None
    source_file: Path | None = None  # the source of one monolingual catalog
    review: bool = True  # mark filled units for review (PO fuzzy, XLIFF state)
    overwrite_fuzzy: bool = False
    min_similarity: float = 75.0


def fill(catalogs: Sequence[Path], opts: FillOptions) -> None:
    """Fill ``catalogs`` (gettext ones through :mod:`toolkit.po.translate`, the
    others through :mod:`toolkit.catalogs.translate`, one engine for both),
    write them and report."""
    from toolkit import catalogs as registry
    from toolkit import engines
    from toolkit.cli.progress import tally

    if opts.setup.out.output is not None and len(catalogs) != 1:
        raise UsageError(_("--output needs exactly one catalog"))
    po = [c for c in catalogs if c.suffix.lower() in PO_SUFFIXES]
    other = [c for c in catalogs if c.suffix.lower() not in PO_SUFFIXES]
    for c in other:
        registry.format_of(c)  # unknown formats fail before any engine loads
        if not c.exists() and opts.source_file is None:
            raise UsageError(_("no such catalog; give --source to start it"), path=str(c))
    if opts.source_file is not None and len(other) != 1:
        raise UsageError(_("--source needs exactly one catalog"))
    engine = engines.build_engine(opts.setup.spec)
    tm = opts.setup.memory.open(read_only=opts.setup.out.dry_run)
    results: list[FillResult] = []
    errors: list[TolmachError] = []
    try:
        with tally(not opts.setup.out.quiet and not opts.setup.out.as_json) as count:
            shared: dict[str, Any] = {
                "engine": engine,
                "target": opts.target,
                "memory": tm,
                "glossary": opts.setup.terms.default,
                "glossary_for": opts.setup.terms.for_path,
                "progress": count.advance,
                "on_total": count.on_total,
            }
            if po:
                from toolkit.po.translate import translate_catalogs

                filled, _stats = translate_catalogs(
                    [str(c) for c in po],
                    errors=errors,
                    source=opts.source_language,
                    overwrite_fuzzy=opts.overwrite_fuzzy,
                    mark_fuzzy=opts.review,
                    min_similarity=opts.min_similarity,
                    **shared,
                )
                results.extend(filled)
            if other:
                from toolkit.catalogs.translate import translate_paths

                found, _stats = translate_paths(
                    [str(c) for c in other],
                    source=opts.source_file,
                    source_language=opts.source_language,
                    review=opts.review,
                    **shared,
                )
                results.extend(found)
    finally:
        if tm is not None:
            tm.close()
    write_results(results, dry_run=opts.setup.out.dry_run, output=opts.setup.out.output)
    report(results, errors, as_json=opts.setup.out.as_json)


def write_results(results: Sequence[FillResult], *, dry_run: bool, output: Path | None) -> None:
    """Each changed catalog written in place, or all to ``output`` (one catalog),
    or, with ``dry_run``, a unified diff on stdout and nothing written."""
    from toolkit import files

    for r in results:
        if dry_run:
            if r.changed:
                diff = difflib.unified_diff(
                    r.original.decode("utf-8", "replace").splitlines(keepends=True),
                    r.output.decode("utf-8", "replace").splitlines(keepends=True),
                    fromfile=r.path,
                    tofile=r.path,
                )
                sys.stdout.write("".join(diff))
        elif output is not None:
            files.atomic_write(output, r.output)
        elif r.changed:
            files.atomic_write(r.path, r.output)


def report(results: Sequence[FillResult], errors: Sequence[TolmachError], *, as_json: bool) -> None:
    """One line per unreadable catalog, then the summary (JSON on stdout, or a
    line per catalog on stderr with its units left untranslated); exits with
    the highest error code when a catalog failed."""
    from toolkit.cli import error_line

    for exc in errors:  # each bad catalog: one line; the others were filled
        error_line(str(exc))
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            typer.echo(_summary(r), err=True)
            for f in r.failures:
                col = f":{f.column}" if getattr(f, "column", None) else ""
                typer.echo(f"  {r.path}:{f.line}{col}: {f.reason}", err=True)
    if errors:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in errors))


def _summary(r: FillResult) -> str:
    msg = ngettext(
        "{path}: filled {n} entry of {total}", "{path}: filled {n} entries of {total}", r.filled
    ).format(path=r.path, n=r.filled, total=r.candidates)
    msg += " " + _(
        "({exact} exact, {fuzzy} fuzzy, {offered} offered for review from memory; "
        "{engine} by the engine)"
    ).format(exact=r.exact, fuzzy=r.fuzzy, offered=r.offered, engine=r.engine)
    if r.failures:
        msg += "; " + ngettext(
            "{n} left untranslated (placeholders)",
            "{n} left untranslated (placeholders)",
            len(r.failures),
        ).format(n=len(r.failures))
    return msg
