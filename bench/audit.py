"""Audit benchmark: 1,000 mixed documents, audited in one process.

Builds plain-text documents from FLORES-200 devtest (``../shared/data/
flores200_devtest/``): English paragraphs of 2-4 sentences, with Russian,
Ukrainian and German sentences mixed in (a whole foreign paragraph, or one
foreign sentence inside an English paragraph); a third of the documents are
English only. Then it measures, on the same text:

* ``tolmach audit``'s library call (``toolkit.audit.audit_paths``, with the
  default glossary) over the folder, in one process: documents/s and the
  process's peak resident memory. Twice: once as a run does it (the
  detector's per-text cache kept across documents), and once with that cache
  cleared before each document, so repeated FLORES sentences cannot help.
* the baseline: seeded langdetect called once per sentence (the sentences the
  documents were built from, so it gets the sentence split for free). The
  per-document tolmach run and langdetect alternate on blocks of 50 documents,
  so that other load on the machine falls on both alike.

and prints the speed ratio, and how many inserted foreign sentences each
found (recall) and how many English sentences each flagged (false alarms).

    python bench/audit.py [--data DIR] [--docs 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import detect  # noqa: E402
from toolkit.audit import audit_paths  # noqa: E402
from toolkit.glossary import load as load_glossary  # noqa: E402

FOREIGN = {"ru": "rus_Cyrl", "uk": "ukr_Cyrl", "de": "deu_Latn"}


@dataclass
class Doc:
    name: str
    text: str = ""
    sentences: list[tuple[str, str, int]] = field(default_factory=list)  # (lang, text, line)


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(data: Path, n: int, seed: int) -> list[Doc]:
    def lines(code: str) -> list[str]:
        path = data / f"{code}.devtest"
        return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]

    eng = lines("eng_Latn")
    foreign = {lang: lines(code) for lang, code in FOREIGN.items()}
    rng = random.Random(seed)
    docs: list[Doc] = []
    for i in range(n):
        doc = Doc(f"doc{i:04d}.txt")
        paragraphs: list[list[tuple[str, str]]] = []
        for _ in range(rng.randint(3, 5)):
            paragraphs.append([("en", rng.choice(eng)) for _ in range(rng.randint(2, 4))])
        kind = i % 3
        if kind:  # 1: a foreign sentence inside an English paragraph; 2: a foreign paragraph
            lang = rng.choice(sorted(FOREIGN))
            sentence = rng.choice(foreign[lang])
            if kind == 1:
                para = rng.choice(paragraphs)
                para.insert(rng.randint(1, len(para)), (lang, sentence))
            else:
                paragraphs.insert(rng.randint(1, len(paragraphs)), [(lang, sentence)])
        out: list[str] = []
        line = 1
        for para in paragraphs:
            out.append(" ".join(s for _l, s in para))
            doc.sentences.extend((lang, s, line) for lang, s in para)
            line += 2
        doc.text = "\n\n".join(out) + "\n"
        docs.append(doc)
    return docs


def score(docs: list[Doc], flagged: dict[str, set[tuple[int, str]]]) -> tuple[int, int, int, int]:
    """(foreign found, foreign total, English flagged, English total) for the audit."""
    found = total = false = english = 0
    for doc in docs:
        hits = flagged.get(doc.name, set())
        for lang, sentence, line in doc.sentences:
            hit = any(ln == line and (t in sentence or sentence in t) for ln, t in hits)
            if lang == "en":
                english += 1
                false += hit
            else:
                total += 1
                found += hit
    return found, total, false, english


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(
        os.environ.get("TOLMACH_SHARED_DATA") or ROOT.parent / "shared" / "data"
    ).joinpath("flores200_devtest")
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (args.data / "eng_Latn.devtest").is_file():
        sys.exit(f"FLORES-200 devtest not found in {args.data} (--data DIR)")

    docs = build(args.data, args.docs, args.seed)
    n_sent = sum(len(d.sentences) for d in docs)
    n_chars = sum(len(d.text) for d in docs)
    print(f"{len(docs)} documents, {n_sent} sentences, {n_chars / 1e6:.2f} M characters")
    rss0 = peak_rss_mb()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for doc in docs:
            (folder / doc.name).write_text(doc.text, encoding="utf-8")
        glossary = load_glossary(None)

        # lingua loads its n-gram models lazily, per language and mode: a warm-up
        # on 50 other documents (another seed) loads them; its time is reported.
        t = time.perf_counter()
        warm = folder / "warm"
        warm.mkdir()
        for doc in build(args.data, 50, args.seed + 1):
            (warm / doc.name).write_text(doc.text, encoding="utf-8")
        audit_paths([warm], expect="en", glossary=glossary)
        warmup = time.perf_counter() - t
        for path in warm.iterdir():
            path.unlink()
        warm.rmdir()

        detect._detect_cached.cache_clear()
        t = time.perf_counter()
        result = audit_paths([folder], expect="en", glossary=glossary)
        kept_s = time.perf_counter() - t
        assert result.counts["files"] == len(docs), result.errors

        # tolmach (cache cleared per document) and langdetect run alternately on
        # blocks of 50 documents, so that load from other processes on the machine
        # falls on both alike.
        from langdetect import DetectorFactory
        from langdetect import detect as langdetect_detect

        DetectorFactory.seed = 0
        langdetect_detect("warm up the profiles")
        cold_s = ld_s = 0.0
        cold_findings = []
        ld_found = ld_false = 0
        for block in range(0, len(docs), 50):
            chunk = docs[block : block + 50]
            t = time.perf_counter()
            for doc in chunk:
                detect._detect_cached.cache_clear()
                cold_findings += audit_paths(
                    [folder / doc.name], expect="en", glossary=glossary
                ).findings
            cold_s += time.perf_counter() - t
            t = time.perf_counter()
            for doc in chunk:
                for lang, sentence, _line in doc.sentences:
                    try:
                        got = langdetect_detect(sentence)
                    except Exception:
                        got = None
                    if lang == "en":
                        ld_false += got not in ("en", None)
                    else:
                        ld_found += got == lang or (got or "en") != "en"
            ld_s += time.perf_counter() - t
        peak = peak_rss_mb()

    flagged: dict[str, set[tuple[int, str]]] = {}
    for f in cold_findings:
        if f.rule == "untranslated-fragment":
            flagged.setdefault(Path(f.file).name, set()).add((f.line, f.text))
    found, total, false, english = score(docs, flagged)
    rules: dict[str, int] = {}
    for f in cold_findings:
        rules[f"{f.rule}/{f.severity.value}"] = rules.get(f"{f.rule}/{f.severity.value}", 0) + 1

    print(f"tolmach warm-up, 50 other documents (lingua loads its models): {warmup:.2f} s")
    print(
        f"tolmach audit, cache kept:        {len(docs) / kept_s:8.1f} documents/s "
        f"({kept_s:.2f} s, {n_sent / kept_s:.0f} sentences/s)"
    )
    print(
        f"tolmach audit, cache cleared/doc: {len(docs) / cold_s:8.1f} documents/s "
        f"({cold_s:.2f} s, {n_sent / cold_s:.0f} sentences/s)"
    )
    print(
        f"langdetect per sentence:          {len(docs) / ld_s:8.1f} documents/s "
        f"({ld_s:.2f} s, {n_sent / ld_s:.0f} sentences/s)"
    )
    print(f"speed ratio, cache kept:        {ld_s / kept_s:6.1f}x langdetect")
    print(f"speed ratio, cache cleared/doc: {ld_s / cold_s:6.1f}x langdetect")
    print(f"peak RSS: {peak:.0f} MB (before the audit: {rss0:.0f} MB)")
    print(
        f"tolmach: found {found}/{total} inserted foreign sentences, "
        f"flagged {false}/{english} English sentences"
    )
    print(
        f"langdetect: found {ld_found}/{total} foreign sentences (any non-English answer), "
        f"flagged {ld_false}/{english} English sentences"
    )
    print("findings by rule/severity:", ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))


if __name__ == "__main__":
    main()
