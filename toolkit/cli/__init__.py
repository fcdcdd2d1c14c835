"""The tolmach command line: a thin Typer layer over the library.

This module only builds the root app and mounts the command groups. Each
group lives in its own module and imports heavy libraries inside functions,
so ``tolmach --help`` stays fast (DESIGN.md, contract 5).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click
import typer

from toolkit import __version__, interrupt
from toolkit.cli.options import Group
from toolkit.errors import ExitCode, TolmachError
from toolkit.i18n import _


def _silence_stdout() -> None:
    """The reader of stdout went away (``| head``): stop writing, exit quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def error_line(message: str) -> None:
    """Print one error line on stderr."""
    click.echo(f"tolmach: {_('error')}: {message}", err=True)


class _Root(Group):
    """Maps library errors to one line and an exit code, for every subcommand."""

    def invoke(self, ctx: click.Context) -> Any:
        previous = interrupt.begin()  # also when called through toolkit.cli:main or CliRunner
        try:
            return super().invoke(ctx)
        except BaseException as exc:
            # Whatever a library made of a Ctrl-C (numpy, ctranslate2 and
            # onnxruntime turn it into ImportError), it is reported as one.
            if isinstance(exc, KeyboardInterrupt) or (
                interrupt.received() and not isinstance(exc, BrokenPipeError)
            ):
                error_line(interrupt.message())
                raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
            if isinstance(exc, TolmachError):
                error_line(str(exc))
                raise typer.Exit(int(exc.exit_code)) from None
            if isinstance(exc, BrokenPipeError):
                _silence_stdout()
                raise typer.Exit(int(ExitCode.OK)) from None
            raise
        finally:
            interrupt.end(previous)


app = typer.Typer(
    name="tolmach",
    cls=_Root,
    help=_(
        "Find, translate and audit mixed-language text, offline.\n\n"
        "Examples:\n\n"
        "  tolmach translate examples/article.txt --to en\n\n"
        "  tolmach detect examples/article.txt --expect en\n\n"
        "  tolmach audit docs/ --expect en --format sarif"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tolmach {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
    ),
) -> None:
    """Root callback: global options."""


def _localize_typer() -> None:
    """Typer's own help labels, in the user's language (Typer reads them from
    module constants of ``typer.rich_utils``; click's "Usage:" stays English)."""
    from typer import rich_utils

    labels = {
        "ARGUMENTS_PANEL_TITLE": _("Arguments"),
        "OPTIONS_PANEL_TITLE": _("Options"),
        "COMMANDS_PANEL_TITLE": _("Commands"),
        "ERRORS_PANEL_TITLE": _("Error"),
        "ABORTED_TEXT": _("Aborted."),
        "DEFAULT_STRING": _("[default: {}]"),
        "ENVVAR_STRING": _("[env var: {}]"),
        "REQUIRED_LONG_STRING": _("[required]"),
        "DEPRECATED_STRING": _("(deprecated) "),
        "RICH_HELP": _("Try [blue]'{command_path} {help_option}'[/] for help."),
    }
    for name, text in labels.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    # The --help option's text is a literal in Typer's vendored click; relabel
    # the option object it builds (a no-op if that private layout changes).
    try:
        from typer._click.core import Command
    except ImportError:  # pragma: no cover - other Typer versions
        return
    original = getattr(Command, "get_help_option", None)
    if original is None or getattr(original, "_tolmach", False):
        return
    help_text = _("Show this message and exit.")

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = help_text
        return option

    get_help_option._tolmach = True  # type: ignore[attr-defined]  # a mark on a function object
    Command.get_help_option = get_help_option  # type: ignore[method-assign]  # patching Typer's click


_localize_typer()

# Command modules, in help order. Each defines ``register(app)``.
COMMAND_MODULES: list[str] = [
    "toolkit.cli.detect",
    "toolkit.cli.audit",
    "toolkit.cli.translate",
    "toolkit.cli.po",
    "toolkit.cli.catalog",
    "toolkit.cli.glossary",
    "toolkit.cli.models",
    "toolkit.cli.memory",
    "toolkit.cli.serve",
    "toolkit.cli.doctor",
]

for _module_name in COMMAND_MODULES:
    _module = importlib.import_module(_module_name)
    _module.register(app)


def main() -> None:
    from toolkit.cuda import reexec_with_cuda_libs

    reexec_with_cuda_libs()  # TOLMACH_CUDA_LIBS → LD_LIBRARY_PATH, before CTranslate2 loads
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))
