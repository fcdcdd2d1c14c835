"""End-to-end `tolmach translate` on a 200-file mixed corpus, against naive argostranslate.

    python bench/translate.py [--files 200] [--beam N] [--naive-beam N] [--data ../shared/data]

Each path runs with its own default settings unless told otherwise: the
pipeline and the ceiling with tolmach's default beam, the naive baseline with
argostranslate's (``ARGOS_BEAM_SIZE``, 4) — what a user of each gets. Pass
``--naive-beam`` equal to ``--beam`` for a same-beam comparison.

The corpus: English articles built from FLORES-200 devtest (``eng_Latn``) with
Russian and Ukrainian sentences (``rus_Cyrl``, ``ukr_Cyrl``) mixed in, some
inside English lines, plus page-widget lines that repeat across files (the
Russian caption "Заголовок открываемого материала" and friends), so the
corpus has duplicates as real sites do.

Models: two Argos-size random-weight packages (ru→en, uk→en: 6+6 layers,
d_model 512, 8 heads, FFN 2048, 32k vocabulary, int8), built offline by
tests/support/argos_pkg.py. A random model never stops by itself, so every
path decodes exactly L(n) = 8·ceil(0.9·n/8) tokens per sentence of n source
tokens (bench/engine.py explains the wrappers that impose it on both paths).

It prints:
1. first run: the whole pipeline (read, detect, plan, glossary, memory,
   batched engine, render, atomic write) with an empty translation memory;
2. rerun: the same corpus again, everything from the memory (engine calls: 0);
3. naive: ``argostranslate.translate.translate`` once per fragment (only the
   translate calls are timed, generous to the baseline; argostranslate's own
   per-paragraph cache is left on, so repeated fragments are cheap there too);
4. ceiling: raw batched CTranslate2 ``translate_batch`` on the same unique,
   pre-tokenized sentences with the same beam and batch settings;
and the ratios, the pipeline's share of the ceiling, and peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WIDGETS_EN = [
    "Newsfeed",
    "0",
    "To participate in the discussion",
    "log in or register",
    "loader",
    "Chats",
]
WIDGETS_FOREIGN = [
    "Заголовок открываемого материала",
    "Читайте также",
    "Читайте також",
    "Новини партнерів",
]


def build_corpus(folder: Path, data: Path, files: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    flores = data / "flores200_devtest"
    eng = (flores / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    rus = (flores / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    ukr = (flores / "ukr_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    folder.mkdir(parents=True)
    for i in range(files):
        lines = ["World News Daily", "Politics", "Independent reporting since 1998", ""]
        lines.append(eng[(i * 7) % len(eng)].rstrip("."))
        lines.append("")
        for _ in range(3):
            paragraph = [eng[rng.randrange(len(eng))] for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.5:  # a Russian or Ukrainian sentence inside an English line
                pool = rus if rng.random() < 0.7 else ukr
                paragraph.insert(rng.randint(0, len(paragraph)), pool[rng.randrange(300)])
            lines.append(" ".join(paragraph))
            lines.append("")
        if rng.random() < 0.6:  # a whole foreign paragraph
            pool = rus if rng.random() < 0.7 else ukr
            lines.append(pool[rng.randrange(len(pool))])
            lines.append("")
        lines += [*WIDGETS_EN, rng.choice(WIDGETS_FOREIGN), WIDGETS_FOREIGN[0]]
        (folder / f"article-{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument(
        "--beam", type=int, default=None, help="pipeline and ceiling beam (default: tolmach's)"
    )
    parser.add_argument(
        "--naive-beam",
        type=int,
        default=None,
        help="argostranslate's beam for the naive baseline (default: argostranslate's, 4)",
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tolmach-bench-translate-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    from common import isolate

    isolate(tmp, args.data)

    from common import FixedLengthTranslator, fixed_length_engine

    from tests.support.argos_pkg import build_package
    from toolkit import detect, formats, models
    from toolkit.engines.argos import _load
    from toolkit.engines.spec import DEFAULT_BEAM
    from toolkit.glossary import load as load_glossary
    from toolkit.memory import Memory
    from toolkit.pipeline import plan_files, translate_documents

    args.beam = args.beam or DEFAULT_BEAM
    import argostranslate.settings as argos_settings

    args.naive_beam = args.naive_beam or argos_settings.beam_size
    corpus = tmp / "corpus"
    build_corpus(corpus, args.data, args.files)
    size = sum(p.stat().st_size for p in corpus.iterdir())
    t = time.perf_counter()
    for src in ("ru", "uk"):
        models.install_from_file(
            build_package(tmp / "built", kind="random", size="argos", from_code=src, to_code="en")
        )
    print(f"packages: ru→en and uk→en Argos-size random, built in {time.perf_counter() - t:.1f} s")

    # The fragments the pipeline will translate (for the naive baseline and the ceiling).
    fragments: list[tuple[str, str]] = []
    for path, _root in plan_files([corpus]):
        doc = formats.load(path)
        for f in detect.fragments(doc, expect="en").foreign():
            fragments.append((f.lang or "", f.text))
    others = [(s, t) for s, t in fragments if s not in ("ru", "uk")]
    fragments = [(s, t) for s, t in fragments if s in ("ru", "uk")]
    unique = list(dict.fromkeys(fragments))
    if others:
        print(f"fragments detected in other languages (no model; left as they are): {others}")
    print(
        f"corpus: {args.files} files, {size / 1e6:.2f} MB, {len(fragments)} foreign fragments, "
        f"{len(unique)} unique ({sum(1 for s, _ in unique if s == 'ru')} ru, "
        f"{sum(1 for s, _ in unique if s == 'uk')} uk); beam {args.beam} "
        f"(naive baseline: beam {args.naive_beam})"
    )
    glossary = load_glossary(None)

    # Warm both models so that no path pays the model load.
    warm = fixed_length_engine(beam_size=args.beam)
    for src in ("ru", "uk"):
        warm.translate_batch(["Прогрев."], src, "en")

    rows: list[tuple[str, float, str]] = []
    with Memory(tmp / "tm.sqlite3") as tm:
        engine = fixed_length_engine(beam_size=args.beam)
        inner = engine.translate_batch
        engine_s = [0.0]

        def timed(texts, source, target):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            out = inner(texts, source, target)
            engine_s[0] += time.perf_counter() - t0
            return out

        engine.translate_batch = timed
        t = time.perf_counter()
        first, _ = translate_documents(
            [corpus], target="en", engine=engine, memory=tm, glossary=glossary, output=tmp / "out1"
        )
        first_s = time.perf_counter() - t
        assert not first.failed, first.failed
        rows.append(("first run (pipeline, empty memory)", first_s, f"{engine.calls} ct2 calls"))
        again = fixed_length_engine(beam_size=args.beam)
        t = time.perf_counter()
        _rerun, _ = translate_documents(
            [corpus], target="en", engine=again, memory=tm, glossary=glossary, output=tmp / "out2"
        )
        rerun_s = time.perf_counter() - t
        rows.append(("rerun (everything from memory)", rerun_s, f"{again.calls} ct2 calls"))
    same = all(
        (tmp / "out1" / p.name).read_bytes() == (tmp / "out2" / p.name).read_bytes()
        for p in corpus.iterdir()
    )

    # Ceiling: raw batched CTranslate2 on the same unique sentences, pre-tokenized.
    ceiling_s = 0.0
    ceiling_sentences = 0
    for src in ("ru", "uk"):
        pkg = models.find_package(src, "en")
        assert pkg is not None
        loaded = _load(pkg, "cpu", "int8", 1, 0)
        flat = [
            loaded.sp.encode(sentence, out_type=str)
            for s, text in unique
            if s == src
            for para in text.split("\n")
            for sentence in loaded.split(para)
        ]
        ceiling_sentences += len(flat)
        raw = fixed_length_engine(beam_size=args.beam)
        t = time.perf_counter()
        raw._decode_tokens(loaded, flat)
        ceiling_s += time.perf_counter() - t
    rows.append(
        (
            "ceiling: raw batched CTranslate2, unique sentences",
            ceiling_s,
            f"{ceiling_sentences} sent",
        )
    )

    naive_s = None
    if not args.skip_naive:
        import argostranslate.settings
        import argostranslate.translate

        argostranslate.settings.beam_size = args.naive_beam
        translations = {}
        for src in ("ru", "uk"):
            tr = argostranslate.translate.get_translation_from_codes(src, "en")
            tr.translate("Прогрев.")
            tr.underlying.translator = FixedLengthTranslator(tr.underlying.translator)
            tr.cache = {}
            translations[src] = tr
        t = time.perf_counter()
        for src, text in fragments:
            argostranslate.translate.translate(text, src, "en")
        naive_s = time.perf_counter() - t
        rows.append(("naive: argostranslate.translate per fragment", naive_s, ""))

    print()
    print(f"{'path':52} {'seconds':>8} {'fragments/s':>12}  notes")
    for label, seconds, note in rows:
        print(f"{label:52} {seconds:8.2f} {len(fragments) / seconds:12.1f}  {note}")
    print()
    if naive_s is not None:
        print(f"first run vs naive:      {naive_s / first_s:6.2f}x faster (target >= 5x)")
    print(f"rerun vs first run:      {first_s / rerun_s:6.1f}x faster (target >= 50x)")
    print(
        f"pipeline share of the ceiling: {ceiling_s / first_s:6.1%} "
        "(target >= 90%: detection, glossary, memory and I/O cost at most a tenth)"
    )
    own = first_s - engine_s[0]
    print(
        f"inside the first run: engine {engine_s[0]:.2f} s (incl. glossary retranslations), "
        f"tolmach's own work (read, detect, plan, glossary, memory, render, write) "
        f"{own:.2f} s = {own / first_s:.1%} (target: at most a tenth)"
    )
    print(f"rerun output identical to first run: {same}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
