"""Concurrent use: glossary edits from eight processes all land; four translate
runs sharing one translation memory finish cleanly and lose no entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.hardening.procs import cyrillic, make_corpus, tolmach, unique_line


@pytest.mark.slow
def test_eight_processes_add_glossary_entries(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    from toolkit.glossary.store import load_path

    path = tmp_path / "shared.tsv"
    path.write_text("en\tru\nOSCE\tОБСЕ\n", encoding="utf-8")
    procs = [
        tolmach(
            ["glossary", "add", "-g", str(path), "-t", f"en=Agency {k}", "-t", f"ru=Агентство {k}"],
            subprocess_env,
        )
        for k in range(8)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    g = load_path(path)
    english = {t for e in g.entries for lang, ts in e.terms if lang == "en" for t in ts}
    assert english >= {"OSCE", *(f"Agency {k}" for k in range(8))}, english
    assert len(g) == 9


@pytest.mark.slow
def test_four_translate_runs_share_one_memory(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    from toolkit.memory import Memory

    tm = tmp_path / "tm.sqlite3"
    # overlapping corpora: each run shares half its texts with the next one
    corpora = []
    for k in range(4):
        folder = tmp_path / f"c{k}"
        make_corpus(folder / "a", 6, unique=60, tag=cyrillic(k) + "ж")
        make_corpus(folder / "b", 6, unique=60, tag=cyrillic((k + 1) % 4) + "ж")
        corpora.append(folder)
    procs = [
        tolmach(
            [
                "translate",
                "--to",
                "en",
                "--engine",
                "identity",
                "--memory",
                str(tm),
                "--no-glossary",
                "--languages",
                "en,ru",
                "-q",
                "-o",
                str(tmp_path / f"out{k}"),
                str(folder),
            ],
            subprocess_env,
        )
        for k, folder in enumerate(corpora)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        text = err.decode()
        assert p.returncode == 0, text
        assert "Traceback" not in text
        assert "locked" not in text
    with sqlite3.connect(tm) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Memory(tm) as mem:
        stored = {s for _src, _tgt, _eng, s, _t in mem.entries()}
    # every Russian line of every corpus is in the memory
    expected = {
        unique_line(cyrillic(k) + "ж", i, j) for k in range(4) for i in range(6) for j in range(60)
    }
    assert expected <= stored, len(expected - stored)
