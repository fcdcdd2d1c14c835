"""Matching: one pass, word boundaries, case rules, longest first, Russian inflection."""

from __future__ import annotations

import unicodedata

import pytest

from toolkit.glossary.match import Matcher, normalize
from toolkit.glossary.model import Entry, Glossary
from toolkit.glossary.store import load

CSTO_FORMS = [
    "Организация Договора о коллективной безопасности",  # nominative
    "Организации Договора о коллективной безопасности",  # genitive / dative / prepositional
    "Организацию Договора о коллективной безопасности",  # accusative
    "Организацией Договора о коллективной безопасности",  # instrumental
]
CIS_FORMS = [
    "Содружество Независимых Государств",
    "Содружества Независимых Государств",
    "Содружеству Независимых Государств",
    "Содружеством Независимых Государств",
    "Содружестве Независимых Государств",
]
CASE_SENTENCES = [
    ("{} провела учения.", "nominative"),
    ("Генсек {} выступил.", "genitive"),
    ("Заявление было направлено {}.", "dative"),
    ("Он восхищается {}.", "instrumental"),
    ("Речь шла об {}.", "prepositional"),
]


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load(["international-organizations"])


@pytest.fixture(scope="module")
def ru(shipped: Glossary) -> Matcher:
    return Matcher(shipped, "ru")


def _only(matches, label):  # type: ignore[no-untyped-def]
    assert len(matches) == 1, matches
    assert matches[0].entry.term("en") == label
    return matches[0]


@pytest.mark.parametrize("form", CSTO_FORMS)
@pytest.mark.parametrize(("frame", "case"), CASE_SENTENCES)
def test_csto_matches_in_every_case_form(ru: Matcher, form: str, frame: str, case: str) -> None:
    text = frame.format(form)
    m = _only(ru.find(text), "Collective Security Treaty Organization")
    assert text[m.start : m.end] == form
    assert m.how in ("exact", "lemma")


@pytest.mark.parametrize(
    ("frame", "form"), list(zip([f for f, _ in CASE_SENTENCES], CIS_FORMS, strict=True))
)
def test_cis_matches_in_five_case_forms(ru: Matcher, frame: str, form: str) -> None:
    text = frame.format(form)
    m = _only(ru.find(text), "Commonwealth of Independent States")
    assert m.text == form


def test_five_cases_of_csto_each_in_its_own_sentence(ru: Matcher) -> None:
    forms = dict(
        nominative="Организация Договора о коллективной безопасности",
        genitive="Организации Договора о коллективной безопасности",
        dative="Организации Договора о коллективной безопасности",
        instrumental="Организацией Договора о коллективной безопасности",
        prepositional="Организации Договора о коллективной безопасности",
    )
    for frame, case in CASE_SENTENCES:
        m = _only(ru.find(frame.format(forms[case])), "Collective Security Treaty Organization")
        assert m.how == ("exact" if case == "nominative" else "lemma")


def test_abbreviation_inside_hyphen_compound_is_not_matched(ru: Matcher) -> None:
    text = "Это ОДКБ-шный подход, а ОДКБ тут ни при чём."
    matches, rejected = ru.explain(text)
    assert [(m.start, m.text) for m in matches] == [(text.index("ОДКБ тут"), "ОДКБ")]
    assert any(r.reason == "hyphen-compound" and r.start == text.index("ОДКБ-") for r in rejected)


def test_abbreviation_is_case_sensitive_and_whole_word(ru: Matcher) -> None:
    assert [m.how for m in ru.find("ООН")] == ["exact"]
    assert ru.find("оон") == []
    assert ru.find("ПРООНА") == []  # letters inside a longer word
    assert [m.text for m in ru.find("ПРООН и ООН")] == ["ПРООН", "ООН"]


def test_english_abbreviation_does_not_match_a_common_word(shipped: Glossary) -> None:
    en = Matcher(shipped, "en")
    assert en.find("who said that?") == []
    assert [m.entry.term("en") for m in en.find("WHO said that")] == ["World Health Organization"]


def test_longest_match_wins_and_matches_do_not_overlap(shipped: Glossary) -> None:
    en = Matcher(shipped, "en")
    text = "The United Nations Security Council met; the United Nations agreed."
    found = [(m.text, m.entry.term("en")) for m in en.find(text)]
    assert found == [
        ("United Nations Security Council", "United Nations Security Council"),
        ("United Nations", "United Nations"),
    ]


def test_names_are_case_insensitive_by_default(shipped: Glossary) -> None:
    en = Matcher(shipped, "en")
    (m,) = en.find("the world health organization said")
    assert m.how == "casefold"


def test_case_sensitive_entry_is_respected() -> None:
    g = Glossary([Entry.make({"en": "Apple", "ru": "Apple"}, case="sensitive")])
    m = Matcher(g, "en")
    assert m.find("an apple a day") == []
    assert [x.text for x in m.find("Apple shares")] == ["Apple"]


def test_nfc_and_nfd_forms_match() -> None:
    g = Glossary([Entry.make({"en": "Café de Flore", "ru": "Союз Писателей Йемена"})])
    for lang, term in (("en", "Café de Flore"), ("ru", "Союз Писателей Йемена")):
        nfd = unicodedata.normalize("NFD", term)
        assert nfd != term
        text = f"x {nfd}, y"
        (m,) = Matcher(g, lang).find(text)
        assert text[m.start : m.end] == nfd  # offsets point into the original text
        (m2,) = Matcher(g, lang).find(f"x {term}, y")
        assert m2.text == term


def test_nfd_term_matches_nfc_text() -> None:
    g = Glossary([Entry.make({"en": unicodedata.normalize("NFD", "Café Society"), "ru": "x"})])
    (m,) = Matcher(g, "en").find("the Café Society met")
    assert m.text == "Café Society"


def test_yo_and_ye_are_the_same_letter(ru: Matcher) -> None:
    (m,) = ru.find("доклад Организации Объединенных Наций")
    assert m.entry.term("en") == "United Nations"


def test_normalize_keeps_offsets_for_expanding_casefold() -> None:
    text = "Straße Ǆ"
    norm, starts, ends = normalize(text)
    assert norm.startswith("strasse")
    assert starts is not None
    assert ends is not None
    assert len(norm) == len(starts) == len(ends)
    assert starts[5] == starts[4] == 4  # "ß" -> "ss" both map to the original "ß"


def test_punctuation_between_words_breaks_a_lemma_match(ru: Matcher) -> None:
    assert ru.find("Содружества, Независимых Государств") == []


def test_dnt_entry_matches_in_any_language(shipped: Glossary) -> None:
    (m,) = Matcher(shipped, "ru").find("доклад Amnesty International")
    assert m.entry.dnt


def test_ukrainian_inflection(shipped: Glossary) -> None:
    uk = Matcher(shipped, "uk")
    (m,) = uk.find("засідання Ради Європи")
    assert m.entry.term("en") == "Council of Europe"


def test_digest_is_stable_and_content_based(sample: Glossary) -> None:
    again = Glossary(list(reversed(sample.entries)), list(sample.languages))
    assert again.digest() == sample.digest()
    changed = Glossary(sample.entries[1:], list(sample.languages))
    assert changed.digest() != sample.digest()


def test_one_pass_over_many_sentences_finds_every_occurrence(ru: Matcher) -> None:
    text = " ".join(f"В {i}-м пункте упомянуто {CIS_FORMS[i % 5]}." for i in range(50))
    matches = ru.find(text)
    assert len(matches) == 50
    assert all(m.entry.term("en") == "Commonwealth of Independent States" for m in matches)


def test_apostrophe_space_and_line_break_variants_match(shipped: Glossary) -> None:
    uk = Matcher(shipped, "uk")
    (m,) = uk.find("Генасамблея Організації Об\u2019єднаних Націй")  # typographic apostrophe
    assert m.entry.term("en") == "United Nations"
    ru = Matcher(shipped, "ru")
    text = "решение Совета Безопасности\u00a0ООН"  # no-break space before the abbreviation
    (m,) = ru.find(text)
    assert m.text == "Совета Безопасности\u00a0ООН"
    en = Matcher(shipped, "en")
    text = "the International Atomic\n   Energy Agency said"  # wrapped line
    (m,) = en.find(text)
    assert m.text == "International Atomic\n   Energy Agency"
    assert m.entry.abbr("en") == "IAEA"
