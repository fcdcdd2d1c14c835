"""The po commands through the CLI: exit codes, one-line errors, files untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.po.test_translate import BODY, HEADER
from toolkit.cli import app

runner = CliRunner()


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "ru.po"
    path.write_text(HEADER + BODY, encoding="utf-8")
    return path


def _invoke(*args: str) -> object:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_translate_in_place(catalog: Path) -> None:
    result = _invoke("po", "translate", catalog, "--engine", "identity")
    assert result.exit_code == 0, result.output
    assert "filled 9" in result.output
    po = polib.pofile(str(catalog))
    assert all(e.translated() or "fuzzy" in e.flags for e in po if not e.obsolete)


def test_translate_dry_run_writes_nothing(catalog: Path) -> None:
    before = catalog.read_bytes()
    result = _invoke("po", "translate", catalog, "--engine", "identity", "--dry-run")
    assert result.exit_code == 0
    assert "+#, fuzzy, c-format" in result.output
    assert '+msgstr "Hello %(name)s"' in result.output
    assert catalog.read_bytes() == before


def test_translate_json_and_output(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.po"
    before = catalog.read_bytes()
    result = _invoke("po", "translate", catalog, "--engine", "identity", "--json", "-o", out)
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary[0]["filled"] == 9
    assert summary[0]["target"] == "ru"
    assert catalog.read_bytes() == before
    assert out.read_bytes() != before


def test_complete_catalog_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "done.po"
    path.write_text(HEADER + 'msgid "a"\nmsgstr "б"\n', encoding="utf-8")
    before = path.stat().st_mtime_ns
    assert _invoke("po", "translate", path, "--engine", "identity").exit_code == 0
    assert path.stat().st_mtime_ns == before


BAD = {
    "unterminated": HEADER + 'msgid "open\nmsgstr ""\n',
    "escape": HEADER + 'msgid "a\\qb"\nmsgstr ""\n',
    "header": 'msgid ""\nmsgstr "Language ru\\n"\n\nmsgid "a"\nmsgstr ""\n',
    "no-plural-forms": 'msgid ""\nmsgstr "Language: ru\\n"\n\n'
    'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n',
    "broken-plural-forms": 'msgid ""\nmsgstr "Language: ru\\n"\n'
    '"Plural-Forms: nplurals=2; plural=n+7;\\n"\n\n'
    'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n',
}


@pytest.mark.parametrize("command", ["translate", "audit"])
@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_one_line_exit_4(tmp_path: Path, kind: str, command: str) -> None:
    path = tmp_path / "bad.po"
    path.write_text(BAD[kind], encoding="utf-8")
    before = path.read_bytes()
    args = ["po", command, path] + (["--engine", "identity"] if command == "translate" else [])
    result = _invoke(*args)
    assert result.exit_code == 4, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr
    assert path.read_bytes() == before


def test_mo_passed_as_po(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    po.append(polib.POEntry(msgid="a", msgstr="б"))
    path = tmp_path / "x.po"
    po.save_as_mofile(str(path))
    before = path.read_bytes()
    result = _invoke("po", "translate", path, "--engine", "identity")
    assert result.exit_code == 4
    assert ".mo" in result.stderr
    assert path.read_bytes() == before


def test_missing_file_and_missing_language(tmp_path: Path) -> None:
    assert _invoke("po", "audit", tmp_path / "nope.po").exit_code == 5
    path = tmp_path / "x.po"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr ""\n'
    )
    result = _invoke("po", "translate", path, "--engine", "identity")
    assert result.exit_code == 2
    assert "--lang" in result.stderr
    assert _invoke("po", "translate", path, "--engine", "identity", "--lang", "de").exit_code == 0
    # --to stays as an alias of --lang; two different languages are refused
    assert _invoke("po", "translate", path, "--engine", "identity", "--to", "DE").exit_code == 0
    both = _invoke("po", "translate", path, "--engine", "identity", "--to", "de", "--lang", "fr")
    assert both.exit_code == 2


def test_read_only_catalog_is_an_io_error(catalog: Path) -> None:
    catalog.chmod(0o444)
    try:
        result = _invoke("po", "translate", catalog, "--engine", "identity")
        if result.exit_code != 0:  # root may write anyway
            assert result.exit_code == 5
    finally:
        catalog.chmod(0o644)


def test_audit_exit_codes_and_formats(catalog: Path) -> None:
    result = _invoke("po", "audit", catalog)
    assert result.exit_code == 1  # untranslated entries are errors
    assert "po-untranslated" in result.stdout
    assert "translated" in result.stdout
    assert "words" in result.stdout
    data = json.loads(_invoke("po", "audit", catalog, "--format", "json").stdout)
    assert data["counts"][str(catalog)]["untranslated"] == 9
    sarif = json.loads(_invoke("po", "audit", catalog, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"po-untranslated", "po-fuzzy"}
    gh = _invoke("po", "audit", catalog, "--format", "github").stdout
    assert gh.startswith("::error file=")


def test_audit_fail_on(tmp_path: Path) -> None:
    path = tmp_path / "ru.po"
    path.write_text(HEADER + '#, fuzzy\nmsgid "a b"\nmsgstr "в г"\n', encoding="utf-8")
    assert _invoke("po", "audit", path).exit_code == 0
    assert _invoke("po", "audit", path, "--fail-on", "warning").exit_code == 1


def test_audit_walks_folders_for_po_only(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "a.po").write_text(HEADER + 'msgid "a b"\nmsgstr "в г"\n', encoding="utf-8")
    (tmp_path / "t.pot").write_text('msgid ""\nmsgstr ""\n\nmsgid "x"\nmsgstr ""\n')
    result = _invoke("po", "audit", tmp_path)
    assert result.exit_code == 0, result.output
    assert "a.po" in result.stdout
    assert "t.pot" not in result.stdout


def test_audit_reports_the_good_catalogs_when_one_is_bad(tmp_path: Path) -> None:
    """One audit for documents and catalogs: a broken catalog is one stderr line and
    its exit code; the others are still audited and reported."""
    (tmp_path / "good.po").write_text(HEADER + 'msgid "Open"\nmsgstr ""\n', encoding="utf-8")
    (tmp_path / "bad.po").write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Заметки на русском языке.\n", encoding="utf-8")
    result = _invoke("po", "audit", tmp_path)
    assert result.exit_code == 4, result.output
    assert "good.po" in result.stdout
    assert "po-untranslated" in result.stdout
    assert "notes.txt" not in result.output  # po audit reads catalogs only
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert "bad.po:2" in errors[0]


def test_audit_honours_inline_markers(tmp_path: Path) -> None:
    path = tmp_path / "ru.po"
    path.write_text(
        HEADER + '# tolmach: ignore\nmsgid "Open"\nmsgstr ""\n\nmsgid "Close"\nmsgstr ""\n',
        encoding="utf-8",
    )
    data = json.loads(_invoke("po", "audit", path, "--format", "json").stdout)
    assert [f["text"] for f in data["findings"]] == ["Close"]


def test_subprocess_error_has_no_traceback(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    path = tmp_path / "bad.po"
    path.write_text(BAD["unterminated"], encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "po", "audit", str(path)],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
