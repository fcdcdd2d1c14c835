"""`tolmach audit` through the CLI: reports, exit codes, baselines, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import app

EXAMPLE = ROOT / "examples" / "article.txt"


def run(*args: object):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["audit", *[str(a) for a in args]])
    assert "Traceback" not in result.output
    return result


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_example_article_text_report_and_exit_1() -> None:
    result = run(EXAMPLE, "--expect", "en")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == str(EXAMPLE)
    assert lines[1].split()[:2] == ["22:1", "error"]
    assert "untranslated-fragment" in lines[1]
    assert '"Заголовок открываемого материала"' in result.stdout
    assert f"fix: tolmach translate {EXAMPLE} --to en" in result.stdout
    assert "1 error, 0 warnings in 1 file" in result.stderr
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_clean_file_exits_0(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.md", "# Title\n\nAll of this is English text.\n")
    result = run(path, "--expect", "en")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_fail_on_levels(tmp_path: Path) -> None:
    path = _write(tmp_path / "w.txt", "Welcome to the site.\n\nStraße\n")
    assert run(path, "-e", "en").exit_code == 0  # a warning only
    assert run(path, "-e", "en", "--fail-on", "warning").exit_code == 1
    assert run(path, "-e", "en", "--fail-on", "info").exit_code == 1


def test_json_report(tmp_path: Path) -> None:
    result = run(EXAMPLE, "-e", "en", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (finding,) = data["findings"]
    assert finding["rule"] == "untranslated-fragment"
    assert (finding["line"], finding["column"], finding["lang"]) == (22, 1, "ru")
    assert finding["fix"] == f"tolmach translate {EXAMPLE} --to en"
    assert data["counts"]["files"] == 1
    assert data["counts"]["error"] == 1


def test_github_annotations() -> None:
    result = run(EXAMPLE, "-e", "en", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file={EXAMPLE},line=22,col=1,title=untranslated-fragment::"
        "text in ru (confidence 1.00); the document is in en"
    ]


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = run(EXAMPLE, "-e", "en", "--format", "sarif", "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert "1 error" in result.stderr


def test_baseline_accepts_existing_findings_and_fails_on_new_ones(tmp_path: Path) -> None:
    doc = _write(
        tmp_path / "page.md",
        "# News\n\nThe talks ended on Friday.\n\nЗаголовок открываемого материала\n",
    )
    baseline = tmp_path / "baseline.json"
    first = run(doc, "-e", "en", "--baseline", baseline)
    assert first.exit_code == 0
    assert "wrote 1 finding to the baseline" in first.stderr
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"][0]["text"] == (
        "Заголовок открываемого материала"
    )
    second = run(doc, "-e", "en", "--baseline", baseline)
    assert second.exit_code == 0
    assert "1 accepted by the baseline" in second.stderr
    # a line moved: still the same finding
    doc.write_text("# News\n\n\n" + doc.read_text(encoding="utf-8")[8:], encoding="utf-8")
    assert run(doc, "-e", "en", "--baseline", baseline).exit_code == 0
    # a new foreign sentence fails the build
    with doc.open("a", encoding="utf-8") as fh:
        fh.write("\nМинистры провели переговоры в Вене и не договорились.\n")
    third = run(doc, "-e", "en", "--baseline", baseline)
    assert third.exit_code == 1
    assert "Министры провели переговоры" in third.stdout
    assert "Заголовок" not in third.stdout
    # --update-baseline accepts it
    assert run(doc, "-e", "en", "--baseline", baseline, "--update-baseline").exit_code == 0
    assert run(doc, "-e", "en", "--baseline", baseline).exit_code == 0


def test_bad_baseline_is_bad_input(tmp_path: Path) -> None:
    bad = _write(tmp_path / "b.json", "not json")
    result = run(EXAMPLE, "-e", "en", "--baseline", bad)
    assert result.exit_code == 4
    assert "not a tolmach baseline file" in result.stderr


def test_ignore_option(tmp_path: Path) -> None:
    result = run(EXAMPLE, "-e", "en", "--ignore", "^Заголовок")
    assert result.exit_code == 0
    assert "1 suppressed" in result.stderr


def test_source_and_glossary_options(tmp_path: Path) -> None:
    src = _write(tmp_path / "ru.txt", "Заявление ОДКБ опубликовано.\n")
    dst = _write(tmp_path / "en.txt", "The statement was published.\n")
    result = run(dst, "-e", "en", "--source", src, "--glossary", "international-organizations")
    assert result.exit_code == 1
    assert "glossary-missing-term" in result.stdout
    assert "fix: Collective Security Treaty Organization" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--expect", "en", "--format", "xml"], 2, ""),
        (["--expect", "e1"], 2, "language code"),
        (["--ignore", "("], 2, "not a regular expression"),
        (["--update-baseline"], 2, "--update-baseline needs --baseline"),
        (["--languages", "en,!!"], 2, "unknown language code"),
        (["--source", "/nonexistent/src.txt"], 5, "no such file"),
        (["--no-glossary", "--source", "x.txt"], 2, "--no-glossary"),
    ],
)
def test_usage_and_io_errors(args: list[str], code: int, needle: str) -> None:
    result = run(EXAMPLE, *args)
    assert result.exit_code == code
    assert needle in result.output


def test_bad_file_one_line_and_others_audited(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\xff\x00binary" * 100)
    _write(tmp_path / "good.txt", "English text.\n\nЗаголовок открываемого материала\n")
    result = run(tmp_path, "-e", "en")
    assert result.exit_code == 4
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert "bad.txt" in errors[0]
    assert "good.txt" in result.stdout


def test_missing_file_is_exit_5(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.md", "-e", "en")
    assert result.exit_code == 5
    assert "no such file" in result.stderr


def test_po_audit_takes_a_glossary(tmp_path: Path) -> None:
    po = _write(
        tmp_path / "ru.po",
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "The CSTO statement"\nmsgstr "Заявление организации"\n',
    )
    args = ["po", "audit", str(po), "--fail-on", "warning"]
    with_glossary = CliRunner().invoke(app, [*args, "--glossary", "international-organizations"])
    assert with_glossary.exit_code == 1
    assert "po-glossary" in with_glossary.stdout
    assert "ОДКБ" in with_glossary.stdout
    without = CliRunner().invoke(app, [*args, "--no-glossary"])
    assert without.exit_code == 0


def test_subprocess_exit_code_and_no_traceback(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    (tmp_path / "bad.html").write_bytes(b"\x00\x00\x00\x00" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "audit", str(tmp_path / "bad.html"), "-e", "en"],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") <= 1
