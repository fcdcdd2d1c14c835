"""`tolmach detect`: output, exit codes, bad input."""

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


def run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["detect", *args])
    assert "Traceback" not in result.output
    return result


def test_example_article_reports_exactly_the_russian_line() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    line_no = lines.index("Заголовок открываемого материала") + 1
    result = run(str(EXAMPLE), "--expect", "en")
    assert result.exit_code == 0
    out = result.stdout.strip().splitlines()
    assert out == [f"{EXAMPLE}:{line_no}:1  ru  1.00  Заголовок открываемого материала"]
    # the same without --expect: the majority language is English
    assert run(str(EXAMPLE)).stdout.strip().splitlines() == out


def test_json_lines_fields() -> None:
    result = run(str(EXAMPLE), "--format", "json", "--all")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {tuple(sorted(r)) for r in rows} == {
        tuple(
            sorted(
                ["file", "line", "column", "end_line", "end_column", "offset", "end", "lang",
                     "confidence", "detector",
                 "text", "expected", "foreign", "kind", "segment"]
            )
        )
    }  # fmt: skip
    text = EXAMPLE.read_text(encoding="utf-8")
    for r in rows:
        # the text as a reader sees it: wrapped lines read as one
        assert " ".join(text[r["offset"] : r["end"]].split()) == r["text"]
    foreign = [r for r in rows if r["foreign"]]
    assert [(r["lang"], r["text"]) for r in foreign] == [("ru", "Заголовок открываемого материала")]
    zero = next(r for r in rows if r["text"] == "0")
    assert zero["lang"] is None
    assert not zero["foreign"]


def test_folder_walk_with_include_exclude(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello there, how are you today?\nПривет всем\n", "utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nSome text here.\n\nЕщё текст\n", "utf-8")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    result = run(str(tmp_path), "--expect", "en")
    assert result.exit_code == 0
    assert "a.txt:2:1  ru" in result.stdout
    assert "b.md:5:1  ru" in result.stdout
    only_md = run(str(tmp_path), "--expect", "en", "--include", "*.md")
    assert "a.txt" not in only_md.stdout
    assert "b.md" in only_md.stdout
    no_md = run(str(tmp_path), "--expect", "en", "--exclude", "*.md")
    assert "b.md" not in no_md.stdout
    assert "a.txt" in no_md.stdout


def test_input_format_override(tmp_path: Path) -> None:
    page = tmp_path / "page.data"
    page.write_text("<p>Hello world</p><p>Привет мир</p>", "utf-8")
    result = run(str(page), "--input-format", "html", "--expect", "en")
    assert result.exit_code == 0
    assert "ru" in result.stdout
    assert "<p>" not in result.stdout
    assert run(str(page)).exit_code == 2  # unknown extension, no override


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("binary.txt", b"\x00\x01\x02binary\x00", 4, "binary"),
        ("latin.txt", "caf\xe9 na\xefve".encode("latin-1"), 4, "not UTF-8"),
        ("empty.txt", b"", 4, "empty"),
        ("blank.md", b"  \n\n", 4, "empty"),
    ],
)
def test_bad_input_one_line(
    tmp_path: Path, name: str, data: bytes, code: int, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run(str(path))
    assert result.exit_code == code
    err = result.stderr.strip().splitlines()
    assert len(err) == 1
    assert message in err[0]
    assert str(path) in err[0]


def test_declared_html_charset_is_tried(tmp_path: Path) -> None:
    page = tmp_path / "cp1251.html"
    page.write_bytes(
        '<html lang="en"><head><meta charset="windows-1251"></head>'
        "<body><p>Welcome to our site</p><p>Добро пожаловать на сайт</p></body></html>".encode(
            "cp1251"
        )
    )
    result = run(str(page))
    assert result.exit_code == 0
    assert "ru" in result.stdout
    assert "Добро пожаловать на сайт" in result.stdout


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    result = run(str(bad), str(tmp_path / "missing.txt"), str(EXAMPLE))
    assert result.exit_code == 5  # the highest failure code (4 binary, 5 missing)
    assert "Заголовок" in result.stdout
    err = result.stderr.strip().splitlines()
    assert len(err) == 2
    assert "binary" in err[0]
    assert "no such file" in err[1]


def test_missing_file_is_io_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.txt"))
    assert result.exit_code == 5
    assert len(result.stderr.strip().splitlines()) == 1


def test_folder_without_matches(tmp_path: Path) -> None:
    (tmp_path / "x.bin").write_bytes(b"1")
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "no matching files" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--languages", "en,!!"],
        ["--input-format", "xlsx"],
        ["--max-size", "0"],
    ],
)
def test_usage_errors(args: list[str]) -> None:
    result = run(str(EXAMPLE), *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)  # 1.5 MB
    result = run(str(big), "--max-size", "1")
    assert result.exit_code == 4
    assert "too large" in result.stderr


@pytest.mark.slow
def test_fifty_megabyte_file_bounded_memory(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    """A 50 MB file: refused by default in bounded memory (peak RSS measured)."""
    big = tmp_path / "big.txt"
    line = b"The quick brown fox jumps over the lazy dog near the river bank.\n"
    with big.open("wb") as fh:
        for _ in range(50_000_000 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size >= 50_000_000
    probe = (
        "import resource, sys\n"
        "from toolkit.cli import main\n"
        "sys.argv = ['tolmach', 'detect', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        # VmHWM: this process image's peak (ru_maxrss keeps the forking parent's peak)
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    peak = int(status.split()[0])\n"
        "except (OSError, IndexError):\n    pass\n"
        "print('PEAK', peak, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(big)],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    err = proc.stderr.strip().splitlines()
    peak_kb = int(err[-1].split()[1])
    assert proc.returncode == 4
    assert len(err) == 2
    assert "too large" in err[0]
    assert "Traceback" not in proc.stderr
    print(f"peak RSS for a 50 MB file: {peak_kb / 1024:.0f} MiB")
    assert peak_kb < 200 * 1024


@pytest.mark.parametrize(
    ("name", "line", "column"), [("article.html", 32, 24), ("article.md", 21, 3)]
)
def test_html_and_markdown_examples_report_only_the_caption(
    name: str, line: int, column: int
) -> None:
    path = ROOT / "examples" / name
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["line"], r["column"], r["lang"], r["text"]) for r in rows] == [
        (line, column, "ru", "Заголовок открываемого материала")
    ]


def test_russian_page_with_expect_ru_reports_nothing(tmp_path: Path) -> None:
    page = tmp_path / "ru.html"
    page.write_text(
        '<html lang="ru"><head><title>Новости дня</title></head><body>'
        "<nav><a href='/'>Главная</a> <a href='/news'>Новости</a> "
        "<a href='/en/' lang='en'>English</a></nav>"
        "<h1>Переговоры в Вене завершились без совместного заявления</h1>"
        "<p>Министры иностранных дел стран ОБСЕ завершили двухдневные переговоры в Вене, "
        "так и не согласовав совместную декларацию.</p><p>Войти</p><p>Чаты</p><p>0</p>"
        "</body></html>",
        "utf-8",
    )
    result = run(str(page), "--expect", "ru")
    assert result.exit_code == 0
    assert result.stdout == ""
    everything = run(str(page), "--expect", "ru", "--all", "--format", "json").stdout
    langs = {json.loads(x)["text"]: json.loads(x)["lang"] for x in everything.splitlines()}
    assert langs["Войти"] == "ru"
    assert langs["Чаты"] == "ru"
    assert langs["English"] == "en"
    assert langs["0"] is None
