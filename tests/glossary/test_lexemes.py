"""The lexeme table of term words is built once with pymorphy3, then read from disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toolkit.glossary import lexemes
from toolkit.glossary.match import Matcher
from toolkit.glossary.model import Glossary

GENITIVE = "Генсек Организации Договора о коллективной безопасности выступил."


def _forget() -> None:
    lexemes._TABLES.clear()


def _tables() -> list[Path]:
    return sorted((Path(os.environ["TOLMACH_HOME"]) / "lexemes").glob("ru-*.json"))


def test_second_run_reads_the_table_without_the_analyser(
    sample: Glossary, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forget()
    built = Matcher(sample, "ru")
    assert len(_tables()) == 1
    assert [m.how for m in built.find(GENITIVE)] == ["lemma"]

    _forget()

    def no_analyser(lang: str) -> None:
        raise AssertionError("the analyser was loaded although the table is on disk")

    monkeypatch.setattr(lexemes, "analyzer", no_analyser)
    cached = Matcher(sample, "ru")
    assert cached._forms == built._forms
    assert cached._term_lemma == built._term_lemma
    assert [(m.start, m.end, m.how) for m in cached.find(GENITIVE)] == [
        (m.start, m.end, m.how) for m in built.find(GENITIVE)
    ]


def test_a_damaged_table_is_rebuilt(sample: Glossary) -> None:
    _forget()
    Matcher(sample, "ru")
    (path,) = _tables()
    good = path.read_text(encoding="utf-8")
    path.write_text('{"words": ["x"], "table": ', encoding="utf-8")
    _forget()
    assert [m.how for m in Matcher(sample, "ru").find(GENITIVE)] == ["lemma"]
    assert path.read_text(encoding="utf-8") == good


def test_other_terms_get_their_own_table(sample: Glossary) -> None:
    from toolkit.glossary.io import parse_tsv

    _forget()
    Matcher(sample, "ru")
    other = parse_tsv("en\tru\nSecurity Council\tСовет Безопасности\n", name="other")
    Matcher(other, "ru")
    assert len(_tables()) == 2


def test_unwritable_home_still_matches(
    sample: Glossary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "ro"
    home.mkdir()
    (home / "lexemes").mkdir()
    (home / "lexemes").chmod(0o500)
    monkeypatch.setenv("TOLMACH_HOME", str(home))
    _forget()
    try:
        assert [m.how for m in Matcher(sample, "ru").find(GENITIVE)] == ["lemma"]
    finally:
        (home / "lexemes").chmod(0o700)


def test_glossary_show_with_a_table_on_disk_loads_no_analyser(
    subprocess_env: dict[str, str],
) -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from toolkit.cli import app\n"
        "r = CliRunner().invoke(app, ['glossary', 'show', sys.argv[1]])\n"
        "print(r.exit_code, 'pymorphy3' in sys.modules)\n"
        "print(r.stdout)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe, GENITIVE],
            cwd=ROOT,
            env=subprocess_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    assert runs[0].splitlines()[0] == "0 True"  # first run: builds and writes the tables
    assert runs[1].splitlines()[0] == "0 False"  # second run: reads them
    assert runs[0].splitlines()[1:] == runs[1].splitlines()[1:]
    assert "lemma" in runs[1]
