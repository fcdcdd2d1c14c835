"""The tolmach command line: a thin Typer layer over the library.

This module only builds the root app and mounts the command groups. Each
group lives in its own module and imports heavy libraries inside functions,
so ``tolmach --help`` stays fast (DESIGN.md, contract 5).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
import typer
from typer.core import TyperGroup

from toolkit import __version__
from toolkit.errors import ExitCode, TolmachError
from toolkit.i18n import _


def error_line(message: str) -> None:
    """Print one error line on stderr."""
    click.echo(f"tolmach: {_('error')}: {message}", err=True)


class _Root(TyperGroup):
    """Maps library errors to one line and an exit code, for every subcommand."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TolmachError as exc:
            error_line(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            error_line(_("interrupted; files on disk are unchanged"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(int(ExitCode.OK)) from None


app = typer.Typer(
    name="tolmach",
    cls=_Root,
    help=_(
        "Find, translate and audit mixed-language text, offline.\n\n"
        "Examples:\n\n"
        "  tolmach detect examples/article.txt --expect en\n\n"
        "  tolmach models list"
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


# (module, group name). Each module defines ``app`` (a Typer group) or ``register(app)``.
COMMAND_MODULES: list[str] = ["toolkit.cli.models"]

for _module_name in COMMAND_MODULES:
    _module = importlib.import_module(_module_name)
    _module.register(app)


def main() -> None:
    app()
