"""Enforcement through the real Argos engine: the identity package built offline
(tests/support) copies the masked text token by token, so every sentinel must
survive SentencePiece and CTranslate2, and every damage on top of the real
engine's output must be repaired as with the in-process engine."""

from __future__ import annotations

import pytest

from tests.glossary.test_protect import EXPECTED, TEXTS, _check_all_terms_back
from tests.support.engines import REPAIRABLE, DamagingEngine
from toolkit.engines.argos import ArgosEngine, clear_cache
from toolkit.glossary.protect import enforce
from toolkit.glossary.store import load


@pytest.fixture
def argos(install_argos):  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    clear_cache()
    yield ArgosEngine()
    clear_cache()


def test_sentinels_survive_the_real_engine(argos: ArgosEngine) -> None:
    results = enforce(TEXTS, load(["international-organizations"]), "ru", "en", argos)
    _check_all_terms_back(results)
    assert sum(r.counts["applied"] for r in results) == sum(len(v) for v in EXPECTED.values())
    assert sum(r.counts["repaired"] + r.counts["failed"] for r in results) == 0


@pytest.mark.parametrize("kind", REPAIRABLE)
def test_damage_on_top_of_the_real_engine_is_repaired(argos: ArgosEngine, kind: str) -> None:
    engine = DamagingEngine([kind], inner=argos)
    results = enforce(TEXTS, load(["international-organizations"]), "ru", "en", engine)
    _check_all_terms_back(results)


def test_lost_term_repaired_by_a_real_retranslation(argos: ArgosEngine) -> None:
    engine = DamagingEngine(["drop"], inner=argos, first_call_only=True)
    results = enforce(TEXTS, load(["international-organizations"]), "ru", "en", engine)
    _check_all_terms_back(results)
    assert engine.calls == 2
