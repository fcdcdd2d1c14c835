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
    CatalogLanguage,
    Command,
    Device,
    EngineName,
    FailOn,
    FailOnOpt,
    Glossaries,
    Group,
    MemoryPath,
    MsgidLanguage,
    NoGlossary,
    NoMemory,
    Quiet,
    ReportFormat,
    ReportFormatOpt,
    ReportOutput,
    emit_report,
    engine_spec,
    fails,
    load_terms,
    open_memory,
)
from toolkit.errors import ExitCode, UsageError
from toolkit.i18n import _, ngettext
from toolkit.languages import Language

app = typer.Typer(
    name="po",
    help=_(
        "Translate and audit gettext catalogs (.po).\n\n"
        "In every catalog command --lang is the catalog's language (default: the "
        "header's Language) and --from the msgids' language.\n\n"
        "Examples:\n\n"
        "  tolmach po translate locales/ru/LC_MESSAGES/app.po\n\n"
        "  tolmach po translate app.po --lang ru --dry-run\n\n"
        "  tolmach po audit locales/ --format sarif"
    ),
    no_args_is_help=True,
    cls=Group,
)


@app.command(
    "translate",
    cls=Command,
    help=_(
        "Fill untranslated entries; translated ones are never changed.\n\n"
        "Placeholders are checked per entry: an entry whose placeholders cannot be kept "
        "stays untranslated and is reported. Written entries are marked fuzzy.\n\n"
        "Example: tolmach po translate app.po --lang ru --dry-run"
    ),
)
def translate_cmd(
    catalogs: Annotated[list[Path], typer.Argument(help=_("Catalogs (.po) to fill."))],
    to: CatalogLanguage = None,
    to_alias: Annotated[
        Language | None,
        typer.Option("--to", parser=Language.parse, metavar="LANG", hidden=True),
    ] = None,
    source: MsgidLanguage = Language("en"),
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
    quiet: Quiet = False,
) -> None:
    """Fill untranslated entries of catalogs (help text above, translated)."""
    from toolkit import engines, files
    from toolkit.po.translate import translate_catalogs

    if output is not None and len(catalogs) != 1:
        raise UsageError(_("--output needs exactly one catalog"))
    if to is not None and to_alias is not None and to != to_alias:
        raise UsageError(_("--lang and --to name different languages"))
    to = to or to_alias
    engine = engines.build_engine(engine_spec(engine_name, device, beam))
    terms = load_terms(glossary, no_glossary)
    tm = open_memory(memory, no_memory, read_only=dry_run)
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
    cls=Command,
    help=_(
        "Report untranslated, fuzzy and unchanged entries, placeholder and plural "
        "mismatches, msgstr in the wrong language and glossary terms not translated "
        "as the glossary says, with counts per catalog.\n\n"
        "Example: tolmach po audit locales/ --fail-on warning"
    ),
)
def audit_cmd(
    paths: Annotated[list[Path], typer.Argument(help=_("Catalogs or folders of catalogs."))],
    fmt: ReportFormatOpt = ReportFormat.text,
    fail_on: FailOnOpt = FailOn.error,
    language: CatalogLanguage = None,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    source_language: MsgidLanguage = Language("en"),
    output: ReportOutput = None,
) -> None:
    """Audit catalogs (help text above, translated)."""
    from toolkit.audit import audit_paths
    from toolkit.audit.rules import of_scope
    from toolkit.cli import error_line
    from toolkit.findings import CATALOG

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
    emit_report(fmt, findings, counts, output=output, grouped=False)
    if fmt is ReportFormat.text:
        for path, c in counts.items():
            parts = [
                ngettext("{n} translated ({words})", "{n} translated ({words})", c["translated"]),
                ngettext("{n} fuzzy ({words})", "{n} fuzzy ({words})", c["fuzzy"]),
                ngettext(
                    "{n} untranslated ({words})", "{n} untranslated ({words})", c["untranslated"]
                ),
            ]
            counts_words = [
                (c["translated"], c["translated_words"]),
                (c["fuzzy"], c["fuzzy_words"]),
                (c["untranslated"], c["untranslated_words"]),
            ]
            text = ", ".join(
                part.format(n=n, words=ngettext("{n} word", "{n} words", w).format(n=w))
                for part, (n, w) in zip(parts, counts_words, strict=True)
            )
            typer.echo(f"{path}: {text}", err=output is not None)
    for exc in result.errors:
        error_line(str(exc))
    if result.errors:
        raise typer.Exit(int(result.errors[0].exit_code))
    if fails(findings, fail_on):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="po")
