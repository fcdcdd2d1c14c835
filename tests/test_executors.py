"""Executor selection and the errors around it; these run without ray installed
(the Ray cluster tests are in tests/test_executor_ray.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.ray_engines import MarkEngine
from toolkit.cli import app
from toolkit.errors import MissingDependencyError
from toolkit.executors.local import LocalExecutor
from toolkit.executors.ray import RayExecutor
from toolkit.translation import translate_texts

CAPTION = "Заголовок открываемого материала"


def test_local_executor_is_the_default(tmp_path: Path) -> None:
    engine = MarkEngine()
    out, stats = translate_texts(["a", "b", "a"], "ru", "en", engine=engine)
    again, _ = translate_texts(
        ["a", "b", "a"], "ru", "en", engine=engine, executor=LocalExecutor(engine)
    )
    assert out == again == ["[a]", "[b]", "[a]"]
    assert stats.engine_calls == 1


def test_ray_missing_is_one_line_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'tolmach\[ray\]'"):
        RayExecutor(MarkEngine())
    doc = tmp_path / "a.txt"
    doc.write_text("News\n" + CAPTION + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["translate", str(doc), "--to", "en", "--executor", "ray", "--engine", "identity"]
    )
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "pip install 'tolmach[ray]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_workers_without_ray_is_a_usage_error(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("News\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["translate", str(doc), "--to", "en", "--workers", "2", "--engine", "identity"]
    )
    assert result.exit_code == 2
    assert "--executor ray" in result.stderr
    assert "Traceback" not in result.output


def test_units_close_at_the_text_or_token_budget() -> None:
    from toolkit.translation import cut_units

    texts = ["a", "b", "c", "d", "e"]
    assert cut_units(texts, None, 2, None) == [["a", "b"], ["c", "d"], ["e"]]
    assert cut_units(texts, [3, 3, 3, 9, 1], 10, 6) == [["a", "b"], ["c"], ["d"], ["e"]]
    assert cut_units([], None, 2, None) == []


def test_glossary_masking_happens_before_the_executor(tmp_path: Path) -> None:
    """The executor only sees masked text; terms come back restored."""
    from toolkit.glossary import load

    seen: list[str] = []

    class Spy(LocalExecutor):
        def translate_units(self, units, source, target):  # type: ignore[no-untyped-def]
            seen.extend(t for u in units for t in u)
            return super().translate_units(units, source, target)

    engine = MarkEngine()
    text = "Заявление ОБСЕ о безопасности."
    out, stats = translate_texts(
        [text], "ru", "en", engine=engine, glossary=load(None), executor=Spy(engine)
    )
    assert seen
    assert all("ОБСЕ" not in t for t in seen)
    assert "OSCE" in out[0]
    assert stats.terms_applied == 1
