"""``tolmach po``: translate and audit gettext catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.fill import FillOptions, FillSetup, fill, fill_options
from toolkit.cli.options import (
    CatalogLanguage,
    CatalogPaths,
    Command,
    Group,
    MinSimilarity,
    MsgidLanguage,
    ReportChoice,
    ReportFormat,
    Terms,
    emit_report,
    fails,
    glossary_options,
    report_options,
)
from toolkit.errors import ExitCode, UsageError, run_exit_code
from toolkit.i18n import _, ngettext
from toolkit.languages import Language

if TYPE_CHECKING:
    pass

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
@fill_options
def translate_cmd(
    catalogs: Annotated[list[Path], typer.Argument(help=_("Catalogs (.po) to fill."))],
    to: CatalogLanguage = None,
    to_alias: Annotated[
        Language | None,
        typer.Option("--to", parser=Language.parse, metavar="LANG", hidden=True),
    ] = None,
    source: MsgidLanguage = Language("en"),
    min_similarity: MinSimilarity = 75.0,
    overwrite_fuzzy: Annotated[
        bool, typer.Option("--overwrite-fuzzy", help=_("Translate fuzzy entries again."))
    ] = False,
    no_fuzzy: Annotated[
        bool, typer.Option("--no-fuzzy", help=_("Do not mark written entries as fuzzy."))
    ] = False,
    *,
    setup: FillSetup,
) -> None:
    """Fill untranslated entries of catalogs (help text above, translated)."""

    if to is not None and to_alias is not None and to != to_alias:
        raise UsageError(_("--lang and --to name different languages"))
    options = FillOptions(
        setup=setup,
        source_language=source,
        target=to or to_alias,
        review=not no_fuzzy,
        overwrite_fuzzy=overwrite_fuzzy,
        min_similarity=min_similarity,
    )
    fill(catalogs, options)


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
@report_options
@glossary_options
def audit_cmd(
    paths: CatalogPaths,
    language: CatalogLanguage = None,
    source_language: MsgidLanguage = Language("en"),
    *,
    report: ReportChoice,
    terms: Terms,
) -> None:
    """Audit catalogs (help text above, translated)."""
    from toolkit.audit import audit_paths
    from toolkit.audit.rules import of_scope
    from toolkit.cli import error_line
    from toolkit.findings import CATALOG

    result = audit_paths(
        paths,
        glossary=terms.default,
        glossary_for=terms.for_path,
        rules=[r.id for r in of_scope(CATALOG)],
        catalog_language=language,
        source_language=source_language,
    )
    findings = result.findings
    counts: dict[str, dict[str, int]] = result.counts["catalogs"]
    ran = [r for r in of_scope(CATALOG) if r.check is not None]
    emit_report(
        report.fmt, findings, counts, output=report.output, grouped=False, result=result, rules=ran
    )
    if report.fmt is ReportFormat.text:
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
            typer.echo(f"{path}: {text}", err=report.output is not None)
    for exc in result.errors:
        error_line(str(exc))
    if result.errors:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in result.errors))
    if fails(findings, report.fail_on):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="po")
