"""Language identification benchmark: tolmach's detector against langdetect and lingua.

Reads ``../shared/data/langid/{single-words,word-pairs,sentences}/<lang>.txt``
(lingua's own test set) for the 13 languages below, with the candidate set
fixed to those 13, and prints accuracy per language and kind, the mean per
kind, items per second and the speed ratio to seeded langdetect on the same
items.

    python bench/langid.py [--data DIR] [--limit N]

No expectation is passed (``expect=None``): this measures the detector
itself, not the document-level short-text rule. tolmach's per-text cache is
cleared before its timed run. Speed is given in wall time and in CPU seconds
of the process (the fair one on a shared machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import detect  # noqa: E402

LANGS = ("en", "ru", "uk", "be", "bg", "kk", "sr", "mk", "de", "fr", "es", "it", "pl")
# Load what the detectors load once per process outside the timing: lingua's
# models, langdetect's profiles, and for tolmach pymorphy3's Russian and
# Ukrainian dictionaries (one Cyrillic word) and langdetect's profiles (the
# ``und`` rule asks it about a long Latin sentence no candidate holds).
WARM = (
    "warm up",
    "разогрев",
    "ї",
    "ў",
    "привет",
    "Não sei se ele vai chegar a tempo para a reunião de amanhã de manhã.",
)
KINDS = ("single-words", "word-pairs", "sentences")


def load(data: Path, limit: int) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for kind in KINDS:
        out[kind] = {}
        for lang in LANGS:
            path = data / kind / f"{lang}.txt"
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
            out[kind][lang] = [ln for ln in lines if ln][:limit]
    return out


def run_tolmach(text: str) -> str | None:
    return detect.detect_text(text, languages=LANGS).lang


def run_langdetect(text: str) -> str | None:
    probs = detect.stats_langdetect(text)  # unrestricted: langdetect's own answer
    return probs[0][0] if probs else None


def run_langdetect_restricted(text: str) -> str | None:
    probs = detect.stats_langdetect(text, LANGS)
    return probs[0][0] if probs else None


def make_lingua():  # type: ignore[no-untyped-def]
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError:
        return None
    langs = [Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in LANGS]
    det = LanguageDetectorBuilder.from_languages(*langs).build()

    def run(text: str) -> str | None:
        lang = det.detect_language_of(text)
        return lang.iso_code_639_1.name.lower() if lang else None

    return run


def evaluate(name, fn, data, warm):  # type: ignore[no-untyped-def]
    for text in warm:  # load models outside the timing
        fn(text)
    acc: dict[str, dict[str, float]] = {}
    n = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for kind in KINDS:
        acc[kind] = {}
        for lang in LANGS:
            items = data[kind][lang]
            ok = sum(fn(t) == lang for t in items)
            n += len(items)
            acc[kind][lang] = 100.0 * ok / max(1, len(items))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"name": name, "acc": acc, "n": n, "seconds": elapsed, "rate": n / elapsed,
            "cpu": cpu, "cpu_rate": n / cpu}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = next(
        (p / "shared" / "data" / "langid" for p in ROOT.parents if (p / "shared").is_dir()),
        ROOT.parent / "shared" / "data" / "langid",
    )
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=1000, help="items per language and kind")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    data = load(args.data, args.limit)
    runs = []
    detect._detect_cached.cache_clear()
    runs.append(evaluate("tolmach", run_tolmach, data, WARM))
    runs.append(evaluate("langdetect", run_langdetect, data, WARM))
    runs.append(evaluate("langdetect-13", run_langdetect_restricted, data, WARM))
    lingua = make_lingua()
    if lingua is not None:
        runs.append(evaluate("lingua-13", lingua, data, WARM))
    else:
        print("lingua is not installed: skipped")

    names = [r["name"] for r in runs]
    for kind in KINDS:
        print(f"\n## accuracy %, {kind}")
        print("| lang | " + " | ".join(names) + " |")
        print("|---" * (len(names) + 1) + "|")
        for lang in LANGS:
            cells = " | ".join(f"{r['acc'][kind][lang]:.1f}" for r in runs)
            print(f"| {lang} | {cells} |")
        means = " | ".join(f"**{sum(r['acc'][kind].values()) / len(LANGS):.1f}**" for r in runs)
        print(f"| mean | {means} |")
    base = next(r for r in runs if r["name"] == "langdetect")
    # CPU seconds of this process too: on a machine shared with other work, wall
    # time depends on the load at the moment each detector runs
    print("\n## speed (all kinds, same items)")
    print(
        "| detector | items | seconds | items/s | × langdetect "
        "| CPU s | items/CPU s | × langdetect (CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        ratio = r["rate"] / base["rate"]
        cpu_ratio = r["cpu_rate"] / base["cpu_rate"]
        print(f"| {r['name']} | {r['n']} | {r['seconds']:.2f} | {r['rate']:.0f} | {ratio:.1f} "
              f"| {r['cpu']:.2f} | {r['cpu_rate']:.0f} | {cpu_ratio:.1f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
