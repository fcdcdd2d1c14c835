"""`tolmach memory`: inspect, clear and export the translation memory."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.options import Command, Group, MemoryPath, language_option
from toolkit.errors import UsageError
from toolkit.i18n import _, ngettext
from toolkit.languages import Language

app = typer.Typer(
    help=_(
        "Inspect, clear and export the translation memory.\n\n"
        "Examples:\n\n"
        "  tolmach memory stats\n\n"
        "  tolmach memory import project.tmx locales/ru/LC_MESSAGES/app.po\n\n"
        "  tolmach memory export -o memory.tmx\n\n"
        "  tolmach memory clear --yes"
    ),
    no_args_is_help=True,
    cls=Group,
)


@app.command(cls=Command, help=_("Entries per language pair and engine, and the file size."))
def stats(
    memory: MemoryPath = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print as JSON."))] = False,
) -> None:
    from toolkit.memory import Memory

    with Memory(memory) as tm:
        s = tm.stats()
    if as_json:
        typer.echo(json.dumps(asdict(s), indent=2))
        return
    typer.echo(f"{_('file')}: {s.path}")
    typer.echo(f"{_('entries')}: {s.entries}")
    typer.echo(f"{_('size')}: {s.size_bytes} B")
    for pair, n in s.pairs.items():
        typer.echo(f"  {pair}: {n}")
    for origin, n in s.origins.items():
        typer.echo(f"  {origin}: {n}")


@app.command(cls=Command, help=_("Delete entries (all, or one pair with --from/--to)."))
def clear(
    memory: MemoryPath = None,
    source: Annotated[
        Language | None,
        language_option("--from", help=_("Source language of the pair.")),
    ] = None,
    target: Annotated[
        Language | None,
        language_option("--to", help=_("Target language of the pair.")),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))
    ] = False,
) -> None:
    from toolkit.memory import Memory

    if not yes:
        import sys

        if not sys.stdin.isatty():
            raise UsageError(_("memory clear needs --yes when there is no terminal to confirm on"))
        typer.confirm(_("Delete translation memory entries?"), abort=True)
    with Memory(memory) as tm:
        n = tm.clear(source=source, target=target)
    typer.echo(ngettext("{n} entry deleted", "{n} entries deleted", n).format(n=n))


@app.command(cls=Command, help=_("Export as TMX 1.4, which CAT tools import."))
def export(
    memory: MemoryPath = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write here instead of stdout."))
    ] = None,
) -> None:
    from toolkit.files import atomic_write
    from toolkit.memory import Memory

    with Memory(memory) as tm:
        tmx = tm.export_tmx()
    if output is None:
        typer.echo(tmx, nl=False)
    else:
        atomic_write(output, tmx.encode("utf-8"))


@app.command(
    "import",
    cls=Command,
    help=_(
        "Import human translations: TMX files (any language pairs) and translated "
        "gettext catalogs (.po). Each file is stored whole or not at all; every entry "
        "records its origin (human, imported, machine) and file.\n\n"
        "Example: tolmach memory import old-release/ru.po --to ru"
    ),
)
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help=_("TMX files and catalogs."))],
    memory: MemoryPath = None,
    origin: Annotated[
        str | None,
        typer.Option(
            "--origin",
            help=_(
                "Origin of entries whose file does not say: human (default) or imported "
                "(unreviewed: offered, never used as is)."
            ),
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str, typer.Option("--from", help=_("Catalogs: language of the msgids."))
    ] = "en",
    target: Annotated[
        str | None,
        typer.Option(
            "--to", help=_("Catalogs: language of the msgstrs (default: the Language header).")
        ),
    ] = None,
    max_size: Annotated[
        float, typer.Option("--max-size", help=_("Refuse files larger than this many MB."))
    ] = 500.0,
) -> None:
    from toolkit.errors import UsageError
    from toolkit.memory import Memory
    from toolkit.memory_import import ImportOptions, import_file

    if origin not in (None, "human", "imported"):
        raise UsageError(_("--origin must be human or imported"))
    options = ImportOptions(origin, source, target, int(max_size * 1_000_000))
    with Memory(memory) as tm:
        for path in paths:
            counts = import_file(tm, path, options)
            typer.echo(
                _("{path}: {read} read, {stored} stored, {kept} kept (a more trusted one)").format(
                    path=path, read=counts.read, stored=counts.stored, kept=counts.kept
                ),
                err=True,
            )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="memory")
