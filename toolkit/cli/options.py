"""Option types shared by several commands."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.i18n import _

if TYPE_CHECKING:
    from toolkit.engines.spec import EngineSpec

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


EngineName = Annotated[
    str,
    typer.Option(
        "--engine", "--model", help=_("Engine: argos (fast, default), argos-reference, identity.")
    ),
]
Device = Annotated[
    str | None,
    typer.Option("--device", help=_("cpu, cuda or auto (default: ARGOS_DEVICE_TYPE or cpu).")),
]
Beam = Annotated[
    int | None,
    typer.Option(
        "--beam",
        min=1,
        help=_("Beam size (default: ARGOS_BEAM_SIZE, else 2; argostranslate uses 4)."),
    ),
]
MemoryPath = Annotated[
    Path | None,
    typer.Option("--memory", help=_("Translation memory file (default: in the user cache).")),
]
NoMemory = Annotated[
    bool, typer.Option("--no-memory", help=_("Do not use the translation memory."))
]
MinSimilarity = Annotated[
    float,
    typer.Option(
        "--min-similarity",
        min=1,
        max=100,
        help=_(
            "Fuzzy matches from the translation memory at or above this similarity "
            "(0-100, token edit ratio) are used when they can be patched safely, or "
            "offered for review in catalogs."
        ),
    ),
]
NoGlossary = Annotated[bool, typer.Option("--no-glossary", help=_("Do not enforce any glossary."))]


def engine_spec(name: str, device: str | None = None, beam: int | None = None) -> EngineSpec:
    """The engine specification for ``--engine/--device/--beam`` on this machine."""
    from toolkit.engines import resolve_engine_spec

    return resolve_engine_spec(name, device=device, beam=beam)


def open_memory(path: Path | None, disabled: bool):  # type: ignore[no-untyped-def]
    """The translation memory for ``--memory/--no-memory`` (None when disabled)."""
    if disabled:
        return None
    from toolkit.memory import Memory

    return Memory(path)


def load_terms(specs: list[str] | None, disabled: bool):  # type: ignore[no-untyped-def]
    """The active glossary for ``--glossary/--no-glossary`` (None when disabled)."""
    if disabled:
        return None
    from toolkit.glossary import load

    return load(specs or None)


class ReportFormat(str, Enum):
    """Report formats of audit and po audit."""

    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
