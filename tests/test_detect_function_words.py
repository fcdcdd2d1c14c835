"""Detector rules the audit relies on for speed and precision (see bench/audit.py)."""

from __future__ import annotations

import pytest

from toolkit import detect
from toolkit.document import Document, Segment


@pytest.mark.parametrize(
    "text",
    [
        "Today many Sámi work in modern trades, and tourism is an important income for them.",
        "In 1956 Słania moved to Sweden, where three years later he began work for the post.",
        "Since the foundation of Asunción in 1537, Paraguay has kept a lot of its character.",
    ],
)
def test_a_few_accented_names_do_not_make_english_foreign(text: str) -> None:
    guess = detect.detect_text(text, expect="en")
    assert guess.lang == "en"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Die Gespräche werden im nächsten Jahr in Wien fortgesetzt.", "de"),
        ("Les ministres se sont réunis à Vienne pour des discussions.", "fr"),
        ("Los ministros se reunieron en Viena para hablar de la seguridad.", "es"),
        ("Ministrowie spotkali się w Wiedniu, ale nie przyjęli deklaracji.", "pl"),
    ],
)
def test_foreign_sentences_in_the_same_script_stay_foreign(text: str, lang: str) -> None:
    assert detect.detect_text(text, expect="en").lang == lang


def test_function_words_decide_without_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> object:
        raise AssertionError("the statistical detector was called")

    monkeypatch.setattr(detect, "_statistics", fail)
    detect._detect_cached.cache_clear()
    text = "The delegations will meet again next year, and the talks are open to the press."
    assert detect.detect_text(text, expect="en") == detect.Guess("en", 0.95, "rule")
    detect._detect_cached.cache_clear()


def test_function_words_are_distinctive() -> None:
    lists = detect._FUNCTION_WORDS
    for lang, words in lists.items():
        for other, theirs in lists.items():
            if other != lang:
                assert not words & theirs, (lang, other, words & theirs)


def test_numeric_letters_do_not_break_runs() -> None:
    text = "Three ¾ of the parchment, 5 km² in all."
    doc = Document(text=text, segments=(Segment(0, 0, len(text), text),), format="txt")
    result = detect.fragments(doc, expect="en")
    assert result.foreign() == []
