"""The detector: script, alphabet and expectation rules, fragments inside segments."""

from __future__ import annotations

import pytest

from toolkit import detect
from toolkit.formats import html, markdown, txt

UI_STRINGS = [
    "Newsfeed", "Chats", "loader", "log in or register", "To participate in the discussion",
    "Subscribe", "Menu", "Share", "0", "Home", "News", "Sport", "Weather", "Search", "Login",
    "Sign up", "Sign in", "Log out", "Settings", "Profile", "Contact us", "About", "Privacy policy",
    "Terms of use", "Cookie settings", "Accept all", "Reject", "Close", "Read more", "Comments",
    "Reply", "Like", "Follow us", "Newsletter", "Archive", "Tags", "Categories", "Latest",
    "Popular", "Trending", "Video", "Photo", "Gallery", "Podcasts", "Opinion", "Editorial",
    "Business", "Markets", "Tech", "Culture", "Travel", "Next", "Previous", "Back to top",
    "Print", "Email", "RSS", "FAQ", "Help", "12:30", "©", "2024", "15 comments", "Page 2 of 10",
    "Advertisement", "Sponsored", "Loading...", "Show more", "Notifications", "Bookmarks",
    "Premier", "Cinema", "Restaurant", "Chef", "Ballet", "Piano", "Pizza", "Tango", "Bravo",
]  # fmt: skip


def test_at_least_fifty_english_ui_strings_give_no_false_positive() -> None:
    assert len(UI_STRINGS) >= 50
    body = "\n".join(UI_STRINGS) + "\n"
    article = (
        "Officials from NATO and the OSCE met in Vienna on Friday to discuss border security "
        "and the future of arms control talks in Europe.\n"
    )
    doc = txt.parse(article + body)
    result = detect.fragments(doc, expect="en")
    assert result.foreign() == []
    # and without --expect the majority (English) is expected
    assert detect.fragments(doc).expected == "en"
    assert detect.fragments(doc).foreign() == []
    langs = {f.text: f.lang for f in result.fragments}
    for not_language in ("0", "12:30", "©", "2024"):
        assert langs[not_language] is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Заголовок открываемого материала", "ru"),
        ("Войти", "ru"),
        ("Їжак і ґудзик", "uk"),
        ("Пераклад ўсіх", "be"),
        ("Ђорђе и Ћирило", "sr"),
        ("Ѓорѓи и ќерка", "mk"),
        ("Қазақстан Республикасы", "kk"),
        ("Die Straße ist groß", "de"),
        ("Zażółć gęślą jaźń", "pl"),
        ("El niño está en la habitación con su mamá", "es"),
    ],
)
def test_script_and_alphabet_decide(text: str, lang: str) -> None:
    assert detect.detect_text(text, expect="en").lang == lang


@pytest.mark.parametrize(
    "text", ["0", "12:30", "©", "https://example.org/a/b", "user@example.com", "foo_bar", "— | —"]
)
def test_not_language(text: str) -> None:
    assert detect.detect_text(text, expect="en").lang is None


def test_short_english_words_stay_english_but_strong_evidence_wins() -> None:
    for word in ("Chats", "Menu", "loader", "Restaurant", "café"):
        assert detect.detect_text(word, expect="en").lang == "en"
    assert detect.detect_text("Straße", expect="en").lang == "de"
    # without an expectation the statistics speak
    assert detect.detect_text("Das ist ein sehr schönes Haus").lang == "de"


def test_detection_is_deterministic_and_cached() -> None:
    first = [detect.detect_text(w).lang for w in ("Войти", "Chats", "Menu", "Привет")]
    detect._detect_cached.cache_clear()
    second = [detect.detect_text(w).lang for w in ("Войти", "Chats", "Menu", "Привет")]
    assert first == second


def test_mixed_segment_gives_two_fragments_with_positions() -> None:
    text = "Intro line\nThe minister said that переговоры продолжатся в январе, and left.\n"
    doc = txt.parse(text)
    result = detect.fragments(doc, expect="en")
    foreign = result.foreign()
    assert len(foreign) == 1
    frag = foreign[0]
    assert frag.lang == "ru"
    assert frag.text == "переговоры продолжатся в январе,"
    assert (frag.line, frag.column) == (2, text.split("\n")[1].index("переговоры") + 1)
    assert text[frag.offset : frag.offset + len(frag.text)] == frag.text
    assert frag.detector in ("script", "rule", "lingua", "langdetect")
    english = [f for f in result.fragments if f.segment == 1 and f.lang == "en"]
    assert [f.text for f in english] == ["The minister said that", "and left."]


def test_same_script_sentence_in_another_language_is_its_own_fragment() -> None:
    text = (
        "The delegation arrived in Berlin on Monday morning after a long flight. "
        "Die Gespräche werden morgen früh im Auswärtigen Amt fortgesetzt. "
        "Officials expect a joint statement by the end of the week."
    )
    result = detect.fragments(txt.parse(text), expect="en")
    foreign = result.foreign()
    assert [f.lang for f in foreign] == ["de"]
    assert foreign[0].text.startswith("Die Gespräche")
    assert foreign[0].text.endswith("fortgesetzt.")


def test_declared_lang_overrides_expectation_per_segment() -> None:
    page = (
        '<html lang="en"><body><p>The weather in Kyiv is sunny today.</p>'
        '<nav><a href="/ru" lang="ru">Русский</a> <a href="/uk" lang="uk">Українська</a></nav>'
        "<p>Подробности на русском языке</p></body></html>"
    )
    doc = html.parse(page)
    result = detect.fragments(doc)
    assert result.expected == "en"
    foreign = result.foreign()
    assert [(f.text, f.lang) for f in foreign] == [("Подробности на русском языке", "ru")]


def test_markdown_document_majority_and_positions() -> None:
    md = "# Новости\n\nСегодня в Москве прошла встреча министров.\n\nRead [more here](http://x.org).\n"
    result = detect.fragments(markdown.parse(md))
    assert result.expected == "ru"
    foreign = result.foreign()
    # one sentence, one fragment: the link is part of it
    assert [f.text for f in foreign] == ["Read more here."]
    assert (foreign[0].line, foreign[0].column) == (5, 1)
    assert (foreign[0].end_line, foreign[0].end_column) == (5, 32)  # just after "."


def test_parse_languages_validates() -> None:
    from toolkit.errors import UsageError

    assert detect.parse_languages("en, RU,uk") == ("en", "ru", "uk")
    with pytest.raises(UsageError):
        detect.parse_languages("en,???")
    with pytest.raises(UsageError):
        detect.parse_languages(" , ")


def test_langdetect_fallback_is_seeded_and_restricted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without lingua the statistics come from seeded langdetect, restricted to the candidates."""
    monkeypatch.setattr(detect, "_stats_lingua", lambda text, langs, fast=None: None)
    detect._detect_cached.cache_clear()
    try:
        results = {
            detect.detect_text("Das ist ein sehr schönes Haus am See", languages=["de", "en", "fr"])
            for _ in range(5)
        }
        assert len(results) == 1
        guess = results.pop()
        assert guess.lang == "de"
        assert guess.detector == "langdetect"
        votes = {detect.detect_text("Войти", languages=["ru", "bg"]).lang for _ in range(20)}
        assert len(votes) == 1
    finally:
        detect._detect_cached.cache_clear()


def test_srt_and_po_documents() -> None:
    from toolkit.formats import po, srt

    subs = (
        "1\n00:00:01,000 --> 00:00:03,000\nWhere are you going?\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nКуда ты идёшь?\n\n"
        "3\n00:00:05,500 --> 00:00:07,000\nHome.\n"
    )
    result = detect.fragments(srt.parse(subs), expect="en")
    assert [(f.text, f.lang, f.line, f.column) for f in result.foreign()] == [
        ("Куда ты идёшь?", "ru", 7, 1)
    ]
    catalog = (
        'msgid ""\nmsgstr ""\n"Language: uk\\n"\n\n'
        'msgid "Open file"\nmsgstr "Відкрити файл"\n\n'
        'msgid "Save the document before closing"\nmsgstr "Save the document before closing"\n'
    )
    result = detect.fragments(po.parse(catalog, "uk.po"))
    assert result.expected == "uk"
    foreign = result.foreign()
    assert [(f.text, f.lang, f.line) for f in foreign] == [
        ("Save the document before closing", "en", 9)
    ]


def test_letterlike_symbols_are_not_words() -> None:
    """Superscript digits match \\w but are not letters: they must not break run splitting."""
    doc = txt.parse("The area is 20 km² in total. Площадь 20 км² в целом.\n")
    found = detect.fragments(doc, expect="en").foreign()
    assert [f.lang for f in found] == ["ru"]
    assert detect.detect_text("²").lang is None


def test_foreign_names_do_not_make_an_english_sentence_foreign() -> None:
    text = (
        "The Chaco region was home to other groups of indigenous tribes such as the "
        "Guaycurú and Payaguá, who survived by hunting, gathering and fishing."
    )
    assert detect.detect_text(text, expect="en").lang == "en"
    assert detect.detect_text("Él está aquí.", expect="en").lang == "es"


def test_lingua_certainty_without_letter_evidence_is_rechecked() -> None:
    # lingua's rule filter calls these Ukrainian texts Kazakh at 1.0
    for text in ("Навіщо використовувати атрибут мови?", "Гадаю, що це тобі відомо."):
        assert detect.detect_text(text).lang == "uk"
        assert detect.detect_text(text, expect="ru").lang == "uk"
        assert detect.detect_text(text, expect="uk").lang == "uk"
    # letters only Kazakh has still make Kazakh certain
    assert detect.detect_text("Мен қазақ тілінде сөйлеймін").lang == "kk"


def test_latin_names_inside_cyrillic_text_belong_to_it() -> None:
    text = (
        "Заголовок\n"
        "Браузеры, такие как Firefox или Internet Explorer, назначают шрифты.\n"
        "Язык в HTML и CSS\n"
        "Other typographic features are affected by language as the specifications develop.\n"
        "More details\n"
    )
    result = detect.fragments(txt.parse(text), expect="ru")
    foreign = [(f.text, f.lang) for f in result.foreign()]
    assert foreign == [
        (
            "Other typographic features are affected by language as the specifications develop.",
            "en",
        ),
        ("More details", "en"),  # one capitalised word alone would be a name (issue 14)
    ]
    russian = [f.text for f in result.fragments if f.lang == "ru"]
    assert "Браузеры, такие как Firefox или Internet Explorer, назначают шрифты." in russian
    assert "Язык в HTML и CSS" in russian


def test_cyrillic_word_inside_english_text_is_still_found() -> None:
    doc = txt.parse("The Russian word спасибо means thank you.\n")
    foreign = detect.fragments(doc, expect="en").foreign()
    assert [(f.text, f.lang) for f in foreign] == [("спасибо", "ru")]


def test_latin_names_inside_a_russian_sentence_of_an_english_page() -> None:
    doc = txt.parse("Markets rose. Компании Google и Apple объявили о новом соглашении.\n")
    found = detect.fragments(doc, expect="en").foreign()
    assert [(f.text, f.lang) for f in found] == [
        ("Компании Google и Apple объявили о новом соглашении.", "ru")
    ]
