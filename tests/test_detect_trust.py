"""Detection a site owner can trust (issue 14): the example strings of the issue.

--expect over the root declaration, declared-language-mismatch, names and
codes as their own fragment kind, Russian and Ukrainian told apart by
dictionary, and ``und`` for languages outside the candidates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit import audit, detect, names
from toolkit.cli import app
from toolkit.formats import html as html_format

ENGLISH = (
    "This guide explains how to declare the language of a page so that browsers, "
    "screen readers and search engines treat the text correctly. "
    "Every paragraph of this page is written in plain English for the readers. "
)


def _page(body: str, lang: str = "ru") -> str:
    head = f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head>'
    return f"{head}<body>{body}</body></html>"


def _detection(body: str, lang: str = "ru", expect: str | None = None) -> detect.Detection:
    doc = html_format.parse(_page(body, lang))
    return detect.fragments(doc, expect=expect)


# --- 1. --expect overrides the root declaration ---------------------------------


def test_expect_overrides_the_root_declaration() -> None:
    body = f"<p>{ENGLISH}</p><p>Заголовок открываемого материала в новом окне</p>"
    plain = _detection(body, lang="ru")
    assert plain.expected == "ru"
    # the page's English (one fragment a sentence) is foreign to ru
    assert {f.lang for f in plain.foreign()} == {"en"}
    overridden = _detection(body, lang="ru", expect="en")
    assert {overridden.expected_for(f) for f in overridden.fragments} == {"en"}
    assert [f.text for f in overridden.foreign()] == [
        "Заголовок открываемого материала в новом окне"
    ]


def test_an_elements_own_lang_still_holds_under_expect() -> None:
    body = f'<p>{ENGLISH}</p><p lang="uk">Це український текст цього абзацу</p>'
    result = _detection(body, lang="ru", expect="en")
    uk = next(f for f in result.fragments if f.lang == "uk")
    assert result.expected_for(uk) == "uk"
    assert not result.is_foreign(uk)


def test_cli_json_shows_the_effective_expectation(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(f"<p>{ENGLISH}</p><p>Войти в систему сейчас</p>"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["detect", str(page), "--expect", "en", "--all", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert {r["expected"] for r in rows} == {"en"}
    assert [r["text"] for r in rows if r["foreign"]] == ["Войти в систему сейчас"]


def test_declared_language_mismatch_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(f"<p>{ENGLISH}</p><p>{ENGLISH}</p>", lang="ru"), encoding="utf-8")
    found = audit.audit_paths([page]).findings
    mismatch = [f for f in found if f.rule == "declared-language-mismatch"]
    assert len(mismatch) == 1
    assert mismatch[0].lang == "en"
    assert mismatch[0].line == 0
    assert "declares ru" in mismatch[0].message
    # a page whose text is its declared language is clean
    good = tmp_path / "good.html"
    good.write_text(_page(f"<p>{ENGLISH}</p><p>{ENGLISH}</p>", lang="en"), encoding="utf-8")
    assert not [
        f for f in audit.audit_paths([good]).findings if f.rule == "declared-language-mismatch"
    ]


def test_declared_language_mismatch_through_the_cli(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(f"<p>{ENGLISH}</p><p>{ENGLISH}</p>", lang="ru"), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(page), "--format", "json"])
    assert "declared-language-mismatch" in result.output
    assert result.exit_code != 0  # an error-level finding gates


# --- 2. names, brands, codes and template code ----------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Facebook", "name"),
        ("Telegram", "name"),
        ("Reuters", "name"),
        ("Pew Research Center", "name"),
        ("MK.RU", "url"),
        ("Eng", "code"),
        ("Deu", "code"),
        ("USD", "code"),
        ("EUR", "code"),
        ("RUB", "code"),
        ("LOL", "code"),
        ("U+0000 to U+007F", "code"),
        ("date | date : 'd MMMM yyyy'", "template"),
        ("{{ title }}", "template"),
        ("{% if user %}", "template"),
        ("${name}", "template"),
        ("Page %1$d of %2$d", "template"),
        ("E-mail:", "label"),
        ("Δ", "symbol"),
    ],
)
def test_kind_of_the_issues_examples(text: str, kind: str) -> None:
    assert names.kind_of(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "Ceci est une phrase en français.",
        "Dies ist ein ganz normaler deutscher Satz.",
        "the best of all",
    ],
)
def test_sentences_are_not_names(text: str) -> None:
    assert names.kind_of(text) is None


def test_brands_and_codes_on_a_russian_page_are_not_foreign() -> None:
    body = (
        "<p>Читайте нас в Telegram и Facebook, новости агентства Reuters.</p>"
        "<p>Facebook</p><p>Pew Research Center</p><p>MK.RU</p>"
        "<p>USD</p><p>EUR</p><p>Eng</p><p>Deu</p><p>E-mail:</p>"
        "<p>{{ date | date : 'd MMMM yyyy' }}</p>"
        "<p>Это обычный русский текст страницы о погоде и новостях.</p>"
    )
    result = _detection(body, lang="ru", expect="ru")
    assert result.foreign() == []
    kinds = {f.text.strip(): f.kind for f in result.fragments if f.kind}
    assert kinds["Facebook"] == "name"
    assert kinds["Pew Research Center"] == "name"
    assert kinds["USD"] == "code"
    assert kinds["E-mail:"] == "label"


def test_an_english_sentence_on_a_russian_page_is_still_foreign() -> None:
    body = "<p>Это русский текст.</p><p>Read the full article about the weather in Moscow.</p>"
    result = _detection(body, lang="ru", expect="ru")
    assert [f.lang for f in result.foreign()] == ["en"]
    assert result.foreign()[0].kind is None


@pytest.mark.parametrize(
    "text",
    [
        "Mimi Sheraton's \"The German Cookbook\" is America's classic guide to German cuisine.",
        "Frühburgunder wine in oak barrels at Kloster Marienthal near Ahrweiler",
        "DW Smart TV Apps for Apple TV, Android TV, Sony, LG, Samsung",
        "The film was directed by Alfonso Cuarón and his brother.",
    ],
)
def test_names_do_not_change_an_english_sentence(text: str) -> None:
    assert detect.detect_text(text, expect="en").lang == "en"


def test_names_lol_and_symbols_on_an_english_page_are_not_foreign() -> None:
    body = (
        f"<p>{ENGLISH}</p><p>Alfonso Cuarón</p><p>LOL</p><p>Δ</p>"
        "<p>Frühburgunder wine in oak barrels at Kloster Marienthal near Ahrweiler</p>"
    )
    result = _detection(body, lang="en")
    assert result.foreign() == []


def test_cli_json_names_the_fragment_kind(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        _page("<p>Подписывайтесь на наш канал.</p><p>Pew Research Center</p><p>USD</p>"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["detect", str(page), "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {json.loads(line)["text"]: json.loads(line) for line in result.output.splitlines()}
    assert rows["Pew Research Center"]["kind"] == "name"
    assert rows["Pew Research Center"]["foreign"] is False
    assert rows["USD"]["kind"] == "code"
    assert rows["Подписывайтесь на наш канал."]["kind"] == "text"


def test_audit_does_not_report_names_as_untranslated(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        _page(
            "<p>Это обычный русский текст страницы о погоде.</p>"
            "<p>Facebook</p><p>Telegram</p><p>USD</p><p>{{ title }}</p>"
        ),
        encoding="utf-8",
    )
    found = audit.audit_paths([page]).findings
    assert not [f for f in found if f.severity.value in ("error", "warning")]


# --- 3. Russian and Ukrainian told apart by dictionary --------------------------


def test_russian_word_on_a_ukrainian_page() -> None:
    assert detect.detect_text("Загрузка...", expect="uk").lang == "ru"
    assert detect.detect_text("Завантаження...", expect="ru").lang == "uk"
    # a word both languages share stays the expected language
    assert detect.detect_text("мама", expect="uk").lang == "uk"
    assert detect.detect_text("мама", expect="ru").lang == "ru"


def test_single_words_by_dictionary_without_expectation() -> None:
    langs = ("en", "ru", "uk")
    assert detect.detect_text("привет", languages=langs).lang == "ru"
    assert detect.detect_text("привіт", languages=langs).lang == "uk"


def test_russian_loading_label_on_a_ukrainian_page_through_the_cli(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "<p>Це звичайний український текст сторінки про погоду.</p><p>Загрузка...</p>"
    page.write_text(_page(body, lang="uk"), encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [(r["text"], r["lang"], r["detector"]) for r in rows] == [
        ("Загрузка...", "ru", "dictionary")
    ]


# --- 4. languages outside the candidates ----------------------------------------


def test_unknown_script_is_und() -> None:
    assert detect.detect_text("日本語").lang == "und"
    assert detect.detect_text("日本語", expect="en").lang == "und"


def test_portuguese_is_not_spanish() -> None:
    text = "Isto é um texto em português sobre o tempo e a cidade de Lisboa, escrito hoje."
    assert detect.detect_text(text).lang == "und"
    assert detect.detect_text(text, expect="en").lang == "und"
    # with Portuguese among the candidates it is named
    assert detect.detect_text(text, languages=("en", "es", "pt")).lang == "pt"


def test_und_is_foreign_on_a_page() -> None:
    text = "Isto é um texto em português sobre o tempo e a cidade de Lisboa, escrito hoje."
    result = _detection(f"<p>{ENGLISH}</p><p>{text}</p><p>日本語のテキスト</p>", lang="en")
    assert [f.lang for f in result.foreign()] == ["und", "und"]


# --- untranslated English navigation, language menus (issue 14, follow-up) ------

RUSSIAN = "<p>Это обычный русский текст страницы о лицензиях и правах авторов.</p>"


@pytest.mark.parametrize(
    "text", ["Contact Us", "Strategic Plan", "Donate", "Read more", "Support Us", "Events"]
)
def test_english_navigation_is_english_text(text: str) -> None:
    assert names.is_english_text(text)


@pytest.mark.parametrize(
    "text", ["Facebook", "Pew Research Center", "Reuters", "Telegram", "BBC News", "MK.RU"]
)
def test_brands_are_not_english_text(text: str) -> None:
    assert not names.is_english_text(text)


def test_untranslated_english_navigation_on_a_russian_page_is_foreign() -> None:
    body = (
        RUSSIAN + "<ul><li>Contact Us</li><li>Strategic Plan</li><li>Donate</li></ul>"
        "<p>Facebook</p><p>Pew Research Center</p><p>{{ title }}</p>"
    )
    result = _detection(body, lang="ru", expect="ru")
    foreign = {f.text: f.lang for f in result.foreign()}
    assert foreign == {"Contact Us": "en", "Strategic Plan": "en", "Donate": "en"}
    kinds = {f.text.strip(): f.kind for f in result.fragments if f.kind}
    assert kinds["Facebook"] == kinds["Pew Research Center"] == "name"
    assert kinds["title"] == "code"  # "{{ title }}": an identifier in template code


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Deutsch", "de"),
        ("svenska", "sv"),
        ("polski", "pl"),
        ("Русский", "ru"),
        ("беларуская", "be"),
        ("srpski (latinica)", "sr"),
        ("Português Brasileiro", "pt"),
    ],
)
def test_autonyms(text: str, lang: str) -> None:
    assert names.autonym(text) == lang


@pytest.mark.parametrize("text", ["English", "Indonesia", "Esperanto", "Read", "Contact Us"])
def test_english_names_are_no_autonyms(text: str) -> None:
    assert names.autonym(text) is None


def test_a_language_menu_without_lang_attributes_is_foreign() -> None:
    items = ["Deutsch", "Bahasa Indonesia", "dansk", "Lietuviškai", "polski", "svenska"]
    body = "<p>" + ENGLISH + "</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="en", expect="en")
    foreign = {f.text: f.lang for f in result.foreign()}
    assert foreign == {
        "Deutsch": "de",
        "Bahasa Indonesia": "id",
        "dansk": "da",
        "Lietuviškai": "lt",
        "polski": "pl",
        "svenska": "sv",
    }


def test_language_names_in_the_page_language_stay_in_it() -> None:
    items = ["Deutsch", "German", "polski", "Polish", "svenska", "Czech"]
    body = "<p>" + ENGLISH + "</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="en", expect="en")
    assert {f.text for f in result.foreign()} == {"Deutsch", "polski", "svenska"}


def test_a_language_menu_on_a_russian_page() -> None:
    items = ["English", "Deutsch", "Українська", "Русский", "polski", "Bahasa Indonesia"]
    body = RUSSIAN + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="ru", expect="ru")
    foreign = {f.text: f.lang for f in result.foreign()}
    assert foreign == {
        "English": "en",
        "Deutsch": "de",
        "Українська": "uk",
        "polski": "pl",
        "Bahasa Indonesia": "id",
    }


def test_switcher_with_lang_attributes_is_no_menu_of_foreign_text() -> None:
    items = '<li lang="de">Deutsch</li><li lang="pl">polski</li><li lang="sv">svenska</li>'
    body = "<p>" + ENGLISH + "</p><ul>" + items + "<li>Edit interlanguage links</li></ul>"
    result = _detection(body, lang="en", expect="en")
    assert result.foreign() == []


def test_a_name_like_item_among_english_navigation_is_english() -> None:
    items = ["Donate", "Contact Us", "Advocacy", "Support Us", "Subscribe", "Read more"]
    body = RUSSIAN + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="ru", expect="ru")
    assert {f.text: f.lang for f in result.foreign()} == dict.fromkeys(items, "en")


def test_brands_listed_together_stay_names_beside_english_navigation() -> None:
    items = ["Contact Us", "Facebook", "Instagram", "YouTube", "Twitter", "Donate"]
    body = RUSSIAN + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="ru", expect="ru")
    assert {f.text for f in result.foreign()} == {"Contact Us", "Donate"}


def test_short_items_in_a_row_are_judged_together() -> None:
    items = ["Home", "Tu", "Organizza", "Contatti", "Gruppi"]
    body = "<p>" + ENGLISH + "</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="en", expect="en")
    assert {f.text: f.lang for f in result.foreign()} == {
        "Tu": "it",
        "Organizza": "it",
        "Contatti": "it",
        "Gruppi": "it",
    }


@pytest.mark.parametrize(
    "items",
    [
        ["Sheraton", "Hilton", "Marriott"],
        ["Facebook", "Instagram", "YouTube", "Twitter"],
        ["Alfonso Cuarón", "Guillermo del Toro", "Pedro Almodóvar"],
        ["Home", "About", "Blog", "Contact"],
    ],
)
def test_names_in_a_row_on_an_english_page_stay_english(items: list[str]) -> None:
    body = "<p>" + ENGLISH + "</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    assert _detection(body, lang="en", expect="en").foreign() == []


# --- the port onto sentence units (blocks across inline markup) -----------------


@pytest.mark.parametrize(
    "text",
    [
        "Атрибут lang (или иногда атрибут xml:lang) указывает естественный язык контента",
        "Hello {name}, welcome back to the site",
        "Стандарт Си++ (ИСО)* и Альфа.Бета+Гамма? и [Икс]{2}$ обсуждали вчера в Вене.",
    ],
)
def test_a_sentence_with_markup_or_a_placeholder_is_no_code(text: str) -> None:
    assert names.kind_of(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Content-Type: text/html; charset=utf-8", "code"),
        ("lang и/или xml:lang", "code"),
        ("GNU, vol. 1 no.", "code"),
        ("Nature, vol. 3, pp. 12-15", "code"),
        ("{% if user and user.is_active and not banned %}", "template"),
        ("{{ date | date : 'd MMMM yyyy' }}", "template"),
        ("Creative Commons  PO Box 1866, Mountain View,  CA 94042", "name"),
    ],
)
def test_codes_citations_and_addresses(text: str, kind: str) -> None:
    assert names.kind_of(text) == kind


def test_yes_no_is_no_citation() -> None:
    assert names.kind_of("Yes, no.") is None


def test_example_characters_in_an_english_sentence_are_symbols() -> None:
    body = (
        f"<p>{ENGLISH}</p><p>In ISO 8859-5 the same code point represents the Cyrillic "
        'character <span class="qchar"><a href="x.png">щ</a></span>, and the Chinese '
        "ideograph <span>請</span> is another example.</p>"
    )
    result = _detection(body, lang="en")
    assert result.foreign() == []
    kinds = {f.text.strip(" .,"): f.kind for f in result.fragments if f.kind}
    assert kinds == {"щ": "symbol", "請": "symbol"}


def test_a_citation_inside_a_sentence_is_not_foreign() -> None:
    body = (
        "<p>Първата документирана дефиниция е бюлетинът на GNU, vol. 1 no.1 [1], "
        "публикуван през февруари 1986 година.</p>"
    )
    result = _detection(body, lang="bg")
    assert result.foreign() == []


def test_a_name_of_common_english_words_inside_a_russian_sentence() -> None:
    body = (
        "<p>В Internet Services Manager, щелкните правой кнопкой мыши и перейдите "
        "к настройкам сайта.</p>"
    )
    result = _detection(body, lang="ru")
    assert result.foreign() == []
    name = next(f for f in result.fragments if "Internet" in f.text)
    assert name.kind == "name"


def test_an_english_sentence_over_inline_links_on_a_russian_page_is_one_finding() -> None:
    body = (
        "<p>Это русский текст страницы.</p><p>Once you get some ideas from this page, you "
        'will probably just use <a href="/learn">Learn to internationalize</a>, or the '
        '<a href="/search">site search</a>.</p>'
    )
    result = _detection(body, lang="ru")
    assert [(f.text, f.lang) for f in result.foreign()] == [
        (
            "Once you get some ideas from this page, you will probably just use Learn to "
            "internationalize, or the site search.",
            "en",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Isto é um texto em português sobre o tempo e a cidade de Lisboa, escrito hoje.",
        "Não sei se ele vai chegar a tempo para a reunião de amanhã de manhã.",
        "El govern ha anunciat avui noves mesures per ajudar les empreses del país.",
        "Regeringen meddelade i går en ny serie åtgärder för att stödja företagen i landet.",
    ],
)
def test_languages_outside_the_candidates_are_und(text: str) -> None:
    assert detect.detect_text(text).lang == "und"
    assert detect.detect_text(text, expect="en").lang == "und"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("El gobierno anunció ayer una nueva serie de medidas para apoyar a las empresas.", "es"),
        (
            "Le gouvernement a annoncé hier une nouvelle série de mesures pour les entreprises.",
            "fr",
        ),
        ("Il governo ha annunciato ieri una nuova serie di misure per sostenere le imprese.", "it"),
    ],
)
def test_candidate_languages_are_not_und(text: str, lang: str) -> None:
    assert detect.detect_text(text).lang == lang


def test_the_und_rule_asks_langdetect_only_when_the_candidate_is_in_doubt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """lingua is unsure of this Spanish sentence among the default candidates, but its
    own function words ("porque", "las", "una") and letters are Spanish: langdetect is
    not asked over all its languages. A Portuguese one with "ã" is asked (und)."""
    asked: list[str] = []
    real = detect._outside_candidates

    def spy(text: str, langs: tuple[str, ...]) -> bool:
        asked.append(text)
        return real(text, langs)

    monkeypatch.setattr(detect, "_outside_candidates", spy)
    detect._detect_cached.cache_clear()
    spanish = (
        "Alguien va a tomar un tren equivocado, porque alguien ha guardado las señales "
        "de una vieja ruta."
    )
    assert detect.detect_text(spanish).lang == "es"
    portuguese = "Não sei se ele vai chegar a tempo para a reunião de amanhã de manhã."
    assert detect.detect_text(portuguese).lang == "und"
    assert asked == [portuguese]
    # without the function-word test, the Spanish sentence would have been asked
    monkeypatch.setattr(detect, "_function_words_hold", lambda words, lang: False)
    detect._detect_cached.cache_clear()
    assert detect.detect_text(spanish).lang == "es"
    assert asked == [portuguese, spanish]


def test_vol_and_no_before_a_number_do_not_end_a_sentence() -> None:
    text = "Бюлетинът на GNU, vol. 1 no. 5 излезе. Второ изречение."
    spans = [text[s:e] for s, e in detect._sentences(text, 0, len(text))]
    assert spans == ["Бюлетинът на GNU, vol. 1 no. 5 излезе.", "Второ изречение."]


def test_a_name_like_item_between_english_sentences_is_english() -> None:
    items = ["Use the license for your own material.", "Advocacy", "See the legal code"]
    body = RUSSIAN + "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    result = _detection(body, lang="ru", expect="ru")
    assert {f.text: f.lang for f in result.foreign()} == dict.fromkeys(items, "en")


@pytest.mark.parametrize("text", ["вкл.", "стр. 5"])
def test_abbreviations_do_not_decide_russian_or_ukrainian(text: str) -> None:
    """Which abbreviations each dictionary lists is chance ("вкл." only the Ukrainian
    one): they leave short text in the expected language."""
    assert detect.detect_text(text, expect="ru").lang == "ru"
    assert detect.detect_text(text, expect="uk").lang == "uk"
