"""``tolmach catalog``: translate and audit localization catalogs of every format.

XLIFF 1.2/2.x, JSON (i18next, ARB, Chrome, flat), Java ``.properties``,
Android ``strings.xml``, YAML, Apple ``.strings`` and gettext ``.po`` (handed to the same code as
``tolmach po``), with the options, reports and exit codes of ``tolmach po``.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from toolkit.cli.options import (
    Beam,
    Command,
    Device,
    EngineName,
    FailOn,
    Glossaries,
    Group,
    MemoryPath,
    NoGlossary,
    NoMemory,
    ReportFormat,
    engine_spec,
    load_terms,
    open_memory,
    path_glossaries,
)
from toolkit.errors import ExitCode, TolmachError, UsageError
from toolkit.i18n import _, ngettext
from toolkit.languages import Language

PO_SUFFIXES = (".po", ".pot")

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
    typer.Option(
        "--from",
        parser=Language.parse,
        metavar="LANG",
        help=_("Language of the source texts (default: en)."),
    ),
]
TargetLanguage = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        parser=Language.parse,
        metavar="LANG",
        help=_("Catalog language (the target); default: from the file or its path."),
        show_default=False,
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
def translate_cmd(
    catalogs: Annotated[list[Path], typer.Argument(help=_("Catalogs to fill."))],
    to: TargetLanguage = None,
    source_language: SourceLanguage = Language("en"),
    source: SourceFile = None,
    engine_name: EngineName = "argos",
    device: Device = None,
    beam: Beam = None,
    memory: MemoryPath = None,
    no_memory: NoMemory = False,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    no_review: Annotated[
        bool,
        typer.Option(
            "--no-review", help=_("Do not mark filled units for review (XLIFF state, PO fuzzy).")
        ),
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
    """Fill untranslated units of catalogs (help text above, translated)."""
    from toolkit import catalogs as registry
    from toolkit import engines, files
    from toolkit.cli.progress import progress_bar

    if output is not None and len(catalogs) != 1:
        raise UsageError(_("--output needs exactly one catalog"))
    po = [c for c in catalogs if c.suffix.lower() in PO_SUFFIXES]
    other = [c for c in catalogs if c.suffix.lower() not in PO_SUFFIXES]
    for c in other:
        registry.format_of(c)  # unknown formats fail before any engine loads
        if not c.exists() and source is None:
            raise UsageError(_("no such catalog; give --source to start it"), path=str(c))
    if source is not None and len(other) != 1:
        raise UsageError(_("--source needs exactly one catalog"))
    engine = engines.build_engine(engine_spec(engine_name, device, beam))
    terms = load_terms(glossary, no_glossary)
    scoped = path_glossaries(glossary, no_glossary, terms)
    tm = open_memory(memory, no_memory or dry_run)
    done = 0
    total = 0
    results: list[Any] = []
    try:
        with progress_bar(not quiet and not as_json) as update:

            def on_total(n: int) -> None:
                nonlocal total, done
                total, done = n, 0
                update("translate", done, total)

            def advance(n: int) -> None:
                nonlocal done
                done += n
                update("translate", done, total)

            if po:
                from toolkit.po.translate import translate_catalogs

                found, _stats = translate_catalogs(
                    [str(c) for c in po],
                    engine=engine,
                    source=source_language,
                    target=to,
                    mark_fuzzy=not no_review,
                    progress=advance,
                    on_total=on_total,
                    memory=tm,
                    glossary=terms,
                    glossary_for=scoped,
                )
                results.extend(found)
            if other:
                from toolkit.catalogs.translate import translate_paths

                found2, _stats2 = translate_paths(
                    [str(c) for c in other],
                    engine=engine,
                    source=source,
                    source_language=source_language,
                    target=to,
                    review=not no_review,
                    progress=advance,
                    on_total=on_total,
                    memory=tm,
                    glossary=terms,
                    glossary_for=scoped,
                )
                results.extend(found2)
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
            "{path}: filled {n} unit of {total}", "{path}: filled {n} units of {total}", r.filled
        ).format(path=r.path, n=r.filled, total=r.candidates)
        if r.failures:
            msg += "; " + ngettext(
                "{n} left untranslated (placeholders)",
                "{n} left untranslated (placeholders)",
                len(r.failures),
            ).format(n=len(r.failures))
        typer.echo(msg, err=True)
        for f in r.failures:
            col = f":{f.column}" if getattr(f, "column", None) else ""
            typer.echo(f"  {r.path}:{f.line}{col}: {f.reason}", err=True)


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
def audit_cmd(
    paths: Annotated[list[Path], typer.Argument(help=_("Catalogs or folders of catalogs."))],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help=_("Report format."))
    ] = ReportFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help=_("Exit 1 when findings at this level exist."))
    ] = FailOn.error,
    to: TargetLanguage = None,
    source_language: SourceLanguage = Language("en"),
    source: SourceFile = None,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
) -> None:
    """Audit catalogs (help text above, translated)."""
    from toolkit.audit import audit_paths, report
    from toolkit.audit.l10n import audit_units
    from toolkit.audit.rules import RULES
    from toolkit.cli import error_line
    from toolkit.findings import CATALOG, Severity

    terms = load_terms(glossary, no_glossary)
    scoped = path_glossaries(glossary, no_glossary, terms)
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
            glossary=terms,
            glossary_for=scoped,
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
                terms=scoped(path) if scoped is not None else terms,
            )
        except TolmachError as exc:
            errors.append(exc)
            continue
        findings.extend(audit.findings)
        counts[str(path)] = audit.counts
    findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    if fmt is ReportFormat.json:
        sys.stdout.write(report.render_json(findings, counts))
    elif fmt is ReportFormat.sarif:
        sys.stdout.write(report.render_sarif(findings))
    elif fmt is ReportFormat.github:
        sys.stdout.write(report.render_github(findings))
    elif fmt is ReportFormat.junit:
        ran = [r for r in RULES.values() if r.scope == CATALOG and r.check is not None]
        sys.stdout.write(report.render_junit(findings, files=list(counts), rules=ran))
    else:
        sys.stdout.write(report.render_text(findings, color=sys.stdout.isatty()))
        for path_name, c in counts.items():
            typer.echo(
                _("{path}: {t} translated, {r} to review, {u} untranslated").format(
                    path=path_name,
                    t=c.get("translated", 0),
                    r=c.get("review", c.get("fuzzy", 0)),
                    u=c.get("untranslated", 0),
                )
            )
    for error in errors:
        error_line(str(error))
    if errors:
        raise typer.Exit(int(errors[0].exit_code))
    threshold = Severity(fail_on.value)
    if any(f.severity.at_least(threshold) for f in findings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="catalog")
