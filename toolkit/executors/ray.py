"""Corpus translation on a Ray cluster: a pool of actors, each holding one loaded model.

The driver (the process that runs ``tolmach translate``) reads, segments, detects
and plans, removes duplicates, asks the translation memory, masks glossary terms
and cuts the rest into token-sized units (:func:`toolkit.translation.translate_texts`).
Each unit is one task for one actor, at most ``in_flight`` queued per actor. The
local executor makes exactly the same engine calls, one per unit, so the bytes
are the same. Results come back to the driver, which updates the memory and
writes the documents atomically, exactly as with the local executor.

When an actor dies (killed, out of memory, node lost), every batch it had not
finished goes back to the front of the queue and a replacement actor is started;
a batch is accepted once, from whichever actor finishes it, so no text is lost
or duplicated. A batch that fails ``max_attempts`` times stops the run. Errors
raised by the engine itself (a missing model, bad input) are not retried: they
reach the user as the same one-line error as locally.

Actors: one per GPU (``device='cuda'``), or one per ``cpus_per_worker`` CPU cores.
Each receives the driver's :class:`~toolkit.engines.spec.EngineSpec` (frozen and
picklable), with its share of the threads, and builds its engine from it.
Install tolmach and the same Argos packages on every node of a cluster; the
driver checks that each actor reports the same model identity as its own.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from toolkit.engines.spec import EngineSpec
from toolkit.errors import (
    ExitCode,
    MissingDependencyError,
    MissingModelError,
    NetworkError,
    TolmachError,
    UsageError,
)
from toolkit.i18n import _

# Environment the actors need to see the driver's models and settings.
FORWARDED_ENV = (
    "ARGOS_PACKAGES_DIR",
    "ARGOS_BEAM_SIZE",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "TOLMACH_HOME",
    "TOLMACH_CUDA_LIBS",
    "LD_LIBRARY_PATH",
)
DEFAULT_CPUS_PER_WORKER = 4
READY_TIMEOUT = 300.0  # seconds for the actors to start and load their models


class WorkerError(TolmachError):
    """A Ray worker failed in a way that retrying did not fix."""

    exit_code = ExitCode.IO


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MissingDependencyError(
            _("the Ray executor needs ray: pip install 'tolmach[ray]'")
        ) from None
    return ray


class Worker:
    """The actor body: one engine, loaded once, translating whole batches."""

    def __init__(self, make: EngineSpec | Callable[[], Any], env: dict[str, str]) -> None:
        self._start_env = dict(os.environ)
        os.environ.update(env)
        self.make = make
        if isinstance(make, EngineSpec):
            from toolkit.engines import build_engine

            self.engine: Any = build_engine(make)
        else:
            self.engine = make()
        self.batches = 0

    def load(self, source: str, target: str) -> str:
        """Load the models of a pair now; return the engine identity for it."""
        prepare = getattr(self.engine, "prepare", None)
        if prepare is not None:
            prepare(source, target)
        return str(self.engine.identity(source, target))

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        self.batches += 1
        return list(self.engine.translate_batch(texts, source, target))

    def pid(self) -> int:
        return os.getpid()

    def spec(self) -> EngineSpec | None:
        """The specification this actor built its engine from (for checks)."""
        return self.make if isinstance(self.make, EngineSpec) else None

    def getenv(self, name: str) -> str | None:
        """The environment this actor's process started with (for checks)."""
        return self._start_env.get(name)


def _toolkit_parent() -> str:
    return str(Path(__file__).resolve().parents[2])


class RayCluster:
    """The Ray cluster an executor runs on; joined (or started) on first use."""

    def __init__(self, address: str | None = None, init_options: dict[str, Any] | None = None):
        self.address = address
        self.init_options = dict(init_options or {})
        self.ray: Any = None
        self.owns = False  # this process started Ray, so it shuts it down

    def connect(self) -> Any:
        """The ``ray`` module, initialized (MissingDependencyError without ray)."""
        if self.ray is not None:
            return self.ray
        ray = _import_ray()
        if not ray.is_initialized():
            self._init(ray)
            self.owns = True
        elif self.address is not None:
            raise UsageError(_("Ray is already initialized in this process; drop --address"))
        self.ray = ray
        return ray

    def resources(self) -> tuple[int, int]:
        """(CPUs, GPUs) of the cluster."""
        resources = self.connect().cluster_resources()
        return max(1, int(resources.get("CPU", 1))), int(resources.get("GPU", 0))

    def gpus(self) -> int:
        """GPUs of the cluster (what ``--device auto`` resolves against)."""
        return self.resources()[1]

    def _init(self, ray: Any) -> None:
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": logging.ERROR,
        }
        if self.address is None:
            # A local cluster: its workers import toolkit from where this process does.
            options["runtime_env"] = {"env_vars": {"PYTHONPATH": _worker_pythonpath()}}
        else:
            options["address"] = self.address
        options.update(self.init_options)
        try:
            ray.init(**options)
        except (ConnectionError, TimeoutError, ValueError, RuntimeError) as exc:
            where = self.address or _("a local cluster")
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise NetworkError(
                _("cannot start or reach Ray at {where}: {err}").format(where=where, err=first)
            ) from None

    def close(self) -> None:
        """Shut Ray down when this cluster object started it."""
        if self.owns and self.ray is not None and self.ray.is_initialized():
            self.ray.shutdown()
        self.owns = False


def _worker_pythonpath() -> str:
    """PYTHONPATH for workers of a cluster this process starts: this toolkit first."""
    parts = [_toolkit_parent(), *filter(None, os.environ.get("PYTHONPATH", "").split(":"))]
    return os.pathsep.join(parts)


class RayExecutor:
    """An executor that fans batches out to Ray actors (see the module docstring).

    ``engine`` is the driver's (model identity, token counts; it never translates
    here). Actors build theirs from ``spec`` (default: ``engine.spec``), or from
    ``engine_factory``, a picklable callable, when given (tests, benchmarks).
    """

    name = "ray"

    def __init__(
        self,
        engine: Any,
        spec: EngineSpec | None = None,
        *,
        engine_factory: Callable[[], Any] | None = None,
        cluster: RayCluster | None = None,
        address: str | None = None,
        workers: int | None = None,
        cpus_per_worker: int | None = None,
        in_flight: int = 2,
        max_attempts: int = 3,
        env: dict[str, str] | None = None,
        init_options: dict[str, Any] | None = None,
        on_result: Callable[[RayExecutor, int], None] | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise UsageError(_("--workers must be at least 1"))
        if in_flight < 1 or max_attempts < 1:
            raise UsageError(_("in_flight and max_attempts must be at least 1"))
        self.cluster = cluster or RayCluster(address, init_options)
        self.actors: list[Any] = []
        self.ray = ray = self.cluster.connect()
        spec = spec or getattr(engine, "spec", None)
        if spec is None and engine_factory is None:
            self.close()
            raise TypeError(
                "RayExecutor needs an EngineSpec (spec or engine.spec) or engine_factory"
            )
        self.engine = engine
        self.in_flight = in_flight
        self.max_attempts = max_attempts
        self.on_result = on_result
        self.calls = 0  # batches accepted
        self.texts_done = 0  # texts in accepted batches
        self.retries = 0  # batches sent again after their actor died
        self.actor_deaths = 0
        self.started = 0  # actors started, replacements included
        cpus, gpus = self.cluster.resources()
        self.device = spec.device if spec is not None else "cpu"
        if self.device == "cuda":
            if gpus < 1:
                self.close()
                raise MissingDependencyError(
                    _("device 'cuda' requested but the Ray cluster has no GPU; use --device cpu")
                )
            self.workers = workers or gpus
            if self.workers > gpus:
                self.close()
                raise UsageError(
                    _("the Ray cluster has {n} GPUs; --workers can be at most {n}").format(n=gpus)
                )
            per = max(1, min(DEFAULT_CPUS_PER_WORKER, cpus // self.workers))
            self.actor_options: dict[str, Any] = {"num_gpus": 1, "num_cpus": per}
        else:
            if workers is not None and workers > cpus:
                self.close()
                raise UsageError(
                    _("the Ray cluster has {n} CPUs; --workers can be at most {n}").format(n=cpus)
                )
            if cpus_per_worker is None:
                cpus_per_worker = (
                    max(1, cpus // workers) if workers else min(DEFAULT_CPUS_PER_WORKER, cpus)
                )
            per = cpus_per_worker
            self.workers = workers or max(1, cpus // per)
            self.actor_options = {"num_cpus": per}
        self.cpus_per_worker = per
        if engine_factory is not None:
            self.make: EngineSpec | Callable[[], Any] = engine_factory
        else:
            assert spec is not None
            # Each actor: one batch at a time on its share of the cores (or its GPU).
            self.make = spec.with_threads(1, per) if spec.takes_device else spec
        self.env = dict(env) if env is not None else self._forwarded_env()
        # Units per round (the driver updates the memory between rounds).
        self.parallel = self.workers * in_flight * 2
        self._remote = ray.remote(Worker)
        self._pairs: set[tuple[str, str]] = set()
        for _i in range(self.workers):
            self._start_actor()

    # --- cluster ---------------------------------------------------------------------------

    def _forwarded_env(self) -> dict[str, str]:
        from toolkit import cuda

        env = {k: os.environ[k] for k in FORWARDED_ENV if k in os.environ}
        env.update(cuda.library_env())
        return env

    def _start_actor(self) -> Any:
        options = dict(self.actor_options)
        loader = {
            k: v for k, v in self.env.items() if k in ("LD_LIBRARY_PATH", "TOLMACH_CUDA_LIBS")
        }
        if loader:
            # The dynamic loader reads LD_LIBRARY_PATH only when a process starts: the
            # actor's process must be started with it (cuBLAS 12 shim, see toolkit.cuda).
            if self.cluster.owns:
                loader["PYTHONPATH"] = _worker_pythonpath()
            options["runtime_env"] = {"env_vars": loader}
        actor = self._remote.options(max_restarts=0, max_task_retries=0, **options)
        handle = actor.remote(self.make, self.env)
        self.started += 1
        for source, target in sorted(self._pairs):
            handle.load.remote(source, target)  # runs before its first batch
        self.actors.append(handle)
        return handle

    def _ensure_pair(self, source: str, target: str) -> None:
        """Every actor loads the pair's models and reports the same identity as the driver."""
        if (source, target) in self._pairs:
            return
        expected = self.engine.identity(source, target)
        refs = [actor.load.remote(source, target) for actor in self.actors]
        try:
            identities = self.ray.get(refs, timeout=READY_TIMEOUT)
        except self.ray.exceptions.GetTimeoutError:
            raise WorkerError(
                _(
                    "the Ray actors did not start within {s:.0f} s; the cluster may lack "
                    "the resources asked for ({what})"
                ).format(s=READY_TIMEOUT, what=self.actor_options)
            ) from None
        except self.ray.exceptions.RayTaskError as exc:
            raise self._task_error(exc) from None
        except self.ray.exceptions.RayActorError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise WorkerError(
                _("a Ray actor died while loading its model: {err}").format(err=first)
            ) from None
        for got in identities:
            if got != expected:
                raise MissingModelError(
                    _(
                        "a Ray worker has a different model ({got}) than this machine "
                        "({expected}); install the same Argos packages on every node"
                    ).format(got=got, expected=expected)
                )
        self._pairs.add((source, target))

    def _task_error(self, exc: Any) -> TolmachError:
        cause = getattr(exc, "cause", None)
        if isinstance(cause, TolmachError):
            return cause
        what = f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)
        return WorkerError(
            _("a Ray worker failed: {err}").format(err=what.splitlines()[0] if what else "?")
        )

    # --- translating ----------------------------------------------------------------------

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """One unit (convenience; the pipeline calls :meth:`translate_units`)."""
        return self.translate_units([list(texts)], source, target)[0]

    def translate_units(
        self, units: Sequence[Sequence[str]], source: str, target: str
    ) -> list[list[str]]:
        """Translate every unit on the actors, one task per unit; same order."""
        batches = [list(u) for u in units]
        if not any(batches):
            return [[] for _ in batches]
        ray = self.ray
        self._ensure_pair(source, target)
        results: list[list[str] | None] = [None if b else [] for b in batches]
        attempts = [0] * len(batches)
        queue = deque(i for i, b in enumerate(batches) if b)
        pending: dict[Any, tuple[int, Any]] = {}
        load: dict[int, int] = {}  # id(actor) → tasks in flight
        retriable = (
            ray.exceptions.RayActorError,
            ray.exceptions.WorkerCrashedError,
            ray.exceptions.ObjectLostError,
        )
        while queue or pending:
            for actor in list(self.actors):
                while queue and load.get(id(actor), 0) < self.in_flight:
                    b = queue.popleft()
                    attempts[b] += 1
                    ref = actor.translate.remote(batches[b], source, target)
                    pending[ref] = (b, actor)
                    load[id(actor)] = load.get(id(actor), 0) + 1
            if not pending:
                raise WorkerError(_("no Ray worker is left to translate with"))
            ready, _rest = ray.wait(list(pending), num_returns=1)
            ref = ready[0]
            b, actor = pending.pop(ref)
            load[id(actor)] -= 1
            try:
                out = ray.get(ref)
            except retriable as exc:
                self._lost(actor, b, attempts[b], exc)
                queue.appendleft(b)
                self.retries += 1
                continue
            except ray.exceptions.RayTaskError as exc:
                raise self._task_error(exc) from None
            if len(out) != len(batches[b]):
                raise WorkerError(
                    _("a Ray worker returned {got} texts for {n}").format(
                        got=len(out), n=len(batches[b])
                    )
                )
            results[b] = out
            self.calls += 1
            self.texts_done += len(out)
            if self.on_result is not None:
                self.on_result(self, b)
        return [r if r is not None else [] for r in results]

    def _lost(self, actor: Any, batch: int, attempts: int, exc: BaseException) -> None:
        """An actor died with a batch in flight: replace it (once) and check the budget."""
        if any(a is actor for a in self.actors):
            self.actors = [a for a in self.actors if a is not actor]
            self.actor_deaths += 1
            with_budget = self.started < self.workers * (1 + self.max_attempts)
            if with_budget:
                self._start_actor()
        if attempts >= self.max_attempts:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise WorkerError(
                _("a batch failed {n} times on Ray workers: {err}").format(n=attempts, err=first)
            )

    def close(self) -> None:
        """Stop the actors; shut Ray down when this executor started it."""
        ray = self.cluster.ray
        for actor in self.actors:
            try:
                ray.kill(actor)
            except Exception:  # best effort on shutdown
                continue
        self.actors = []
        self.cluster.close()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
