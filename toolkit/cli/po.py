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
    NoGlossary,
    NoMemory,
    ReportFormat,
    build_engine,
    load_terms,
    open_memory,
)
from toolkit.errors import ExitCode, TolmachError, UsageError, run_exit_code
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
    from toolkit import files
    from toolkit.po.translate import translate_catalogs

    if output is not None and len(catalogs) != 1:
        raise UsageError(_("--output needs exactly one catalog"))
    engine = build_engine(engine_name, device, beam)
    terms = load_terms(glossary, no_glossary)
    tm = open_memory(memory, no_memory or dry_run)
    from toolkit.cli.progress import progress_bar

    done = 0
    total = 0
    errors: list[TolmachError] = []
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
                errors=errors,
                engine=engine,
                source=source,
                target=to,
                overwrite_fuzzy=overwrite_fuzzy,
                mark_fuzzy=not no_fuzzy,
                progress=advance,
                on_total=on_total,
                memory=tm,
                glossary=terms,
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
    from toolkit.cli import error_line

    for exc in errors:  # each bad catalog: one line; the others were translated
        error_line(str(exc))
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        _exit_for(errors)
        return
    for r in results:
        msg = ngettext(
            "{path}: filled {n} entry of {total}", "{path}: filled {n} entries of {total}", r.filled
        ).format(path=r.path, n=r.filled, total=r.candidates)
        if r.failures:
            msg += "; " + ngettext(
                "{n} left untranslated (placeholders)",
                "{n} left untranslated (placeholders)",
                len(r.failures),
            ).format(n=len(r.failures))
        typer.echo(msg, err=True)
        for f in r.failures:
            typer.echo(f"  {r.path}:{f.line}: {f.reason}", err=True)
    _exit_for(errors)


def _exit_for(errors: list[TolmachError]) -> None:
    """The one exit-code rule: the highest code of the failures."""
    if errors:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in errors))


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
    from toolkit.audit import report
    from toolkit.audit.findings import Severity
    from toolkit.po.audit import audit_catalog, catalog_paths

    terms = load_terms(glossary, no_glossary)
    audits = []
    errors: list[TolmachError] = []
    for arg in paths:  # a bad catalog gets its line, the others are audited
        try:
            found = catalog_paths([arg])
        except TolmachError as exc:
            errors.append(exc)
            continue
        for path in found:
            try:
                audits.append(
                    audit_catalog(
                        path, language=language, terms=terms, source_language=source_language
                    )
                )
            except TolmachError as exc:
                errors.append(exc)
    from toolkit.cli import error_line

    for failure in errors:
        error_line(str(failure))
    findings = [f for a in audits for f in a.findings]
    counts = {a.path: a.counts.to_dict() for a in audits}
    if fmt is ReportFormat.json:
        sys.stdout.write(report.render_json(findings, counts))
    elif fmt is ReportFormat.sarif:
        sys.stdout.write(report.render_sarif(findings))
    elif fmt is ReportFormat.github:
        sys.stdout.write(report.render_github(findings))
    else:
        sys.stdout.write(report.render_text(findings, color=sys.stdout.isatty()))
        for a in audits:
            c = a.counts
            typer.echo(
                _(
                    "{path}: {t} translated ({tw} words), {f} fuzzy ({fw} words), "
                    "{u} untranslated ({uw} words)"
                ).format(
                    path=a.path,
                    t=c.translated,
                    tw=c.translated_words,
                    f=c.fuzzy,
                    fw=c.fuzzy_words,
                    u=c.untranslated,
                    uw=c.untranslated_words,
                )
            )
    _exit_for(errors)
    threshold = Severity(fail_on.value)
    if any(f.severity.at_least(threshold) for f in findings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="po")
