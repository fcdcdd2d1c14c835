"""`tolmach translate`: translate the foreign fragments of article files."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from toolkit.cli.options import (
    Beam,
    Command,
    Device,
    DryRun,
    EngineName,
    FileChoice,
    Languages,
    MemoryChoice,
    MinSimilarity,
    Paths,
    Quiet,
    SourceLanguage,
    TargetLanguage,
    Terms,
    file_options,
    glossary_options,
    memory_options,
    option_group,
)
from toolkit.i18n import _, ngettext

if TYPE_CHECKING:
    from toolkit.pipeline import RunResult

HELP = _(
    "Translate every fragment that is not in the target language; every other byte stays.\n\n"
    "Fragments are detected per file, grouped by language pair, looked up in the translation "
    "memory, and the rest are sent to the engine in batches. Pairs with no direct model pivot "
    "through English when both legs are installed, as Argos itself chains models.\n\n"
    "Examples:\n\n"
    "  tolmach translate examples/article.txt --to en\n\n"
    "  tolmach translate site/ --to en -o translated/ --include '*.html'\n\n"
    "  tolmach translate notes.md --to en --in-place --backup .orig\n\n"
    "  tolmach translate article.txt --to en --dry-run\n\n"
    "  tolmach translate corpus/ --to en -o out/ --executor ray --workers 2\n\n"
    "  tolmach translate corpus/ --to en -o out/ --executor ray --address auto --device cuda"
)


@dataclass(frozen=True)
class Destination:
    """Where translated documents go: ``--output``, ``--in-place`` (with
    ``--backup``), ``--dry-run``, or stdout."""

    output: Path | None = None
    in_place: bool = False
    backup: str | None = None
    dry_run: bool = False

    def writing(self) -> dict[str, Any]:
        """The keyword arguments of :func:`toolkit.pipeline.translate_documents` that say it."""
        return asdict(self)


def _destination(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help=_("Output file (one input) or folder."), show_default=False
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help=_("Rewrite the input files atomically."))
    ] = False,
    backup: Annotated[
        str | None,
        typer.Option(
            "--backup",
            help=_("With --in-place, keep the original as FILE+SUFFIX."),
            show_default=False,
        ),
    ] = None,
    dry_run: DryRun = False,
) -> Destination:
    from toolkit.errors import UsageError

    if backup and not in_place:
        raise UsageError(_("--backup needs --in-place"))
    return Destination(output, in_place, backup, dry_run)


def translate(
    paths: Paths,
    to: TargetLanguage,
    source: SourceLanguage = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print a machine-readable summary."))
    ] = False,
    engine: EngineName = "argos",
    device: Device = None,
    beam: Beam = None,
    min_similarity: MinSimilarity = 75.0,
    download: Annotated[
        bool,
        typer.Option(
            "--download", help=_("Install a missing model from the Argos index (online).")
        ),
    ] = False,
    languages: Languages = None,
    quiet: Quiet = False,
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            help=_(
                "Where the engine runs: local (this process) or ray (a pool of Ray actors, "
                "one model each; pip install 'tolmach\\[ray]')."
            ),
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help=_(
                "With --executor ray: the cluster to join (auto, or ray://HOST:PORT); "
                "default: start a local one."
            ),
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help=_(
                "With --executor ray: actors to start (default: one per GPU, or one "
                "per 4 CPU cores)."
            ),
            show_default=False,
        ),
    ] = None,
    *,
    write: Destination,
    select: FileChoice,
    memory: MemoryChoice,
    terms: Terms,
) -> None:
    from toolkit import formats
    from toolkit.cli.progress import progress_bar
    from toolkit.errors import ExitCode, UsageError, run_exit_code
    from toolkit.executors import open_executor
    from toolkit.pipeline import translate_documents

    _spec, eng, runner = open_executor(
        executor, engine=engine, device=device, beam=beam, address=address, workers=workers
    )
    try:
        tm = memory.open(read_only=write.dry_run)
    except BaseException:
        runner.close()
        raise

    def run() -> tuple[RunResult, dict[str, bytes]]:
        with progress_bar(not quiet and not as_json) as on_progress:
            return translate_documents(
                paths,
                target=to,
                source=source,
                languages=languages,
                min_similarity=min_similarity,
                **select.reading(),
                engine=eng,
                memory=tm,
                glossary=terms.default,
                executor=runner,
                on_progress=on_progress,
                **write.writing(),
            )

    try:
        result, rendered = run()
        if download and result.missing:
            from toolkit.models import install_from_index

            for src, tgt, _message in result.missing:
                install_from_index(src, tgt)
            result, rendered = run()
    finally:
        if tm is not None:
            tm.close()
        runner.close()

    if len(rendered) > 1:
        raise UsageError(_("several inputs: use --output FOLDER or --in-place"))
    report = result.to_dict()
    if as_json:
        for entry in cast("list[dict[str, Any]]", report["files"]):  # a list, see to_dict()
            data = rendered.get(entry["path"])
            if data is not None and not formats.is_container(
                formats.for_path(entry["path"], select.format).NAME
            ):  # a DOCX, ODT or EPUB is not text: write it with --output
                entry["text"] = data.decode("utf-8", "replace")
            diff = next((f.diff for f in result.files if f.path == entry["path"]), None)
            if diff:
                entry["diff"] = diff
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for data in rendered.values():
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        for f in result.files:
            if f.diff:
                typer.echo(f.diff, nl=False)
    for f in result.files:
        if f.status == "skipped" and f.error:
            typer.echo(f"tolmach: {_('warning')}: {f.error}", err=True)
    for f in result.failed:
        typer.echo(f"tolmach: {_('error')}: {f.error}", err=True)
    for _src, _tgt, message in result.missing:
        typer.echo(f"tolmach: {_('error')}: {message}", err=True)
    if not quiet and not as_json:
        typer.echo(summary_line(result), err=True)
    codes = [int(f.exit_code or ExitCode.IO) for f in result.failed]
    codes += [int(ExitCode.MISSING)] * bool(result.missing)
    if codes:
        raise typer.Exit(run_exit_code(codes))


def summary_line(result: RunResult) -> str:
    """One summary in one vocabulary: fragments found (every foreign span),
    unique texts (after removing duplicates), of which from memory and
    translated by the engine; then the glossary terms and the time."""
    s = result.stats
    n_files = len(result.files)
    found = sum(f.fragments for f in result.files)
    parts = [
        ngettext("{n} file", "{n} files", n_files).format(n=n_files),
        ngettext("{n} fragment found", "{n} fragments found", found).format(n=found),
        ngettext("{n} unique text", "{n} unique texts", s.unique).format(n=s.unique),
        ngettext("{n} from memory", "{n} from memory", s.from_memory).format(n=s.from_memory),
        ngettext("{n} translated", "{n} translated", s.translated).format(n=s.translated),
    ]
    parts.append(
        ngettext(
            "{n} markup element relocated", "{n} markup elements relocated", result.markup_relocated
        ).format(n=result.markup_relocated)
    )
    human = _("human matches: {exact} exact, {fuzzy} fuzzy, {offered} offered").format(
        exact=s.exact, fuzzy=s.fuzzy, offered=s.offered
    )
    terms = _("terms applied {applied}, repaired {repaired}, failed {failed}").format(
        applied=s.terms_applied, repaired=s.terms_repaired, failed=s.terms_failed
    )
    return f"{', '.join(parts)}; {human}; {terms}; {result.seconds:.1f} s"


def register(app: typer.Typer) -> None:
    app.command("translate", help=HELP, cls=Command)(
        option_group("write", _destination)(
            file_options(memory_options(glossary_options(translate)))
        )
    )
