"""Regression: a word made only of numeric characters (¾ in FLORES eng_Latn line 405)
crashed detection with IndexError."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app


def test_vulgar_fraction_does_not_crash_detect(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(
        "The recipe needs ¾ cup of flour and ² squared.\nЗаголовок открываемого материала\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["detect", str(doc), "--expect", "en"])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    assert "Заголовок открываемого материала" in result.stdout
