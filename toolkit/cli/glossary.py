"""``tolmach glossary``: manage, inspect and check glossaries.

Thin layer over :mod:`toolkit.glossary`; never imports the translation stack.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.options import Command, Glossaries, Group, LanguageFilter, language_option
from toolkit.errors import ExitCode, UsageError
from toolkit.i18n import _, ngettext
from toolkit.languages import Language

app = typer.Typer(
    name="glossary",
    help=_(
        "Manage glossaries: add, remove, list, show, check, import, export.\n\n"
        "Examples:\n\n"
        "  tolmach glossary list --search ОДКБ\n\n"
        "  tolmach glossary show 'в рамках Организации Договора о коллективной безопасности'\n\n"
        "  tolmach glossary add -g my.tsv -t en='Union State' -t ru='Союзное государство'\n\n"
        "  tolmach glossary check -g my.tsv\n\n"
        "With several --glossary, edits go to the first one."
    ),
    no_args_is_help=True,
    cls=Group,
)

GlossaryOpt = Glossaries
FormatOpt = Annotated[str, typer.Option("--format", "-f", help=_("Output: table, json or tsv."))]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="glossary")


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        code, sep, text = value.partition("=")
        if not sep or not code.strip() or not text.strip():
            raise UsageError(
                _("{o} expects LANG=TEXT (for example en='United Nations'), got {v!r}").format(
                    o=option, v=value
                )
            )
        out[Language.parse(code)] = text.strip()
    return out


@app.command("add", cls=Command)
def add(
    term: Annotated[
        list[str] | None,
        typer.Option(
            "--term",
            "-t",
            metavar="LANG=TERM",
            help=_("LANG=TERM, repeatable; variants separated by ' | '."),
        ),
    ] = None,
    abbr: Annotated[
        list[str] | None,
        typer.Option("--abbr", metavar="LANG=ABBR", help=_("LANG=ABBREVIATION, repeatable.")),
    ] = None,
    dnt: Annotated[
        bool, typer.Option("--dnt", help=_("Do not translate: keep as written."))
    ] = False,
    note: Annotated[str, typer.Option("--note", help=_("A free note."))] = "",
    domain: Annotated[str, typer.Option("--domain", help=_("A domain label."))] = "",
    case: Annotated[
        str, typer.Option("--case", help=_("sensitive or insensitive (default: by term)."))
    ] = "",
    replace_: Annotated[
        bool, typer.Option("--replace", help=_("Replace entries that share a term."))
    ] = False,
    glossary: GlossaryOpt = None,
) -> None:
    """Add an entry.

    Example: tolmach glossary add -g my.tsv -t en=CSTO -t ru=ОДКБ --note 'military alliance'
    """
    from toolkit.glossary.edit import add_entry
    from toolkit.glossary.model import Entry

    terms = _pairs(term, "--term")
    abbrs = _pairs(abbr, "--abbr")
    if not terms and not abbrs:
        raise UsageError(_("give at least one --term LANG=TERM"))
    if case not in ("", "sensitive", "insensitive"):
        raise UsageError(_("--case must be sensitive or insensitive"))
    entry = Entry.make(terms, abbrs, dnt=dnt, case=case, domain=domain, note=note)
    path, replaced = add_entry(glossary, entry, replace=replace_)
    msg = _("added {t!r} to {p}").format(t=entry.label(), p=path)
    if replaced:
        msg += " " + ngettext("(replaced {n})", "(replaced {n})", replaced).format(n=replaced)
    typer.echo(msg)


@app.command("remove", cls=Command)
def remove(
    term: Annotated[str, typer.Argument(help=_("A term or abbreviation of the entry."))],
    lang: LanguageFilter = None,
    glossary: GlossaryOpt = None,
) -> None:
    """Remove every entry that has TERM.

    Example: tolmach glossary remove -g my.tsv CSTO
    """
    from toolkit.glossary.edit import remove_entries

    path, removed = remove_entries(glossary, term, lang)
    typer.echo(
        ngettext(
            "removed {n} entry from {p}: {t}", "removed {n} entries from {p}: {t}", len(removed)
        ).format(n=len(removed), p=path, t=", ".join(e.label() for e in removed))
    )


@app.command("list", cls=Command)
def list_(
    lang: LanguageFilter = None,
    domain: Annotated[str | None, typer.Option("--domain", help=_("Entries of a domain."))] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help=_("Entries with a cell containing TEXT.")),
    ] = None,
    fmt: FormatOpt = "table",
    glossary: GlossaryOpt = None,
) -> None:
    """List entries.

    Example: tolmach glossary list --lang uk --search рада --format json
    """
    from toolkit.glossary.edit import filter_entries
    from toolkit.glossary.io import dump_tsv
    from toolkit.glossary.model import Glossary
    from toolkit.glossary.store import load

    if fmt not in ("table", "json", "tsv"):
        raise UsageError(_("--format must be table, json or tsv"))
    merged = load(glossary)
    entries = filter_entries(merged, lang=lang, domain=domain, search=search)
    if fmt == "json":
        typer.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if fmt == "tsv":
        typer.echo(dump_tsv(Glossary(entries, list(merged.languages))), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    langs = [lang] if lang else list(merged.languages)
    table = Table(show_lines=False, box=None, pad_edge=False)
    for code in langs:
        table.add_column(code)
    table.add_column(_("abbr"))
    table.add_column(_("flags"))
    for e in entries:
        abbrs = " ".join(f"{c}:{'|'.join(v)}" for c, v in e.abbrs if not lang or c == lang)
        flags = " ".join(f for f in ("dnt" if e.dnt else "", e.case, e.domain) if f)
        table.add_row(*[" | ".join(e.variants(c)) for c in langs], abbrs, flags)
    Console(width=max(120, Console().width), soft_wrap=False).print(table)
    typer.echo(ngettext("{n} entry", "{n} entries", len(entries)).format(n=len(entries)), err=True)


@app.command("show", cls=Command)
def show(
    text: Annotated[str, typer.Argument(help=_("Text to look for glossary terms in."))],
    lang: LanguageFilter = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("text or json."))] = "text",
    glossary: GlossaryOpt = None,
) -> None:
    """Which entries match a text, and why (term, form, how, span).

    Example: tolmach glossary show 'заявление Содружества Независимых Государств'
    """
    from toolkit.glossary.edit import explain

    matches, rejected = explain(glossary, text, lang)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "matches": [
                        {
                            "start": m.start,
                            "end": m.end,
                            "text": m.text,
                            "lang": m.lang,
                            "term": m.term,
                            "how": m.how,
                            "abbr": m.abbr,
                            "entry": m.entry.to_dict(),
                        }
                        for m in matches
                    ],
                    "rejected": [
                        {
                            "start": r.start,
                            "end": r.end,
                            "text": r.text,
                            "term": r.term,
                            "reason": r.reason,
                            "entry": r.entry.to_dict(),
                        }
                        for r in rejected
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not matches:
        typer.echo(_("no glossary term matches"))
    for m in matches:
        kind = _("abbreviation") if m.abbr else _("term")
        typer.echo(
            f"{m.start}-{m.end} {m.text!r}: {m.entry.label()} "
            f"[{m.lang} {kind} {m.term!r}, {m.how}] ({m.entry.source}:{m.entry.row})"
        )
    for r in rejected:
        typer.echo(
            _("{s}-{e} {t!r}: not matched ({why}); would be {l}").format(
                s=r.start, e=r.end, t=r.text, why=r.reason, l=r.entry.label()
            )
        )


@app.command("check", cls=Command)
def check(
    fmt: Annotated[str, typer.Option("--format", "-f", help=_("text or json."))] = "text",
    glossary: GlossaryOpt = None,
) -> None:
    """Find duplicates, conflicting targets, empty cells, whitespace and ambiguous terms.

    Exit 1 when an error is found, 0 otherwise. Example: tolmach glossary check -g my.tsv
    """
    from toolkit.cli import error_line
    from toolkit.errors import TolmachError, run_exit_code
    from toolkit.findings import Severity
    from toolkit.glossary.edit import check_all

    failures: list[TolmachError] = []
    findings = check_all(glossary, failures)
    for exc in failures:  # a bad glossary gets its line, the others are checked
        error_line(str(exc))
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    if fmt == "json":
        typer.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            typer.echo(f"{f.file}:{f.line}: {f.severity.value}: {f.message} [{f.rule}]")
        warnings = len(findings) - errors
        typer.echo(
            ngettext("{n} error", "{n} errors", errors).format(n=errors)
            + ", "
            + ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
            err=True,
        )
    if failures:
        raise typer.Exit(run_exit_code(int(e.exit_code) for e in failures))
    if errors:
        raise typer.Exit(int(ExitCode.FINDINGS))


@app.command("import", cls=Command)
def import_(
    file: Annotated[Path, typer.Argument(help=_("File to import."))],
    fmt: Annotated[
        str,
        typer.Option("--input-format", help=_("auto, tsv, csv, amazon-csv or tbx.")),
    ] = "auto",
    source: Annotated[
        Language | None,
        language_option("--from", "--source-lang", help=_("Source language of a two-column file.")),
    ] = None,
    target: Annotated[
        Language | None,
        language_option("--to", "--target-lang", help=_("Target language of a two-column file.")),
    ] = None,
    glossary: GlossaryOpt = None,
) -> None:
    """Import entries from TSV/CSV (two columns or with a language header), Amazon CSV or TBX.

    Example: tolmach glossary import terms.tbx -g my.tsv
    """
    from toolkit.glossary.edit import import_file

    path, added, skipped = import_file(glossary, file, fmt, source, target)
    typer.echo(
        ngettext(
            "imported {a} entry into {p} ({s} already there)",
            "imported {a} entries into {p} ({s} already there)",
            added,
        ).format(a=added, p=path, s=skipped)
    )


@app.command("export", cls=Command)
def export(
    to: Annotated[
        str, typer.Option("--format", "-f", help=_("tsv, csv (two columns), amazon-csv or tbx."))
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write here (default: stdout)."))
    ] = None,
    source: Annotated[
        Language | None,
        language_option("--from", "--source-lang", help=_("Source column of tsv/csv.")),
    ] = None,
    target: Annotated[
        Language | None,
        language_option("--to", "--target-lang", help=_("Target column of tsv/csv.")),
    ] = None,
    glossary: GlossaryOpt = None,
) -> None:
    """Export the active glossaries.

    Example: tolmach glossary export --format tbx -o orgs.tbx
    """
    from toolkit.files import atomic_write
    from toolkit.glossary.io import write_exchange
    from toolkit.glossary.store import load

    text = write_exchange(load(glossary), to, source=source, target=target)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write(output, text.encode("utf-8"))
        typer.echo(_("wrote {p}").format(p=output), err=True)
