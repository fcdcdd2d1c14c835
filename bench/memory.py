"""Memory benchmarks: `tolmach detect` on large files, and the translation memory.

    python bench/memory.py [--sizes 1,5,20]
    python bench/memory.py --tm 1000000 [--queries 2000]

Without ``--tm``: each size runs in a fresh subprocess (`python -m toolkit detect
FILE --max-size N`); peak RSS is the child's VmHWM. The baseline is the same
command on a 1 KB file (interpreter, Typer and lingua models loaded), so the table
shows what the document itself costs.

With ``--tm N``: a synthetic translation memory of N human segments is imported
(:meth:`toolkit.memory.Memory.import_units`, the path `tolmach memory import`
takes) and looked up. Segment i is FLORES-200 devtest English sentence i mod 1012
with about a quarter of its words replaced by words drawn (seeded) from the
vocabulary of all twelve FLORES languages, and a number; its translation is the
Russian sentence with the same number. The replaced words give the memory a
vocabulary of tens of thousands of words, as real memories have (names, terms,
products); without them every word of a million segments would be one of the
~9,000 words of 1012 sentences, which no real memory looks like. Exact lookups
ask for stored sources (in batches, as the text core does); fuzzy lookups ask for
stored sources with the number changed (patchable) or, every other query, one
more word replaced as well (offered, not patchable), one query at a time
(``Memory.fuzzy`` at 75), and report how many found their segment and what
:meth:`Memory.reuse` made of them. Single process; rates are printed per wall
second and per CPU second (the machine may be shared), with peak RSS (VmHWM), the
file size and the load average.
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


DATA = ROOT.parent / "shared" / "data" / "flores200_devtest"


def _peak_mib() -> float:
    status = Path("/proc/self/status").read_text().split("VmHWM:")[1]
    return int(status.split()[0]) / 1024


def tm_bench(n: int, queries: int, folder: Path) -> None:
    import random

    sys.path.insert(0, str(ROOT))
    from toolkit.memory import Memory
    from toolkit.tmx import Unit

    eng = (DATA / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    rus = (DATA / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    vocab = sorted(
        {w for f in sorted(DATA.glob("*.devtest")) for w in f.read_text("utf-8").split()}
    )
    print(f"FLORES: {len(eng)} sentences; vocabulary pool: {len(vocab)} words")

    def source(i: int, extra: int = 0) -> str:
        rng = random.Random(i)
        words = eng[i % len(eng)].split()
        for _k in range(max(1, len(words) // 4) + extra):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        return " ".join(words) + f" ({rng.randrange(10_000)})"

    def units():  # type: ignore[no-untyped-def]
        for i in range(n):
            src = source(i)
            number = src.rsplit("(", 1)[1].rstrip(")")
            yield Unit("en", "ru", src, f"{rus[i % len(rus)]} ({number})")

    path = folder / "tm.sqlite3"
    with Memory(path) as tm:
        existing = tm.stats().entries
    if existing == n:  # --dir with the memory of an earlier run: lookups only
        print(f"import: skipped ({path} holds {n} segments already)")
    else:
        with Memory(path) as tm:
            t0, c0 = time.perf_counter(), time.process_time()
            counts = tm.import_units(units(), file="synthetic")
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(
            f"import: {counts.stored} segments in {took:.1f} s ({counts.stored / took:,.0f}/s;"
            f" {cpu:.1f} CPU s); file {size / 2**20:,.0f} MiB; peak RSS {_peak_mib():,.0f} MiB"
        )
    rng = random.Random(7)
    picks = [rng.randrange(n) for _ in range(queries)]
    with Memory(path) as tm:
        texts = list(dict.fromkeys(source(i) for i in picks))
        t0, c0 = time.perf_counter(), time.process_time()
        found = 0
        for k in range(0, len(texts), 256):
            found += len(tm.exact("en", "ru", texts[k : k + 256]))
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"exact: {len(texts) / took:,.0f} lookups/s wall, {len(texts) / cpu:,.0f} per CPU"
            f" second ({found}/{len(texts)} found)"
        )
        fuzzy_texts = []
        for k, i in enumerate(picks):
            words = source(i).split()
            r = random.Random(10**9 + i)
            if k % 2:  # every other query: one more word replaced (not patchable)
                words[r.randrange(len(words) - 1)] = r.choice(vocab)
            words[-1] = f"({r.randrange(10_000, 20_000)})"
            fuzzy_texts.append((i, " ".join(words)))
        t0, c0 = time.perf_counter(), time.process_time()
        hits = own = 0
        for i, text in fuzzy_texts:
            matches = tm.fuzzy(text, "en", "ru", 75.0)
            hits += bool(matches)
            own += bool(matches) and matches[0].source_text == source(i)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"fuzzy (>= 75): {len(fuzzy_texts) / took:,.0f} lookups/s wall,"
            f" {len(fuzzy_texts) / cpu:,.0f} per CPU second;"
            f" {hits}/{len(fuzzy_texts)} found a match, {own} their own segment"
        )
        t0, c0 = time.perf_counter(), time.process_time()
        reused = tm.reuse([t for _i, t in fuzzy_texts], "en", "ru", 75.0)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        kinds = {
            k: sum(r.kind == k for r in reused.values()) for k in ("exact", "fuzzy", "offered")
        }
        print(
            f"reuse (exact + fuzzy + patch): {len(fuzzy_texts) / took:,.0f} texts/s wall,"
            f" {len(fuzzy_texts) / cpu:,.0f} per CPU second; {kinds}"
        )
    load = os.getloadavg()[0]
    print(
        f"peak RSS {_peak_mib():,.0f} MiB; one process on {os.cpu_count()} cores,"
        f" load average {load:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,5,20", help="file sizes in MB")
    parser.add_argument("--tm", type=int, help="translation-memory bench with this many segments")
    parser.add_argument("--queries", type=int, default=2000, help="lookups per kind (--tm)")
    parser.add_argument("--dir", type=Path, help="keep the memory file in this folder (--tm)")
    args = parser.parse_args()
    if args.tm:
        if args.dir:
            args.dir.mkdir(parents=True, exist_ok=True)
            tm_bench(args.tm, args.queries, args.dir)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                tm_bench(args.tm, args.queries, Path(tmp))
        return 0
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
