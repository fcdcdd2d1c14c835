"""Glossary matching benchmark.

Builds a 10,000-entry glossary (the shipped one, the names in
../shared/data/glossary/, and synthetic entries), writes it as a native TSV,
then measures: load time, matcher build time, matching throughput over all of
../shared/data/flores200_devtest/rus_Cyrl.devtest (sentences/s, MB/s), the
ratio to a baseline of one compiled regex per term, and peak memory.

Run: python bench/glossary.py [--entries 10000] [--baseline-sentences 100]

The regex baseline is slow (one search per term per sentence), so it runs on
the first --baseline-sentences sentences; the ratio compares both approaches
on exactly those sentences, in the same run.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.glossary.io import dump_tsv  # noqa: E402
from toolkit.glossary.match import Matcher  # noqa: E402
from toolkit.glossary.model import Entry, Glossary  # noqa: E402
from toolkit.glossary.store import load_path  # noqa: E402

SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
FLORES = SHARED / "flores200_devtest" / "rus_Cyrl.devtest"
NAMES = SHARED / "glossary" / "supraverden_en_ru.tsv"

HEADS = [
    "Агентство",
    "Фонд",
    "Совет",
    "Комитет",
    "Союз",
    "Ассоциация",
    "Институт",
    "Центр",
    "Организация",
    "Комиссия",
    "Управление",
    "Служба",
    "Палата",
    "Общество",
    "Федерация",
]
ADJS = [
    "национальный",
    "международный",
    "региональный",
    "федеральный",
    "независимый",
    "научный",
    "экономический",
    "северный",
    "южный",
    "культурный",
    "морской",
    "речной",
]
EN_HEADS = [
    "Agency",
    "Fund",
    "Council",
    "Committee",
    "Union",
    "Association",
    "Institute",
    "Centre",
    "Organization",
    "Commission",
    "Office",
    "Service",
    "Chamber",
    "Society",
    "Federation",
]
CYR_CAPS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ"


def shared_entries() -> list[Entry]:
    out = []
    if not NAMES.is_file():
        return out
    lines = NAMES.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        terms = {k: row.get(f"name_{k}", "").strip() for k in ("en", "ru", "uk")}
        terms = {k: v for k, v in terms.items() if v}
        abbr = row.get("abbrev_en", "").strip()
        if terms.get("en") and terms.get("ru"):
            out.append(Entry.make(terms, {"en": abbr} if abbr else None))
    return out


def synthetic_entries(count: int, words: list[str], rng: random.Random) -> list[Entry]:
    out = []
    seen: set[str] = set()
    while len(out) < count:
        head = rng.choice(HEADS)
        adj = rng.choice(ADJS)
        tail = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        ru = (
            f"{head} {adj} {tail}"
            if rng.random() < 0.5
            else f"{adj.capitalize()} {head.lower()} {tail}"
        )
        if ru in seen:
            continue
        seen.add(ru)
        n = len(out)
        en = f"{rng.choice(EN_HEADS)} No. {n} of {tail.title()}"
        abbrs = None
        if rng.random() < 0.4:
            abbrs = {
                "ru": "".join(rng.choice(CYR_CAPS) for _ in range(rng.randint(4, 6))),
                "en": f"X{n}",
            }
        out.append(Entry.make({"en": en, "ru": ru}, abbrs))
    return out


def corpus_entries(count: int, sentences: list[str], rng: random.Random) -> list[Entry]:
    """Two- and three-word phrases taken from the corpus, so that some terms do occur."""
    out: list[Entry] = []
    seen: set[str] = set()
    while len(out) < count:
        words = re.findall(r"[А-Яа-яЁё]{4,}", rng.choice(sentences))
        n = rng.randint(2, 3)
        if len(words) < n:
            continue
        i = rng.randrange(len(words) - n + 1)
        ru = " ".join(words[i : i + n])
        if ru.casefold() in seen:
            continue
        seen.add(ru.casefold())
        out.append(Entry.make({"en": f"Corpus phrase {len(out)}", "ru": ru}))
    return out


def build_glossary(size: int, sentences: list[str]) -> Glossary:
    rng = random.Random(20261126)
    shipped = load_path(ROOT / "glossaries" / "international-organizations.tsv")
    entries = list(shipped.entries) + shared_entries()
    entries += corpus_entries(size // 20, sentences, rng)
    words = sorted({w.lower() for w in re.findall(r"[а-яё]{5,}", FLORES.read_text("utf-8"), re.I)})
    entries += synthetic_entries(max(0, size - len(entries)), words, rng)
    return Glossary(entries[:size], ["en", "ru", "uk"], name="bench")


def regex_baseline(glossary: Glossary, lang: str) -> list[tuple[re.Pattern[str], Entry]]:
    out = []
    for e in glossary.entries:
        for term in e.variants(lang) + e.abbr_variants(lang):
            flags = 0 if term in e.abbr_variants(lang) else re.IGNORECASE
            out.append((re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", flags), e))
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--baseline-sentences", type=int, default=100)
    args = parser.parse_args()
    if not FLORES.is_file():
        sys.exit(f"missing {FLORES}")
    sentences = FLORES.read_text(encoding="utf-8").splitlines()
    mb = sum(len(s.encode("utf-8")) + 1 for s in sentences) / 1e6

    glossary = build_glossary(args.entries, sentences)
    n_terms = sum(len(e.variants("ru")) + len(e.abbr_variants("ru")) for e in glossary.entries)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.tsv"
        path.write_text(dump_tsv(glossary), encoding="utf-8")
        size_kb = path.stat().st_size / 1024
        t = time.perf_counter()
        loaded = load_path(path)
        load_s = time.perf_counter() - t
    assert len(loaded) == len(glossary)
    print(f"glossary: {len(loaded)} entries, {n_terms} ru terms, TSV {size_kb:.0f} KiB")
    print(f"load (parse TSV): {load_s * 1000:.1f} ms   (target < 1000 ms)")

    t = time.perf_counter()
    matcher = Matcher(loaded, "ru")
    build_s = time.perf_counter() - t
    print(
        f"matcher build (surface + lemma automata, pymorphy3 lexemes of every term word): "
        f"{build_s * 1000:.0f} ms"
    )
    tracemalloc.start()
    Matcher(loaded, "ru")
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"matcher build, traced Python memory peak (separate build): {build_peak / 1e6:.1f} MB")
    t = time.perf_counter()
    surface_only = Matcher(loaded, "ru", lemmas=False)
    print(f"surface-only matcher build: {(time.perf_counter() - t) * 1000:.0f} ms")

    def run(m: Matcher, items: list[str]) -> tuple[float, int]:
        t0 = time.perf_counter()
        found = sum(len(m.find(s)) for s in items)
        return time.perf_counter() - t0, found

    cold_s, cold_found = run(matcher, sentences)
    warm_s, warm_found = run(matcher, sentences)
    surf_s, surf_found = run(surface_only, sentences)
    n = len(sentences)
    print(f"corpus: {n} sentences, {mb:.3f} MB (rus_Cyrl.devtest)")
    print(
        f"tolmach, with lemmas, first pass:      {cold_s:.3f} s  {n / cold_s:,.0f} sentences/s  "
        f"{mb / cold_s:.2f} MB/s  matches={cold_found}"
    )
    print(
        f"tolmach, with lemmas, second pass:     {warm_s:.3f} s  {n / warm_s:,.0f} sentences/s  "
        f"{mb / warm_s:.2f} MB/s  matches={warm_found}"
    )
    print(
        f"tolmach, surface only:                 {surf_s:.3f} s  {n / surf_s:,.0f} sentences/s  "
        f"{mb / surf_s:.2f} MB/s  matches={surf_found}"
    )

    subset = sentences[: args.baseline_sentences]
    t = time.perf_counter()
    patterns = regex_baseline(loaded, "ru")
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    base_found = 0
    for s in subset:
        for pattern, _entry in patterns:
            base_found += sum(1 for _ in pattern.finditer(s))
    base_s = time.perf_counter() - t
    # best of 5: one pass over 100 sentences takes a few milliseconds
    ours_cold_s, ours_found = min(run(matcher, subset) for _ in range(5))
    ours_surf_s, ours_surf_found = min(run(surface_only, subset) for _ in range(5))
    k = len(subset)
    print(
        f"baseline: {len(patterns)} compiled regexes (compile {compile_s:.2f} s), "
        f"first {k} sentences: {base_s:.3f} s  {k / base_s:,.1f} sentences/s  "
        f"raw hits={base_found}"
    )
    print(
        f"same {k} sentences, tolmach with lemmas (best of 5):  {ours_cold_s:.4f} s  "
        f"matches={ours_found}  ratio {base_s / ours_cold_s:,.0f}x"
    )
    print(
        f"same {k} sentences, tolmach surface only (best of 5): {ours_surf_s:.4f} s  "
        f"matches={ours_surf_found}  ratio {base_s / ours_surf_s:,.0f}x   (target >= 50x)"
    )
    print(f"peak RSS of this process: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
