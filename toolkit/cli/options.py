"""Every option shared by several commands, declared once (the CLI's vocabulary).

- ``--format/-f`` is always the OUTPUT format; ``--input-format`` the input one.
- ``--to``/``--from`` are the target/source language of a translation;
  ``--lang/-l`` the language of a catalog or a glossary filter; ``--expect/-e``
  the language documents must be in; ``--languages`` the detection candidates.
  Every language option is parsed by :meth:`toolkit.languages.Language.parse`.
- One short flag, one meaning: ``-e`` expect, ``-f`` format, ``-g`` glossary,
  ``-l`` lang, ``-o`` output, ``-q`` quiet, ``-y`` yes, ``-h`` help.
- Reports (``audit``, ``po audit``) share ``--format``, ``--fail-on`` and
  ``--output`` and go through one dispatcher, :func:`emit_report`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from toolkit.errors import UsageError
from toolkit.i18n import _
from toolkit.languages import Language, parse_languages


class Command(TyperCommand):
    """Every tolmach command: help that names its arguments and shows no type
    for flags, whatever Typer renders by default (Typer 0.2x writes usage as
    ``{paths}...`` and every flag as ``<bool>``)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _flag_metavars(params)
        return params

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_argument_usage(param))
        return pieces


class Group(TyperGroup):
    """Every tolmach command group: flags without a type, as :class:`Command`."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _flag_metavars(params)
        return params


def _flag_metavars(params: Any) -> None:
    for param in params:
        flag = getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False)
        if flag and param.metavar is None:
            param.metavar = ""


def _argument_usage(param: Any) -> str:
    name = (param.metavar or param.name or "").upper()
    if param.nargs != 1:
        name += "..."
    return name if param.required else f"[{name}]"


if TYPE_CHECKING:
    from toolkit.engines.spec import EngineSpec

Paths = Annotated[
    list[Path],
    typer.Argument(help=_("Files or folders. Folders are walked."), show_default=False),
]
Include = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        help=_("Only files matching this glob (repeatable)."),
        show_default=False,
        metavar="GLOB",
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        help=_("Skip files matching this glob (repeatable)."),
        show_default=False,
        metavar="GLOB",
    ),
]
# The parser returns ``tuple[Language, ...]``; Typer needs a scalar annotation.
Languages = Annotated[
    str | None,
    typer.Option(
        "--languages",
        parser=parse_languages,
        metavar="LANG,...",
        help=_("Candidate languages, comma-separated (default: en,ru,uk,be,bg,de,fr,es,...)."),
        show_default=False,
    ),
]
Expect = Annotated[
    Language | None,
    typer.Option(
        "--expect",
        "-e",
        parser=Language.parse,
        metavar="LANG",
        help=_("Language the documents must be in, e.g. en (default: declared or majority)."),
        show_default=False,
    ),
]
TargetLanguage = Annotated[
    Language,
    typer.Option(
        "--to", parser=Language.parse, metavar="LANG", help=_("Target language code, e.g. en.")
    ),
]
SourceLanguage = Annotated[
    Language | None,
    typer.Option(
        "--from",
        parser=Language.parse,
        metavar="LANG",
        help=_("Source language of every fragment (default: detected per fragment)."),
        show_default=False,
    ),
]
LanguageFilter = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        parser=Language.parse,
        metavar="LANG",
        help=_("Only this language."),
        show_default=False,
    ),
]
CatalogLanguage = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        "-l",
        parser=Language.parse,
        metavar="LANG",
        help=_("Catalog language (msgstr); default: the header's Language."),
        show_default=False,
    ),
]
MsgidLanguage = Annotated[
    Language,
    typer.Option(
        "--from", parser=Language.parse, metavar="LANG", help=_("Language of the msgids.")
    ),
]
InputFormat = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help=_("Read files as this format (txt, markdown, html, srt, po); default: by extension."),
        show_default=False,
        metavar="FORMAT",
    ),
]
Glossaries = Annotated[
    list[str] | None,
    typer.Option(
        "--glossary",
        "-g",
        help=_(
            "Glossary NAME (shipped) or PATH; repeatable. Default: the set configured in "
            "tolmach.toml or pyproject.toml \\[tool.tolmach], else international-organizations."
        ),
        show_default=False,
        metavar="NAME|PATH",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=_("No progress bar, no summary."))]
MaxSize = Annotated[
    float, typer.Option("--max-size", help=_("Refuse files larger than this many MB."))
]


def max_bytes(max_size: float) -> int:
    """``--max-size`` (MB) in bytes; it must be positive."""
    if max_size <= 0:
        raise UsageError(_("--max-size must be positive"))
    return int(max_size * 1_000_000)


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
    typer.Option(
        "--memory",
        help=_("Translation memory file (default: in the user cache)."),
        show_default=False,
        metavar="FILE",
    ),
]
NoMemory = Annotated[
    bool, typer.Option("--no-memory", help=_("Do not use the translation memory."))
]
NoGlossary = Annotated[bool, typer.Option("--no-glossary", help=_("Do not enforce any glossary."))]


def engine_spec(name: str, device: str | None = None, beam: int | None = None) -> EngineSpec:
    """The engine specification for ``--engine/--device/--beam`` on this machine."""
    from toolkit.engines import resolve_engine_spec

    return resolve_engine_spec(name, device=device, beam=beam)


def open_memory(path: Path | None, disabled: bool, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """The translation memory for ``--memory/--no-memory`` (None when disabled).

    ``read_only`` (``--dry-run``): lookups only; a memory that does not exist
    yet is not created.
    """
    if disabled:
        return None
    from toolkit.memory import Memory, default_path

    if read_only and not (path or default_path()).exists():
        return None
    return Memory(path, read_only=read_only)


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


ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help=_("Report format."))]
FailOnOpt = Annotated[
    FailOn,
    typer.Option("--fail-on", help=_("Exit 1 when findings at this level or above exist.")),
]
ReportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=_("Write the report to this file."),
        show_default=False,
        metavar="FILE",
    ),
]


def emit_report(
    fmt: ReportFormat,
    findings: list[Any],
    counts: dict[str, Any],
    *,
    output: Path | None,
    grouped: bool = True,
) -> None:
    """Render ``findings`` in ``fmt`` and write them to ``output`` or stdout:
    the one report dispatcher of ``audit`` and ``po audit``."""
    import sys

    from toolkit.audit import report
    from toolkit.files import atomic_write

    color = output is None and sys.stdout.isatty()
    if fmt is ReportFormat.json:
        text = report.render_json(findings, counts)
    elif fmt is ReportFormat.sarif:
        text = report.render_sarif(findings)
    elif fmt is ReportFormat.github:
        text = report.render_github(findings)
    elif grouped:
        text = report.render_grouped(findings, color=color)
    else:
        text = report.render_text(findings, color=color)
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def fails(findings: list[Any], fail_on: FailOn) -> bool:
    """Is any finding at ``--fail-on`` or above?"""
    from toolkit.findings import Severity

    threshold = Severity(fail_on.value)
    return any(f.severity.at_least(threshold) for f in findings)
