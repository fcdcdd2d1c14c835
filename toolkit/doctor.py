"""``tolmach doctor``: what this machine can do, and what is missing.

Reports the installed models, the device a run would use (with its compute type,
threads, batch size, CUDA device count and the CUDA error when it is unusable),
whether the Argos package index is reachable (1.5 s at most, never hangs), the
sizes of tolmach's cache and translation memory, and the versions of the
libraries that matter. It never imports argostranslate or torch: versions come
from ``importlib.metadata``; only ctranslate2 is imported, to count GPUs.
"""

from __future__ import annotations

import os
import platform
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.i18n import _, ngettext

if TYPE_CHECKING:
    from toolkit.engines.spec import EngineSpec

NETWORK_TIMEOUT = 1.5  # the whole command stays under two seconds even when the index hangs
VERSIONED = (
    "tolmach",
    "argostranslate",
    "ctranslate2",
    "langdetect",
    "sentencepiece",
    "lingua-language-detector",
    "ray",
    "nvidia-cublas-cu12",
)


@dataclass
class Report:
    """Everything ``tolmach doctor`` prints; ``problems`` make it exit 1."""

    tolmach: str
    python: str
    platform: str
    packages_dir: str
    models: list[dict[str, Any]]
    device: dict[str, Any]
    network: dict[str, Any]
    storage: dict[str, Any]
    versions: dict[str, str | None]
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def versions() -> dict[str, str | None]:
    """Installed versions (None when not installed), without importing anything."""
    found: dict[str, str | None] = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def device_report(spec: EngineSpec) -> dict[str, Any]:
    """The device a run would use, from the engine specification (resolved with
    ``strict=False``: a ``cuda`` that is unusable here resolved to cpu)."""
    from toolkit import cuda
    from toolkit.engines.spec import available_cores

    status = cuda.status()
    unusable = spec.asked == "cuda" and spec.device != "cuda"
    report: dict[str, Any] = {
        "requested": spec.asked,
        "selected": None if unusable else spec.device,
        "error": status.error if unusable else None,
        "cores": available_cores(),
        "compute_type": None if unusable else spec.compute_type,
        "inter_threads": spec.inter_threads,
        "intra_threads": spec.intra_threads,
        "batch_tokens": spec.batch_tokens,
        "cuda": status.to_dict(),
        "cuda_libs": os.environ.get(cuda.ENV_LIBS),
        "ld_library_path": os.environ.get("LD_LIBRARY_PATH"),
    }
    if status.device_count and status.error:
        report["cuda_fix"] = cuda.fix_hint()
    return report


def probe_index(timeout: float = NETWORK_TIMEOUT) -> dict[str, Any]:
    """Can the Argos index (``ARGOS_PACKAGE_INDEX``) be reached? Never takes much
    longer than ``timeout``: the request runs in a daemon thread, so a slow DNS
    lookup cannot hold the command."""
    from toolkit.models import index_url

    url = index_url()
    outcome: dict[str, Any] = {"url": url, "reachable": False, "error": None, "seconds": None}

    def fetch() -> None:
        started = time.perf_counter()
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "tolmach-doctor"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read(1)
            outcome["reachable"] = True
        except Exception as exc:
            reason = getattr(exc, "reason", None) or exc
            outcome["error"] = str(reason) or type(exc).__name__
        outcome["seconds"] = round(time.perf_counter() - started, 3)

    worker = threading.Thread(target=fetch, name="tolmach-doctor-index", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        outcome["error"] = _("no answer within {s:g} s").format(s=timeout)
        outcome["seconds"] = timeout
    return dict(outcome)


def _size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder (0 when missing)."""
    try:
        if path.is_file():
            return path.stat().st_size
        total = 0
        for root, _dirs, files in os.walk(path):
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    continue
        return total
    except OSError:
        return 0


def storage_report() -> dict[str, Any]:
    from toolkit.memory import default_path, home

    cache = home()
    tm = default_path()
    tm_bytes = sum(_size(Path(str(tm) + suffix)) for suffix in ("", "-wal", "-shm"))
    return {
        "cache_dir": str(cache),
        "cache_bytes": _size(cache),
        "memory_path": str(tm),
        "memory_bytes": tm_bytes,
    }


def diagnose(spec: EngineSpec | None = None, *, network: bool = True) -> Report:
    """Collect the report for ``spec`` (default: ``--device`` unset, i.e.
    ``ARGOS_DEVICE_TYPE`` or cpu). Never raises for a missing piece: it becomes a
    problem."""
    from toolkit import __version__, models
    from toolkit.engines.spec import resolve_engine_spec

    if spec is None:
        spec = resolve_engine_spec("argos", strict=False)

    started = time.perf_counter()
    problems: list[str] = []
    # The network probe runs while the rest is collected.
    probe: dict[str, Any] = {}
    prober = None
    if network:
        prober = threading.Thread(target=lambda: probe.update(probe_index()), daemon=True)
        prober.start()
    installed = models.installed_packages()
    if not installed:
        problems.append(
            _("no Argos model installed; 'tolmach models install FILE.argosmodel' (offline)")
        )
    dev = device_report(spec)
    if dev["error"]:
        problems.append(dev["error"])
    found = versions()
    if found.get("ctranslate2") is None:
        problems.append(_("ctranslate2 is not installed; pip install ctranslate2"))
    if prober is not None:
        prober.join(NETWORK_TIMEOUT + 0.5)
    net = probe or {
        "url": models.index_url(),
        "reachable": None,
        "error": _("not checked") if not network else _("no answer"),
        "seconds": None,
    }
    return Report(
        tolmach=__version__,
        python=platform.python_version(),
        platform=f"{platform.system()} {platform.machine()}",
        packages_dir=str(models.packages_dir()),
        models=[
            {
                "pair": f"{p.from_code}-{p.to_code}",
                "name": p.name,
                "version": p.version,
                "path": str(p.path),
            }
            for p in installed
        ],
        device=dev,
        network=net,
        storage=storage_report(),
        versions=found,
        problems=problems,
        seconds=time.perf_counter() - started,
    )


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def render(report: Report) -> list[str]:
    """The report as text lines."""
    lines = [
        f"tolmach {report.tolmach} (Python {report.python}, {report.platform})",
        ngettext(
            "models:  {n} installed in {folder}",
            "models:  {n} installed in {folder}",
            len(report.models),
        ).format(n=len(report.models), folder=report.packages_dir),
    ]
    lines += [f"  {m['pair']}  {m['name']}  {m['version']}" for m in report.models]
    dev = report.device
    cuda = dev["cuda"]
    if dev["selected"]:
        lines.append(
            _(
                "device:  {device} ({compute}, {inter}×{intra} threads, {tokens} tokens per "
                "batch; {cores} cores; asked: {asked})"
            ).format(
                device=dev["selected"],
                compute=dev["compute_type"],
                inter=dev["inter_threads"],
                intra=dev["intra_threads"],
                tokens=dev["batch_tokens"],
                cores=dev["cores"],
                asked=dev["requested"],
            )
        )
    else:
        lines.append(
            _("device:  {asked} is unusable: {err}").format(
                asked=dev["requested"], err=dev["error"]
            )
        )
    cuda_line = ngettext(
        "cuda:    {n} device", "cuda:    {n} devices", cuda["device_count"]
    ).format(n=cuda["device_count"])
    if cuda["cublas"]:
        cuda_line += _("; cuBLAS 12 from {where}").format(where=cuda["cublas"])
    if cuda["error"]:
        cuda_line += f"; {cuda['error']}"
    lines.append(cuda_line)
    if dev.get("cuda_fix"):
        lines.append(_("  fix:   {hint}").format(hint=dev["cuda_fix"]))
    net = report.network
    if net.get("reachable") is None:
        lines.append(_("index:   {url} not checked").format(url=net["url"]))
    elif net.get("reachable"):
        lines.append(
            _("index:   {url} reachable ({s} s)").format(url=net["url"], s=net.get("seconds"))
        )
    else:
        lines.append(
            _(
                "index:   {url} not reachable ({err}); tolmach works offline, install models "
                "from files"
            ).format(url=net["url"], err=net.get("error"))
        )
    st = report.storage
    lines.append(
        _("cache:   {size} in {path}").format(
            size=human_size(st["cache_bytes"]), path=st["cache_dir"]
        )
    )
    lines.append(
        _("memory:  {size} in {path}").format(
            size=human_size(st["memory_bytes"]), path=st["memory_path"]
        )
    )
    missing = _("not installed")
    shown = ", ".join(
        f"{name} {version or missing}"
        for name, version in report.versions.items()
        if name != "tolmach"
    )
    lines.append(_("versions: {list}").format(list=shown))
    for problem in report.problems:
        lines.append(_("problem: {text}").format(text=problem))
    return lines


__all__ = ["Report", "diagnose", "probe_index", "render", "versions"]

if __name__ == "__main__":  # pragma: no cover
    print("\n".join(render(diagnose())), file=sys.stdout)
