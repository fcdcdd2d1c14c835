"""Helpers for tests that run, race and kill ``python -m toolkit`` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.conftest import ROOT

RU_LINES = [
    "Вчера в Вене прошло заседание ОБСЕ по вопросам безопасности.",
    "Генеральный секретарь ОДКБ выступил с заявлением.",
    "Представители НАТО и ОБСЕ провели встречу в Женеве.",
    "Заголовок открываемого материала",
]
EN_LINES = ["Site news", "The meeting opened today.", "Chats", "0", "loader"]


def cyrillic(n: int) -> str:
    """A number spelt with Cyrillic letters, so a line stays one Russian fragment."""
    return "".join("абвгдежзик"[int(d)] for d in str(n))


def unique_line(tag: str, i: int, k: int) -> str:
    return f"Сообщение {tag}{cyrillic(i)} номер {cyrillic(k)} о работе ОБСЕ в регионе."


def make_corpus(folder: Path, files: int, *, unique: int = 0, tag: str = "") -> dict[str, bytes]:
    """``files`` small article files mixing English and Russian lines naming
    organisations the shipped glossary knows; ``unique`` extra Russian lines
    per file make every fragment distinct (to fill a translation memory)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, bytes] = {}
    for i in range(files):
        lines = [*EN_LINES[:2], RU_LINES[i % len(RU_LINES)], RU_LINES[(i + 1) % len(RU_LINES)]]
        lines += [unique_line(tag, i, k) for k in range(unique)]
        lines += EN_LINES[2:]
        data = ("\n".join(lines) + "\n").encode()
        if i % 3 == 1:  # some CRLF files
            data = data.replace(b"\n", b"\r\n")
        name = f"article{i:03d}.txt"
        (folder / name).write_bytes(data)
        out[name] = data
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def tolmach(args: Sequence[str], env: dict[str, str], **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "toolkit", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


def wait_for(predicate: Callable[[], bool], proc: subprocess.Popen[bytes], limit: float) -> bool:
    """Poll ``predicate`` about every half millisecond while ``proc`` runs."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return predicate()
        time.sleep(0.0005)
    return False


def kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL ``proc``; True when it was still running."""
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    return alive


def write_started(folder: Path, originals: dict[str, bytes]) -> Callable[[], bool]:
    """True once a temp file appears in ``folder`` or a file's content changed."""
    stats = {name: (folder / name).stat().st_mtime_ns for name in originals}

    def check() -> bool:
        for entry in os.scandir(folder):
            if entry.name.endswith(".tmp") or (
                entry.name in stats and entry.stat().st_mtime_ns != stats[entry.name]
            ):
                return True
        return False

    return check


def temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def vm_hwm_kb(status: str) -> int:
    return int(status.split("VmHWM:")[1].split()[0])


def run_cli(
    args: Sequence[str], env: dict[str, str], *, timeout: float = 120, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m toolkit ARGS`` to completion, bounded by ``timeout``
    (a hang fails the test instead of stalling the suite); never a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


def error_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in proc.stderr.splitlines() if ln.startswith("tolmach: error:")]


def one_error(proc: subprocess.CompletedProcess[str], code: int, needle: str) -> str:
    """Assert exit ``code`` and exactly one error line containing ``needle``."""
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    errors = error_lines(proc)
    assert len(errors) == 1, proc.stderr
    assert needle in errors[0], errors[0]
    return errors[0]
