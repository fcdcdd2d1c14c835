"""``tolmach po``: translate and audit gettext catalogs."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.options import (
    Beam,
    Device,
    EngineName,
    FailOn,
    Glossaries,
    MemoryPath,
    MinSimilarity,
    NoGlossary,
    NoMemory,
    ReportFormat,
    engine_spec,
    load_terms,
    open_memory,
)
from toolkit.errors import ExitCode, UsageError
from toolkit.i18n import _, ngettext

app = typer.Typer(
    name="po",
    help=_(
        "Translate and audit gettext catalogs (.po).\n\n"
        "Examples:\n\n"
        "  tolmach po translate locales/ru/LC_MESSAGES/app.po\n\n"
        "  tolmach po audit locales/ --format sarif"
    ),
    no_args_is_help=True,
)


@app.command(
    "translate",
    help=_(
        "Fill untranslated entries; translated ones are never changed.\n\n"
        "Placeholders are checked per entry: an entry whose placeholders cannot be kept "
        "stays untranslated and is reported. Written entries are marked fuzzy.\n\n"
        "Example: tolmach po translate app.po --to ru --dry-run"
    ),
)
def translate_cmd(
    catalogs: Annotated[list[Path], typer.Argument(help=_("Catalogs (.po) to fill."))],
    to: Annotated[
        str | None, typer.Option("--to", help=_("Target language; default: the header's Language."))
    ] = None,
    source: Annotated[str, typer.Option("--from", help=_("Source language of msgid."))] = "en",
    engine_name: EngineName = "argos",
    device: Device = None,
    beam: Beam = None,
    memory: MemoryPath = None,
    no_memory: NoMemory = False,
    min_similarity: MinSimilarity = 75.0,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    overwrite_fuzzy: Annotated[
        bool, typer.Option("--overwrite-fuzzy", help=_("Translate fuzzy entries again."))
    ] = False,
    no_fuzzy: Annotated[
        bool, typer.Option("--no-fuzzy", help=_("Do not mark written entries as fuzzy."))
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Print a unified diff; write nothing."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the summary as JSON."))] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=_("Write here instead of in place (one catalog).")),
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help=_("No progress bar."))] = False,
) -> None:
    """Fill untranslated entries of catalogs (help text above, translated)."""
    from toolkit import engines, files
    from toolkit.po.translate import translate_catalogs

    if output is not None and len(catalogs) != 1:
        raise UsageError(_("--output needs exactly one catalog"))
    engine = engines.build_engine(engine_spec(engine_name, device, beam))
    terms = load_terms(glossary, no_glossary)
    tm = open_memory(memory, no_memory or dry_run)
    from toolkit.cli.progress import progress_bar

    done = 0
    total = 0
    try:
        with progress_bar(not quiet and not as_json) as update:

            def on_total(n: int) -> None:
                nonlocal total
                total = n
                update("translate", done, total)

            def advance(n: int) -> None:
                nonlocal done
                done += n
                update("translate", done, total)

            results, _stats = translate_catalogs(
                [str(c) for c in catalogs],
                engine=engine,
                source=source,
                target=to,
                overwrite_fuzzy=overwrite_fuzzy,
                mark_fuzzy=not no_fuzzy,
                progress=advance,
                on_total=on_total,
                memory=tm,
                glossary=terms,
                min_similarity=min_similarity,
            )
    finally:
        if tm is not None:
            tm.close()
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
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
    for r in results:
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
        typer.echo(msg, err=True)
        for f in r.failures:
            typer.echo(f"  {r.path}:{f.line}: {f.reason}", err=True)


@app.command(
    "audit",
    help=_(
        "Report untranslated, fuzzy and unchanged entries, placeholder and plural "
        "mismatches, msgstr in the wrong language and glossary terms not translated "
        "as the glossary says, with counts per catalog.\n\n"
        "Example: tolmach po audit locales/ --fail-on warning"
    ),
)
def audit_cmd(
    paths: Annotated[list[Path], typer.Argument(help=_("Catalogs or folders of catalogs."))],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help=_("Report format."))
    ] = ReportFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help=_("Exit 1 when findings at this level exist."))
    ] = FailOn.error,
    language: Annotated[
        str | None, typer.Option("--lang", help=_("Catalog language; default: the header's."))
    ] = None,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    source_language: Annotated[
        str, typer.Option("--from", help=_("Language of the msgids (for the glossary check)."))
    ] = "en",
) -> None:
    """Audit catalogs (help text above, translated)."""
    from toolkit.audit import audit_paths, report
    from toolkit.audit.rules import of_scope
    from toolkit.cli import error_line
    from toolkit.findings import CATALOG, Severity

    terms = load_terms(glossary, no_glossary)
    result = audit_paths(
        paths,
        glossary=terms,
        rules=[r.id for r in of_scope(CATALOG)],
        catalog_language=language,
        source_language=source_language,
    )
    findings = result.findings
    counts: dict[str, dict[str, int]] = result.counts["catalogs"]
    if fmt is ReportFormat.json:
        sys.stdout.write(report.render_json(findings, counts))
    elif fmt is ReportFormat.sarif:
        sys.stdout.write(report.render_sarif(findings))
    elif fmt is ReportFormat.github:
        sys.stdout.write(report.render_github(findings))
    else:
        sys.stdout.write(report.render_text(findings, color=sys.stdout.isatty()))
        for path, c in counts.items():
            typer.echo(
                _(
                    "{path}: {t} translated ({tw} words), {f} fuzzy ({fw} words), "
                    "{u} untranslated ({uw} words)"
                ).format(
                    path=path,
                    t=c["translated"],
                    tw=c["translated_words"],
                    f=c["fuzzy"],
                    fw=c["fuzzy_words"],
                    u=c["untranslated"],
                    uw=c["untranslated_words"],
                )
            )
    for exc in result.errors:
        error_line(str(exc))
    if result.errors:
        raise typer.Exit(int(result.errors[0].exit_code))
    threshold = Severity(fail_on.value)
    if any(f.severity.at_least(threshold) for f in findings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="po")
