"""Detection loads only the lingua models a decision needs (issue: fast start)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from toolkit import detect

LATIN = frozenset({"en", "de", "fr", "es", "it", "pl"})


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[frozenset[str], bool]]]:
    """Every (languages, low accuracy) pair lingua is asked about, in order."""
    calls: list[tuple[frozenset[str], bool]] = []
    real = detect._stats_lingua

    def recording(
        text: str, langs: frozenset[str], fast: bool | None = None
    ) -> list[tuple[str, float]] | None:
        calls.append((langs, len(text) >= detect._LONG_TEXT if fast is None else fast))
        return real(text, langs, fast)

    monkeypatch.setattr(detect, "_stats_lingua", recording)
    detect._detect_cached.cache_clear()
    yield calls
    detect._detect_cached.cache_clear()


def test_script_and_alphabet_decide_without_models(
    asked: list[tuple[frozenset[str], bool]],
) -> None:
    # one Cyrillic candidate: the script decides; "ї" leaves Ukrainian only
    assert detect.detect_text("Привет, мир", languages=["en", "ru"], expect="en").lang == "ru"
    assert detect.detect_text("Її немає вдома", expect="en").lang == "uk"
    assert asked == []


def test_example_article_loads_no_high_accuracy_model(
    asked: list[tuple[frozenset[str], bool]],
) -> None:
    _doc, result = detect.detect_file(ROOT / "examples" / "article.txt", expect="en")
    assert [f.text for f in result.foreign()] == ["Заголовок открываемого материала"]
    # every line is settled by the trigram models: English ones as English, the
    # Russian caption among the languages its alphabet leaves (ru, kk)
    assert all(low for _langs, low in asked)
    assert frozenset({"ru", "kk"}) in {langs for langs, _low in asked}
    assert all(langs <= LATIN or langs == {"ru", "kk"} for langs, _low in asked)


def test_long_text_uses_trigrams_of_every_candidate(
    asked: list[tuple[frozenset[str], bool]],
) -> None:
    text = (
        "Die Delegationen trafen sich am Rande der Konferenz zum ersten Mal seit drei Jahren, "
        "sagten Beamte am Freitag, während die Gespräche weitergingen."
    )
    assert len(text) >= detect._LONG_TEXT
    assert detect.detect_text(text, expect="en").lang == "de"
    assert asked == [(LATIN, True)]
