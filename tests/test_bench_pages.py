"""The hand-labelled page set of bench/pages.py stays consistent with its pages."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from toolkit import formats

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "bench" / "pages"
LABEL_FILES = sorted(PAGES.glob("*/*.labels.json"))
CLASSES = {"name", "code", "template", "url", "email", "char", "citation", "label", "switcher"}


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_set_has_four_kinds_and_at_least_forty_pages() -> None:
    kinds = {f.parent.name for f in LABEL_FILES}
    assert kinds == {"en", "ru", "uk", "bg"}
    assert len(LABEL_FILES) >= 40
    assert len(list(PAGES.glob("*/*.html"))) == len(LABEL_FILES)


@pytest.mark.parametrize("label_file", LABEL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_label_is_text_of_its_page(label_file: Path) -> None:
    labels = json.loads(label_file.read_text(encoding="utf-8"))
    assert labels["expected"] == label_file.parent.name == labels["kind"]
    doc = formats.load(label_file.with_name(labels["page"]))
    texts = [" ".join(seg.text.split()) for seg in doc.segments]
    for item in labels["foreign"]:
        assert re.fullmatch(r"[a-z]{2}|und", item["lang"]), item
        assert item["lang"] != labels["expected"], item
        assert any(item["text"] in t for t in texts), item
    for item in labels["not_foreign"]:
        assert item["class"] in CLASSES, item
        assert any(item["text"] in t for t in texts), item


def test_word_list_has_both_languages_and_no_word_twice() -> None:
    rows = (PAGES / "ru_uk_words.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "word\tlang"
    pairs = [tuple(r.split("\t")) for r in rows[1:]]
    words = [w for w, _ in pairs]
    assert len(words) == len(set(words))
    for lang in ("ru", "uk"):
        assert sum(1 for _, lg in pairs if lg == lang) >= 200


def test_a_finding_covers_a_label_inside_it_or_holding_most_of_it() -> None:
    bench = _bench()
    label = "Деятельность по интернационализации, консорциум W3C"
    assert bench.covers("Деятельность по интернационализации,", label)  # part of the label
    assert bench.covers(label + " (ru)", label)  # the label is most of the finding
    sentence = f"The Russian title of the page, {label}, is longer than the English one by a third."
    assert not bench.covers(sentence, label)  # the label is less than half of the finding
    assert not bench.covers("W3C Internationalization Activity", "W3C")  # a name in a sentence
    assert bench.touches("W3C Internationalization Activity", "W3C")  # but it is a name's alarm


def test_a_sentence_finding_over_several_text_node_labels() -> None:
    """Labels were made on text nodes; a finding is a sentence across inline markup."""
    bench = _bench()
    labels = [
        "You can find a selection of more detailed articles using the links to the right. "
        "Once you get some ideas from this page, you will probably just use",
        "Learn to internationalize",
        "or the",
        "site search",
    ]
    finding = (
        "Once you get some ideas from this page, you will probably just use Learn to "
        "internationalize, or the site search."
    )
    parts = bench.made_of(finding, labels, [])
    assert set(parts) == {0, 1, 2, 3}
    assert parts[0] == len(bench.norm(labels[0])) - labels[0].index("Once")  # the overlap
    # a labelled name inside does not count against it: "Icons by" + "Font Awesome"
    assert bench.made_of("Icons by Font Awesome.", ["Icons by"], ["Font Awesome"]) == {0: 8}
    assert bench.made_of("Icons by Font Awesome.", ["Icons by"], []) == {}
    # a short label inside a long sentence does not make it a finding of that label
    assert bench.made_of("Nothing here is labelled, or the like, at all.", ["or the"], []) == {}
    # ends shorter than MIN_OVERLAP characters do not overlap
    assert bench.overlap("abcdefghijkl", "ijklmnop") == 0
    assert bench.overlap("abcdefghijklmnop", "ijklmnopqrstu") == 8


def test_und_is_right_only_for_a_language_outside_the_candidates() -> None:
    bench = _bench()
    assert bench.lang_is_right("sv", {"und"})  # Swedish is not a default candidate
    assert not bench.lang_is_right("ru", {"und"})
    assert bench.lang_is_right("ru", {"ru"})
    assert bench.lang_is_right("und", {"pl"})
