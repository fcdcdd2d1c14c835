"""Build ``bench/pages/ru_uk_words.tsv``: single Russian and Ukrainian words for bench/pages.py.

A word is taken for a language when it occurs (lower-cased, at least twice,
at least once not capitalised) in that language's sentences of the shared
data (FLORES-200 devtest and lingua's sentence test set) and nowhere in the
other language's text there (sentences, single words, word pairs). From
each language's candidates the 300 with the smallest SHA-1 of the word are
kept: a fixed, reproducible sample that does not follow frequency or
alphabet. The sample was then read by hand: the words in ``EXCLUDED`` are
valid in both languages (or are not words, e.g. split-off endings) and are
dropped, so each language keeps a little under 300.

    python bench/make_ru_uk_words.py [--data DIR] [--per-lang N]
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[а-яёіїєґ]+(?:['’][а-яёіїєґ]+)*", re.IGNORECASE)
SOURCES = {
    "ru": ("flores200_devtest/rus_Cyrl.devtest", "langid/sentences/ru.txt"),
    "uk": ("flores200_devtest/ukr_Cyrl.devtest", "langid/sentences/uk.txt"),
}
OTHER_TEXT = {
    "ru": ("langid/single-words/ru.txt", "langid/word-pairs/ru.txt"),
    "uk": ("langid/single-words/uk.txt", "langid/word-pairs/uk.txt"),
}
# Read by hand in the 300 + 300 sample: valid in both languages, or not words.
EXCLUDED = {
    "ru": {"э", "сцена", "тем", "мимо", "лице", "метра", "посту", "городу", "мужу"},
    "uk": {"дон", "ий", "ые", "сад", "душа", "дата", "мера", "хард", "тяжко", "гори"},
}


def words(text: str) -> list[str]:
    return [m.group(0).replace("’", "'") for m in WORD.finditer(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--per-lang", type=int, default=300)
    args = parser.parse_args()
    counts: dict[str, Counter[str]] = {}
    lower_seen: dict[str, set[str]] = {}
    vocab: dict[str, set[str]] = {}
    for lang, files in SOURCES.items():
        counts[lang] = Counter()
        lower_seen[lang] = set()
        vocab[lang] = set()
        for name in files + OTHER_TEXT[lang]:
            text = (args.data / name).read_text(encoding="utf-8")
            for w in words(text):
                vocab[lang].add(w.lower())
                if name in files:
                    counts[lang][w.lower()] += 1
                    if w[0].islower():
                        lower_seen[lang].add(w.lower())
    rows: list[tuple[str, str]] = []
    for lang, other in (("ru", "uk"), ("uk", "ru")):
        cands = [
            w
            for w, n in counts[lang].items()
            if n >= 2 and w in lower_seen[lang] and w not in vocab[other]
        ]
        cands.sort(key=lambda w: hashlib.sha1(w.encode("utf-8")).hexdigest())
        kept = [w for w in cands[: args.per_lang] if w not in EXCLUDED[lang]]
        rows += [(w, lang) for w in sorted(kept)]
    out = ROOT / "bench" / "pages" / "ru_uk_words.tsv"
    with out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("word\tlang\n")
        for w, lang in rows:
            f.write(f"{w}\t{lang}\n")
    print(f"{out}: {len(rows)} words")


if __name__ == "__main__":
    main()
