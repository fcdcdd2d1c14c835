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

import contextlib
import functools
import inspect
from collections.abc import Callable
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

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
    from toolkit.glossary import Glossary
    from toolkit.memory import Memory


def plain_option(*names: str, help: str, metavar: str) -> Any:
    """An option whose help shows no default, with the value named ``metavar``."""
    return typer.Option(*names, help=help, show_default=False, metavar=metavar)


Paths = Annotated[
    list[Path],
    typer.Argument(help=_("Files or folders. Folders are walked."), show_default=False),
]
Include = Annotated[
    list[str] | None,
    plain_option(
        "--include", help=_("Only files matching this glob (repeatable)."), metavar="GLOB"
    ),
]
Exclude = Annotated[
    list[str] | None,
    plain_option(
        "--exclude", help=_("Skip files matching this glob (repeatable)."), metavar="GLOB"
    ),
]


def language_option(*names: str, help: str, show_default: bool = False) -> Any:
    """A ``LANG`` option parsed by :meth:`Language.parse` (one unknown-code line, exit 2)."""
    return typer.Option(
        *names, parser=Language.parse, metavar="LANG", help=help, show_default=show_default
    )


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
    language_option(
        "--expect",
        "-e",
        help=_("Language the documents must be in, e.g. en (default: declared or majority)."),
    ),
]
TargetLanguage = Annotated[
    Language, language_option("--to", help=_("Target language code, e.g. en."))
]
SourceLanguage = Annotated[
    Language | None,
    language_option(
        "--from", help=_("Source language of every fragment (default: detected per fragment).")
    ),
]
LanguageFilter = Annotated[
    Language | None, language_option("--lang", "-l", help=_("Only this language."))
]
CatalogLanguage = Annotated[
    Language | None,
    language_option(
        "--lang", "-l", help=_("Catalog language (msgstr); default: the header's Language.")
    ),
]
MsgidLanguage = Annotated[
    Language, language_option("--from", help=_("Language of the msgids."), show_default=True)
]
InputFormat = Annotated[
    str | None,
    plain_option(
        "--input-format",
        help=_(
            "Read files as this format (txt, markdown, html, srt, po, docx, pptx, odt, odp, "
            "epub); default: by extension."
        ),
        metavar="FORMAT",
    ),
]
Glossaries = Annotated[
    list[str] | None,
    plain_option(
        "--glossary",
        "-g",
        help=_(
            "Glossary NAME (shipped) or PATH; repeatable. Default: the set configured in "
            "tolmach.toml or pyproject.toml \\[tool.tolmach], else international-organizations."
        ),
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
    plain_option(
        "--memory", help=_("Translation memory file (default: in the user cache)."), metavar="FILE"
    ),
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


DryRun = Annotated[bool, typer.Option("--dry-run", help=_("Print a unified diff; write nothing."))]
AsJson = Annotated[bool, typer.Option("--json", help=_("Print the summary as JSON."))]
CatalogOutput = Annotated[
    Path | None,
    typer.Option("-o", "--output", help=_("Write here instead of in place (one catalog).")),
]

F = TypeVar("F", bound=Callable[..., Any])


def option_group(target: str, build: Callable[..., Any]) -> Callable[[F], F]:
    """A decorator giving a command the options of ``build``'s parameters in
    place of its parameter ``target``, which receives ``build(**those)``: options
    that belong together are declared once and their value decided once, as
    sqlite-utils shares output options through one decorator."""
    group = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in _resolved_parameters(build, "")
    ]

    def decorate(func: F) -> F:
        kept = _resolved_parameters(func, target)

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[target] = build(**{p.name: kwargs.pop(p.name, p.default) for p in group})
            return func(*args, **kwargs)

        params = kept + group
        cast(Any, command).__signature__ = inspect.Signature(params)  # Typer reads it
        command.__annotations__ = {p.name: p.annotation for p in params}
        return cast(F, command)

    return decorate


def _resolved_parameters(func: Callable[..., Any], skip: str) -> list[inspect.Parameter]:
    """``func``'s parameters but ``skip``, their annotations evaluated where they
    can be: a group's own parameter (``spec: EngineSpec``) may name a type imported
    for type checking only, and is replaced by its options before Typer reads it."""
    namespace = getattr(inspect.unwrap(func), "__globals__", {})
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.name == skip:
            continue
        hint = p.annotation
        if isinstance(hint, str):
            with contextlib.suppress(NameError):  # as typing.get_type_hints, per parameter
                hint = eval(hint, namespace)
        out.append(p.replace(annotation=hint))
    return out


def engine_spec(name: str, device: str | None = None, beam: int | None = None) -> EngineSpec:
    """The engine specification for ``--engine/--device/--beam`` on this machine."""
    from toolkit.engines import resolve_engine_spec

    return resolve_engine_spec(name, device=device, beam=beam)


def open_memory(path: Path | None, disabled: bool, *, read_only: bool = False) -> Memory | None:
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


def load_terms(specs: list[str] | None, disabled: bool) -> Glossary | None:
    """The active glossary for ``--glossary/--no-glossary`` (None when disabled)."""
    if disabled:
        return None
    from toolkit.glossary import load

    return load(specs or None)


def _engine_options(
    engine_name: EngineName = "argos", device: Device = None, beam: Beam = None
) -> EngineSpec:
    return engine_spec(engine_name, device, beam)


@dataclass(frozen=True)
class Terms:
    """The active glossary (``--glossary/--no-glossary``) and, where the project
    maps paths to glossaries (``glossary-paths``) and no option decides, each
    path's own (``for_path``)."""

    default: Glossary | None = None
    for_path: Callable[[str], Glossary | None] | None = None


def _glossary_options(glossary: Glossaries = None, no_glossary: NoGlossary = False) -> Terms:
    terms = load_terms(glossary, no_glossary)
    return Terms(terms, path_glossaries(glossary, no_glossary, terms))


@dataclass(frozen=True)
class MemoryChoice:
    """``--memory FILE`` / ``--no-memory``: which translation memory, opened late."""

    path: Path | None = None
    disabled: bool = False

    def open(self, *, read_only: bool = False) -> Memory | None:
        return open_memory(self.path, self.disabled, read_only=read_only)


def _memory_options(memory: MemoryPath = None, no_memory: NoMemory = False) -> MemoryChoice:
    return MemoryChoice(memory, no_memory)


@dataclass(frozen=True)
class FileChoice:
    """Which files are read and how: ``--include/--exclude/--input-format/--max-size``,
    checked at the entry."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    format: str | None = None
    max_bytes: int = 20_000_000

    def reading(self) -> dict[str, Any]:
        """The keyword arguments of :func:`toolkit.pipeline.translate_documents`
        and :func:`toolkit.audit.audit_paths` that choose and read files."""
        return asdict(self)


def _file_options(
    input_format: InputFormat = None,
    include: Include = None,
    exclude: Exclude = None,
    max_size: MaxSize = 20.0,
) -> FileChoice:
    if input_format:
        from toolkit import formats

        formats.get(input_format)  # an unknown name: one line, exit 2
    return FileChoice(tuple(include or ()), tuple(exclude or ()), input_format, max_bytes(max_size))


file_options = option_group("select", _file_options)
"""``--input-format/--include/--exclude/--max-size`` as one ``select: FileChoice``."""
engine_options = option_group("spec", _engine_options)
"""``--engine/--device/--beam`` as one ``spec: EngineSpec`` parameter."""
glossary_options = option_group("terms", _glossary_options)
"""``--glossary/--no-glossary`` as one ``terms: Terms`` parameter (loaded)."""
memory_options = option_group("memory", _memory_options)
"""``--memory/--no-memory`` as one ``memory: MemoryChoice`` parameter."""


def path_glossaries(specs: list[str] | None, disabled: bool, terms: Glossary | None) -> Any:
    """The project's per-path glossaries (``glossary-paths`` in tolmach.toml) around
    the default set; None when ``--glossary`` or ``--no-glossary`` decides, or the
    project maps no path."""
    if disabled or specs:
        return None
    from toolkit.glossary.store import for_paths

    return for_paths(terms)


class ReportFormat(str, Enum):
    """Report formats of audit and po audit."""

    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    html = "html"
    junit = "junit"


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
    plain_option("--output", "-o", help=_("Write the report to this file."), metavar="FILE"),
]


@dataclass(frozen=True)
class ReportChoice:
    """``--format/--fail-on/--output`` of the audit commands."""

    fmt: ReportFormat = ReportFormat.text
    fail_on: FailOn = FailOn.error
    output: Path | None = None


def _report_options(
    fmt: ReportFormatOpt = ReportFormat.text,
    fail_on: FailOnOpt = FailOn.error,
    output: ReportOutput = None,
) -> ReportChoice:
    return ReportChoice(fmt, fail_on, output)


report_options = option_group("report", _report_options)
"""``--format/--fail-on/--output`` as one ``report: ReportChoice`` parameter."""
CatalogPaths = Annotated[
    list[Path], typer.Argument(help=_("Catalogs or folders of catalogs."), show_default=False)
]


def emit_report(
    fmt: ReportFormat,
    findings: list[Any],
    counts: dict[str, Any],
    *,
    output: Path | None,
    grouped: bool = True,
    result: Any = None,
    input_format: str | None = None,
    max_bytes: int | None = None,
    rules: list[Any] | None = None,
) -> None:
    """Render ``findings`` in ``fmt`` and write them to ``output`` or stdout:
    the one report dispatcher of ``audit`` and ``po audit``. The HTML page also
    shows the audited text: it takes the audit's ``result`` (an
    :class:`~toolkit.audit.AuditResult`) and the ``input_format`` and
    ``max_bytes`` the files were read with. JUnit XML has a passing test case
    per file and rule that found nothing: ``rules`` are the rules that ran."""
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
    elif fmt is ReportFormat.junit:
        text = report.render_junit(findings, files=_audited_files(result, counts), rules=rules)
    elif fmt is ReportFormat.html:
        from toolkit.audit import AuditResult
        from toolkit.audit.html_report import render_html

        audited = result if result is not None else AuditResult(findings, counts)
        text = render_html(
            findings,
            audited,
            input_format=input_format,
            max_bytes=max_bytes,
            accepted=audited.counts.get("baseline", 0),
        )
    elif grouped:
        text = report.render_grouped(findings, color=color)
    else:
        text = report.render_text(findings, color=color)
    if output is not None:
        atomic_write(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _audited_files(result: Any, counts: dict[str, Any]) -> list[str]:
    """The files an audit looked at: the result's, else the keys of per-file counts."""
    files = getattr(result, "files", None)
    if files:
        return list(files)
    catalogs = counts.get("catalogs", counts)
    return [k for k, v in catalogs.items() if isinstance(v, dict)]


def fails(findings: list[Any], fail_on: FailOn) -> bool:
    """Is any finding at ``--fail-on`` or above?"""
    from toolkit.findings import Severity

    threshold = Severity(fail_on.value)
    return any(f.severity.at_least(threshold) for f in findings)
