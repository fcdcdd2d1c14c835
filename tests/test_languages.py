"""The language-code type: the forms users type, the known set, one error line."""

from __future__ import annotations

import pickle

import pytest

from toolkit.errors import ExitCode, UsageError
from toolkit.languages import ARGOS_CODES, ISO_639_1, Language, parse_languages


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_us.UTF-8", "en"),
        ("pt_BR", "pt"),
        ("pb", "pb"),
        ("ru-RU", "ru"),
        ("uk_UA", "uk"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hant", "zt"),
        ("zh-TW", "zt"),
        ("zh_Hant_HK", "zt"),
        ("zt", "zt"),
        ("no", "nb"),
        ("nb-NO", "nb"),
        ("iw", "he"),
        (" De ", "de"),
    ],
)
def test_forms_users_type(text: str, code: str) -> None:
    lang = Language.parse(text)
    assert lang == code
    assert type(lang) is Language
    assert Language(text) == code


@pytest.mark.parametrize("text", ["english", "xx", "e1", "!!", "", "-", "en!"])
def test_unknown_codes_are_one_usage_line(text: str) -> None:
    with pytest.raises(UsageError) as info:
        Language.parse(text)
    message = str(info.value)
    assert info.value.exit_code == ExitCode.USAGE
    assert "\n" not in message
    assert message.startswith(f"unknown language code {text!r}; use an ISO 639-1 code (en, ru,")
    assert "zt (Chinese, traditional)" in message


def test_the_known_set() -> None:
    assert len(ISO_639_1) == 184
    assert {"en", "ru", "uk", "be", "kk", "nb", "he", "id"} <= ISO_639_1
    assert {"zt", "pb"} == ARGOS_CODES
    assert Language.lookup("english") is None


def test_a_language_is_a_plain_str_to_everything_downstream() -> None:
    lang = Language.parse("EN")
    assert repr(lang) == "'en'"
    assert hash(lang) == hash("en")
    assert {"en": 1}[lang] == 1
    assert pickle.loads(pickle.dumps(lang)) == "en"


def test_candidate_lists() -> None:
    assert parse_languages("en, RU,uk,en-US") == ("en", "ru", "uk")
    assert parse_languages(["pt_BR", "zh-TW"]) == ("pt", "zt")
    with pytest.raises(UsageError, match="at least one"):
        parse_languages(" , ")
    with pytest.raises(UsageError, match="'xx'"):
        parse_languages("en,xx")
