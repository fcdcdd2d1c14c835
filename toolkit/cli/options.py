"""Option types shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from toolkit.i18n import _

Paths = Annotated[
    list[Path],
    typer.Argument(help=_("Files or folders. Folders are walked."), show_default=False),
]
Include = Annotated[
    list[str] | None,
    typer.Option(
        "--include", help=_("Only files matching this glob (repeatable)."), show_default=False
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude", help=_("Skip files matching this glob (repeatable)."), show_default=False
    ),
]
Languages = Annotated[
    str | None,
    typer.Option(
        "--languages",
        help=_("Candidate languages, comma-separated (default: en,ru,uk,be,bg,de,fr,es,...)."),
        show_default=False,
    ),
]
FormatOverride = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=_("Input format (txt, markdown, html, srt, po); default: by extension."),
        show_default=False,
    ),
]
Glossaries = Annotated[
    list[str] | None,
    typer.Option(
        "--glossary",
        "-g",
        help=_("Glossary name or TSV path (repeatable). Default: the configured set."),
        show_default=False,
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=_("No progress bar, no summary."))]


def split_languages(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]
