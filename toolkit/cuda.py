"""CUDA for CTranslate2: is a GPU usable, and where does cuBLAS 12 come from?

The ctranslate2 wheels on PyPI are CUDA 12 builds. The CUDA runtime is linked in
statically, but cuBLAS is opened at the first GPU matrix product with
``dlopen("libcublas.so.12")``. A machine with only CUDA 13 has ``libcublas.so.13``
and fails there, after the model has loaded. tolmach checks this before it loads a
model, and finds cuBLAS 12 in this order:

1. already loadable by its name (a CUDA 12 toolkit, ``LD_LIBRARY_PATH``, ld.so.conf);
2. the ``nvidia-cublas-cu12`` wheel (``pip install 'tolmach[cuda]'``): preloaded
   from site-packages with ``RTLD_GLOBAL``, which works on CUDA 12 and 13 drivers;
3. ``TOLMACH_CUDA_LIBS``: a folder holding ``libcublas.so.12`` (a real cuBLAS 12,
   preloaded from there; or a symlink to CUDA 13's ``libcublas.so.13``, which only
   works when that folder is on ``LD_LIBRARY_PATH`` when the process starts: the
   ``tolmach`` command re-executes itself once to arrange that, see
   :func:`reexec_with_cuda_libs`).

Nothing here imports torch or argostranslate; ctranslate2 is imported only to count
devices.
"""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import MissingDependencyError
from toolkit.i18n import _

CUBLAS = "libcublas.so.12"
CUBLAS_LT = "libcublasLt.so.12"
ENV_LIBS = "TOLMACH_CUDA_LIBS"
_REEXEC_GUARD = "_TOLMACH_CUDA_REEXEC"


@dataclass
class CudaStatus:
    """What this process can do with CUDA."""

    device_count: int = 0
    cublas: str | None = None  # where cuBLAS 12 was found (None: not found)
    error: str | None = None  # why CUDA is unusable (None: usable)
    tried: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.device_count > 0 and self.error is None

    def to_dict(self) -> dict[str, object]:
        return {
            "device_count": self.device_count,
            "cublas": self.cublas,
            "usable": self.usable,
            "error": self.error,
        }


_status: CudaStatus | None = None


def device_count() -> int:
    """CUDA devices CTranslate2 sees (0 without ctranslate2, driver or GPU)."""
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count())
    except Exception:
        return 0


def _dlopen(name: str) -> str | None:
    """Load a shared library globally; the error text, or None when it loaded."""
    try:
        ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
    except OSError as exc:
        return str(exc)
    return None


def _wheel_dir() -> Path | None:
    """``nvidia/cublas/lib`` of the nvidia-cublas-cu12 wheel, if installed."""
    for entry in sys.path:
        folder = Path(entry or ".") / "nvidia" / "cublas" / "lib"
        if (folder / CUBLAS).is_file():
            return folder
    return None


def _shim_dir() -> Path | None:
    raw = os.environ.get(ENV_LIBS)
    return Path(raw).expanduser() if raw else None


def _load_cublas() -> tuple[str | None, list[str]]:
    """Find and load cuBLAS 12; (where it came from, what was tried)."""
    tried: list[str] = []
    err = _dlopen(CUBLAS)
    if err is None:
        return "system", tried
    tried.append(f"{CUBLAS}: {err}")
    for label, folder in (("nvidia-cublas-cu12", _wheel_dir()), (ENV_LIBS, _shim_dir())):
        if folder is None:
            continue
        lib = folder / CUBLAS
        if not lib.exists():
            tried.append(f"{label}: {lib} does not exist")
            continue
        if (folder / CUBLAS_LT).exists():
            _dlopen(str(folder / CUBLAS_LT))
        err = _dlopen(str(lib))
        if err is not None:
            tried.append(f"{label}: {err}")
            continue
        # A real cuBLAS 12 has the soname libcublas.so.12, so ctranslate2's
        # dlopen by name now finds the loaded copy. A symlink to cuBLAS 13 does
        # not: that needs the folder on LD_LIBRARY_PATH at process start.
        if _dlopen(CUBLAS) is None:
            return f"{label} ({folder})", tried
        tried.append(
            f"{label}: {lib} is not cuBLAS 12 (a symlink to cuBLAS 13?); put {folder} "
            "on LD_LIBRARY_PATH before starting Python"
        )
    return None, tried


def fix_hint() -> str:
    return _(
        "pip install 'tolmach[cuda]' (the nvidia-cublas-cu12 wheel), or set "
        "TOLMACH_CUDA_LIBS to a folder with libcublas.so.12 (on CUDA 13: a symlink to "
        "libcublas.so.13), or use --device cpu; 'tolmach doctor' shows what was found"
    )


def status(*, refresh: bool = False) -> CudaStatus:
    """Probe CUDA once per process (cached)."""
    global _status
    if _status is not None and not refresh:
        return _status
    found = CudaStatus(device_count=device_count())
    if found.device_count == 0:
        found.error = _("CTranslate2 sees no CUDA GPU (no GPU, no NVIDIA driver, or a CPU build)")
    elif not sys.platform.startswith("linux"):
        found.cublas = "platform"
    else:
        found.cublas, found.tried = _load_cublas()
        if found.cublas is None:
            found.error = _(
                "{lib} cannot be loaded (ctranslate2 is a CUDA 12 build): {why}"
            ).format(lib=CUBLAS, why="; ".join(found.tried) or "?")
    _status = found
    return found


def require() -> CudaStatus:
    """The CUDA status, or MissingDependencyError (exit 3) with the fix when unusable."""
    found = status()
    if found.device_count == 0:
        raise MissingDependencyError(
            _("device 'cuda' requested but {why}; use --device cpu").format(why=found.error)
        )
    if found.error is not None:
        raise MissingDependencyError(
            _("device 'cuda' is unusable: {why}. Fix: {hint}").format(
                why=found.error, hint=fix_hint()
            )
        )
    return found


def is_cuda_library_error(exc: BaseException) -> bool:
    """Does this CTranslate2 error come from a missing or mismatched CUDA library?"""
    text = str(exc).lower()
    return any(key in text for key in ("libcublas", "libcudnn", "cuda driver", "cuda failed"))


def reexec_with_cuda_libs(argv: list[str] | None = None) -> None:
    """When ``TOLMACH_CUDA_LIBS`` is set and not on ``LD_LIBRARY_PATH``, restart this
    process once with it prepended (the dynamic loader reads that variable only at
    start). No-op otherwise, and never loops."""
    folder = _shim_dir()
    if folder is None or os.environ.get(_REEXEC_GUARD) or not sys.platform.startswith("linux"):
        return
    current = [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p]
    if str(folder) in current or not (folder / CUBLAS).exists():
        return
    env = dict(os.environ)
    env["LD_LIBRARY_PATH"] = os.pathsep.join([str(folder), *current])
    env[_REEXEC_GUARD] = "1"
    args = argv if argv is not None else [sys.executable, *sys.orig_argv[1:]]
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, args, env)
    except OSError:
        return  # carry on without the shim; require() explains what is missing


def library_env() -> dict[str, str]:
    """Environment variables a worker process needs for the same CUDA libraries
    (``LD_LIBRARY_PATH`` with ``TOLMACH_CUDA_LIBS`` first)."""
    folder = _shim_dir()
    if folder is None:
        return {}
    current = [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p]
    if str(folder) not in current:
        current.insert(0, str(folder))
    return {"LD_LIBRARY_PATH": os.pathsep.join(current), ENV_LIBS: str(folder)}
