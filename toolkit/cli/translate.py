"""`tolmach translate`: translate the foreign fragments of article files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.options import (
    Beam,
    Command,
    Device,
    EngineName,
    Exclude,
    Glossaries,
    Include,
    InputFormat,
    Languages,
    MaxSize,
    MemoryPath,
    NoGlossary,
    NoMemory,
    Paths,
    Quiet,
    SourceLanguage,
    TargetLanguage,
    load_terms,
    max_bytes,
    open_memory,
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


def translate(
    paths: Paths,
    to: TargetLanguage,
    source: SourceLanguage = None,
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
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Show a unified diff; write nothing."))
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print a machine-readable summary."))
    ] = False,
    engine: EngineName = "argos",
    device: Device = None,
    beam: Beam = None,
    memory: MemoryPath = None,
    no_memory: NoMemory = False,
    download: Annotated[
        bool,
        typer.Option(
            "--download", help=_("Install a missing model from the Argos index (online).")
        ),
    ] = False,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    languages: Languages = None,
    input_format: InputFormat = None,
    include: Include = None,
    exclude: Exclude = None,
    max_size: MaxSize = 20.0,
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
) -> None:
    from toolkit.cli.progress import progress_bar
    from toolkit.errors import ExitCode, UsageError
    from toolkit.pipeline import translate_documents

    if backup and not in_place:
        raise UsageError(_("--backup needs --in-place"))
    limit = max_bytes(max_size)
    from toolkit.executors import open_executor

    _spec, eng, runner = open_executor(
        executor, engine=engine, device=device, beam=beam, address=address, workers=workers
    )
    try:
        terms = load_terms(glossary, no_glossary)
        tm = open_memory(memory, no_memory, read_only=dry_run)
    except BaseException:
        runner.close()
        raise

    def run():  # type: ignore[no-untyped-def]
        with progress_bar(not quiet and not as_json) as on_progress:
            return translate_documents(
                paths,
                target=to,
                source=source,
                engine=eng,
                memory=tm,
                glossary=terms,
                languages=languages,
                format=input_format,
                include=include or (),
                exclude=exclude or (),
                output=output,
                in_place=in_place,
                backup=backup,
                dry_run=dry_run,
                on_progress=on_progress,
                executor=runner,
                max_bytes=limit,
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
        for entry in report["files"]:  # type: ignore[union-attr]
            data = rendered.get(entry["path"])
            if data is not None:
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
    if result.failed:
        raise typer.Exit(max(f.exit_code for f in result.failed) or int(ExitCode.IO))
    if result.missing:
        raise typer.Exit(int(ExitCode.MISSING))


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
    terms = _("terms applied {applied}, repaired {repaired}, failed {failed}").format(
        applied=s.terms_applied, repaired=s.terms_repaired, failed=s.terms_failed
    )
    return f"{', '.join(parts)}; {terms}; {result.seconds:.1f} s"


def register(app: typer.Typer) -> None:
    app.command("translate", help=HELP, cls=Command)(translate)
