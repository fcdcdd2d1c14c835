"""``tolmach doctor``: models, device, network, storage and versions in one report."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from toolkit.cli.options import Command, Device
from toolkit.i18n import _

HELP = _(
    "Check this machine: installed models, the device a run would use (compute type, "
    "CUDA devices, the CUDA error when it is unusable), whether the Argos index is "
    "reachable (1.5 s at most), cache and translation-memory sizes, library versions.\n\n"
    "Exits 1 when it finds a problem (no model, an unusable requested device).\n\n"
    "Examples:\n\n"
    "  tolmach doctor\n\n"
    "  tolmach doctor --device cuda --json\n\n"
    "  tolmach doctor --no-network"
)


def doctor(
    device: Device = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print the report as JSON."))] = False,
    network: Annotated[
        bool,
        typer.Option("--network/--no-network", help=_("Check whether the Argos index answers.")),
    ] = True,
) -> None:
    from toolkit.doctor import diagnose, render
    from toolkit.engines import resolve_engine_spec

    spec = resolve_engine_spec("argos", device=device, strict=False)
    report = diagnose(spec, network=network)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in render(report):
            typer.echo(line)
    if report.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor", help=HELP, cls=Command)(doctor)
