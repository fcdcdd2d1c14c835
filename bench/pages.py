"""Foreign-text detection on real web pages, against hand labels (issue 14).

Runs ``tolmach detect`` (``python -m toolkit detect FILES --expect LANG --all
--format json``, one run per expected language) over every page under
``bench/pages/<kind>/`` that has a ``<name>.labels.json`` beside it, matches
the reported fragments to the labelled text, and prints per page kind:

* recall: labelled foreign text (not marked doubtful) that findings cover, at
  least half of its characters (over all labels of the kind, and the mean of
  the pages' recalls, so that one page with many labels does not decide);
* precision: findings that are labelled foreign text, among findings that are
  not on doubtful labels;
* false findings per page, and the false findings by class of the labelled
  non-foreign text they touch (one inside the other: ``name``, ``code``,
  ``template``, ...; ``other`` when they touch none);
* language right: found labels for which a covering finding names the
  labelled language (any language counts for a label ``und``; ``und`` counts
  for a language outside the detector's default candidates).

It also prints the accuracy of telling Russian from Ukrainian on the single
words of ``bench/pages/ru_uk_words.tsv`` and, when the shared data is there,
on the Russian and Ukrainian single words of lingua's test set
(``toolkit.detect.detect_text`` with en, ru, uk as candidates and no expected
language).

    python bench/pages.py [--pages DIR] [--words FILE] [--langid-data DIR] [--json] [--details]

A *finding* is a fragment whose ``lang`` is set and differs from the page's
expected language (so text under its own ``lang`` attribute counts when the
detector names that language), unless the fragment's ``kind`` says it is not
text (``name``, ``code``, ...; counted apart as ``info``). A finding covers a
label when, after whitespace is collapsed and punctuation trimmed at both ends,
the finding lies inside the label, or the label lies inside the finding and
makes up at least half of it, or the labels it overlaps make up at least half
of what is not a labelled name or code in it (labels were made on text nodes;
a finding is a sentence across inline markup, see :func:`made_of`). Label
format: bench/pages/SOURCES.md.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the library is imported for the word test and the candidates
PAGES = ROOT / "bench" / "pages"
# Fragment kinds that say "not language text" (the segment kinds text, heading,
# title and attribute are text). Such fragments are counted as info, not findings.
INFO_KINDS = frozenset(
    {"name", "code", "template", "label", "url", "email", "number", "symbol", "switcher"}
)
TRIM = " \t\n.,;:!?\"'“”„«»‘’()[]{}<>–—-…"
WORD_LANGS = ("en", "ru", "uk")


def norm(text: str) -> str:
    return " ".join(text.split()).strip(TRIM)


def covers(finding: str, label: str) -> bool:
    f, lab = norm(finding), norm(label)
    if not f or not lab:
        return False
    return f in lab or (lab in f and 2 * len(lab) >= len(f))


MIN_OVERLAP = 8  # characters a label and a finding share at their ends to overlap


def overlap(finding: str, label: str) -> int:
    """Characters of ``finding`` that ``label`` covers (both normalised): all of
    either when one lies inside the other, else the longest end of one that
    begins the other (at least :data:`MIN_OVERLAP` characters)."""
    if label in finding:
        return len(label)
    if finding in label:
        return len(finding)
    best = 0
    head, tail = finding[:MIN_OVERLAP], finding[-MIN_OVERLAP:]
    pos = label.find(head)
    while len(finding) >= MIN_OVERLAP and pos >= 0:  # the label's end begins the finding
        if finding.startswith(label[pos:]):
            best = max(best, len(label) - pos)
            break
        pos = label.find(head, pos + 1)
    pos = label.rfind(tail)
    while len(finding) >= MIN_OVERLAP and pos >= 0:  # the finding's end begins the label
        if finding.endswith(label[: pos + MIN_OVERLAP]):
            best = max(best, pos + MIN_OVERLAP)
            break
        pos = label.rfind(tail, 0, pos + MIN_OVERLAP - 1)
    return best


def made_of(finding: str, labels: list[str], names: list[str]) -> dict[int, int]:
    """The labels a finding overlaps, with the characters of each, when they make
    up at least half of it, not counting the labelled names and codes inside it;
    else none. The labels were made on text nodes, and a finding is a sentence
    across inline markup: "Once you get some ideas ..., you will probably just
    use Learn to internationalize, or the site search" overlaps three labels
    (the links are text nodes of their own), "Icons by Font Awesome" is the
    label "Icons by" and the name "Font Awesome"."""
    f = norm(finding)
    if not f:
        return {}
    parts = {i: overlap(f, norm(lab)) for i, lab in enumerate(labels) if norm(lab)}
    parts = {i: n for i, n in parts.items() if n}
    named = sum(len(norm(n)) for n in names if norm(n) and norm(n) in f)
    size = max(len(f) - named, 1)
    return parts if parts and 2 * sum(parts.values()) >= size else {}


def touches(finding: str, label: str) -> bool:
    """Looser than :func:`covers`: either text inside the other (to name a false alarm's class)."""
    f, lab = norm(finding), norm(label)
    return bool(f and lab) and (f in lab or lab in f)


def base(lang: str | None) -> str | None:
    return lang.replace("_", "-").split("-")[0].lower() if lang else None


def load_pages(root: Path) -> list[dict[str, Any]]:
    pages = []
    for label_file in sorted(root.glob("*/*.labels.json")):
        data = json.loads(label_file.read_text(encoding="utf-8"))
        html = label_file.with_name(label_file.name.replace(".labels.json", ".html"))
        if not html.is_file():
            raise SystemExit(f"{label_file}: no page {html.name} beside it")
        data["path"] = html.resolve()
        data.setdefault("kind", label_file.parent.name)
        pages.append(data)
    return pages


def run_detect(paths: list[Path], expect: str) -> dict[Path, list[dict[str, Any]]]:
    """One ``tolmach detect`` run; fragments by file."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "toolkit", "detect", *map(str, paths)]
    cmd += ["--expect", expect, "--all", "--format", "json"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"tolmach detect exited with {proc.returncode} (expect {expect})")
    out: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for line in proc.stdout.splitlines():
        if line.strip():
            frag = json.loads(line)
            out[Path(frag["file"]).resolve()].append(frag)
    return out


def default_candidates() -> frozenset[str]:
    """The detector's default candidate languages (what ``detect`` uses without --languages)."""
    try:
        return frozenset(importlib.import_module("toolkit.detect").DEFAULT_LANGUAGES)
    except (ImportError, AttributeError):
        return frozenset()


CANDIDATES = default_candidates()


def lang_is_right(label: str, said: set[str]) -> bool:
    """The label's language was named; ``und`` is right for a language outside the candidates."""
    if label == "und" or label in said:
        return True
    return "und" in said and bool(CANDIDATES) and label not in CANDIDATES


def score_page(page: dict[str, Any], frags: list[dict[str, Any]]) -> dict[str, Any]:
    expected = page["expected"]
    required = [lab for lab in page["foreign"] if not lab.get("doubtful")]
    doubtful = [lab for lab in page["foreign"] if lab.get("doubtful")]
    langs_seen: dict[int, set[str]] = defaultdict(set)
    covered: Counter[int] = Counter()  # characters of each label that findings cover
    correct = false = on_doubtful = info = 0
    false_by_class: Counter[str] = Counter()
    false_list: list[dict[str, Any]] = []
    names = [lab["text"] for lab in page["not_foreign"]]
    for frag in frags:
        lang = base(frag.get("lang"))
        if lang is None or lang == expected:
            continue
        if frag.get("kind") in INFO_KINDS:
            info += 1
            continue
        text = frag.get("text") or ""
        size = len(norm(text))
        hits = {
            i: min(size, len(norm(lab["text"])))
            for i, lab in enumerate(required)
            if covers(text, lab["text"])
        }
        for i, n in made_of(text, [lab["text"] for lab in required], names).items():
            hits.setdefault(i, n)  # a sentence over several labels ("Build" "Open Infrastructure")
        if hits:
            correct += 1
            for i, n in hits.items():
                langs_seen[i].add(lang)
                covered[i] += n
        elif any(covers(text, lab["text"]) for lab in doubtful) or made_of(
            text, [lab["text"] for lab in required + doubtful], names
        ):
            on_doubtful += 1
        else:
            false += 1
            cls = next(
                (lab["class"] for lab in page["not_foreign"] if touches(text, lab["text"])),
                "other",
            )
            false_by_class[cls] += 1
            false_list.append({"text": text, "lang": lang, "class": cls})
    # A label is found when the findings on it cover at least half of its text.
    found = {i for i in covered if 2 * covered[i] >= len(norm(required[i]["text"]))}
    lang_right = sum(1 for i in found if lang_is_right(required[i]["lang"], langs_seen[i]))
    missed = [lab for i, lab in enumerate(required) if i not in found]
    return {
        "page": f"{page['kind']}/{page['path'].name}",
        "kind": page["kind"],
        "labels": len(required),
        "found": len(found),
        "lang_right": lang_right,
        "correct": correct,
        "false": false,
        "doubtful_findings": on_doubtful,
        "info": info,
        "false_by_class": dict(false_by_class),
        "false_findings": false_list,
        "missed": [{"text": lab["text"], "lang": lab["lang"]} for lab in missed],
    }


def summarise(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds: dict[str, dict[str, Any]] = {}
    for r in results:
        k = kinds.setdefault(
            r["kind"],
            {"pages": 0, "labels": 0, "found": 0, "lang_right": 0, "correct": 0, "false": 0,
             "doubtful_findings": 0, "info": 0, "false_by_class": Counter()},
        )  # fmt: skip
        k["pages"] += 1
        if r["labels"]:
            k.setdefault("page_recalls", []).append(r["found"] / r["labels"])
        for key in ("labels", "found", "lang_right", "correct", "false", "doubtful_findings"):
            k[key] += r[key]
        k["info"] += r["info"]
        k["false_by_class"].update(r["false_by_class"])
    for k in kinds.values():
        k["recall"] = k["found"] / k["labels"] if k["labels"] else None
        page_recalls = k.pop("page_recalls", [])
        k["recall_page_mean"] = sum(page_recalls) / len(page_recalls) if page_recalls else None
        judged = k["correct"] + k["false"]
        k["precision"] = k["correct"] / judged if judged else None
        k["false_per_page"] = k["false"] / k["pages"]
        k["lang_right_share"] = k["lang_right"] / k["found"] if k["found"] else None
        k["false_by_class"] = dict(k["false_by_class"].most_common())
    return kinds


def read_word_list(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["word"], r["lang"]) for r in csv.DictReader(f, delimiter="\t")]


def read_lingua_words(folder: Path) -> list[tuple[str, str]]:
    rows = []
    for lang in ("ru", "uk"):
        lines = (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        rows += [(w.strip(), lang) for w in lines if w.strip()]
    return rows


def word_accuracy(rows: list[tuple[str, str]]) -> dict[str, Any]:
    try:
        detect_text = importlib.import_module("toolkit.detect").detect_text
    except (ImportError, AttributeError) as exc:
        return {"measured": False, "why": f"toolkit.detect.detect_text not available: {exc}"}
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    answers: Counter[str] = Counter()
    for word, lang in rows:
        got = detect_text(word, languages=WORD_LANGS).lang
        answers[f"{lang}->{got}"] += 1
        per[lang][0] += got == lang
        per[lang][1] += 1
    ok = sum(v[0] for v in per.values())
    n = sum(v[1] for v in per.values())
    return {
        "measured": True,
        "words": n,
        "accuracy": ok / n if n else None,
        "by_lang": {lang: v[0] / v[1] for lang, v in sorted(per.items())},
        "counts": {lang: v[1] for lang, v in sorted(per.items())},
        "answers": dict(sorted(answers.items())),
    }


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def print_report(kinds: dict[str, Any], words: dict[str, Any], results: list[dict[str, Any]],
                 details: bool) -> None:  # fmt: skip
    print("## Foreign text on real pages (tolmach detect --expect <page language> --all)")
    columns = (
        "kind", "pages", "foreign labels", "found", "recall", "recall, page mean", "findings",
        "precision", "false", "false/page", "on doubtful", "info", "language right",
    )  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|---" * len(columns) + "|")
    for name in sorted(kinds):
        k = kinds[name]
        findings = k["correct"] + k["false"]
        print(
            f"| {name} | {k['pages']} | {k['labels']} | {k['found']} | {pct(k['recall'])} "
            f"| {pct(k['recall_page_mean'])} "
            f"| {findings} | {pct(k['precision'])} | {k['false']} | {k['false_per_page']:.2f} "
            f"| {k['doubtful_findings']} | {k['info']} | {pct(k['lang_right_share'])} |"
        )
    print("\n## False findings by class")
    for name in sorted(kinds):
        classes = ", ".join(f"{c} {n}" for c, n in kinds[name]["false_by_class"].items())
        print(f"- {name}: {classes or 'none'}")
    print("\n## Russian and Ukrainian single words (candidates en, ru, uk)")
    for title, w in words.items():
        if not w["measured"]:
            print(f"- {title}: not measured: {w['why']}")
            continue
        by = ", ".join(
            f"{lang} {pct(acc)} of {w['counts'][lang]}" for lang, acc in w["by_lang"].items()
        )
        answers = ", ".join(f"{k} {v}" for k, v in w["answers"].items())
        print(f"- {title}: accuracy {pct(w['accuracy'])} of {w['words']} words ({by}); {answers}")
    if details:
        print("\n## Per page")
        for r in results:
            print(f"\n### {r['page']}: found {r['found']}/{r['labels']}, false {r['false']}")
            for m in r["missed"]:
                print(f"- missed [{m['lang']}] {m['text'][:100]}")
            for f in r["false_findings"]:
                print(f"- false [{f['lang']}, {f['class']}] {norm(f['text'])[:100]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of <kind>/ page folders")
    parser.add_argument("--words", type=Path, default=None, help="word list (word<TAB>lang)")
    parser.add_argument(
        "--langid-data",
        type=Path,
        default=next(
            (p / "shared" / "data" / "langid" for p in ROOT.parents if (p / "shared").is_dir()),
            ROOT.parent / "shared" / "data" / "langid",
        ),
        help="lingua's test data (its ru and uk single words are measured too, when present)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--details", action="store_true", help="list misses and false findings")
    args = parser.parse_args()
    if not args.pages.is_dir():
        print(f"no pages folder at {args.pages}", file=sys.stderr)
        return 2
    pages = load_pages(args.pages)
    if not pages:
        print(f"no <kind>/<name>.labels.json under {args.pages}", file=sys.stderr)
        return 2
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page in pages:
        by_lang[page["expected"]].append(page)
    results = []
    for lang, group in sorted(by_lang.items()):
        frags = run_detect([p["path"] for p in group], lang)
        results += [score_page(p, frags.get(p["path"], [])) for p in group]
    kinds = summarise(results)
    words_file = args.words or args.pages / "ru_uk_words.tsv"
    words: dict[str, dict[str, Any]] = {}
    if words_file.is_file():
        words[words_file.name] = word_accuracy(read_word_list(words_file))
    else:
        words[words_file.name] = {"measured": False, "why": f"no word list at {words_file}"}
    lingua = args.langid_data / "single-words"
    if (lingua / "ru.txt").is_file() and (lingua / "uk.txt").is_file():
        words["lingua single-words ru, uk"] = word_accuracy(read_lingua_words(lingua))
    if args.json:
        json.dump({"kinds": kinds, "words": words, "pages": results}, sys.stdout,
                  ensure_ascii=False, indent=1)  # fmt: skip
        print()
    else:
        print_report(kinds, words, results, args.details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
