"""Peak memory and time of `tolmach detect` on large generated files.

    python bench/memory.py [--sizes 1,5,20]

Each size runs in a fresh subprocess (`python -m toolkit detect FILE --max-size N`);
peak RSS is the child's VmHWM. The baseline is the same command on a 1 KB file
(interpreter, Typer and lingua models loaded), so the table shows what the
document itself costs.
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

PROBE = """
import sys
from toolkit.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
status = open('/proc/self/status').read().split('VmHWM:')[1]
print('PEAK', int(status.split()[0]), file=sys.stderr)
sys.exit(code)
"""

LINES = [
    "The quick brown fox jumps over the lazy dog near the river bank.\n",
    "Officials from NATO and the OSCE met in Vienna to discuss security.\n",
    "Newsfeed\n",
    "0\n",
    "Заголовок открываемого материала\n",
]


def make(path: Path, size: int) -> None:
    block = "".join(LINES).encode("utf-8")
    with path.open("wb") as fh:
        written = 0
        n = 0
        while written < size:
            chunk = block.replace(b"river", f"river {n}".encode())
            fh.write(chunk)
            written += len(chunk)
            n += 1


def run(path: Path) -> tuple[float, int, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "detect", str(path), "--max-size", "1000"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    peak = int(proc.stderr.strip().splitlines()[-1].split()[1])
    return elapsed, peak, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,5,20", help="file sizes in MB")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base_file = Path(tmp) / "base.txt"
        make(base_file, 1000)
        base_t, base_peak, _ = run(base_file)
        print("| file | seconds | peak RSS MiB | over baseline MiB | MiB per file MB |")
        print("|---|---|---|---|---|")
        print(f"| 1 KB (baseline) | {base_t:.2f} | {base_peak / 1024:.0f} | 0 | - |")
        for mb in sizes:
            path = Path(tmp) / f"f{mb}.txt"
            make(path, int(mb * 1_000_000))
            t, peak, code = run(path)
            extra = (peak - base_peak) / 1024
            print(
                f"| {mb:g} MB | {t:.2f} | {peak / 1024:.0f} | {extra:.0f} | {extra / mb:.1f} |"
                + ("" if code == 0 else f" exit {code}")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
