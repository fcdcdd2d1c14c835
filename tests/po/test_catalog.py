"""Catalog reading: strict validation, byte-identical rendering, gettext wrapping."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from tests.conftest import shared_data
from toolkit.errors import InputError
from toolkit.po.catalog import load_catalog, parse_catalog, render_catalog, wrap_field

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
    'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
    "\n"
)


def _parse(text: str) -> object:
    return parse_catalog(text.encode(), "t.po")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('msgid "open\nmsgstr ""\n', "unterminated string"),
        ('msgid "a\\qb"\nmsgstr ""\n', "invalid escape"),
        ('msgid "a"\n', "no msgstr"),
        ('#: x.c:1\nmsgstr "a"\n', "msgstr without msgid"),
        ('msgid "a"\nmsgstr "b"\nbogus line\n', "not PO syntax"),
        ('msgid "a"\nmsgstr[0] "b"\n', "msgstr[n]"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "duplicate"),
    ],
)
def test_syntax_errors_are_input_errors_with_a_line(body: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        _parse(HEADER + body)
    assert fragment in str(info.value)
    assert info.value.line is not None


def test_bad_header_line() -> None:
    text = 'msgid ""\nmsgstr ""\n"Language ru\\n"\n\nmsgid "a"\nmsgstr ""\n'
    with pytest.raises(InputError, match="bad header"):
        _parse(text)


def test_unknown_charset() -> None:
    text = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=NOPE-9\\n"\n'
    with pytest.raises(InputError, match="charset"):
        _parse(text)


def test_mo_file_is_rejected(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="б"))
    mo = tmp_path / "x.po"
    po.save_as_mofile(str(mo))
    with pytest.raises(InputError, match=r"\.mo"):
        load_catalog(mo)


PLURAL_ENTRY = (
    'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n'
)


def test_plural_entries_need_plural_forms() -> None:
    header = 'msgid ""\nmsgstr "Language: ru\\n"\n\n'
    with pytest.raises(InputError, match="Plural-Forms"):
        _parse(header + PLURAL_ENTRY)
    # without plural entries the header may lack it
    assert _parse(header + 'msgid "a"\nmsgstr ""\n').plural_forms is None


@pytest.mark.parametrize(
    "value",
    ["nplurals=3; plural=n%10==1 ? 0 :;", "nplurals=2; plural=n+5;", "plural=n!=1;", "nplurals=x"],
)
def test_broken_plural_forms(value: str) -> None:
    header = f'msgid ""\nmsgstr "Language: ru\\nPlural-Forms: {value}\\n"\n\n'
    with pytest.raises(InputError, match="Plural-Forms"):
        _parse(header + PLURAL_ENTRY)


def test_plural_forms_are_parsed() -> None:
    cat = _parse(HEADER + PLURAL_ENTRY)
    assert cat.plural_forms.nplurals == 3
    assert [cat.plural_forms.func(n) for n in (1, 2, 5, 11, 21, 22)] == [0, 1, 2, 2, 0, 1]


SAMPLE = (
    HEADER + "# translator comment\n"
    "#. extracted\n"
    "#: a.c:1 b.c:2\n"
    "#, c-format\n"
    '#| msgid "old"\n'
    'msgctxt "menu"\n'
    'msgid "Open %s"\n'
    'msgstr "Открыть %s"\n'
    "\n" + PLURAL_ENTRY + "\n"
    '#~ msgid "gone"\n'
    '#~ msgstr "ушло"\n'
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_unchanged_render_is_byte_identical(newline: str) -> None:
    data = SAMPLE.replace("\n", newline).encode()
    cat = parse_catalog(data, "t.po")
    assert render_catalog(cat, {}) == data
    # re-rendering every active entry unchanged also reproduces the file
    assert render_catalog(cat, dict(enumerate(cat.entries))) == data


def test_spans_cover_obsolete_and_context() -> None:
    cat = _parse(SAMPLE)
    assert [s.obsolete for s in cat.spans] == [False, False, True]
    first = cat.spans[0]
    assert cat.lines[first.start].startswith("# translator")
    assert cat.lines[first.flags].startswith("#, c-format")
    assert cat.lines[first.first_keyword].startswith("msgctxt")


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["bleachbit_be", "bleachbit_ru", "dpkg_ru", "pv_ru", "sphinx_ru"])
def test_shared_catalogs_round_trip(name: str) -> None:
    path = shared_data("po", f"{name}.po")
    cat = load_catalog(path)
    assert render_catalog(cat, {}) == path.read_bytes()
    # every entry re-rendered in the detected style: (nearly) all come out identical
    rerendered = render_catalog(cat, {i: e for i, e in enumerate(cat.entries)})
    a = path.read_bytes().decode().splitlines()
    b = rerendered.decode().splitlines()
    import difflib

    changed = sum(
        1
        for ln in difflib.unified_diff(a, b, n=0)
        if ln.startswith("-") and not ln.startswith("---")
    )
    assert changed <= 0.01 * len(a), f"{changed} lines differ"


msgcat = shutil.which("msgcat")


@pytest.mark.skipif(msgcat is None, reason="msgcat (GNU gettext) is not installed")
@pytest.mark.parametrize("width", [40, 79])
def test_wrapping_matches_gettext(tmp_path: Path, width: int) -> None:
    import random

    rng = random.Random(width)
    words = [
        "a",
        "bb",
        "ccc",
        "файл",
        "%s",
        "{0}",
        "x-y",
        "long-wordish",
        "\\n",
        '\\"q\\"',
        "tab\\t",
    ]
    strings = [" ".join(rng.choice(words) for _i in range(rng.randint(1, 40))) for _j in range(60)]
    body = "".join(f'msgid "k{i}"\nmsgstr "{s}"\n\n' for i, s in enumerate(strings))
    src = tmp_path / "w.po"
    src.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body)
    out = subprocess.run(
        [msgcat, f"--width={width}", str(src)], capture_output=True, text=True, check=True
    ).stdout
    cat = parse_catalog(out.encode(), "w.po")
    for entry, span in cat.active():
        expected = [ln.rstrip("\n") for ln in cat.lines[span.msgstr : span.end]]
        assert wrap_field("msgstr", entry.msgstr, width) == expected, entry.msgid
