"""Executors: where the engine runs (see :class:`toolkit.translation.Executor`).

``local`` (this process, :class:`toolkit.executors.local.LocalExecutor`) and ``ray``
(a pool of Ray actors, :class:`toolkit.executors.ray.RayExecutor`, optional extra
``pip install 'tolmach[ray]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.i18n import _

if TYPE_CHECKING:
    from toolkit.engines import Engine
    from toolkit.engines.spec import EngineSpec

EXECUTORS = ("local", "ray")


def open_executor(
    name: str,
    *,
    engine: str = "argos",
    device: str | None = None,
    beam: int | None = None,
    address: str | None = None,
    workers: int | None = None,
) -> tuple[EngineSpec, Engine, Any]:
    """The engine specification, the driver's engine and the executor for
    ``--executor/--engine/--device/--beam/--address/--workers``.

    The spec is resolved once, where the engine runs: this machine (``local``) or
    the Ray cluster (``ray``: ``--device auto`` asks the cluster for GPUs). With
    Ray the driver's engine only names the model and counts tokens; its batch
    size is the spec's, so units are sized for the actors' device.
    """
    from toolkit.engines import build_engine, resolve_engine_spec

    if name not in EXECUTORS:
        raise UsageError(
            _("unknown executor {name!r}; choose {choices}").format(
                name=name, choices=", ".join(EXECUTORS)
            )
        )
    if name == "local":
        if address is not None or workers is not None:
            raise UsageError(_("--address and --workers need --executor ray"))
        from toolkit.executors.local import LocalExecutor

        spec = resolve_engine_spec(engine, device=device, beam=beam)
        driver = build_engine(spec)
        return spec, driver, LocalExecutor(driver)
    from toolkit.executors.ray import RayCluster, RayExecutor

    cluster = RayCluster(address)
    try:
        spec = resolve_engine_spec(engine, device=device, beam=beam, gpus=cluster.gpus)
        driver = build_engine(spec)
        return spec, driver, RayExecutor(driver, spec, cluster=cluster, workers=workers)
    except BaseException:
        cluster.close()
        raise
