"""Where ``tolmach translate`` writes, through the CLI in subprocesses bounded by
timeouts (issue 15): never one result over another, nothing inside a read-only
folder, never over a user's edit, and stale temporary files of killed runs
removed by a later run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hardening.procs import one_error, run_cli

RU = "Вчера в Вене прошло заседание ОБСЕ по вопросам безопасности.\n"
TRANSLATE = ["translate", "--to", "en", "--engine", "identity", "--no-memory", "-q"]


def doc(path: Path, text: str = RU) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_two_named_inputs_with_one_name_are_refused(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    a, b = doc(tmp_path / "d1" / "a.txt"), doc(tmp_path / "d2" / "a.txt", "Другой текст.\n")
    out = tmp_path / "out"
    proc = run_cli([*TRANSLATE, str(a), str(b), "-o", str(out) + "/"], subprocess_env)
    one_error(proc, 2, "would both be written to")
    assert not out.exists() or list(out.iterdir()) == []


def test_two_folders_with_one_relative_path_are_refused(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    doc(tmp_path / "d1" / "a.txt")
    doc(tmp_path / "d2" / "a.txt", "Другой текст.\n")
    out = tmp_path / "out"
    proc = run_cli(
        [*TRANSLATE, str(tmp_path / "d1"), str(tmp_path / "d2"), "-o", str(out)], subprocess_env
    )
    one_error(proc, 2, "would both be written to")
    assert not out.exists() or list(out.iterdir()) == []


def test_output_folder_holding_an_input_is_refused(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    a, b = doc(tmp_path / "a.txt"), doc(tmp_path / "b.txt", "Другой текст.\n")
    proc = run_cli([*TRANSLATE, str(a), str(b), "-o", str(tmp_path)], subprocess_env)
    one_error(proc, 2, "--in-place")
    assert a.read_text(encoding="utf-8") == RU


def test_folder_inputs_mirror_their_relative_paths(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    doc(tmp_path / "docs" / "a.txt")
    doc(tmp_path / "docs" / "sub" / "a.txt", "Другой текст.\n")
    out = tmp_path / "out"
    proc = run_cli([*TRANSLATE, str(tmp_path / "docs"), "-o", str(out)], subprocess_env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == [
        "a.txt",
        "sub/a.txt",
    ]


def test_read_only_output_folder_gets_nothing(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    doc(tmp_path / "docs" / "x.txt")
    doc(tmp_path / "docs" / "sub" / "y.txt", "Другой текст.\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = run_cli([*TRANSLATE, str(tmp_path / "docs"), "-o", str(locked)], subprocess_env)
        one_error(proc, 5, "not writable")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


EDIT_DURING_RUN = """
import sys
import toolkit.engines.identity as ident
real = ident.IdentityEngine.translate_batch
def translate_batch(self, texts, source, target):
    for name in sys.argv:
        if name.endswith(".txt"):
            with open(name, "a", encoding="utf-8") as fh:
                fh.write("the user's edit\\n")
    return real(self, texts, source, target)
ident.IdentityEngine.translate_batch = translate_batch
from toolkit.__main__ import main
main()
"""


@pytest.mark.parametrize("extra", [[], ["--backup", ".bak"]], ids=["plain", "backup"])
def test_edit_between_read_and_write_is_not_overwritten(
    extra: list[str], tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    a = doc(tmp_path / "a.txt")
    proc = subprocess.run(
        [sys.executable, "-c", EDIT_DURING_RUN, *TRANSLATE, str(a), "--in-place", *extra],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr
    one_error(proc, 5, "changed since tolmach read it; not overwritten")  # type: ignore[arg-type]
    assert a.read_text(encoding="utf-8") == RU + "the user's edit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_stale_temp_files_are_removed_by_a_later_run(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    folder = tmp_path / "docs"
    a = doc(folder / "a.txt")
    stale = folder / ".a.txt.k3j_9x2q.tmp"  # what a SIGKILL mid-write leaves
    fresh = folder / ".a.txt.p0o9i8u7.tmp"  # a live write of another process
    foreign = folder / ".notes.tmp"  # not tolmach's pattern
    for p in (stale, fresh, foreign):
        p.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(foreign, (old, old))
    proc = run_cli([*TRANSLATE, str(a), "--in-place"], subprocess_env)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    assert fresh.exists()
    assert foreign.exists()


def test_link_named_on_the_command_line_rewrites_its_target(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    target = doc(tmp_path / "real" / "a.txt")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    proc = run_cli([*TRANSLATE, str(link), "--in-place"], subprocess_env)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") != RU  # translated where it lives


def test_in_place_on_a_hard_link_leaves_the_other_name_as_it_was(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """The contract (README): the name given gets the translation, other hard links
    keep the original (the write is a new file renamed over that name)."""
    a = doc(tmp_path / "a.txt")
    other = tmp_path / "other.txt"
    os.link(a, other)
    proc = run_cli([*TRANSLATE, str(a), "--in-place"], subprocess_env)
    assert proc.returncode == 0, proc.stderr
    assert a.read_text(encoding="utf-8") != RU
    assert other.read_text(encoding="utf-8") == RU
