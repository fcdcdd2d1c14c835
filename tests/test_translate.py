"""`tolmach translate` end to end with in-process engines (the Argos runs are in
tests/test_translate_argos.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import app
from toolkit.engines.identity import IdentityEngine
from toolkit.memory import Memory
from toolkit.pipeline import translate_documents

EXAMPLE = ROOT / "examples" / "article.txt"
CAPTION = "Заголовок открываемого материала"


class MarkEngine(IdentityEngine):
    """Wraps every text so changes are visible: 'x' -> '[x]'."""

    name = "mark"

    def translate_batch(self, texts, source, target):  # type: ignore[no-untyped-def]
        super().translate_batch(texts, source, target)
        return [f"[{t}]" for t in texts]


class InterruptEngine(IdentityEngine):
    name = "interrupt"

    def translate_batch(self, texts, source, target):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt


@pytest.fixture
def engine_named(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make ``--engine NAME`` build one of the test engines above (the spec accepts
    their names for the test's duration)."""
    import toolkit.engines.spec

    made: list[IdentityEngine] = []
    real = toolkit.engines.build_engine
    table = {"mark": MarkEngine, "interrupt": InterruptEngine, "identity": IdentityEngine}

    def build_engine(spec):  # type: ignore[no-untyped-def]
        if spec.name in table:
            made.append(table[spec.name]())
            return made[-1]
        return real(spec)

    names = (*toolkit.engines.spec.ENGINE_NAMES, "mark", "interrupt")
    monkeypatch.setattr(toolkit.engines.spec, "ENGINE_NAMES", names)
    monkeypatch.setattr(toolkit.engines, "build_engine", build_engine)
    return made


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_example_changes_only_inside_the_russian_fragment(
    tmp_path: Path, engine_named: list[IdentityEngine]
) -> None:
    out = tmp_path / "out.txt"
    code, _, err = run("translate", str(EXAMPLE), "--to", "en", "--engine", "mark", "-o", str(out))
    assert code == 0, err
    before = EXAMPLE.read_bytes()
    after = out.read_bytes()
    start = before.index(CAPTION.encode())
    end = start + len(CAPTION.encode())
    assert after[:start] == before[:start]
    assert after[start:].startswith(b"[" + CAPTION.encode() + b"]")
    assert after[end + 2 :] == before[end:]
    assert engine_named[0].calls == 1


def test_glossary_terms_come_out_in_english(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "ru.md"
    doc.write_text(
        "# Report\n\nThe meeting was short.\n\n"
        "Заявление ОБСЕ и Организации Договора о коллективной безопасности о СНГ.\n",
        encoding="utf-8",
    )
    code, out, err = run("translate", str(doc), "--to", "en", "--engine", "identity", "--no-memory")
    assert code == 0, err
    assert "OSCE" in out
    assert "Collective Security Treaty Organization" in out
    assert "CIS" in out
    assert "ОБСЕ" not in out
    assert "СНГ" not in out
    assert "terms applied 3" in err


def test_rerun_makes_zero_engine_calls(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"News\n{CAPTION}\nЕщё одна строка по-русски.\n", encoding="utf-8")
    tm = tmp_path / "tm.sqlite3"
    args = ("translate", str(doc), "--to", "en", "--engine", "mark", "--memory", str(tm))
    first = run(*args, "-o", str(tmp_path / "o1.txt"))
    second = run(*args, "-o", str(tmp_path / "o2.txt"))
    assert first[0] == second[0] == 0
    assert engine_named[0].calls == 1
    assert engine_named[0].texts == 2
    assert engine_named[1].calls == 0
    assert (tmp_path / "o1.txt").read_bytes() == (tmp_path / "o2.txt").read_bytes()
    assert "2 from memory" in second[2]


def test_pipeline_dedupes_across_files_in_one_batch(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(f"Hello {i}\n{CAPTION}\n", encoding="utf-8")
    engine = MarkEngine()
    result, _ = translate_documents([tmp_path], target="en", engine=engine, output=tmp_path / "out")
    assert engine.calls == 1
    assert engine.texts == 1
    assert result.stats.texts == 5
    assert result.stats.unique == 1
    assert all(f.status == "translated" for f in result.files)


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path, engine_named: list) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(f"{CAPTION}\n", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out"
    code, _, err = run("translate", str(src), "--to", "en", "--engine", "mark", "-o", str(out))
    assert code == 4
    assert "bad.txt" in err
    assert "binary" in err
    assert (out / "good.txt").read_text(encoding="utf-8") == f"[{CAPTION}]\n"
    assert not (out / "bad.txt").exists()


def test_in_place_with_backup_keeps_mode(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"Title\n{CAPTION}\n", encoding="utf-8")
    doc.chmod(0o640)
    code, _, err = run(
        "translate", str(doc), "--to", "en", "--engine", "mark", "--in-place", "--backup", ".orig"
    )
    assert code == 0, err
    assert doc.read_text(encoding="utf-8") == f"Title\n[{CAPTION}]\n"
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == f"Title\n{CAPTION}\n"
    assert stat.S_IMODE(doc.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.orig"]


def test_in_place_on_read_only_file_is_one_line(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"{CAPTION}\n", encoding="utf-8")
    doc.chmod(0o444)
    code, _, err = run("translate", str(doc), "--to", "en", "--engine", "mark", "--in-place")
    assert code == 5
    assert "read-only" in err
    assert len(err.strip().splitlines()) == 2  # the error and the summary
    assert doc.read_text(encoding="utf-8") == f"{CAPTION}\n"


def test_unwritable_output_folder_is_one_line(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"{CAPTION}\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, _, err = run(
            "translate", str(doc), "--to", "en", "--engine", "mark", "-o", str(locked / "x.txt")
        )
    finally:
        locked.chmod(0o755)
    assert code == 5
    assert "not writable" in err
    assert list(locked.iterdir()) == []


def test_ctrl_c_leaves_inputs_untouched(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"{CAPTION}\n", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    code, _, err = run("translate", str(doc), "--to", "en", "--engine", "interrupt", "--in-place")
    assert code == 130
    assert "interrupted" in err
    assert doc.read_text(encoding="utf-8") == f"{CAPTION}\n"
    assert sorted(os.listdir(tmp_path)) == before


def test_interrupt_during_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KeyboardInterrupt inside the write of the second file: the first is complete,
    the second is untouched, no temporary file is left."""
    import toolkit.files

    docs = []
    for i in range(2):
        d = tmp_path / f"{i}.txt"
        d.write_text(f"{i}\n{CAPTION}\n", encoding="utf-8")
        docs.append(d)
    real_replace = os.replace
    calls = []

    def flaky_replace(a, b):  # type: ignore[no-untyped-def]
        calls.append(b)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(a, b)

    monkeypatch.setattr(toolkit.files.os, "replace", flaky_replace)
    with pytest.raises(KeyboardInterrupt):
        translate_documents(docs, target="en", engine=MarkEngine(), in_place=True)
    assert docs[0].read_text(encoding="utf-8") == f"0\n[{CAPTION}]\n"
    assert docs[1].read_text(encoding="utf-8") == f"1\n{CAPTION}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt"]


def test_dry_run_writes_nothing(tmp_path: Path, engine_named: list) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"{CAPTION}\n", encoding="utf-8")
    code, out, _ = run("translate", str(doc), "--to", "en", "--engine", "mark", "--dry-run")
    assert code == 0
    assert f"-{CAPTION}" in out
    assert f"+[{CAPTION}]" in out
    assert doc.read_text(encoding="utf-8") == f"{CAPTION}\n"
    assert not (Path(os.environ["TOLMACH_HOME"]) / "memory.sqlite3").exists()


def test_json_summary(tmp_path: Path, engine_named: list) -> None:
    import json

    doc = tmp_path / "a.txt"
    doc.write_text(f"Hello\n{CAPTION}\n", encoding="utf-8")
    code, out, _ = run("translate", str(doc), "--to", "en", "--engine", "mark", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["fragments"] == 1
    assert data["summary"]["engine_calls"] == 1
    assert data["files"][0]["text"] == f"Hello\n[{CAPTION}]\n"


def test_usage_errors(tmp_path: Path, engine_named: list) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for p in (a, b):
        p.write_text(f"{CAPTION}\n", encoding="utf-8")
    assert run("translate", str(a), str(b), "--to", "en", "--engine", "mark")[0] == 2
    assert run("translate", str(a), "--to", "en", "--backup", ".b")[0] == 2
    code, _, err = run("translate", str(tmp_path / "missing.txt"), "--to", "en", "--engine", "mark")
    assert code == 5
    assert "no such file" in err


def test_memory_is_shared_with_the_library_api(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(f"{CAPTION}\n", encoding="utf-8")
    with Memory(tmp_path / "tm.sqlite3") as tm:
        _r1, out1 = translate_documents([doc], target="en", engine=MarkEngine(), memory=tm)
        engine = MarkEngine()
        r2, out2 = translate_documents([doc], target="en", engine=engine, memory=tm)
    assert out1 == out2
    assert engine.calls == 0
    assert r2.stats.from_memory == 1
