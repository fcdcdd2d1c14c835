"""Hand-made catalogs at the edges: BOM, CRLF, deep nesting, escapes,
comments, plurals, inline markup; audit positions; the CLI's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.engines import UpperEngine
from toolkit.audit.l10n import audit_units
from toolkit.catalogs import open_catalog
from toolkit.catalogs.translate import translate_paths
from toolkit.cli import app
from toolkit.errors import InputError

runner = CliRunner()

EN_JSON = (
    "{\r\n"
    '  "app": {\r\n'
    '    "deep": {"er": {"est": "Deep \\"quoted\\" caf\\u00e9\\nline"}},\r\n'
    '    "files_one": "{{count}} file",\r\n'
    '    "files_other": "{{count}} files",\r\n'
    '    "ref": "See $t(app.deep.er.est) for {{name}}",\r\n'
    '    "icu": "{n, plural, =0 {none} one {# item} other {# items}}"\r\n'
    "  },\r\n"
    '  "list": ["not", "a", "unit"],\r\n'
    '  "count": 3\r\n'
    "}\r\n"
)
RU_JSON = '\ufeff{\r\n  "app": {\r\n    "files_one": "{{count}} файл"\r\n  }\r\n}\r\n'


def _pair(tmp_path: Path, en: str, ru: str, name: str) -> Path:
    (tmp_path / "en").mkdir()
    (tmp_path / "ru").mkdir()
    (tmp_path / "en" / name).write_bytes(en.encode("utf-8"))
    target = tmp_path / "ru" / name
    target.write_bytes(ru.encode("utf-8"))
    return target


def test_json_fill_creates_plural_categories_and_keeps_bom_and_crlf(tmp_path: Path) -> None:
    target = _pair(tmp_path, EN_JSON, RU_JSON, "app.json")
    [result], _stats = translate_paths([target], engine=UpperEngine())
    assert result.failures == []
    out = result.output
    assert out.startswith(b"\xef\xbb\xbf{\r\n")
    assert b"\n" not in out.replace(b"\r\n", b"")  # every line ending stays CRLF
    doc = json.loads(out.decode("utf-8-sig"))
    app_ = doc["app"]
    assert app_["files_one"] == "{{count}} файл"  # translated: untouched
    assert app_["files_few"] == app_["files_many"] == app_["files_other"] == "{{count}} FILES"
    assert app_["deep"]["er"]["est"] == 'DEEP "QUOTED" CAFÉ\nLINE'
    assert app_["ref"] == "SEE $t(app.deep.er.est) FOR {{name}}"
    assert app_["icu"] == (
        "{n, plural, =0 {NONE} one {# ITEM} few {# ITEMS} many {# ITEMS} other {# ITEMS}}"
    )
    assert "list" not in doc
    assert "count" not in doc


def test_json_round_trip_and_arb_locale(tmp_path: Path) -> None:
    arb = (
        '{\n  "@@locale": "uk",\n  "hello": "Hello {name}",\n'
        '  "@hello": {"description": "A greeting", "placeholders": {"name": {}}}\n}\n'
    )
    path = tmp_path / "app_uk.arb"
    path.write_text(arb, encoding="utf-8")
    (tmp_path / "app_en.arb").write_text(arb.replace('"uk"', '"en"'), encoding="utf-8")
    cat = open_catalog(path)
    assert cat.target_language == "uk"
    assert [u.key for u in cat.units] == ["hello"]
    assert cat.units[0].notes == ["A greeting"]
    assert cat.render([]) == path.read_bytes()


PROPS_EN = (
    "# Licence header\r\n"
    "\r\n"
    "! the greeting\r\n"
    "greeting = Hello, {0}! It''s a \\\r\n"
    "    long line\r\n"
    "plain:caf\\u00e9\r\n"
    "spaced\\ key value with = sign\r\n"
    "apostrophe=Don't panic\r\n"
)
PROPS_RU = "greeting=\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442, {0}!\r\n"


def test_properties_escapes_continuations_and_message_format(tmp_path: Path) -> None:
    (tmp_path / "messages.properties").write_bytes(PROPS_EN.encode("latin-1"))
    target = tmp_path / "messages_ru.properties"
    target.write_bytes(PROPS_RU.encode("ascii"))
    cat = open_catalog(target)
    source = {u.key: u.source for u in cat.units}
    assert source == {
        "greeting": "Hello, {0}! It''s a long line",
        "plain": "café",
        "spaced key": "value with = sign",
        "apostrophe": "Don't panic",
    }
    assert cat.units[0].notes == ["the greeting"]  # the comment right above, in the source
    [result], _stats = translate_paths([target], engine=UpperEngine())
    text = result.output.decode("ascii")  # the file was \\u-escaped: new values are too
    assert text.startswith(PROPS_RU)
    assert "plain=CAF\\u00c9\r\n" in text
    assert "spaced\\ key=VALUE WITH = SIGN\r\n" in text
    assert "apostrophe=DON'T PANIC\r\n" in text  # no {0}: not MessageFormat, ' stays single


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="ru" datatype="plaintext" original="a.txt">
    <body>
      <trans-unit id="bold" maxwidth="10" size-unit="char">
        <source>Click <g id="1">here</g> to <x id="2"/> save &amp; exit <ph id="3">%s</ph></source>
      </trans-unit>
      <trans-unit id="done">
        <source>Done</source>
        <target state="translated">Готово</target>
      </trans-unit>
      <trans-unit id="skip" translate="no">
        <source>Brand</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_xliff_inline_elements_are_opaque(tmp_path: Path) -> None:
    path = tmp_path / "a.xlf"
    path.write_text(XLIFF12, encoding="utf-8")
    [result], _stats = translate_paths([path], engine=UpperEngine())
    assert result.failures == []
    assert result.filled == 1
    text = result.output.decode("utf-8")
    assert (
        '<target state="needs-review-translation">CLICK <g id="1">HERE</g> TO <x id="2"/> '
        'SAVE &amp; EXIT <ph id="3">%s</ph></target>'
    ) in text
    assert (
        text.replace(
            '\n        <target state="needs-review-translation">'
            'CLICK <g id="1">HERE</g> TO <x id="2"/> SAVE &amp; EXIT <ph id="3">%s</ph></target>',
            "",
            1,
        )
        == XLIFF12
    )


def test_xliff_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.xlf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        '<xliff version="1.2"><file target-language="ru"><body>'
        "<trans-unit id='1'><source>&a;</source></trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="entity"):
        open_catalog(path)


def test_audit_reports_untranslated_placeholders_and_plurals_with_positions(
    tmp_path: Path,
) -> None:
    en = (
        "{\n"
        '  "a": "Open {{file}}",\n'
        '  "b": "Save",\n'
        '  "n_one": "{{count}} day",\n'
        '  "n_other": "{{count}} days",\n'
        '  "icu": "{c, plural, one {# cat} other {# cats}}"\n'
        "}\n"
    )
    ru = (
        "{\n"
        '  "a": "Открыть {{name}}",\n'
        '  "b": "",\n'
        '  "n_one": "{{count}} день",\n'
        '  "n_other": "{{count}} дней",\n'
        '  "icu": "{c, plural, one {# кот} other {# котов}}"\n'
        "}\n"
    )
    target = _pair(tmp_path, en, ru, "x.json")
    audit = audit_units(target)
    got = {(f.rule, Path(f.file).parent.name, f.line, f.column) for f in audit.findings}
    assert got == {
        ("catalog-placeholder", "ru", 2, 8),
        ("catalog-untranslated", "ru", 3, 8),
        ("catalog-plural-missing", "en", 5, 14),  # n_few: where the source's plural is
        ("catalog-plural-missing", "ru", 6, 10),  # the ICU plural lacks few, many
    }
    messages = " ".join(f.message for f in audit.findings)
    assert "few" in messages
    assert "many" in messages
    assert "{{file}}" in messages


def _invoke(*args: object) -> object:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_cli_audit_exit_codes_and_reports(tmp_path: Path) -> None:
    target = _pair(tmp_path, EN_JSON, RU_JSON, "app.json")
    result = _invoke("catalog", "audit", tmp_path)  # the folder: en/ is the source
    assert result.exit_code == 1, result.output
    assert "catalog-plural-missing" in result.output
    report = json.loads(_invoke("catalog", "audit", target, "--format", "json").stdout)
    assert {f["rule"] for f in report["findings"]} >= {"catalog-untranslated"}
    sarif = json.loads(_invoke("catalog", "audit", target, "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"]
    clean = tmp_path / "clean.xlf"
    clean.write_text(XLIFF12.replace("Click", "").split("<trans-unit id=\"bold\"")[0]
                     + "</body></file></xliff>\n", encoding="utf-8")  # fmt: skip
    assert _invoke("catalog", "audit", clean).exit_code == 0


def test_duplicate_keys_and_a_final_backslash_are_bad_input(tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text('{"a": "A", "b": "B"}', encoding="utf-8")
    (tmp_path / "ru.json").write_text('{"a": "А",\n "a": "Б"}', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'a'") as err:
        open_catalog(tmp_path / "ru.json")
    assert err.value.line == 2
    (tmp_path / "x.properties").write_text("a=A\nb=B\\", encoding="utf-8")
    (tmp_path / "x_ru.properties").write_text("a=А\n", encoding="utf-8")
    cat = open_catalog(tmp_path / "x_ru.properties")
    assert {u.key: u.source for u in cat.units} == {"a": "A", "b": "B"}


def test_cli_bad_input_is_one_line_and_a_documented_code(tmp_path: Path) -> None:
    bad = _pair(tmp_path, EN_JSON, '{"a": "x",}', "bad.json")
    result = _invoke("catalog", "audit", bad)
    assert result.exit_code == 4
    assert "malformed JSON" in result.output
    assert "bad.json:1" in result.output
    odd = tmp_path / "x.docx"
    odd.write_text("x", encoding="utf-8")
    assert _invoke("catalog", "translate", odd, "--engine", "identity").exit_code == 2
    lonely = tmp_path / "fr.json"
    lonely.write_text('{"a": "b"}', encoding="utf-8")
    result = _invoke("catalog", "translate", lonely, "--engine", "identity")
    assert result.exit_code == 2
    assert "--source" in result.output


def test_cli_translate_dry_run_writes_nothing_and_po_goes_through_po(tmp_path: Path) -> None:
    target = _pair(tmp_path, EN_JSON, RU_JSON, "app.json")
    before = target.read_bytes()
    result = _invoke("catalog", "translate", target, "--engine", "identity", "--dry-run")
    assert result.exit_code == 0, result.output
    assert '+    "files_few": "{{count}} files",' in result.stdout
    assert target.read_bytes() == before
    po = tmp_path / "ru.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Open %s"\nmsgstr ""\n',
        encoding="utf-8",
    )
    result = _invoke("catalog", "translate", po, "--engine", "identity", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["filled"] == 1
    result = _invoke("catalog", "translate", target, "--source", tmp_path / "en" / "app.json",
                     "--engine", "identity", "--json")  # fmt: skip
    # deep.er.est, files_few/many/other (created), ref, icu; files_one is translated
    assert json.loads(result.stdout)[0]["filled"] == 6


ANDROID_EN = """<?xml version="1.0" encoding="utf-8"?>
<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">
    <!-- the greeting -->
    <string name="hello">Hello, <xliff:g id="name" example="A">%1$s</xliff:g>! Don\\'t go.</string>
    <string name="quoted">"It's \\"quoted\\"\\nnext"</string>
    <string name="ref">@string/hello</string>
    <string name="brand" translatable="false">Tolmach</string>
    <plurals name="files">
        <item quantity="one">%d file</item>
        <item quantity="other">%d files</item>
    </plurals>
    <plurals name="days">
        <item quantity="one">%d day</item>
        <item quantity="other">%d days</item>
    </plurals>
</resources>
"""
ANDROID_RU = """<?xml version="1.0" encoding="utf-8"?>
<resources>
    <plurals name="files">
        <item quantity="one">%d файл</item>
    </plurals>
</resources>
"""


def test_android_escapes_xliff_g_and_plural_items(tmp_path: Path) -> None:
    (tmp_path / "res" / "values").mkdir(parents=True)
    (tmp_path / "res" / "values-ru").mkdir()
    (tmp_path / "res" / "values" / "strings.xml").write_text(ANDROID_EN, encoding="utf-8")
    target = tmp_path / "res" / "values-ru" / "strings.xml"
    target.write_text(ANDROID_RU, encoding="utf-8")
    cat = open_catalog(target)
    assert cat.target_language == "ru"
    source = {u.key: u.source for u in cat.units}
    assert source["hello"] == 'Hello, <xliff:g id="name" example="A">%1$s</xliff:g>! Don\'t go.'
    assert source["quoted"] == 'It\'s "quoted"\nnext'
    assert "ref" not in source  # a reference
    assert "brand" not in source  # translatable="false"
    assert [k for k in source if k.startswith("files")] == [
        "files#one", "files#few", "files#many", "files#other"
    ]  # fmt: skip
    [result], _stats = translate_paths([target], engine=UpperEngine())
    assert result.failures == []
    text = result.output.decode("utf-8")
    assert text == (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<resources>\n"
        '    <plurals name="files">\n'
        '        <item quantity="one">%d файл</item>\n'
        '        <item quantity="few">%d FILES</item>\n'
        '        <item quantity="many">%d FILES</item>\n'
        '        <item quantity="other">%d FILES</item>\n'
        "    </plurals>\n"
        '    <string name="hello">HELLO, <xliff:g id="name" example="A">%1$s</xliff:g>! '
        "DON\\'T GO.</string>\n"
        '    <string name="quoted">IT\\\'S \\"QUOTED\\"\\nNEXT</string>\n'
        '    <plurals name="days">\n'
        '        <item quantity="one">%d DAY</item>\n'
        '        <item quantity="few">%d DAYS</item>\n'
        '        <item quantity="many">%d DAYS</item>\n'
        '        <item quantity="other">%d DAYS</item>\n'
        "    </plurals>\n"
        "</resources>\n"
    )
    audit = audit_units(target)
    assert {f.rule for f in audit.findings} == {"catalog-plural-missing", "catalog-untranslated"}


RAILS_EN = (
    "# Rails\r\n"
    "en:\r\n"
    '  hello: "Hello, %{name}!"\r\n'
    "  plain: Just text # a comment\r\n"
    "  folded: This is a long\r\n"
    "    plain scalar\r\n"
    "  apostrophe: 'It''s'\r\n"
    "  block: |\r\n"
    "    Line one\r\n"
    "    Line two\r\n"
    "  list:\r\n"
    "    - a\r\n"
    "    - b\r\n"
    "  flag: true\r\n"
    "  inbox:\r\n"
    '    one: "%{count} message"\r\n'
    '    other: "%{count} messages"\r\n'
    "  nested:\r\n"
    "    deep:\r\n"
    "      key: Deep value\r\n"
)
RAILS_RU = (
    '\ufeffru:\r\n  hello: "Привет, %{name}!"\r\n  inbox:\r\n    one: "%{count} сообщение"\r\n'
)


def test_yaml_rails_file_is_filled_with_valid_yaml(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "en.yml").write_bytes(RAILS_EN.encode("utf-8"))
    target = tmp_path / "ru.yml"
    target.write_bytes(RAILS_RU.encode("utf-8"))
    cat = open_catalog(target)
    assert cat.target_language == "ru"
    source = {u.key: u.source for u in cat.units}
    assert source == {
        "hello": "Hello, %{name}!",
        "plain": "Just text",
        "folded": "This is a long plain scalar",
        "apostrophe": "It's",
        "block": "Line one\nLine two\n",
        "inbox.one": "%{count} message",
        "inbox.few": "%{count} messages",
        "inbox.many": "%{count} messages",
        "inbox.other": "%{count} messages",
        "nested.deep.key": "Deep value",
    }  # the list and the boolean are data
    [result], _stats = translate_paths([target], engine=UpperEngine())
    assert result.failures == []
    out = result.output
    assert out.startswith(RAILS_RU.encode("utf-8"))  # BOM and existing lines untouched
    assert b"\n" not in out.replace(b"\r\n", b"")
    doc = yaml.safe_load(out.decode("utf-8-sig"))["ru"]
    assert doc["inbox"] == {
        "one": "%{count} сообщение",
        "few": "%{count} MESSAGES",
        "many": "%{count} MESSAGES",
        "other": "%{count} MESSAGES",
    }
    assert doc["block"] == "LINE ONE\nLINE TWO\n"
    assert doc["apostrophe"] == "IT'S"
    assert doc["nested"] == {"deep": {"key": "DEEP VALUE"}}


def test_yaml_constructs_outside_the_subset_are_refused(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text("en:\n  a: &x Hello\n  b: *x\n", encoding="utf-8")
    (tmp_path / "ru.yml").write_text("ru:\n  a: Привет\n", encoding="utf-8")
    with pytest.raises(InputError):
        open_catalog(tmp_path / "ru.yml")
    result = _invoke("catalog", "audit", tmp_path / "ru.yml")
    assert result.exit_code == 4


def test_apple_strings_utf16_comments_bare_keys_and_escapes(tmp_path: Path) -> None:
    en = tmp_path / "en.lproj"
    ru = tmp_path / "ru.lproj"
    en.mkdir()
    ru.mkdir()
    (en / "Localizable.strings").write_text(
        '/* Greeting */\n"hello" = "Hello, %@!";\n// count\n"files" = "%1$lld files";\n'
        'bare_key = "Say \\"hi\\"\\n\\\\ done";\n',
        encoding="utf-8",
    )
    target = ru / "Localizable.strings"
    target.write_bytes('"hello" = "Привет, %@!";\n'.encode("utf-16"))  # with a BOM
    cat = open_catalog(target)
    assert cat.target_language == "ru"
    units = {u.key: u for u in cat.units}
    assert units["bare_key"].source == 'Say "hi"\n\\ done'
    assert units["files"].notes == ["count"]
    [result], _stats = translate_paths([target], engine=UpperEngine())
    assert result.failures == []
    assert result.output.startswith(b"\xff\xfe")  # still UTF-16 with its BOM
    assert result.output.decode("utf-16") == (
        '"hello" = "Привет, %@!";\n'
        '"files" = "%1$lld FILES";\n'
        '"bare_key" = "SAY \\"HI\\"\\n\\\\ DONE";\n'
    )
    bad = tmp_path / "de.lproj"
    bad.mkdir()
    (bad / "Localizable.strings").write_text('"hello" = "Hallo"\n"x" = "y";\n', encoding="utf-8")
    with pytest.raises(InputError, match="';' was expected"):
        open_catalog(bad / "Localizable.strings")


def test_audit_glossary_check_through_the_cli(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tru\nfile\tфайл\n", encoding="utf-8")
    target = _pair(
        tmp_path,
        '{"a": "Open the file", "b": "Save the file"}',
        '{"a": "Открыть документ", "b": "Сохранить файл"}',
        "x.json",
    )
    args = ["catalog", "audit", target, "--format", "json", "--fail-on", "warning"]
    result = _invoke(*args, "--glossary", glossary)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("catalog-glossary", 1)]
    assert "'file'" in findings[0]["message"]
    assert _invoke(*args, "--no-glossary").exit_code == 0


def test_translate_starts_a_missing_catalog_from_its_source(tmp_path: Path) -> None:
    source = tmp_path / "en.json"
    source.write_text('{\n  "a": "Open",\n  "n": "{n, plural, one {# day} other {# days}}"\n}\n')
    target = tmp_path / "ru.json"
    result = _invoke("catalog", "translate", target, "--source", source, "--engine", "identity")
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == {
        "a": "Open",
        "n": "{n, plural, one {# day} few {# days} many {# days} other {# days}}",
    }


def test_audit_sarif_is_valid_and_wrong_language_is_a_warning(tmp_path: Path) -> None:
    from tests.audit.test_sarif import _validate

    target = _pair(
        tmp_path,
        '{"a": "Delete all files now", "b": "Open"}',
        '{"a": "Видалити всі файли зараз", "b": ""}',
        "x.json",
    )
    result = _invoke("catalog", "audit", target, "--format", "sarif")
    assert result.exit_code == 1  # "b" is untranslated: an error
    log = json.loads(result.stdout)
    _validate(log)
    rules = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert rules == {"catalog-untranslated": "error", "catalog-wrong-language": "warning"}
