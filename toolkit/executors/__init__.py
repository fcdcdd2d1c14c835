"""Executors: where the engine runs (see :class:`toolkit.pipeline.Executor`).

``local`` (this process, :class:`toolkit.pipeline.LocalExecutor`) and ``ray`` (a
pool of Ray actors, :class:`toolkit.executors.ray.RayExecutor`, optional extra
``pip install 'tolmach[ray]'``).
"""

from __future__ import annotations

from typing import Any

from toolkit.errors import UsageError
from toolkit.i18n import _

EXECUTORS = ("local", "ray")


def get_executor(
    name: str,
    *,
    engine: Any,
    engine_name: str = "argos",
    engine_options: dict[str, Any] | None = None,
    address: str | None = None,
    workers: int | None = None,
    device: str | None = None,
) -> Any:
    """Build an executor by name. ``engine`` is the driver's engine (model identity,
    token counts); Ray workers build their own from ``engine_name``/``engine_options``."""
    if name == "local":
        if address is not None or workers is not None:
            raise UsageError(_("--address and --workers need --executor ray"))
        from toolkit.pipeline import LocalExecutor

        return LocalExecutor(engine)
    if name == "ray":
        from toolkit.executors.ray import RayExecutor

        return RayExecutor(
            engine,
            engine_name=engine_name,
            engine_options=engine_options,
            address=address,
            workers=workers,
            device=device,
        )
    raise UsageError(
        _("unknown executor {name!r}; choose {choices}").format(
            name=name, choices=", ".join(EXECUTORS)
        )
    )
