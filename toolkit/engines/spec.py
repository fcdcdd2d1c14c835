"""One engine specification: which engine, on which device, with which settings.

:func:`resolve_engine_spec` is the only place that reads ``--engine``,
``--device``, ``--beam``, ``ARGOS_DEVICE_TYPE`` and ``ARGOS_BEAM_SIZE``: it
validates them (one message per mistake, :class:`~toolkit.errors.UsageError`,
exit 2), decides ``auto`` once, and returns a frozen, picklable
:class:`EngineSpec` that the CLI, the executors (Ray actors included) and
``doctor`` pass around. :func:`toolkit.engines.build_engine` turns it into an
engine. Nothing here imports ctranslate2 unless a GPU's compute types are asked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, cast, get_args

from toolkit.errors import UsageError
from toolkit.i18n import _

EngineName = Literal["argos", "argos-reference", "identity"]
Device = Literal["cpu", "cuda"]
DeviceRequest = Literal["cpu", "cuda", "auto"]
ENGINE_NAMES: tuple[str, ...] = get_args(EngineName)
DEVICE_REQUESTS: tuple[str, ...] = get_args(DeviceRequest)
# Other spellings accepted for --engine (older names of the two Argos paths).
ENGINE_ALIASES = {"argos-fast": "argos", "fast": "argos", "reference": "argos-reference"}
# Engines that run a model on a device (the others ignore device, beam and threads).
DEVICE_ENGINES: tuple[str, ...] = ("argos", "argos-reference")

# tolmach's default beam when ARGOS_BEAM_SIZE is not set (argostranslate's is 4).
# Measured here (Argos-size random model, int8, 2 cores, 96 FLORES sentences,
# fixed output lengths): batched beam 2 ran 1.1-1.4x faster than beam 4; most
# of beam search's gain over greedy comes from the second hypothesis, and
# fragments are short. --beam 4 or ARGOS_BEAM_SIZE=4 gives argostranslate's output.
DEFAULT_BEAM = 2
# Tokens per batch inside one CTranslate2 translate_batch call. Measured on 2 CPU
# cores with an Argos-size model: 512 tokens ~9 sentences/s, 2048 ~8.5, 4096 ~7.7.
# On a GPU larger batches win (DESIGN.md: 4096 tokens).
FAST_BATCH_TOKENS_CPU = 512
FAST_BATCH_TOKENS_CUDA = 4096


@dataclass(frozen=True)
class EngineSpec:
    """A resolved engine: every value decided, nothing left to read from the
    environment. Frozen and picklable (Ray actors receive it as it is).

    ``asked`` is the device as requested (cpu, cuda or auto), ``device`` what it
    resolved to. ``batch_tokens`` is None for engines without batches (identity).
    """

    name: EngineName = "argos"
    device: Device = "cpu"
    compute_type: str = "int8"
    beam: int = DEFAULT_BEAM
    batch_tokens: int | None = FAST_BATCH_TOKENS_CPU
    inter_threads: int = 1
    intra_threads: int = 1
    max_length: int | None = None
    asked: DeviceRequest = "cpu"

    @property
    def takes_device(self) -> bool:
        """Does this engine run a model on a device (Argos), or ignore it (identity)?"""
        return self.name in DEVICE_ENGINES

    def with_threads(self, inter: int, intra: int) -> EngineSpec:
        """The same engine with other CTranslate2 thread counts (a Ray actor's share)."""
        return replace(self, inter_threads=inter, intra_threads=intra)


def resolve_engine_spec(
    name: str = "argos",
    *,
    device: str | None = None,
    beam: int | None = None,
    compute_type: str | None = None,
    batch_tokens: int | None = None,
    inter_threads: int | None = None,
    intra_threads: int | None = None,
    max_length: int | None = None,
    gpus: Callable[[], int] | None = None,
    strict: bool = True,
) -> EngineSpec:
    """Validate the engine options once and decide every value.

    ``device``: cpu, cuda or auto, case-insensitive (default: ``ARGOS_DEVICE_TYPE``,
    else cpu). ``beam``: default ``ARGOS_BEAM_SIZE``, else :data:`DEFAULT_BEAM`.
    Where the engine runs decides ``auto`` and checks ``cuda``: this machine
    (:mod:`toolkit.cuda`; an unusable GPU is MissingDependencyError, exit 3, with
    the fix) or, with ``gpus``, a cluster whose GPU count it returns (called only
    for ``auto``; the executor checks ``cuda`` against the cluster). ``strict=False``
    (``doctor``) resolves an unusable ``cuda`` to cpu instead of raising; ``asked``
    keeps the request.

    >>> spec = resolve_engine_spec("argos", device="CPU", beam=4)
    >>> (spec.name, spec.device, spec.beam, spec.batch_tokens)
    ('argos', 'cpu', 4, 512)
    """
    canonical = ENGINE_ALIASES.get(name, name)
    if canonical not in ENGINE_NAMES:
        raise UsageError(
            _("unknown engine {name!r}; choose argos, argos-reference or identity").format(
                name=name
            )
        )
    asked = (device or os.environ.get("ARGOS_DEVICE_TYPE") or "cpu").strip().lower()
    if asked not in DEVICE_REQUESTS:
        raise UsageError(
            _("unknown device {device!r}; choose cpu, cuda or auto").format(device=asked)
        )
    if beam is not None and beam < 1:
        raise UsageError(_("beam size must be at least 1"))
    if max_length is not None and max_length < 1:
        raise UsageError(_("max length must be at least 1"))
    engine = cast(EngineName, canonical)  # checked against ENGINE_NAMES above
    request = cast(DeviceRequest, asked)  # checked against DEVICE_REQUESTS above
    if canonical not in DEVICE_ENGINES:
        return EngineSpec(
            name=engine,
            device="cpu",
            compute_type="none",
            beam=beam or 1,
            batch_tokens=None,
            asked=request,
        )
    chosen = _place(asked, gpus, strict)
    inter, intra = default_threads(chosen)
    return EngineSpec(
        name=engine,
        device=chosen,
        compute_type=compute_type or default_compute_type(chosen),
        beam=beam or _env_beam(),
        batch_tokens=batch_tokens
        or (FAST_BATCH_TOKENS_CUDA if chosen == "cuda" else FAST_BATCH_TOKENS_CPU),
        inter_threads=inter if inter_threads is None else inter_threads,
        intra_threads=intra if intra_threads is None else intra_threads,
        max_length=max_length,
        asked=request,
    )


def _place(asked: str, gpus: Callable[[], int] | None, strict: bool) -> Device:
    """cpu | cuda | auto → cpu or cuda, on this machine or (``gpus``) a cluster."""
    if asked == "cpu":
        return "cpu"
    if gpus is not None:
        # A cluster: the executor checks that it has a GPU when it places the actors.
        return "cuda" if asked == "cuda" or gpus() > 0 else "cpu"
    from toolkit import cuda

    if asked == "cuda" and strict:
        cuda.require()  # exit 3 with the reason and the fix
        return "cuda"
    return "cuda" if cuda.status().usable else "cpu"


def _env_beam() -> int:
    """``ARGOS_BEAM_SIZE`` as argostranslate reads it, else :data:`DEFAULT_BEAM`."""
    raw = os.environ.get("ARGOS_BEAM_SIZE")
    if not raw:
        return DEFAULT_BEAM
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(
            _("ARGOS_BEAM_SIZE must be a positive integer, not {raw!r}").format(raw=raw)
        )
    return value


def available_cores() -> int:
    """CPU cores this process may run on (``os.sched_getaffinity``, else ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_threads(device: str, cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for CTranslate2 from the core count.

    CPU: up to 4 threads per batch (intra), and as many batches in parallel as
    groups of 4 cores fit (inter): 2 cores → 1×2, 16 cores → 4×4 (DESIGN.md's
    fastest CPU setting). CUDA: one batch at a time per GPU, a few CPU threads.
    """
    n = cores if cores is not None else available_cores()
    intra = min(n, 4)
    if device == "cuda":
        return 1, intra
    return max(1, n // intra), intra


def default_compute_type(device: str) -> str:
    """int8 on the CPU; float16 on a GPU (int8_float16 when float16 is unsupported)."""
    if device != "cuda":
        return "int8"
    try:
        import ctranslate2

        supported = set(ctranslate2.get_supported_compute_types("cuda"))
    except Exception:
        return "float16"
    for choice in ("float16", "int8_float16"):
        if choice in supported:
            return choice
    return "auto"
