"""``tolmach models``: list, install and remove Argos Translate packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.options import Command, Group
from toolkit.errors import UsageError
from toolkit.i18n import _

app = typer.Typer(
    name="models",
    help=_(
        "List, install and remove Argos Translate models.\n\n"
        "Examples:\n\n"
        "  tolmach models list\n\n"
        "  tolmach models install translate-ru_en-1_9.argosmodel\n\n"
        "  tolmach models install --from ru --to en\n\n"
        "  tolmach models remove --from ru --to en"
    ),
    no_args_is_help=True,
    cls=Group,
)


@app.command("list", cls=Command)
def list_models(
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the packages as a JSON array."))
    ] = False,
) -> None:
    """Show installed language pairs with package name and version.

    Example: tolmach models list --json
    """
    from toolkit import models

    packages = models.installed_packages()
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in packages], ensure_ascii=False, indent=2))
        return
    if not packages:
        typer.echo(_("No Argos models installed in {folder}.").format(folder=models.packages_dir()))
        return
    rows = [(f"{p.from_code}→{p.to_code}", p.name, p.version) for p in packages]
    header = (_("pair"), _("package"), _("version"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@app.command("install", cls=Command)
def install(
    file: Annotated[
        Path | None,
        typer.Argument(
            help=_("An .argosmodel file to install (works offline)."), show_default=False
        ),
    ] = None,
    from_code: Annotated[
        str | None,
        typer.Option("--from", help=_("Source language code, to download from the Argos index.")),
    ] = None,
    to_code: Annotated[
        str | None,
        typer.Option("--to", help=_("Target language code, to download from the Argos index.")),
    ] = None,
) -> None:
    """Install a model from a file, or download one from the Argos index (needs network).

    Examples: tolmach models install translate-ru_en.argosmodel;
    tolmach models install --from ru --to en
    """
    from toolkit import models

    if file is not None and (from_code or to_code):
        raise UsageError(_("give either FILE or --from/--to, not both"))
    if file is not None:
        pkg = models.install_from_file(file)
    elif from_code and to_code:
        pkg = models.install_from_index(from_code, to_code)
    else:
        raise UsageError(_("give an .argosmodel FILE, or both --from and --to"))
    typer.echo(
        _("Installed {name} ({src}→{tgt}, version {version}) in {folder}").format(
            name=pkg.name,
            src=pkg.from_code,
            tgt=pkg.to_code,
            version=pkg.version,
            folder=pkg.path.parent,
        )
    )


@app.command("remove", cls=Command)
def remove(
    name: Annotated[
        str | None,
        typer.Argument(help=_("Package name as shown by 'models list'."), show_default=False),
    ] = None,
    from_code: Annotated[
        str | None,
        typer.Option("--from", help=_("Source language code of the pair to remove.")),
    ] = None,
    to_code: Annotated[
        str | None,
        typer.Option("--to", help=_("Target language code of the pair to remove.")),
    ] = None,
) -> None:
    """Remove an installed model by pair or by package name.

    Examples: tolmach models remove --from ru --to en; tolmach models remove translate-ru_en-1_9
    """
    from toolkit import models

    if name is not None and (from_code or to_code):
        raise UsageError(_("give either NAME or --from/--to, not both"))
    if name is not None:
        removed = models.remove(name=name)
    elif from_code and to_code:
        removed = models.remove(from_code, to_code)
    else:
        raise UsageError(_("give a package NAME, or both --from and --to"))
    for pkg in removed:
        typer.echo(
            _("Removed {name} ({src}→{tgt})").format(
                name=pkg.name, src=pkg.from_code, tgt=pkg.to_code
            )
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="models")
