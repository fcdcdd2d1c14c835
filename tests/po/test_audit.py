"""po audit: one finding per problem, counts that agree with msgfmt, pluggable checks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import shared_data
from toolkit.audit.catalogs import RULES, audit_catalog, detected_language, naturally_identical
from toolkit.findings import Severity

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
    'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
    "\n"
)

BODY = """\
msgid "Fine"
msgstr "Хорошо"

msgid "Missing"
msgstr ""

#, fuzzy
msgid "Pending"
msgstr "Ожидает"

msgid "Left as is"
msgstr "Left as is"

msgid "https://example.org"
msgstr "https://example.org"

msgid "%s: %d"
msgstr "%s: %d"

#, c-format
msgid "Copied %s of %d"
msgstr "Скопировано %s"

#, c-format
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d файл"
msgstr[1] "%d файла"

msgid "Delete the file"
msgstr "Delete it now"

msgid "Delete"
msgstr "Видалити всі"

msgid "The OSCE statement"
msgstr "Заявление ОБСЕ"

msgid "The CSTO statement"
msgstr "Заявление CSTO"
"""


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "ru.po"
    path.write_text(HEADER + BODY, encoding="utf-8")
    return path


def _rules(findings: list) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f.text)
    return out


def test_each_rule_finds_its_entry(catalog: Path) -> None:
    result = audit_catalog(catalog)
    rules = _rules(result.findings)
    assert rules["po-untranslated"] == ["Missing"]
    assert rules["po-fuzzy"] == ["Pending"]
    assert rules["po-unchanged"] == ["Left as is"]  # URL and format-only are natural
    assert rules["po-placeholder"] == ["Скопировано %s"]
    assert rules["po-plural-count"] == ["%d file"]
    assert rules["po-wrong-language"] == ["Delete it now", "Видалити всі"]
    assert "po-glossary" not in rules  # no glossary given: the check does not run
    assert result.counts.translated == 10
    assert result.counts.fuzzy == 1
    assert result.counts.untranslated == 1
    assert result.counts.untranslated_words == 1
    untranslated = next(f for f in result.findings if f.rule == "po-untranslated")
    assert untranslated.line == 10
    assert untranslated.severity is Severity.ERROR


def test_glossary_check_is_pluggable(catalog: Path) -> None:
    terms = {"OSCE": "ОБСЕ", "CSTO": "ОДКБ"}

    def glossary(source: str, translated: str) -> list[str]:
        return [
            f"{en} should be {ru}"
            for en, ru in terms.items()
            if en in source and ru not in translated
        ]

    rules = _rules(audit_catalog(catalog, glossary=glossary).findings)
    assert rules["po-glossary"] == ["Заявление CSTO"]


def test_language_check_is_pluggable(catalog: Path) -> None:
    result = audit_catalog(catalog, guess_language=lambda text: None)
    assert "po-wrong-language" not in _rules(result.findings)
    result = audit_catalog(catalog, guess_language=lambda text: "uk" if "Хорошо" in text else "ru")
    assert _rules(result.findings)["po-wrong-language"] == ["Хорошо"]
    result = audit_catalog(catalog, rules=[r.id for r in RULES if r.id != "po-wrong-language"])
    assert "po-wrong-language" not in _rules(result.findings)


def test_rule_selection(catalog: Path) -> None:
    result = audit_catalog(catalog, rules=["po-fuzzy"])
    assert {f.rule for f in result.findings} == {"po-fuzzy"}
    assert {r.id for r in RULES} >= {"po-untranslated", "po-glossary", "po-wrong-language"}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Delete the file", "ru", "en"),
        ("Видалити файл із диска", "ru", "uk"),
        ("Выдаліць файл ў кошык", "ru", "be"),
        ("Удалить файл", "ru", None),
        ("Удалить %s", "ru", None),
        ("Удалить выбранный файл", "uk", "ru"),
        ("Delete", "de", None),
        ("%s", "ru", None),
    ],
)
def test_detected_language(text: str, lang: str, expected: str | None) -> None:
    assert detected_language(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "natural"),
    [
        ("42", True),
        ("https://x.org/a", True),
        ("%s: %d", True),
        ("CPU", True),
        ("UTF-8", True),
        ("…", True),
        ("Cookies", False),
        ("Open file", False),
    ],
)
def test_naturally_identical(text: str, natural: bool) -> None:
    assert naturally_identical(text) is natural


MSGFMT = shutil.which("msgfmt")


@pytest.mark.shared_data
@pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")
@pytest.mark.parametrize("name", ["bleachbit_be", "bleachbit_ru", "dpkg_ru", "pv_ru", "sphinx_ru"])
def test_counts_agree_with_msgfmt_statistics(name: str) -> None:
    path = shared_data("po", f"{name}.po")
    proc = subprocess.run(
        [MSGFMT, "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    stats = {
        kind: int(m.group(1)) if (m := re.search(rf"(\d+) {kind}", proc.stderr)) else 0
        for kind in ("translated", "fuzzy", "untranslated")
    }
    counts = audit_catalog(path).counts
    assert (counts.translated, counts.fuzzy, counts.untranslated) == (
        stats["translated"],
        stats["fuzzy"],
        stats["untranslated"],
    )
    findings = audit_catalog(path).findings
    assert sum(f.rule == "po-untranslated" for f in findings) == counts.untranslated
    assert sum(f.rule == "po-fuzzy" for f in findings) == counts.fuzzy
