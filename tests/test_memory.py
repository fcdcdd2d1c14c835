"""Translation memory: keys, reruns, concurrency and TMX export."""

from __future__ import annotations

import multiprocessing
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.engines.identity import IdentityEngine
from toolkit.errors import FileIOError
from toolkit.memory import Memory, make_key
from toolkit.translation import translate_texts


class UpperEngine(IdentityEngine):
    name = "upper"

    def translate_batch(self, texts, source, target):  # type: ignore[no-untyped-def]
        super().translate_batch(texts, source, target)
        return [t.upper() for t in texts]


def test_key_covers_every_field() -> None:
    base = ("argos:ru-en:1.0", "ru", "en", "g1", "текст")
    keys = {make_key(*base)}
    for i in range(len(base)):
        changed = list(base)
        changed[i] = changed[i] + "x"
        keys.add(make_key(*changed))
    assert len(keys) == len(base) + 1


def test_rerun_makes_no_engine_call(tmp_path: Path) -> None:
    texts = ["один", "два", "один", "три"]
    with Memory(tmp_path / "tm.sqlite3") as tm:
        engine = UpperEngine()
        out, stats = translate_texts(texts, "ru", "en", engine=engine, memory=tm)
        assert out == ["ОДИН", "ДВА", "ОДИН", "ТРИ"]
        assert (stats.unique, stats.translated, stats.engine_calls) == (3, 3, 1)
        again = UpperEngine()
        out2, stats2 = translate_texts(texts, "ru", "en", engine=again, memory=tm)
        assert out2 == out
        assert again.calls == 0
        assert (stats2.from_memory, stats2.translated) == (3, 0)


def test_other_engine_or_pair_misses(tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite3") as tm:
        translate_texts(["a"], "ru", "en", engine=UpperEngine(), memory=tm)
        assert tm.get_many("identity:ru-en", "ru", "en", "", ["a"]) == {}
        assert tm.get_many(UpperEngine().identity("ru", "de"), "ru", "de", "", ["a"]) == {}


def _writer(path: str, worker: int, n: int) -> None:
    with Memory(path) as tm:
        for i in range(n):
            tm.put_many("e", "ru", "en", "", [(f"w{worker}-{i}", f"t{worker}-{i}")])


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.sqlite3")
    Memory(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Memory(path) as tm:
        assert tm.stats().entries == 160
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_tmx_export_is_valid_xml(tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite3") as tm:
        tm.put_many("e", "ru", "en", "", [("<б> & «в»", '<b> & "c"')])
        root = ET.fromstring(tm.export_tmx())
    segs = [seg.text for seg in root.iter("seg")]
    assert segs == ["<б> & «в»", '<b> & "c"']


def test_corrupt_memory_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "tm.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FileIOError, match="translation memory unusable"):
        Memory(bad)


def test_memory_cli(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite3"
    with Memory(path) as tm:
        tm.put_many("e", "ru", "en", "", [("да", "yes"), ("нет", "no")])
    runner = CliRunner()
    r = runner.invoke(app, ["memory", "stats", "--memory", str(path)])
    assert r.exit_code == 0
    assert "entries: 2" in r.output
    r = runner.invoke(
        app, ["memory", "export", "--memory", str(path), "-o", str(tmp_path / "m.tmx")]
    )
    assert r.exit_code == 0
    assert "<seg>yes</seg>" in (tmp_path / "m.tmx").read_text()
    r = runner.invoke(app, ["memory", "clear", "--memory", str(path), "--yes"])
    assert r.exit_code == 0
    with Memory(path) as tm:
        assert tm.stats().entries == 0
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"x" * 5000)
    r = runner.invoke(app, ["memory", "stats", "--memory", str(bad)])
    assert r.exit_code == 5
    assert "Traceback" not in r.output
