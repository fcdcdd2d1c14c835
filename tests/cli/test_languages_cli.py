"""One language-code type at every entry, tested through the CLI.

``--to EN`` and ``--to en-US`` reach the ru→en package; ``english`` is one
line and exit 2, the same line in every command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import app
from toolkit.engines.argos import clear_cache
from toolkit.errors import ExitCode

EXAMPLE = ROOT / "examples" / "article.txt"
CATALOG = ROOT / "locales" / "ru" / "LC_MESSAGES" / "tolmach.po"
UNKNOWN = (
    "tolmach: error: unknown language code 'english'; use an ISO 639-1 code "
    "(en, ru, uk, be, de, fr, es, it, pl, pt, zh, ja, ...) or Argos' zt "
    "(Chinese, traditional) or pb (Portuguese, Brazil)"
)


@pytest.fixture(autouse=True)
def _fresh_engine_cache():  # type: ignore[no-untyped-def]
    clear_cache()
    yield
    clear_cache()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["translate", str(EXAMPLE), "--to", "english"],
        ["translate", str(EXAMPLE), "--to", "en", "--from", "english"],
        ["translate", str(EXAMPLE), "--to", "en", "--languages", "en,english"],
        ["detect", str(EXAMPLE), "--expect", "english"],
        ["detect", str(EXAMPLE), "--languages", "english,ru"],
        ["audit", str(EXAMPLE), "--expect", "english"],
        ["audit", str(EXAMPLE), "--languages", "ru,english"],
        ["glossary", "list", "--lang", "english"],
        ["glossary", "show", "ОДКБ", "--lang", "english"],
        ["glossary", "add", "-t", "english=x"],
        ["po", "translate", str(CATALOG), "--lang", "english", "--dry-run"],
        ["po", "translate", str(CATALOG), "--to", "english", "--dry-run"],
        ["po", "audit", str(CATALOG), "--lang", "english"],
        ["po", "audit", str(CATALOG), "--from", "english"],
        ["memory", "clear", "--from", "english", "--yes"],
    ],
    ids=lambda a: " ".join(a[:2]) if a[0] in ("glossary", "po", "memory") else a[0],
)
def test_an_unknown_code_is_one_line_and_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr.splitlines() == [UNKNOWN]


@pytest.mark.parametrize("code", ["EN", "en-US", "en_GB", " En "])
def test_forms_users_type_reach_the_argos_package(
    install_argos,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    code: str,
) -> None:
    install_argos(kind="identity", from_code="ru", to_code="en")
    out = tmp_path / "article.txt"
    result = invoke("translate", str(EXAMPLE), "--to", code, "-o", str(out), "--no-memory")
    assert result.exit_code == 0, result.stderr
    assert "1 fragment found, 1 unique text, 0 from memory, 1 translated" in result.stderr
    assert out.read_bytes() == EXAMPLE.read_bytes()  # the identity model copies the caption


def test_source_language_forms_are_parsed_too(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    out = tmp_path / "article.txt"
    result = invoke(
        "translate", str(EXAMPLE), "--to", "EN", "--from", "ru-RU", "-o", str(out), "--no-memory"
    )
    assert result.exit_code == 0, result.stderr
    assert "1 translated" in result.stderr


def test_dry_run_reads_the_memory_and_never_writes_it(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from toolkit.memory import Memory

    install_argos(kind="identity", from_code="ru", to_code="en")
    memory = tmp_path / "tm.sqlite"
    dry = invoke("translate", str(EXAMPLE), "--to", "en", "--memory", str(memory), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "0 from memory, 1 translated" in dry.stderr
    assert not memory.exists()  # a preview creates no memory

    real = tmp_path / "out.txt"
    run = invoke("translate", str(EXAMPLE), "--to", "en", "--memory", str(memory), "-o", str(real))
    assert run.exit_code == 0, run.stderr
    with Memory(memory) as tm:
        entries = tm.stats().entries
    assert entries == 1

    dry = invoke("translate", str(EXAMPLE), "--to", "EN", "--memory", str(memory), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "1 fragment found, 1 unique text, 1 from memory, 0 translated" in dry.stderr


def test_memory_clear_without_a_terminal_needs_yes(tmp_path: Path) -> None:
    result = invoke("memory", "clear", "--memory", str(tmp_path / "tm.sqlite"))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines() == [
        "tolmach: error: memory clear needs --yes when there is no terminal to confirm on"
    ]
    result = invoke("memory", "clear", "--memory", str(tmp_path / "tm.sqlite"), "--yes")
    assert result.exit_code == 0
    assert result.stdout == "0 entries deleted\n"
