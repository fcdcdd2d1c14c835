"""The translation quality checks (qa-* rules): each with a true case and a near miss.

The examples of issue 19 are here: a broken ``--help``, a dropped bracket of
``[<command>]``, a lost "(write)", and pofilter's false alarms tolmach must
not copy (``<option>`` translated, a reordered strftime date).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.audit import qa
from toolkit.audit.catalogs import audit_catalog
from toolkit.audit.l10n import audit_units
from toolkit.audit.rules import RULES
from toolkit.cli import app
from toolkit.engines.identity import IdentityEngine
from toolkit.findings import CATALOG
from toolkit.glossary import load
from toolkit.glossary.model import Glossary
from toolkit.glossary.terms import term_check

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: {lang}\\n"\n\n'
)


def pair(
    source: str,
    target: str,
    lang: str = "ru",
    *,
    flags: tuple[str, ...] | list[str] = (),
    syntax: str | None = None,
) -> qa.Pair:
    sources = (source,)
    accel = qa.accelerator_of(tuple(flags), syntax, sources)
    return qa.Pair(sources, target, lang, tuple(flags), syntax, accelerator=accel)


def po(tmp_path: Path, body: str, lang: str = "ru", name: str = "x.po") -> Path:
    path = tmp_path / name
    path.write_text(HEADER.format(lang=lang) + body, encoding="utf-8")
    return path


# ----------------------------------------------------------------- one check each


@pytest.mark.parametrize(
    ("check", "source", "bad", "good"),
    [
        # the example: "--help" became "-help"
        (qa.check_options, "Use --help for options", "Используйте -help…", "Используйте --help…"),
        # "(write)" lost; near miss: a gloss added, nothing lost
        (
            qa.check_brackets,
            'failed to open collection (write) "%s"',
            "не удалось открыть коллекцию «%s»",
            "не удалось открыть коллекцию (запись) «%s» (файл)",
        ),
        (
            qa.check_urls,
            "See https://example.org/help or write to help@example.org",
            "См. https://example.ru/help или help@example.org",
            "См. https://example.org/help или help@example.org.",
        ),
        (
            qa.check_urls,
            "Edit /etc/tolmach/config",
            "Измените /etc/толмач/config",
            "См. /etc/tolmach/config",
        ),
        (qa.check_numbers, "permissions >=0555", "права >=0755", "права >= 0555"),
        (qa.check_tags, "<b>Bold</b> text", "<b>Жирный текст", "<b>Жирный</b> текст"),
        (qa.check_newlines, "\nLine\n", "Строка\n", "\nСтрока\n"),
        (qa.check_newlines, "a\tb", "a b", "а\tб"),
        (qa.check_whitespace, "port ", "Port", "Port "),
        (qa.check_whitespace, "  indented", "indented", "  с отступом"),
        (qa.check_end_punctuation, "No response.", "Нет ответа", "Нет ответа."),
        (qa.check_end_punctuation, "Delete it?", "Удалить!", "Удалить?"),
        (
            qa.check_end_punctuation,
            "Unknown %r is given.",
            "Передан неизвестный %r .",
            "Передан %r.",
        ),
        (
            qa.check_repeated_words,
            "provides %s and is present",
            "предоставляет %s и и есть",
            "и %s и",
        ),
        (qa.check_numbers, "NAT64 prefix lifetime", "Validité du préfixe NAT", "Préfixe NAT64"),
        (qa.check_brackets, "Copyright (C) 2024 Ann", "Copyright 2024 Ann)", "Copyright © 2024"),
        (qa.check_repeated_words, "of BYTES", "von von BYTES", "de OCTETS octets"),
        (qa.check_accelerators, "_Cancel", "Отменить", "О_тменить"),
        (qa.check_length, "Open the file now", "Открыть " + "очень " * 20 + "файл", "Открыть файл"),
    ],
)
def test_check_finds_the_mistake_and_passes_the_near_miss(
    check: Callable[[qa.Pair], list[str]], source: str, bad: str, good: str
) -> None:
    assert check(pair(source, bad)), (source, bad)
    assert check(pair(source, good)) == [], (source, good)


def test_a_dropped_bracket_of_an_optional_argument_is_a_bracket_finding() -> None:
    source = "Usage: %s [<option>...] [<command>]"
    dropped = "Использование: %s [<параметр>…] ‹команда>"
    assert qa.check_brackets(pair(source, dropped, flags=["c-format"]))
    # translating the user placeholders is right: not a tag finding (pofilter's false alarm)
    assert qa.check_tags(pair(source, dropped, flags=["c-format"])) == []
    kept = "Использование: %s [<параметр>…] [<команда>]"
    assert qa.check_brackets(pair(source, kept, flags=["c-format"])) == []


def test_user_placeholders_in_angle_brackets_are_not_tags() -> None:
    assert qa.real_tags("Usage: <option> <IPv6 address> <dpkg-deb --info pipe> <link>") == []
    assert qa.real_tags('<a href="x">x</a><br><img src="a.png"/>') == [
        '<a href="x">',
        "</a>",
        "<br>",
        '<img src="a.png"/>',
    ]
    assert qa.check_tags(pair("<option>", "‹параметр>")) == []
    # a translatable attribute may change, another may not
    assert (
        qa.check_tags(pair('<a title="Help" href="/h">x</a>', '<a title="Справка" href="/h">x</a>'))
        == []
    )
    assert qa.check_tags(pair('<a href="/h">x</a>', '<a href="/ru">x</a>'))


def test_language_aware_quotes_brackets_and_punctuation() -> None:
    # « » „ “ are quotes, not brackets; balanced they pass, unbalanced they fail
    assert qa.check_brackets(pair('Open "%s"', "Открыть «%s»")) == []
    assert qa.check_brackets(pair('Open "%s"', "Открыть «%s")) != []
    assert qa.check_brackets(pair('Open "%s"', "„%s“ öffnen", lang="de")) == []
    assert qa.check_brackets(pair("%s (charged)", "%s （充電中）", lang="ja")) == []
    # CJK and Arabic marks map to theirs
    assert qa.check_end_punctuation(pair("Done.", "完了。", lang="zh")) == []
    assert qa.check_end_punctuation(pair("Delete?", "削除しますか？", lang="ja")) == []
    assert qa.check_end_punctuation(pair("Delete?", "حذف؟", lang="ar")) == []
    assert qa.check_end_punctuation(pair("Delete?", "Удалить.", lang="ru"))
    assert qa.check_whitespace(pair("Done. ", "完了。", lang="ja")) == []
    # Chinese writes full-width marks after its own text
    assert qa.check_end_punctuation(pair("Show the time.", "是否显示时间.", lang="zh"))
    assert qa.check_end_punctuation(pair("Use LED!", "使用LED!", lang="zh")) == []
    assert qa.check_end_punctuation(pair('Is "never".', '选项有 "从不显示".', lang="zh"))
    assert qa.check_end_punctuation(pair("Battery", "电池", lang="zh")) == []
    # numbers in other digits and groupings are the same numbers
    assert qa.check_numbers(pair("1,000 files in 30 days", "١٠٠٠ ملف في ٣٠ يومًا", lang="ar")) == []
    assert qa.check_numbers(pair("1,000 files", "1 000 файлов")) == []


def test_reordered_strftime_date_is_not_a_placeholder_error(tmp_path: Path) -> None:
    path = po(tmp_path, 'msgid "%b %d, %Y"\nmsgstr "%d.%m.%Y"\n', lang="de")
    assert audit_catalog(path).findings == []
    # with c-format it is a printf format and msgfmt compares it: an error
    flagged = po(tmp_path, '#, c-format\nmsgid "%b %d, %Y"\nmsgstr "%d.%m.%Y"\n', "de", "c.po")
    assert [f.rule for f in audit_catalog(flagged).findings] == ["po-placeholder"]


def test_fuzzy_entries_get_placeholder_warnings_only(tmp_path: Path) -> None:
    body = (
        '#, fuzzy, c-format\nmsgid "Error: %s"\nmsgstr "Ошибка: "\n\n'
        '#, fuzzy, c-format\nmsgid "Saved %s"\nmsgstr "Сохранено %s"\n'
    )
    findings = audit_catalog(po(tmp_path, body), rules=["qa-fuzzy-placeholder"]).findings
    assert [(f.rule, f.severity.value, f.line) for f in findings] == [
        ("qa-fuzzy-placeholder", "warning", 7)
    ]


def test_icu_message_format_validity() -> None:
    source = "{n, plural, one {# file} other {# files}}"
    assert (
        qa.check_icu(pair(source, "{n, plural, one {# файл} few {# файла} other {# файлов}}")) == []
    )
    assert qa.check_icu(pair(source, "{n, plural, one {# файл} few {# файла}}"))
    assert qa.check_icu(pair(source, "{n, plural, one {# файл} other {# файлов}"))
    assert qa.check_icu(pair("Hello {name}", "Привет {name", syntax="json")) != []
    assert qa.check_icu(pair("Hello {name}", "Привет, {name}", syntax="json")) == []
    assert qa.check_icu(pair("Hello", "Привет {")) == []  # not an ICU message


def test_max_length_flag(tmp_path: Path) -> None:
    body = '#, max-length:10\nmsgid "Save"\nmsgstr "Сохранить всё сразу"\n\n'
    body += '#, max-length:10\nmsgid "Open"\nmsgstr "Открыть"\n'
    findings = audit_catalog(po(tmp_path, body), rules=["qa-length"]).findings
    assert [f.line for f in findings] == [7]


def test_unchanged_allows_units_codes_brands_and_do_not_translate_terms(tmp_path: Path) -> None:
    for text in ("%d MB/s", "UTF-8", "GitHub", "stdin", "C++", "Copyright (C) 2024 Ann Lee"):
        assert qa.needs_no_translation(text), text
    assert not qa.needs_no_translation("Open file")
    # one word that Latin-script languages share (Modem, Route) may stay; in Russian it may not
    assert qa.needs_no_translation("Modem", lang="de")
    assert not qa.needs_no_translation("Modem", lang="ru")
    assert qa.needs_no_translation("Amnesty International", ("Amnesty International",))
    body = 'msgid "Amnesty International"\nmsgstr "Amnesty International"\n\n'
    body += 'msgid "Open file"\nmsgstr "Open file"\n\n'
    body += 'msgid "MB/s"\nmsgstr "MB/s"\n'
    findings = audit_catalog(po(tmp_path, body), rules=["po-unchanged"], terms=load()).findings
    assert [f.text for f in findings] == ["Open file"]


# ----------------------------------------------------------------- every format


def test_checks_run_over_other_catalog_formats(tmp_path: Path) -> None:
    en = tmp_path / "locales" / "en"
    ru = tmp_path / "locales" / "ru"
    en.mkdir(parents=True)
    ru.mkdir(parents=True)
    (en / "app.json").write_text(
        json.dumps({"help": "Use --help for options", "save": "Saved."}), encoding="utf-8"
    )
    (ru / "app.json").write_text(
        json.dumps({"help": "Используйте -help", "save": "Сохранено."}, ensure_ascii=False),
        encoding="utf-8",
    )
    audit = audit_units(ru / "app.json", source_language="en")
    assert [f.rule for f in audit.findings] == ["qa-options"]


def test_xliff_inline_elements_are_left_to_the_placeholder_check(tmp_path: Path) -> None:
    path = tmp_path / "m.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="en" '
        'target-language="ru" datatype="plaintext" original="x"><body>\n'
        '<trans-unit id="a"><source>Click <g id="1">here</g>.</source>'
        '<target state="translated">Нажмите <g id="1">здесь</g>.</target></trans-unit>\n'
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    assert audit_units(path).findings == []


# ----------------------------------------------------------------- silencing


def test_a_unit_comment_silences_the_rules_it_names(tmp_path: Path) -> None:
    body = (
        '# tolmach: ignore qa-brackets: "(shipped)" became an adjective\n'
        'msgid "Glossary NAME (shipped)"\nmsgstr "ИМЯ поставляемого глоссария"\n\n'
        "#. tolmach: ignore qa-numbers\n"
        'msgid "Wait 10 s (or more)"\nmsgstr "Подождите с"\n\n'
        'msgid "Lost (write)"\nmsgstr "Потеряно"\n'
    )
    audit = audit_catalog(po(tmp_path, body))
    assert [(f.rule, f.text) for f in audit.findings] == [
        ("qa-brackets", "Подождите с"),
        ("qa-brackets", "Потеряно"),
    ]
    assert audit.suppressed == 2


def test_ignore_file_in_a_message_is_text_not_a_marker(tmp_path: Path) -> None:
    body = 'msgid "Write tolmach: ignore-file to skip"\nmsgstr "Пишите: ignore-file"\n\n'
    body += 'msgid "Lost (write)"\nmsgstr "Потеряно"\n'
    assert [f.rule for f in audit_catalog(po(tmp_path, body)).findings] == ["qa-brackets"]
    marked = po(tmp_path, "# tolmach: ignore-file\n" + body, name="m.po")
    assert audit_catalog(marked).findings == []


def test_the_project_disables_rules_in_its_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = po(tmp_path, 'msgid "Lost (write)."\nmsgstr "Потеряно"\n')
    assert {f.rule for f in audit_catalog(path).findings} == {"qa-brackets", "qa-end-punctuation"}
    (tmp_path / "tolmach.toml").write_text('[audit]\ndisable = ["qa-brackets"]\n')
    monkeypatch.chdir(tmp_path)
    assert [f.rule for f in audit_catalog(path).findings] == ["qa-end-punctuation"]
    (tmp_path / "tolmach.toml").write_text("[audit]\ndisable = 3\n")
    result = CliRunner().invoke(app, ["po", "audit", str(path)])
    assert result.exit_code == 4
    assert "disable" in result.output
    assert "Traceback" not in result.output


def test_every_qa_rule_is_registered_with_severity_and_description() -> None:
    qa_rules = [r for r in RULES.values() if r.id.startswith("qa-")]
    assert len(qa_rules) == 13
    for rule in qa_rules:
        assert rule.scope == CATALOG
        assert rule.description
        assert rule.check is not None


# ----------------------------------------------------------------- JUnit XML


def test_junit_report_has_a_case_per_rule_and_a_failure_per_finding(tmp_path: Path) -> None:
    path = po(tmp_path, 'msgid "Use --help."\nmsgstr "Используйте -help."\n')
    result = CliRunner().invoke(app, ["po", "audit", str(path), "--format", "junit"])
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.get("name") == str(path)
    failures = [c for c in suite if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == ["qa-options:6"]
    assert failures[0].find("failure").get("type") == "warning"  # type: ignore[union-attr]
    passing = {c.get("name") for c in suite if c.find("failure") is None}
    assert {"po-untranslated", "qa-brackets"} <= passing
    assert int(suite.get("tests", 0)) == len(suite)
    assert suite.get("failures") == "1"


def test_junit_escapes_what_xml_cannot_hold(tmp_path: Path) -> None:
    from toolkit.audit.report import render_junit
    from toolkit.findings import Finding, Severity

    finding = Finding("qa-tags", Severity.ERROR, "a&b.po", 3, 1, 'bad <b> & "x"\x01', text="\x07")
    root = ET.fromstring(render_junit([finding], files=["a&b.po", "clean.po"]))
    assert [s.get("name") for s in root] == ["a&b.po", "clean.po"]
    assert root.get("failures") == "1"


# ----------------------------------------------------------------- glossary scope


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return load(["international-organizations"])


def test_camera_iso_is_not_the_standards_body(shipped: Glossary) -> None:
    check = term_check(shipped, "en", "ru")
    assert check("ISO sensitivity", "Чувствительность ISO") == []
    assert check("ISO 100", "ISO 100") == []
    assert check("Use an ISO 639-1 code", "Укажите код ISO 639-1") == []
    assert check("an EU plug", "вилка европейского типа") == []
    # with the full name nearby the abbreviation is the organisation again
    named = "The International Organization for Standardization (ISO) publishes it"
    assert check(named, "Её публикует организация (ISO)")


def test_a_quoted_example_kept_as_written_is_not_a_glossary_violation(shipped: Glossary) -> None:
    check = term_check(shipped, "en", "ru")
    assert check("expects LANG=TEXT (en='United Nations')", "ждёт (en='United Nations')") == []
    assert check("The United Nations met", "United Nations встретились")


def test_context_column_in_tsv(tmp_path: Path) -> None:
    from toolkit.glossary.store import load_path

    path = tmp_path / "g.tsv"
    path.write_text("en\tru\tabbr:en\tcontext\nEuropean Union\tЕС\tEU\ten\n", encoding="utf-8")
    (entry,) = load_path(path).entries
    assert entry.needs_context("en")
    assert not entry.needs_context("ru")
    path.write_text("en\tru\tcontext\nX\tY\tsometimes\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["glossary", "check", "--glossary", str(path)])
    assert result.exit_code == 4
    assert "context" in result.output


def test_filling_leaves_camera_iso_alone(tmp_path: Path, shipped: Glossary) -> None:
    from toolkit.po.translate import translate_catalogs

    body = "".join(
        f'msgid "{t}"\nmsgstr ""\n\n'
        for t in (
            "ISO sensitivity",
            "ISO 100",
            "ISO studio tungsten",
            "International Organization for Standardization (ISO)",
        )
    )
    path = po(tmp_path, body)
    (result,), _stats = translate_catalogs(
        [path], engine=IdentityEngine(), source="en", glossary=shipped
    )
    out = result.output.decode()
    assert 'msgstr "ISO sensitivity"' in out
    assert 'msgstr "ISO 100"' in out
    assert 'msgstr "ISO studio tungsten"' in out
    assert "ИСО" in out  # beside its full name the abbreviation is the organisation


def test_catalog_filling_leaves_camera_iso_alone(tmp_path: Path, shipped: Glossary) -> None:
    from toolkit.catalogs.translate import translate_paths

    path = tmp_path / "m.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="en" '
        'target-language="ru" datatype="plaintext" original="x"><body>\n'
        '<trans-unit id="a"><source>ISO sensitivity</source></trans-unit>\n'
        '<trans-unit id="b"><source>ISO 100</source></trans-unit>\n'
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    (result,), _stats = translate_paths([path], engine=IdentityEngine(), glossary=shipped)
    out = result.output.decode()
    assert '<target state="needs-review-translation">ISO sensitivity</target>' in out or (
        ">ISO sensitivity</target>" in out
    )
    assert ">ISO 100</target>" in out
    assert "ИСО" not in out


def test_tolmachs_own_catalog_audits_clean() -> None:
    from tests.conftest import ROOT

    result = CliRunner().invoke(app, ["po", "audit", str(ROOT / "locales"), "--fail-on", "info"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert "error" not in result.output


def test_the_project_maps_paths_to_glossaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.glossary.store import for_paths
    from toolkit.po.translate import translate_catalogs

    (tmp_path / "tolmach.toml").write_text(
        '[glossary-paths]\n"un/*" = ["international-organizations"]\n"camera/*" = []\n',
        encoding="utf-8",
    )
    for folder in ("un", "camera", "other"):
        (tmp_path / folder).mkdir()
        po(tmp_path / folder, 'msgid "The ISO report"\nmsgstr "Доклад ISO"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["po", "audit", ".", "--format", "json"])
    found = {(f["file"], f["rule"]) for f in json.loads(result.stdout)["findings"]}
    # a path mapped to the glossary is about organisations: ISO needs no full name there
    assert found == {("un/x.po", "po-glossary")}
    # --glossary decides for every path
    result = CliRunner().invoke(
        app, ["po", "audit", ".", "--format", "json", "--glossary", "international-organizations"]
    )
    assert json.loads(result.stdout)["findings"] == []

    scoped = for_paths(load())
    assert scoped is not None
    assert scoped(tmp_path / "camera" / "x.po") is None
    for folder in ("un", "other"):
        p = po(tmp_path / folder, 'msgid "The ISO report"\nmsgstr ""\n', name="y.po")
        (r,), _stats = translate_catalogs(
            [p], engine=IdentityEngine(), glossary=load(), glossary_for=scoped
        )
        expected = "ИСО" if folder == "un" else "ISO"
        assert f'msgstr "The {expected} report"' in r.output.decode(), folder


def test_a_bad_glossary_paths_table_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tolmach.toml").write_text('glossary-paths = "un/*"\n', encoding="utf-8")
    path = po(tmp_path, 'msgid "a"\nmsgstr "б"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["po", "audit", str(path)])
    assert result.exit_code == 4
    assert "glossary-paths" in result.output


def test_a_full_stop_after_one_word_is_an_abbreviation_only_for_one() -> None:
    assert qa.check_end_punctuation(pair("abbr", "сокр.")) == []
    assert qa.check_end_punctuation(pair("and so on", "и т. д.")) == []
    assert qa.check_end_punctuation(pair("Cancel", "Отмена."))


def test_a_unit_note_silences_rules_in_other_formats(tmp_path: Path) -> None:
    def xliff(note: str) -> Path:
        path = tmp_path / "n.xlf"
        path.write_text(
            '<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="en" '
            'target-language="ru" datatype="plaintext" original="x"><body>\n'
            '<trans-unit id="a"><source>Use --help.</source>'
            f'<target state="translated">Используйте -help.</target>{note}</trans-unit>\n'
            "</body></file></xliff>\n",
            encoding="utf-8",
        )
        return path

    assert [f.rule for f in audit_units(xliff("")).findings] == ["qa-options"]
    silenced = xliff("<note>tolmach: ignore qa-options</note>")
    assert audit_units(silenced).findings == []
