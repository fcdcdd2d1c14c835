"""Start-up cost of each command: wall time, peak memory and the ratio to ``tolmach --help``.

    python bench/startup.py [--runs 5] [--big-mb 20] [--only article]

Every command runs as a new process (``python -m toolkit ...``), ``--runs`` times,
in an isolated home (``TOLMACH_HOME``, ``ARGOS_PACKAGES_DIR`` empty, offline index),
on ``examples/article.txt`` and on a generated file of ``--big-mb`` MB (the article
repeated, its dateline numbered so the lines are not all identical). It prints,
per command: the first run's wall time (a fresh home: nothing cached yet), the best
wall time of all runs, the peak RSS of the largest run (``os.wait4``'s
``ru_maxrss`` of the child), and the best time divided by ``tolmach --help``'s
best time measured in the same run.

``translate`` runs without an installed model, so it stops with exit 3 at the
engine call: what it measures is everything before translation (read, detect,
plan, glossary, memory). ``doctor`` runs with ``--no-network`` and with its index
check against a closed local port (``ARGOS_PACKAGE_INDEX``, as offline).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import isolate  # noqa: E402

ARTICLE = ROOT / "examples" / "article.txt"
TERM = "в рамках Организации Договора о коллективной безопасности"


def commands(path: Path, big: bool) -> list[tuple[str, list[str]]]:
    limit = ["--max-size", "100"] if big else []
    out = [
        (f"detect {path.name} --expect en", ["detect", str(path), "--expect", "en", *limit]),
        (f"audit {path.name} --expect en", ["audit", str(path), "--expect", "en", *limit]),
        (
            f"translate {path.name} --to en (to the engine call)",
            ["translate", str(path), "--to", "en", "--dry-run", *limit],
        ),
    ]
    if not big:
        out += [
            ("glossary show '<term>'", ["glossary", "show", TERM]),
            ("doctor --no-network", ["doctor", "--no-network"]),
            ("doctor (index refused)", ["doctor"]),
        ]
    return out


def run_once(argv: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB, exit code, CPU seconds) of one ``python -m toolkit``
    process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", *argv],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(argv: list[str], runs: int) -> dict[str, float]:
    results = [run_once(argv) for _ in range(runs)]
    return {
        "first": results[0][0],
        "best": min(r[0] for r in results),
        "rss": max(r[1] for r in results),
        "code": results[0][2],
        "cpu": min(r[3] for r in results),
    }


def make_big(path: Path, megabytes: float) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    size = int(megabytes * 1_000_000)
    written = 0
    n = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size:
            n += 1
            for line in lines:
                text = line.replace("14 November", f"{n % 28 + 1} November") + "\n"
                out.write(text)
                written += len(text.encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command (best is kept)")
    parser.add_argument("--big-mb", type=float, default=20.0, help="size of the large file")
    parser.add_argument("--only", choices=["article", "big"], help="one of the two files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tolmach-startup-") as tmp:
        isolate(Path(tmp), ROOT.parent / "shared" / "data")
        os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
        help_ = measure(["--help"], args.runs)
        rows: list[tuple[str, dict[str, float]]] = [("--help", help_)]
        if args.only != "big":
            for label, argv in commands(ARTICLE, big=False):
                rows.append((label, measure(argv, args.runs)))
        if args.only != "article":
            big = Path(tmp) / f"big{args.big_mb:g}mb.txt"
            make_big(big, args.big_mb)
            for label, argv in commands(big, big=True):
                rows.append((label, measure(argv, max(1, min(args.runs, 2)))))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each")
        print(
            "| command | first run s | best s | × --help | best CPU s | CPU × --help "
            "| peak RSS MB | exit |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for label, m in rows:
            print(
                f"| {label} | {m['first']:.2f} | {m['best']:.2f} | {m['best'] / help_['best']:.1f} "
                f"| {m['cpu']:.2f} | {m['cpu'] / help_['cpu']:.1f} | {m['rss']:.0f} "
                f"| {m['code']:.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
