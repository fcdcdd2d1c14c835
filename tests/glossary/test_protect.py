"""Enforcement: mask, restore, verify, repair against an engine that damages sentinels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.engines import REPAIRABLE, DamagingEngine, damage
from toolkit.engines import Engine
from toolkit.engines.identity import IdentityEngine
from toolkit.glossary.match import Matcher
from toolkit.glossary.model import Glossary
from toolkit.glossary.protect import (
    enforce,
    mask,
    protect_batch,
    restore,
    restore_batch,
)
from toolkit.glossary.store import load

TEXTS = [
    "Генсек ОДКБ заявил, что Организация Договора о коллективной безопасности готова к диалогу.",
    "Представители Содружества Независимых Государств и ОБСЕ встретились в Вене.",
    "Доклад Amnesty International обсуждали в Совете Безопасности ООН.",
    "Здесь нет терминов глоссария.",
    "ШОС, БРИКС и ЕАЭС провели саммит; НАТО промолчало.",
]
EXPECTED = {
    0: ["CSTO", "Collective Security Treaty Organization"],
    1: ["Commonwealth of Independent States", "OSCE"],
    2: ["Amnesty International", "United Nations Security Council"],
    3: [],
    4: ["SCO", "BRICS", "EAEU", "NATO"],
}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load(["international-organizations"])


def test_engine_helper_satisfies_the_engine_protocol() -> None:
    assert isinstance(DamagingEngine(["drop"]), Engine)


def test_mask_replaces_terms_with_sentinels(glossary: Glossary) -> None:
    (m,) = protect_batch([TEXTS[0]], glossary, "ru", "en")
    assert m.text == "Генсек ⟦1⟧ заявил, что ⟦2⟧ готова к диалогу."
    assert [(s.source_text, s.target_text) for s in m.slots] == [
        ("ОДКБ", "CSTO"),
        (
            "Организация Договора о коллективной безопасности",
            "Collective Security Treaty Organization",
        ),
    ]


def test_dnt_restores_the_source_as_written(glossary: Glossary) -> None:
    (m,) = protect_batch([TEXTS[2]], glossary, "ru", "en")
    assert m.slots[0].target_text == "Amnesty International"


def test_identity_engine_applies_every_term(glossary: Glossary) -> None:
    results = enforce(TEXTS, glossary, "ru", "en", IdentityEngine())
    for i, r in enumerate(results):
        assert r.counts == {"applied": len(EXPECTED[i]), "repaired": 0, "failed": 0}
        for term in EXPECTED[i]:
            assert term in r.text
        assert "⟦" not in r.text


def _check_all_terms_back(results, exact_once=True):  # type: ignore[no-untyped-def]
    for i, r in enumerate(results):
        assert r.counts["failed"] == 0, (i, r)
        assert r.counts["applied"] + r.counts["repaired"] == len(EXPECTED[i])
        for term in EXPECTED[i]:
            assert term.casefold() in r.text.casefold(), (term, r.text)
        for mark in ("⟦", "⟧", "[["):
            assert mark not in r.text


@pytest.mark.parametrize("kind", REPAIRABLE)
def test_every_repairable_damage_reaches_100_percent(glossary: Glossary, kind: str) -> None:
    engine = DamagingEngine([kind])
    results = enforce(TEXTS, glossary, "ru", "en", engine)
    _check_all_terms_back(results)
    if kind in ("duplicate", "spaces", "split", "brackets", "renumber"):
        assert sum(r.counts["repaired"] for r in results) > 0
    if kind == "duplicate":
        assert results[0].text.count("CSTO") == 1


def test_all_repairable_damages_at_once(glossary: Glossary) -> None:
    engine = DamagingEngine(["translate", "duplicate", "spaces", "reorder", "case"])
    results = enforce(TEXTS, glossary, "ru", "en", engine)
    _check_all_terms_back(results)
    assert engine.calls == 1


def test_lost_term_is_repaired_by_retranslating_with_the_term_in_place(
    glossary: Glossary,
) -> None:
    engine = DamagingEngine(["drop"], first_call_only=True)
    results = enforce(TEXTS, glossary, "ru", "en", engine)
    _check_all_terms_back(results)
    assert engine.calls == 2  # one batch, one batch of retranslations
    assert [o.detail for o in results[0].outcomes].count("retranslated") == 1


def test_lost_term_that_cannot_be_recovered_is_reported_failed(glossary: Glossary) -> None:
    engine = DamagingEngine(["drop", "translate"])
    results = enforce(TEXTS, glossary, "ru", "en", engine)
    for i, r in enumerate(results):
        if EXPECTED[i]:
            assert r.counts["failed"] == 1
            assert r.counts["applied"] + r.counts["repaired"] == len(EXPECTED[i]) - 1
        else:
            assert r.counts == {"applied": 0, "repaired": 0, "failed": 0}


def test_lost_without_retranslate_is_failed(glossary: Glossary) -> None:
    (m,) = protect_batch([TEXTS[1]], glossary, "ru", "en")
    r = restore(m, damage(m.text, "drop"))
    assert r.counts == {"applied": 1, "repaired": 0, "failed": 1}
    assert [o.detail for o in r.outcomes if o.status == "failed"] == ["lost"]


def test_restore_batch_with_per_text_retranslate(glossary: Glossary) -> None:
    masked = protect_batch(TEXTS, glossary, "ru", "en")
    damaged = [damage(m.text, "drop") for m in masked]
    results = restore_batch(masked, damaged, retranslate=lambda t: t)
    _check_all_terms_back(results)


def test_source_brackets_survive_as_literals(glossary: Glossary) -> None:
    text = "Формула ⟦1⟧ и ОДКБ"
    (m,) = protect_batch([text], glossary, "ru", "en")
    # a whole sentinel in the source (a markup placeholder) is one literal slot
    assert m.text.count("⟦") == 2
    r = restore(m, m.text)
    assert r.text == "Формула ⟦1⟧ и CSTO"
    assert r.counts == {"applied": 1, "repaired": 0, "failed": 0}


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ОДКБ", "СНГ", "ООН", "слово", "и", ",", "текст", "НАТО", "⟦"]),
        max_size=12,
    )
)
def test_property_mask_then_identity_restore_is_lossless(words: list[str]) -> None:
    g = load(["international-organizations"])
    text = " ".join(words)
    m = mask(text, Matcher(g, "ru"), "ru")
    r = restore(m, m.text)
    assert r.text == text
    assert r.counts["failed"] == 0


def test_lost_closing_bracket_does_not_swallow_a_following_number(glossary: Glossary) -> None:
    (m,) = protect_batch(["Саммит ОДКБ 2024 года"], glossary, "ru", "en")
    assert m.text == "Саммит ⟦1⟧ 2024 года"
    r = restore(m, "Summit ⟦1 2024")
    assert r.text == "Summit CSTO 2024"
    assert r.counts == {"applied": 0, "repaired": 1, "failed": 0}
    r = restore(m, "Summit 1⟧ 2024")
    assert r.text == "Summit CSTO 2024"


def test_citation_brackets_in_the_output_are_not_sentinels(glossary: Glossary) -> None:
    (m,) = protect_batch(["ОДКБ"], glossary, "ru", "en")
    r = restore(m, "⟦1⟧ [2] [3]")
    assert r.text == "CSTO [2] [3]"


def test_lost_opening_bracket_does_not_swallow_a_preceding_number(glossary: Glossary) -> None:
    (m,) = protect_batch(["ОДКБ"], glossary, "ru", "en")
    r = restore(m, "in 2024 1⟧")
    assert r.text == "in 2024 CSTO"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ОДКБ",
                "СНГ",
                "ООН",
                "НАТО",
                "Содружества Независимых Государств",
                "слово",
                "и",
                ",",
                "2024",
                "текст",
                "Amnesty International",
            ]
        ),
        max_size=10,
    ),
    st.sampled_from(REPAIRABLE),
)
def test_property_single_repairable_damage_is_always_undone(words: list[str], kind: str) -> None:
    g = load(["international-organizations"])
    text = " ".join(words)
    (m,) = protect_batch([text], g, "ru", "en")
    r = restore(m, damage(m.text, kind))
    assert r.counts["failed"] == 0, (text, kind, r)
    assert r.counts["applied"] + r.counts["repaired"] == len(m.terms)
    for slot in m.terms:
        assert slot.target_text.casefold() in r.text.casefold()


def test_count_sums_outcomes_for_the_pipeline_summary(glossary: Glossary) -> None:
    from toolkit.glossary.protect import count

    results = enforce(TEXTS, glossary, "ru", "en", DamagingEngine(["drop", "translate"]))
    totals = count(results)
    assert totals == {"applied": 6, "repaired": 0, "failed": 4}  # 10 terms, 4 texts lose one
