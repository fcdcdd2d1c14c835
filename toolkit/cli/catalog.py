"""``tolmach catalog``: translate and audit localization catalogs of every format.

XLIFF 1.2/2.x, JSON (i18next, ARB, Chrome, flat), Java ``.properties``,
Android ``strings.xml``, YAML, Apple ``.strings`` and gettext ``.po`` (handed to the same code as
``tolmach po``), with the options, reports and exit codes of ``tolmach po``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.fill import PO_SUFFIXES, FillOptions, FillSetup, fill, fill_options
from toolkit.cli.options import (
    CatalogPaths,
    Command,
    Group,
    ReportChoice,
    ReportFormat,
    Terms,
    emit_report,
    fails,
    glossary_options,
    language_option,
    report_options,
)
from toolkit.errors import ExitCode, TolmachError, UsageError, run_exit_code
from toolkit.i18n import _
from toolkit.languages import Language

if TYPE_CHECKING:
    pass

app = typer.Typer(
    name="catalog",
    help=_(
        "Translate and audit localization catalogs: XLIFF, JSON (i18next, ARB), "
        ".properties, Android strings.xml, YAML, Apple .strings and .po.\n\n"
        "Monolingual files take their source from --source or the layout (locales/en/ "
        "beside locales/ru/, values/ beside values-ru/, app_en.arb beside app_ru.arb).\n\n"
        "Examples:\n\n"
        "  tolmach catalog translate locales/ru/app.json --dry-run\n\n"
        "  tolmach catalog audit messages.ru.xlf --format sarif"
    ),
    no_args_is_help=True,
    cls=Group,
)

SourceFile = Annotated[
    Path | None,
    typer.Option(
        "--source", help=_("Source-language file of a monolingual catalog (default: by layout).")
    ),
]
SourceLanguage = Annotated[
    Language,
    language_option("--from", help=_("Language of the source texts (default: en).")),
]
TargetLanguage = Annotated[
    Language | None,
    language_option(
        "--lang", "-l", help=_("Catalog language (the target); default: from the file or its path.")
    ),
]


@app.command(
    "translate",
    cls=Command,
    help=_(
        "Fill untranslated units (missing, empty, or the source unchanged); translated "
        "ones are never changed. Missing plural categories of the target language are "
        "created. A unit whose placeholders cannot be kept stays untranslated and is "
        "reported. Only the filled values change in the file.\n\n"
        "Example: tolmach catalog translate messages.ru.xlf --dry-run"
    ),
)
@fill_options
def translate_cmd(
    catalogs: Annotated[list[Path], typer.Argument(help=_("Catalogs to fill."))],
    to: TargetLanguage = None,
    source_language: SourceLanguage = Language("en"),
    source: SourceFile = None,
    no_review: Annotated[
        bool,
        typer.Option(
            "--no-review", help=_("Do not mark filled units for review (XLIFF state, PO fuzzy).")
        ),
    ] = False,
    *,
    setup: FillSetup,
) -> None:
    """Fill untranslated units of catalogs (help text above, translated)."""

    options = FillOptions(
        setup=setup,
        source_language=source_language,
        target=to,
        source_file=source,
        review=not no_review,
    )
    fill(catalogs, options)


def _walk(paths: list[Path], source_language: str) -> list[Path]:
    """Catalog files named or found in folders; in folders, files in the
    source language are sources, not catalogs."""
    from toolkit import catalogs, files

    exts = catalogs.extensions() | set(PO_SUFFIXES) - {".pot"}
    out: list[Path] = []
    for arg in paths:
        for path in files.walk([arg], extensions=exts):
            if arg.is_dir() and path.suffix.lower() not in PO_SUFFIXES:
                fmt = catalogs.format_of(path)
                lang = catalogs.language_of_path(path)
                if fmt != "xliff" and (lang is None or lang.split("-")[0] == source_language):
                    continue
            out.append(path)
    return out


@app.command(
    "audit",
    cls=Command,
    help=_(
        "Report untranslated units, placeholder mismatches, missing plural categories, "
        "units waiting for review, values over their maximum length and glossary terms "
        "not translated as the glossary says, with line and column; .po catalogs get "
        "the checks of tolmach po audit.\n\n"
        "Example: tolmach catalog audit locales/ --format sarif"
    ),
)
@report_options
@glossary_options
def audit_cmd(
    paths: CatalogPaths,
    to: TargetLanguage = None,
    source_language: SourceLanguage = Language("en"),
    source: SourceFile = None,
    *,
    report: ReportChoice,
    terms: Terms,
) -> None:
    """Audit catalogs (help text above, translated)."""
    from toolkit.audit import audit_paths
    from toolkit.audit.l10n import audit_units
    from toolkit.audit.rules import RULES
    from toolkit.cli import error_line
    from toolkit.findings import CATALOG

    targets = _walk(paths, source_language)
    if source is not None and len([t for t in targets if t.suffix not in PO_SUFFIXES]) != 1:
        raise UsageError(_("--source needs exactly one catalog"))
    findings = []
    counts: dict[str, dict[str, int]] = {}
    errors: list[TolmachError] = []
    po = [t for t in targets if t.suffix.lower() in PO_SUFFIXES]
    if po:
        po_rules = [
            r.id for r in RULES.values() if r.scope == CATALOG and not r.id.startswith("catalog-")
        ]
        result = audit_paths(
            po,
            rules=po_rules,
            glossary=terms.default,
            glossary_for=terms.for_path,
            catalog_language=to,
            source_language=source_language,
        )
        findings.extend(result.findings)
        counts.update(result.counts["catalogs"])
        errors.extend(result.errors)
    for path in targets:
        if path.suffix.lower() in PO_SUFFIXES:
            continue
        try:
            audit = audit_units(
                path,
                source=source,
                source_language=source_language,
                target_language=to,
                terms=terms.for_path(str(path)) if terms.for_path is not None else terms.default,
            )
        except TolmachError as exc:
            errors.append(exc)
            continue
        findings.extend(audit.findings)
        counts[str(path)] = audit.counts
    findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    ran = [r for r in RULES.values() if r.scope == CATALOG and r.check is not None]
    emit_report(report.fmt, findings, counts, output=report.output, grouped=False, rules=ran)
    if report.fmt is ReportFormat.text:
        for path_name, c in counts.items():
            typer.echo(
                _("{path}: {t} translated, {r} to review, {u} untranslated").format(
                    path=path_name,
                    t=c.get("translated", 0),
                    r=c.get("review", c.get("fuzzy", 0)),
                    u=c.get("untranslated", 0),
                ),
                err=report.output is not None,
            )
    for error in errors:
        error_line(str(error))
    if errors:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in errors))
    if fails(findings, report.fail_on):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="catalog")
