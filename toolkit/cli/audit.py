"""``tolmach audit``: a CI gate for untranslated text and glossary violations."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from toolkit.cli.options import (
    Command,
    Expect,
    FileChoice,
    Languages,
    ReportChoice,
    ReportFormat,
    Terms,
    emit_report,
    fails,
    file_options,
    glossary_options,
    report_options,
)
from toolkit.errors import ExitCode, run_exit_code
from toolkit.i18n import _, ngettext

if TYPE_CHECKING:
    from toolkit.findings import Finding

HELP = _(
    "Find untranslated fragments and glossary violations in documents and .po catalogs; "
    "the exit code gates CI.\n\n"
    "Documents (txt, md, html, srt, docx, pptx, odt, odp, epub) are checked for text not in "
    "the --expect language "
    "(a sentence, or a word in another script, is an error; one word in the same script "
    "is a warning), do-not-translate terms written differently and one glossary concept "
    "spelled two ways. With --source (the original, or a folder of originals at the same "
    "relative paths), a glossary term of the source whose target term is missing from "
    "the translation is an error. Catalogs (.po) get the po audit checks.\n\n"
    "Allow-lists: --ignore REGEX (searched in the finding's text), 'tolmach: ignore' in a "
    "comment (that line and the next), 'tolmach: ignore-file', and HTML elements with "
    "data-tolmach-ignore. --baseline FILE: written with the current findings when it does "
    "not exist (exit 0); otherwise the findings it lists no longer fail the run.\n\n"
    "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 missing "
    "dependency, 4 bad input, 5 a file could not be read or written. A bad file gets one "
    "line on stderr; the others are still audited.\n\n"
    "Examples:\n\n"
    "  tolmach audit examples/article.txt --expect en\n\n"
    "  tolmach audit docs/ --expect en --format sarif -o audit.sarif\n\n"
    "  tolmach audit docs/ --expect en --format html -o report.html\n\n"
    "  tolmach audit en/ --expect en --source ru/ --glossary international-organizations\n\n"
    "  tolmach audit docs/ --expect en --baseline .tolmach-baseline.json"
)


def audit_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help=_("Files or folders to audit."), show_default=False),
    ],
    expect: Expect = None,
    languages: Languages = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help=_("The original document, or a folder of originals at the same paths."),
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help=_("Drop findings whose text matches REGEX (repeatable).")),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help=_("Accept the findings listed in this file.")),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option("--update-baseline", help=_("Rewrite --baseline with today's findings.")),
    ] = False,
    *,
    select: FileChoice,
    report: ReportChoice,
    terms: Terms,
) -> None:
    from toolkit.audit import audit_paths
    from toolkit.audit import baseline as baselines
    from toolkit.cli import error_line
    from toolkit.errors import UsageError

    if update_baseline and baseline is None:
        raise UsageError(_("--update-baseline needs --baseline FILE"))
    if source is not None and terms.default is None:
        raise UsageError(_("--source compares glossary terms: it cannot go with --no-glossary"))
    result = audit_paths(
        paths,
        expect=expect,
        languages=languages,
        glossary=terms.default,
        glossary_for=terms.for_path,
        source=source,
        ignore=ignore or (),
        **select.reading(),
    )
    for exc in result.errors:
        error_line(str(exc))
    findings = result.findings
    accepted = 0
    created = False
    if baseline is not None:
        if update_baseline or not baseline.exists():
            created = not baseline.exists()
            n = baselines.save(baseline, findings)
            typer.echo(
                ngettext(
                    "tolmach: wrote {n} finding to the baseline {path}",
                    "tolmach: wrote {n} findings to the baseline {path}",
                    n,
                ).format(n=n, path=baseline),
                err=True,
            )
            accepted = len(findings)
            findings = []
        else:
            findings, accepted = baselines.apply(findings, baselines.load(baseline))
    result.counts["baseline"] = accepted

    emit_report(
        report.fmt,
        findings,
        result.counts,
        output=report.output,
        result=result,
        input_format=select.format,
        max_bytes=select.max_bytes,
    )
    if report.fmt is ReportFormat.text or report.output is not None:
        typer.echo(_summary(findings, result.counts, accepted), err=True)

    if result.errors:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in result.errors))
    if created:
        raise typer.Exit(int(ExitCode.OK))
    if fails(findings, report.fail_on):
        raise typer.Exit(int(ExitCode.FINDINGS))


def _summary(findings: list[Finding], counts: Mapping[str, Any], accepted: int) -> str:
    from collections import Counter

    by = Counter(f.severity.value for f in findings)
    parts = [
        ngettext("{n} error", "{n} errors", by["error"]).format(n=by["error"]),
        ngettext("{n} warning", "{n} warnings", by["warning"]).format(n=by["warning"]),
    ]
    if by["info"]:
        parts.append(ngettext("{n} note", "{n} notes", by["info"]).format(n=by["info"]))
    files = counts.get("files", 0)
    line = ngettext("{parts} in {n} file", "{parts} in {n} files", files).format(
        parts=", ".join(parts), n=files
    )
    hidden = counts.get("suppressed", 0)
    if hidden:
        line += "; " + ngettext(
            "{n} suppressed by --ignore or a marker",
            "{n} suppressed by --ignore or markers",
            hidden,
        ).format(n=hidden)
    if accepted:
        line += "; " + ngettext(
            "{n} accepted by the baseline", "{n} accepted by the baseline", accepted
        ).format(n=accepted)
    return "tolmach: " + line


def register(app: typer.Typer) -> None:
    app.command("audit", help=HELP, cls=Command)(
        file_options(report_options(glossary_options(audit_command)))
    )
