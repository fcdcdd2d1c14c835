"""``tolmach audit``: a CI gate for untranslated text and glossary violations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.options import Exclude, FailOn, Glossaries, Include, NoGlossary, ReportFormat
from toolkit.errors import ExitCode
from toolkit.i18n import _, ngettext

HELP = _(
    "Find untranslated fragments and glossary violations in documents and .po catalogs; "
    "the exit code gates CI.\n\n"
    "Documents (txt, md, html, srt) are checked for text not in the --expect language "
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
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            "-e",
            help=_("Language documents must be in, e.g. en (default: declared or majority)."),
        ),
    ] = None,
    languages: Annotated[
        str | None,
        typer.Option(
            "--languages",
            "-l",
            help=_("Comma-separated candidate languages (default: en,ru,uk,be,bg,...)."),
        ),
    ] = None,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
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
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("Report format."))
    ] = ReportFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help=_("Exit 1 when findings at this level or above exist.")),
    ] = FailOn.error,
    include: Include = None,
    exclude: Exclude = None,
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help=_("Read files as this format: txt, md, html, srt.")),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=_("Write the report to this file.")),
    ] = None,
    max_size: Annotated[
        float, typer.Option("--max-size", help=_("Refuse files larger than this many MB."))
    ] = 20.0,
) -> None:
    from toolkit import detect, formats
    from toolkit.audit import audit_paths, report
    from toolkit.audit import baseline as baselines
    from toolkit.cli import error_line
    from toolkit.cli.options import load_terms
    from toolkit.errors import UsageError
    from toolkit.files import atomic_write
    from toolkit.findings import Severity

    if update_baseline and baseline is None:
        raise UsageError(_("--update-baseline needs --baseline FILE"))
    if expect is not None and len(detect.parse_languages(expect)) != 1:
        raise UsageError(_("--expect needs one language code"))
    if input_format:
        formats.get(input_format)
    langs = detect.parse_languages(languages) if languages else None
    if source is not None and no_glossary:
        raise UsageError(_("--source compares glossary terms: it cannot go with --no-glossary"))
    if max_size <= 0:
        raise UsageError(_("--max-size must be positive"))
    terms = load_terms(glossary, no_glossary)
    result = audit_paths(
        paths,
        expect=expect,
        languages=langs,
        glossary=terms,
        source=source,
        ignore=ignore or (),
        include=include or (),
        exclude=exclude or (),
        format=input_format,
        max_bytes=int(max_size * 1_000_000),
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

    to_tty = output is None and sys.stdout.isatty()
    if fmt is ReportFormat.json:
        text = report.render_json(findings, result.counts)
    elif fmt is ReportFormat.sarif:
        text = report.render_sarif(findings)
    elif fmt is ReportFormat.github:
        text = report.render_github(findings)
    elif fmt is ReportFormat.html:
        from toolkit.audit.html_report import render_html

        text = render_html(
            findings,
            result,
            input_format=input_format,
            max_bytes=int(max_size * 1_000_000),
            accepted=accepted,
        )
    else:
        text = report.render_grouped(findings, color=to_tty)
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if fmt is ReportFormat.text or output is not None:
        typer.echo(_summary(findings, result.counts, accepted), err=True)

    if result.errors:
        raise typer.Exit(int(result.errors[0].exit_code))
    if created:
        raise typer.Exit(int(ExitCode.OK))
    threshold = Severity(fail_on.value)
    if any(f.severity.at_least(threshold) for f in findings):
        raise typer.Exit(int(ExitCode.FINDINGS))


def _summary(findings: list, counts: dict, accepted: int) -> str:  # type: ignore[type-arg]
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
    app.command("audit", help=HELP)(audit_command)
