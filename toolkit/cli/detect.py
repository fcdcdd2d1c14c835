"""``tolmach detect``: list the fragments that are not in the expected language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer

from toolkit.cli.options import (
    Command,
    Expect,
    FileChoice,
    Languages,
    file_options,
)
from toolkit.errors import ExitCode, TolmachError, UsageError, run_exit_code
from toolkit.i18n import _

if TYPE_CHECKING:
    from toolkit.detect import DetectedBlock

HELP = _(
    "Find text in the wrong language: list foreign fragments with line:column.\n\n"
    "Each FILE is read in the format its extension names (txt, md, html, srt, po, "
    "docx, pptx, odt, odp, epub; "
    "--input-format overrides it); folders are walked. The expected language is "
    "--expect, else the language the document declares (HTML lang, PO Language), "
    "else the majority of its text.\n\n"
    "Table output: FILE:LINE:COL  LANG  CONFIDENCE  TEXT, one foreign fragment a line "
    "(--all: every fragment); in a DOCX, ODT or EPUB file the location is "
    "FILE!PART:LINE:COL, the line and column in that member of the container.\n\n"
    "JSON output (--format json): JSON Lines, one object per fragment with the fields "
    "file, line, column (1-based), end_line, end_column (just after the fragment), "
    "offset, end (character offsets in the decoded file), "
    "lang (und: a language outside the candidates; null: not language, e.g. numbers), "
    "confidence (0-1), detector "
    "(script, rule, dictionary, autonym, lingua, langdetect), text, expected, foreign, "
    "kind (name, code, template, label, url or symbol for a run in another language "
    "that is not text to translate, else the segment kind), "
    "segment (segment index); part and paragraph in a DOCX, ODT or EPUB file.\n\n"
    "Exit codes: 0 done (also when foreign fragments are found: detect reports, "
    "audit gates), 2 usage error or a folder without matching files, 4 bad input "
    "(binary, undecodable, empty or too large file), 5 a file could not be read. "
    "A bad file gets one line on stderr and the other files are still processed.\n\n"
    "Examples:\n\n"
    "  tolmach detect examples/article.txt --expect en\n\n"
    "  tolmach detect site/ --include '*.html' --format json\n\n"
    "  tolmach detect page.html --languages en,ru,uk --all"
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def detect_command(
    files: Annotated[
        list[Path], typer.Argument(help=_("Files or folders to scan."), show_default=False)
    ],
    expect: Expect = None,
    languages: Languages = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help=_("Output: table or json (JSON Lines)."))
    ] = "table",
    show_all: Annotated[
        bool, typer.Option("--all", "-a", help=_("List every fragment, not only foreign ones."))
    ] = False,
    *,
    select: FileChoice,
) -> None:
    from toolkit import detect, formats
    from toolkit import files as files_mod
    from toolkit.cli import error_line

    if output not in ("table", "json"):
        raise UsageError(_("--format must be table or json, not {value!r}").format(value=output))
    exts = formats.extensions()
    failures: list[int] = []
    for arg in files:
        try:
            paths = list(
                files_mod.walk(
                    [arg], extensions=exts, include=select.include, exclude=select.exclude
                )
            )
        except TolmachError as exc:
            error_line(str(exc))
            failures.append(int(exc.exit_code))
            continue
        for path in paths:
            try:
                for block in detect.detect_blocks(
                    path,
                    format=select.format,
                    expect=expect,
                    languages=languages,
                    max_bytes=select.max_bytes,
                ):
                    _print_block(path, block, output, show_all)
            except TolmachError as exc:
                error_line(str(exc))
                failures.append(int(exc.exit_code))
                continue
    if failures:
        raise typer.Exit(run_exit_code(failures) or int(ExitCode.BAD_INPUT))


def _print_block(path: Path, block: DetectedBlock, output: str, show_all: bool) -> None:
    result = block.detection
    chosen = result.fragments if show_all else result.foreign()
    for frag in chosen:
        if output == "json":
            obj = {
                "file": str(path),
                "line": frag.line,
                "column": frag.column,
                "offset": frag.offset,
                "end": block.end_of(frag),
                "end_line": frag.end_line,
                "end_column": frag.end_column,
                "lang": frag.lang,
                "confidence": frag.confidence,
                "detector": frag.detector,
                "text": frag.text,
                "expected": result.expected_for(frag),
                "foreign": result.is_foreign(frag),
                "kind": frag.kind or block.segment_of(frag).kind,
                "segment": frag.segment,
            }
            if frag.part is not None:
                obj["part"] = frag.part
                number = block.segment_of(frag).name or ""
                if number.isdigit():
                    obj["paragraph"] = int(number)
            click.echo(json.dumps(obj, ensure_ascii=False))
        else:
            lang = frag.lang or "-"
            where = f"{path}!{frag.part}" if frag.part is not None else str(path)
            click.echo(
                f"{where}:{frag.line}:{frag.column}  {lang}  "
                f"{frag.confidence:.2f}  {_one_line(frag.text)}"
            )


def register(app: typer.Typer) -> None:
    app.command("detect", help=HELP, cls=Command)(file_options(detect_command))
