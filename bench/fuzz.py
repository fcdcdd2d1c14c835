"""Long fuzz runs over every parser: inputs tried and crashes found, per parser.

    python bench/fuzz.py [--examples 5000] [--only html,markdown] [--save]

Each parser's harness (``tests/hardening/fuzzlib.py``, shared with the test
suite) runs on hypothesis-generated inputs: random bytes, random text, token
soup of the format's syntax and mutated valid documents, in several
encodings. A crash is any exception other than a documented ``TolmachError``,
or a render of a parse that differs from the input. ``--save`` writes the
first input of each distinct outcome (every kind of refusal, every crash)
into ``tests/hardening/corpus/<parser>/``, where the test suite replays it.

The baseline in the same run is the harness time per input on valid seed
documents, so the printed ratio shows how much slower fuzzed inputs are.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import re
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.hardening import fuzzlib  # noqa: E402

CORPUS = ROOT / "tests" / "hardening" / "corpus"


def _outcome_key(result: str) -> str:
    """Group outcomes by message shape: digits and quoted values blanked."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "#", result)[:120]


def fuzz(name: str, examples: int, save: bool) -> dict[str, object]:
    harness = fuzzlib.HARNESSES[name]
    tried = 0
    ok = 0
    outcomes: dict[str, bytes] = {}
    crashes: dict[str, tuple[bytes, str]] = {}
    started = time.perf_counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzlib.inputs(name))
    def run(data: bytes) -> None:
        nonlocal tried, ok
        tried += 1
        try:
            result = harness(data)
        except Exception as exc:  # a crash: anything the harness lets escape
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            if key not in crashes or len(data) < len(crashes[key][0]):
                crashes[key] = (data, traceback.format_exc(limit=3))
            return
        ok += result == "ok"
        key = _outcome_key(result)
        if key not in outcomes or len(data) < len(outcomes[key]):
            outcomes[key] = data

    run()
    seconds = time.perf_counter() - started
    if save:
        folder = CORPUS / name
        folder.mkdir(parents=True, exist_ok=True)
        for label, data in [*outcomes.items(), *((k, v[0]) for k, v in crashes.items())]:
            digest = hashlib.sha256(data).hexdigest()[:12]
            kind = "crash" if label in crashes else ("ok" if label == "ok" else "refused")
            (folder / f"{kind}-{digest}").write_bytes(data)
    return {
        "parser": name,
        "tried": tried,
        "ok": ok,
        "refusal_kinds": sum(1 for k in outcomes if k != "ok"),
        "crashes": len(crashes),
        "crash_detail": crashes,
        "seconds": seconds,
    }


def baseline(name: str, rounds: int = 200) -> float:
    """Seconds per input on the format's valid seed document."""
    seed = fuzzlib._SEEDS.get(fuzzlib._KIND[name], "x").encode()
    harness = fuzzlib.HARNESSES[name]
    started = time.perf_counter()
    for _ in range(rounds):
        with contextlib.suppress(Exception):
            harness(seed)
    return (time.perf_counter() - started) / rounds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=5000, help="inputs per parser")
    ap.add_argument("--only", default="", help="comma-separated parsers (default: all)")
    ap.add_argument("--save", action="store_true", help="write interesting inputs to the corpus")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n] or list(fuzzlib.HARNESSES)
    print(
        f"{'parser':22} {'tried':>7} {'parsed':>7} {'refusal kinds':>13} {'crashes':>7}"
        f" {'s':>7} {'ms/input':>8} {'seed ms':>8} {'ratio':>6}"
    )
    total_tried = total_crashes = 0
    details = []
    for name in names:
        r = fuzz(name, args.examples, args.save)
        base = baseline(name)
        per = r["seconds"] / max(int(r["tried"]), 1)
        total_tried += int(r["tried"])
        total_crashes += int(r["crashes"])
        print(
            f"{name:22} {r['tried']:>7} {r['ok']:>7} {r['refusal_kinds']:>13} {r['crashes']:>7}"
            f" {r['seconds']:>7.1f} {per * 1000:>8.3f} {base * 1000:>8.3f}"
            f" {per / max(base, 1e-9):>6.2f}",
            flush=True,
        )
        details.extend(r["crash_detail"].items())  # type: ignore[attr-defined]
    print(f"total: {total_tried} inputs, {total_crashes} distinct crashes")
    for key, (data, tb) in details:
        print(f"\nCRASH {key}\ninput: {data[:200]!r}\n{tb}")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
