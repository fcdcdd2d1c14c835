"""po translate: fill untranslated entries, never touch reviewed ones, keep placeholders."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import shared_data
from tests.po.helpers import entry_blocks
from tests.support.engines import (
    DropSentinelEngine,
    DuplicateSentinelEngine,
    FixedEngine,
    UpperEngine,
)
from toolkit.engines.identity import IdentityEngine
from toolkit.errors import UsageError
from toolkit.po import placeholders
from toolkit.po.translate import translate_catalogs

HEADER = (
    "# Sample catalog\n"
    'msgid ""\n'
    'msgstr ""\n'
    '"Project-Id-Version: sample 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ru\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
    'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n'
    "\n"
)

BODY = """\
#: a.c:1
msgid "Open file"
msgstr "Открыть файл"

#: a.c:2
#, c-format
msgid "Copied %s of %d bytes"
msgstr ""

#, python-format
msgid "Hello %(name)s"
msgstr ""

msgid "Move {src} to {dst}"
msgstr ""

msgid "<b>Bold</b> move"
msgstr ""

msgid "  indented line\\nsecond line\\n"
msgstr ""

msgctxt "menu"
msgid "Open"
msgstr ""

msgctxt "verb"
msgid "Open"
msgstr "Открыть"

#, fuzzy
#| msgid "Old text"
msgid "New text"
msgstr "Старый текст"

#, c-format
msgid "%d file"
msgid_plural "%d files"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""

msgid "One item"
msgid_plural "%d items"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""

msgid "%%"
msgstr ""

#~ msgid "Gone"
#~ msgstr ""
"""


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "ru.po"
    path.write_text(HEADER + BODY, encoding="utf-8")
    return path


def _run(path: Path, engine: object = None, **kw: object) -> object:
    results, _stats = translate_catalogs([path], engine=engine or UpperEngine(), **kw)
    return results[0]


def test_fills_untranslated_and_keeps_the_rest(catalog: Path) -> None:
    before = catalog.read_bytes()
    r = _run(catalog)
    assert r.filled == r.candidates == 9
    assert not r.failures
    old, new = entry_blocks(before), entry_blocks(r.output)
    assert old.keys() == new.keys()
    for key, (block, entry) in old.items():
        new_block, new_entry = new[key]
        if entry.translated() or "fuzzy" in entry.flags:
            assert new_block == block, key  # reviewed and fuzzy work untouched
        else:
            assert "fuzzy" in new_entry.flags, key
            assert new_block != block
    by_id = {k[1] if k[0] is None else k: v[1] for k, v in new.items()}
    assert by_id["Copied %s of %d bytes"].msgstr == "COPIED %s OF %d BYTES"
    assert by_id["Copied %s of %d bytes"].flags == ["fuzzy", "c-format"]
    assert by_id["Hello %(name)s"].msgstr == "HELLO %(name)s"
    assert by_id["Move {src} to {dst}"].msgstr == "MOVE {src} TO {dst}"
    assert by_id["<b>Bold</b> move"].msgstr == "<b>BOLD</b> MOVE"
    assert by_id["  indented line\nsecond line\n"].msgstr == "  INDENTED LINE\nSECOND LINE\n"
    assert by_id["menu", "Open"].msgstr == "OPEN"
    assert by_id["%%"].msgstr == "%%"
    assert by_id["%d file"].msgstr_plural == {0: "%d FILE", 1: "%d FILES", 2: "%d FILES"}
    # msgid lacks %d: every form comes from msgid_plural, so %d stays where n varies
    assert by_id["One item"].msgstr_plural == {0: "%d ITEMS", 1: "%d ITEMS", 2: "%d ITEMS"}
    assert '#~ msgid "Gone"\n#~ msgstr ""\n' in r.output.decode()
    assert '#| msgid "Old text"' in r.output.decode()


def test_nothing_is_written_by_the_library(catalog: Path) -> None:
    before = catalog.read_bytes()
    _run(catalog)
    assert catalog.read_bytes() == before


def test_no_fuzzy_and_overwrite_fuzzy(catalog: Path) -> None:
    r = _run(catalog, overwrite_fuzzy=True, mark_fuzzy=False)
    new = entry_blocks(r.output)
    entry = new[None, "New text"][1]
    assert entry.msgstr == "NEW TEXT"
    assert "fuzzy" not in entry.flags
    assert '#| msgid "Old text"' in new[None, "New text"][0].decode()
    assert "fuzzy" not in new[None, "Copied %s of %d bytes"][1].flags


@pytest.mark.parametrize("engine", [DropSentinelEngine(), DuplicateSentinelEngine()])
def test_broken_placeholders_leave_the_entry_untranslated(catalog: Path, engine: object) -> None:
    r = _run(catalog, engine=engine)
    failed = {f.msgid for f in r.failures}
    assert "Copied %s of %d bytes" in failed
    assert "Hello %(name)s" in failed
    new = entry_blocks(r.output)
    for msgid in failed:
        assert new[None, msgid][1].msgstr in ("", None) or not any(
            new[None, msgid][1].msgstr_plural.values()
        )
    assert new[None, "  indented line\nsecond line\n"][1].msgstr  # no placeholders: written


def test_legacy_charset_is_kept(tmp_path: Path) -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KOI8-R\\n"\n"Language: ru\\n"\n\n'
        'msgid "Open"\nmsgstr "Открыть"\n\nmsgid "Close"\nmsgstr ""\n'
    )
    path = tmp_path / "koi.po"
    path.write_bytes(text.encode("koi8-r"))
    r = _run(path, engine=IdentityEngine())
    assert r.filled == 1
    assert r.output.decode("koi8-r") == text.replace(
        'msgid "Close"\nmsgstr ""', '#, fuzzy\nmsgid "Close"\nmsgstr "Close"'
    )


def test_unencodable_translation_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
        '"Language: de\\n"\n\nmsgid "Close"\nmsgstr ""\n'
    )
    path = tmp_path / "de.po"
    path.write_bytes(text.encode("latin-1"))
    r = _run(path, engine=FixedEngine("Закрыть"))
    assert r.filled == 0
    assert "charset" in r.failures[0].reason
    assert r.output == path.read_bytes()


def test_missing_language_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr ""\n'
    )
    with pytest.raises(UsageError):
        _run(path)
    assert _run(path, target="de").filled == 1


def test_one_batched_engine_call_for_several_catalogs(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        p = tmp_path / f"c{i}.po"
        p.write_text(HEADER + BODY, encoding="utf-8")
        paths.append(p)
    engine = IdentityEngine()
    results, stats = translate_catalogs(paths, engine=engine, batch_size=1000)
    assert engine.calls == 1
    assert stats.texts == 3 * stats.unique
    assert all(r.filled == 9 for r in results)


def _placeholder_counter(text: str, flags: list[str]) -> Counter[str]:
    return Counter(placeholders.find(text, flags))


MSGFMT = shutil.which("msgfmt")
NAMES = ["bleachbit_be", "bleachbit_ru", "dpkg_ru", "pv_ru", "sphinx_ru"]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fuzzy", [True, False])
def test_shared_catalogs(name: str, fuzzy: bool, tmp_path: Path) -> None:
    src = shared_data("po", f"{name}.po")
    before = src.read_bytes()
    r = _run(src, engine=IdentityEngine(), mark_fuzzy=fuzzy)
    assert not r.failures
    old, new = entry_blocks(before), entry_blocks(r.output)
    assert old.keys() == new.keys()
    written = 0
    for key, (block, entry) in old.items():
        new_block, new_entry = new[key]
        if new_block == block:
            continue
        written += 1
        assert not entry.translated(), key
        assert "fuzzy" not in entry.flags, key
        assert ("fuzzy" in new_entry.flags) is fuzzy
        flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            for text in new_entry.msgstr_plural.values():
                assert _placeholder_counter(text, flags) == _placeholder_counter(
                    entry.msgid_plural, flags
                ) or _placeholder_counter(text, flags) == _placeholder_counter(entry.msgid, flags)
        else:
            assert _placeholder_counter(new_entry.msgstr, flags) == _placeholder_counter(
                entry.msgid, flags
            )
    assert written == r.filled == r.candidates
    if name == "bleachbit_ru":
        assert r.output == before  # complete catalog: byte-identical
    if MSGFMT:
        out = tmp_path / "out.po"
        out.write_bytes(r.output)
        proc = subprocess.run(
            [MSGFMT, "--check-format", "--check-header", "-o", "/dev/null", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(MSGFMT is None, reason="msgfmt (GNU gettext) is not installed")
def test_sample_passes_msgfmt_check(catalog: Path, tmp_path: Path) -> None:
    r = _run(catalog, mark_fuzzy=False)
    out = tmp_path / "out.po"
    out.write_bytes(r.output)
    proc = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
