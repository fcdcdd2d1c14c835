"""The document audit as a library: fragments, glossary checks, allow-lists, catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit.audit import Severity, audit_paths
from toolkit.audit.rules import RULES
from toolkit.glossary import Entry, Glossary
from toolkit.glossary import load as load_glossary

EXAMPLE = ROOT / "examples" / "article.txt"

MIXED_MD_PATH = ROOT / "tests" / "data" / "audit" / "mixed-en.md"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(["international-organizations"])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _where(findings: list) -> list[tuple[str, int, int, str, str]]:
    return [(f.rule, f.line, f.column, f.severity.value, f.text) for f in findings]


def test_example_article_has_exactly_one_error_the_russian_caption(glossary: Glossary) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    line_no = lines.index("Заголовок открываемого материала") + 1
    result = audit_paths([EXAMPLE], expect="en", glossary=glossary)
    assert result.errors == []
    assert _where(result.findings) == [
        ("untranslated-fragment", line_no, 1, "error", "Заголовок открываемого материала")
    ]
    f = result.findings[0]
    assert f.lang == "ru"
    assert f.confidence is not None
    assert f.confidence >= 0.9
    assert f.fix == f"tolmach translate {EXAMPLE} --to en"
    assert "ru" in f.message
    assert (f.end_line, f.end_column) == (line_no, 1 + len("Заголовок открываемого материала"))
    assert result.counts["files"] == 1
    assert result.counts["error"] == 1


@pytest.mark.parametrize("name", ["article.md", "article.html"])
def test_other_example_formats_report_only_the_caption(name: str, glossary: Glossary) -> None:
    result = audit_paths([ROOT / "examples" / name], expect="en", glossary=glossary)
    assert [(f.rule, f.text) for f in result.findings] == [
        ("untranslated-fragment", "Заголовок открываемого материала")
    ]


def test_markdown_paragraph_sentence_and_quote_each_at_its_place(
    tmp_path: Path, glossary: Glossary
) -> None:
    result = audit_paths([MIXED_MD_PATH], expect="en", glossary=glossary)
    lines = MIXED_MD_PATH.read_text(encoding="utf-8").splitlines()
    para = lines[4]
    german = "Die Gespräche werden im nächsten Jahr in Wien fortgesetzt."
    quote = "«очень трудными, но полезными»"
    assert _where(result.findings) == [
        ("untranslated-fragment", 5, 1, "error", para),
        ("untranslated-fragment", 7, lines[6].index(german) + 1, "error", german),
        ("untranslated-fragment", 9, lines[8].index(quote) + 1, "error", quote),
    ]
    assert [f.lang for f in result.findings] == ["ru", "de", "ru"]


def test_one_word_in_another_script_is_an_error_in_the_same_script_a_warning(
    tmp_path: Path,
) -> None:
    text = "Welcome to the site\n\nВойти\n\nStraße\n\nChats\n\n0\n"
    path = _write(tmp_path, "ui.txt", text)
    result = audit_paths([path], expect="en")
    assert _where(result.findings) == [
        ("untranslated-fragment", 3, 1, "error", "Войти"),
        ("untranslated-fragment", 5, 1, "warning", "Straße"),
    ]


def test_a_sentence_split_by_a_name_is_one_finding(tmp_path: Path) -> None:
    text = (
        "Travel tips for the coast.\n\n"
        "Автобус Scotturb № 403 совершает регулярные рейсы в Синтру.\n"
    )
    result = audit_paths([_write(tmp_path, "bus.txt", text)], expect="en")
    assert _where(result.findings) == [
        (
            "untranslated-fragment",
            3,
            1,
            "error",
            "Автобус Scotturb № 403 совершает регулярные рейсы в Синтру.",
        )
    ]


def test_glossary_missing_term_given_the_source(tmp_path: Path, glossary: Glossary) -> None:
    source = _write(
        tmp_path,
        "ru.md",
        "# Заявление ОДКБ\n\n"
        "Организация Договора о коллективной безопасности провела учения.\n\n"
        "Генеральный секретарь ОБСЕ выступил в Вене.\n",
    )
    translation = _write(
        tmp_path,
        "en.md",
        "# Statement\n\n"
        "The Organization of the Collective Security Treaty held exercises.\n\n"
        "The OSCE Secretary General spoke in Vienna.\n",
    )
    result = audit_paths([translation], expect="en", glossary=glossary, source=source)
    missing = [f for f in result.findings if f.rule == "glossary-missing-term"]
    assert len(missing) == 1
    f = missing[0]
    assert f.severity is Severity.ERROR
    assert f.fix == "Collective Security Treaty Organization"
    # located at the translation's own wording of the name
    assert (f.line, f.column) == (3, 5)
    assert f.text == "Organization of the Collective Security Treaty"
    assert "ОДКБ" in f.message
    assert str(source) in f.message
    # the OSCE is named in both: nothing to report for it
    assert all("OSCE" not in f.fix for f in missing if f.fix)


def test_missing_term_inflected_source_and_abbreviation_in_translation(
    tmp_path: Path, glossary: Glossary
) -> None:
    source = _write(
        tmp_path, "ru.txt", "Учения Организации Договора о коллективной безопасности прошли.\n"
    )
    good = _write(tmp_path, "good.txt", "The CSTO exercises took place.\n")
    bad = _write(tmp_path, "bad.txt", "The exercises of the treaty organisation took place.\n")
    assert audit_paths([good], expect="en", glossary=glossary, source=source).findings == []
    result = audit_paths([bad], expect="en", glossary=glossary, source=source)
    assert [(f.rule, f.line, f.text) for f in result.findings] == [
        ("glossary-missing-term", 0, "Организации Договора о коллективной безопасности")
    ]


def test_source_folder_maps_same_relative_paths(tmp_path: Path, glossary: Glossary) -> None:
    (tmp_path / "ru" / "news").mkdir(parents=True)
    (tmp_path / "en" / "news").mkdir(parents=True)
    _write(tmp_path / "ru" / "news", "a.txt", "Заявление ОДКБ было опубликовано.\n")
    _write(tmp_path / "en" / "news", "a.txt", "The statement was published.\n")
    _write(tmp_path / "en" / "news", "b.txt", "Another statement was published.\n")
    result = audit_paths([tmp_path / "en"], expect="en", glossary=glossary, source=tmp_path / "ru")
    assert sorted((Path(f.file).name, f.rule) for f in result.findings) == [
        ("a.txt", "glossary-missing-term"),
        ("b.txt", "glossary-no-source"),
    ]


def test_osce_and_dotted_osce_are_inconsistent(tmp_path: Path, glossary: Glossary) -> None:
    text = "The OSCE met in Vienna.\n\nLater the O.S.C.E. chairman spoke to the OSCE staff.\n"
    result = audit_paths([_write(tmp_path, "osce.txt", text)], expect="en", glossary=glossary)
    assert _where(result.findings) == [
        ("glossary-inconsistent", 3, 11, "warning", "O.S.C.E."),
    ]
    assert result.findings[0].fix == "OSCE"
    # one spelling throughout: nothing to say
    clean = _write(tmp_path, "clean.txt", "The OSCE met. The OSCE spoke.\n")
    assert audit_paths([clean], expect="en", glossary=glossary).findings == []


def test_two_names_of_one_entry_are_inconsistent(tmp_path: Path, glossary: Glossary) -> None:
    text = (
        "Doctors Without Borders opened a clinic.\n\n"
        "A spokesman for Médecins Sans Frontières said it would stay open.\n"
    )
    result = audit_paths([_write(tmp_path, "msf.txt", text)], expect="en", glossary=glossary)
    assert [(f.rule, f.text, f.fix) for f in result.findings] == [
        ("glossary-inconsistent", "Médecins Sans Frontières", "Doctors Without Borders")
    ]


def test_name_and_abbreviation_together_are_consistent(tmp_path: Path, glossary: Glossary) -> None:
    text = "The Collective Security Treaty Organization (CSTO) met. The CSTO agreed.\n"
    result = audit_paths([_write(tmp_path, "c.txt", text)], expect="en", glossary=glossary)
    assert result.findings == []


def test_dnt_term_altered(tmp_path: Path) -> None:
    g = Glossary(
        [
            Entry.make({"en": ["GitHub"]}, dnt=True),
            Entry.make({"en": ["Amnesty International"]}, dnt=True),
        ]
    )
    text = (
        "Amnesty International and amnesty international differ.\n"
        "Push to Github, not to github.com; Amnesty  International and AmnestyInternational.\n"
    )
    result = audit_paths([_write(tmp_path, "d.txt", text)], expect="en", glossary=g)
    assert [(f.rule, f.line, f.text, f.fix) for f in result.findings] == [
        ("glossary-dnt-altered", 1, "amnesty international", "Amnesty International"),
        ("glossary-dnt-altered", 2, "Github", "GitHub"),
        ("glossary-dnt-altered", 2, "Amnesty  International", "Amnesty International"),
        ("glossary-dnt-altered", 2, "AmnestyInternational", "Amnesty International"),
    ]
    assert {f.severity for f in result.findings} == {Severity.WARNING}


def test_ignore_patterns_and_inline_markers(tmp_path: Path) -> None:
    text = (
        "English text here.\n\n"
        "Заголовок открываемого материала\n\n"
        "# tolmach: ignore\n"
        "Войти или зарегистрироваться\n\n"
        "Новости дня и комментарии\n"
    )
    path = _write(tmp_path, "page.txt", text)
    result = audit_paths([path], expect="en")
    assert [f.text for f in result.findings] == [
        "Заголовок открываемого материала",
        "Новости дня и комментарии",
    ]
    assert result.counts["suppressed"] == 1
    result = audit_paths([path], expect="en", ignore=[r"^Новости"])
    assert [f.text for f in result.findings] == ["Заголовок открываемого материала"]
    assert result.counts["suppressed"] == 2
    ignored_file = _write(tmp_path, "all.md", "<!-- tolmach: ignore-file -->\n\nВойти сейчас\n")
    assert audit_paths([ignored_file], expect="en").findings == []


def test_html_data_tolmach_ignore(tmp_path: Path) -> None:
    html = (
        '<html lang="en"><body><p>English text for the page.</p>\n'
        "<div data-tolmach-ignore><p>Заголовок открываемого материала</p></div>\n"
        "<p>Войти или зарегистрироваться</p></body></html>\n"
    )
    result = audit_paths([_write(tmp_path, "p.html", html)], expect="en")
    assert [f.text for f in result.findings] == ["Войти или зарегистрироваться"]


def test_bad_file_is_an_error_and_the_others_are_audited(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    _write(tmp_path, "good.txt", "English text.\n\nЗаголовок открываемого материала\n")
    result = audit_paths([tmp_path, tmp_path / "missing.txt"], expect="en")
    assert [Path(f.file).name for f in result.findings] == ["good.txt"]
    assert sorted(int(e.exit_code) for e in result.errors) == [4, 5]
    assert result.counts["files"] == 1


def test_catalogs_get_the_po_checks_with_detector_and_glossary(
    tmp_path: Path, glossary: Glossary
) -> None:
    po = _write(
        tmp_path,
        "ru.po",
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "The CSTO statement"\nmsgstr "Заявление организации"\n\n'
        'msgid "The statement of the Collective Security Treaty Organization"\n'
        'msgstr "Заявление Организации Договора о коллективной безопасности"\n\n'
        'msgid "Delete all files"\nmsgstr "Видалити всі файли"\n\n'
        'msgid "Open"\nmsgstr ""\n',
    )
    result = audit_paths([po], glossary=glossary)
    assert sorted((f.rule, f.text) for f in result.findings) == [
        ("po-glossary", "Заявление организации"),
        ("po-untranslated", "Open"),
        ("po-wrong-language", "Видалити всі файли"),
    ]
    assert result.counts["catalogs"][str(po)]["untranslated"] == 1


def test_rules_can_be_selected_and_unknown_ones_refused(tmp_path: Path) -> None:
    from toolkit.errors import UsageError

    path = _write(tmp_path, "a.txt", "English.\n\nЗаголовок открываемого материала\n")
    assert audit_paths([path], expect="en", rules=["glossary-inconsistent"]).findings == []
    with pytest.raises(UsageError):
        audit_paths([path], rules=["no-such-rule"])
    with pytest.raises(UsageError):
        audit_paths([path], ignore=["("])


def test_every_rule_has_a_description_and_severity() -> None:
    from toolkit.findings import CATALOG, DOCUMENT, GLOSSARY

    by_scope = {scope: {r.id for r in RULES.values() if r.scope == scope} for scope in
                (DOCUMENT, CATALOG, GLOSSARY)}  # fmt: skip
    assert by_scope[DOCUMENT] == {
        "untranslated-fragment",
        "declared-language-mismatch",
        "glossary-missing-term",
        "glossary-dnt-altered",
        "glossary-inconsistent",
        "glossary-no-source",
    }
    assert by_scope[CATALOG] == {
        "po-untranslated",
        "po-fuzzy",
        "po-unchanged",
        "po-placeholder",
        "po-plural-count",
        "po-glossary",
        "po-wrong-language",
        "catalog-untranslated",
        "catalog-review",
        "catalog-placeholder",
        "catalog-plural-missing",
        "catalog-max-length",
        "catalog-glossary",
        "catalog-wrong-language",
        "qa-options",
        "qa-brackets",
        "qa-urls",
        "qa-numbers",
        "qa-tags",
        "qa-newlines",
        "qa-whitespace",
        "qa-end-punctuation",
        "qa-repeated-word",
        "qa-accelerator",
        "qa-length",
        "qa-icu",
        "qa-fuzzy-placeholder",
    }
    assert "glossary-duplicate-term" in by_scope[GLOSSARY]
    assert len(RULES) == sum(len(ids) for ids in by_scope.values())
    for rule in RULES.values():
        assert rule.description
        assert isinstance(rule.severity, Severity)


def test_catalog_msgstr_with_latin_names_is_not_wrong_language(tmp_path: Path) -> None:
    from toolkit.audit.catalogs import audit_catalog

    entries = {
        "DNS cache": "Кэш DNS",
        "Create a Makefile": "Создать Makefile",
        "Windows 10 theme": "Тема Windows 10",
        "Usage: %prog [options]": "использование: %prog [options]",
        "Delete everything now": "Delete everything now please",
        "Delete all files": "Видалити всі файли",
    }
    body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
    po = _write(
        tmp_path,
        "ru.po",
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + body,
    )
    result = audit_catalog(po)
    wrong = {f.text: f.message for f in result.findings if f.rule == "po-wrong-language"}
    assert set(wrong) == {"Delete everything now please", "Видалити всі файли"}
    assert "en" in wrong["Delete everything now please"]
    assert "uk" in wrong["Видалити всі файли"]


def test_empty_document_is_clean_and_large_files_are_refused(tmp_path: Path) -> None:
    empty = _write(tmp_path, "empty.md", "\n\n")
    result = audit_paths([empty], expect="en")
    assert (result.findings, result.errors, result.counts["files"]) == ([], [], 1)
    big = _write(tmp_path, "big.txt", "English text. " * 100)
    result = audit_paths([big], expect="en", max_bytes=100)
    assert [int(e.exit_code) for e in result.errors] == [4]
    assert "too large" in str(result.errors[0])


def test_source_needs_a_glossary(tmp_path: Path) -> None:
    from toolkit.errors import UsageError

    doc = _write(tmp_path, "a.txt", "English.\n")
    with pytest.raises(UsageError):
        audit_paths([doc], expect="en", source=doc)
