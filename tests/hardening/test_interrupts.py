"""Ctrl-C (SIGINT) through the CLI, in subprocesses bounded by timeouts (issue 15).

The contract: exit 130 with exactly one line, ``interrupted; N files written, the
others unchanged``, where N is the exact count of files this run wrote; never a
traceback, also when the signal lands during start-up imports or a library
(numpy, ctranslate2, onnxruntime) turns it into an ImportError; a signal after
the last write is not an interruption of writes.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hardening.procs import make_corpus, tolmach, wait_for

LINE = re.compile(r"^tolmach: error: interrupted; (\d+) files? written, the others unchanged$")

# Runs the CLI as `python -m toolkit` does, after a patch given as code.
WRAPPER = """
import os, signal, sys, time
{patch}
from toolkit.__main__ import main
main()
"""


def wrapped(patch: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER.format(patch=patch), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


def interrupted(stderr: str) -> int:
    """The N of the one interrupt line (the only error line there is)."""
    errors = [ln for ln in stderr.splitlines() if ln.startswith("tolmach: error:")]
    assert len(errors) == 1, stderr
    match = LINE.match(errors[0])
    assert match, errors[0]
    return int(match.group(1))


def translate_args(src: Path, out: Path) -> list[str]:
    return [
        "translate",
        str(src),
        "--to",
        "en",
        "--engine",
        "identity",
        "--no-memory",
        "-o",
        str(out),
        "-q",
    ]


SIGNAL_ON_IMPORT = """
import importlib.abc
class Trap(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)
        return None
sys.meta_path.insert(0, Trap())
"""


@pytest.mark.parametrize("module", ["typer", "rich.console", "toolkit.cli.glossary"])
def test_signal_during_start_up_imports(module: str, subprocess_env: dict[str, str]) -> None:
    proc = wrapped(SIGNAL_ON_IMPORT.format(module=module), ["detect", "--help"], subprocess_env)
    assert proc.returncode == 130, proc.stderr
    assert interrupted(proc.stderr) == 0


LIBRARY_TURNS_IT_INTO_IMPORT_ERROR = """
import toolkit.engines.identity as ident
real = ident.IdentityEngine.translate_batch
def translate_batch(self, *a, **k):
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)
    except KeyboardInterrupt:
        # what numpy's C API does to an interrupt during `import numpy`
        raise ImportError("numpy failed to import") from None
    return real(self, *a, **k)
ident.IdentityEngine.translate_batch = translate_batch
"""


def test_import_error_made_of_an_interrupt_is_an_interrupt(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    make_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    proc = wrapped(
        LIBRARY_TURNS_IT_INTO_IMPORT_ERROR, translate_args(tmp_path / "in", out), subprocess_env
    )
    assert proc.returncode == 130, proc.stderr
    assert interrupted(proc.stderr) == 0
    assert not out.exists() or list(out.iterdir()) == []


SIGNAL_AFTER_WRITES = """
import toolkit.files as files
real = files.atomic_write
count = 0
def atomic_write(*a, **k):
    global count
    real(*a, **k)
    count += 1
    if count == {k}:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
files.atomic_write = atomic_write
"""


@pytest.mark.parametrize("k", [1, 7])
def test_count_of_files_written_is_exact(
    k: int, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    make_corpus(tmp_path / "in", 12)
    out = tmp_path / "out"
    proc = wrapped(
        SIGNAL_AFTER_WRITES.format(k=k), translate_args(tmp_path / "in", out), subprocess_env
    )
    assert proc.returncode == 130, proc.stderr
    assert interrupted(proc.stderr) == k
    assert len(list(out.iterdir())) == k  # no temp files left either


SIGNAL_WHEN_FINISHED = """
import toolkit.interrupt as interrupt
real = interrupt.finished
def finished():
    real()
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
interrupt.finished = finished
"""


def test_signal_after_the_last_write_is_not_an_interruption(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    make_corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    proc = wrapped(SIGNAL_WHEN_FINISHED, translate_args(tmp_path / "in", out), subprocess_env)
    assert proc.returncode == 0, proc.stderr
    assert "interrupted" not in proc.stderr
    assert len(list(out.iterdir())) == 4


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.6, 1.0])
def test_signal_at_a_random_moment_of_start_up(
    delay: float, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    make_corpus(tmp_path / "in", 2)
    proc = tolmach(translate_args(tmp_path / "in", tmp_path / "out"), subprocess_env, text=True)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    if proc.returncode == 130:
        assert interrupted(err) == len(list((tmp_path / "out").glob("*.txt")))
    else:
        assert proc.returncode == 0, err


def test_signal_in_the_middle_of_the_writes_reports_what_is_on_disk(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """The attack: 200 files, SIGINT once some are written; the count matches the disk."""
    originals = make_corpus(tmp_path / "in", 200)
    out = tmp_path / "out"
    proc = tolmach(translate_args(tmp_path / "in", out), subprocess_env, text=True)

    def some_written() -> bool:
        return out.is_dir() and len(os.listdir(out)) >= 3

    assert wait_for(some_written, proc, 150)
    os.kill(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    written = sorted(p.name for p in out.iterdir())
    assert not [n for n in written if n.endswith(".tmp")]
    if proc.returncode == 0:  # the signal came after the last write
        assert len(written) == len(originals)
        return
    assert proc.returncode == 130, err
    assert interrupted(err) == len(written)


@pytest.mark.slow
def test_signal_while_ctranslate2_and_numpy_load(
    argos_packages_dir: Path, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """The real engine path: SIGINT at moments spread over a run that imports
    numpy, ctranslate2 and sentencepiece and loads a model. Every run ends with
    exit 0, or 130 and the one interrupt line whose count matches the disk."""
    from tests.support.argos_pkg import build_package
    from toolkit import models

    models.install_from_file(build_package(tmp_path / "built", kind="identity"))
    env = dict(subprocess_env, ARGOS_PACKAGES_DIR=str(argos_packages_dir))
    make_corpus(tmp_path / "in", 6)
    args = translate_args(tmp_path / "in", tmp_path / "out")
    args[args.index("identity")] = "argos"
    started = time.monotonic()
    full = subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=180,
    )
    span = time.monotonic() - started
    assert full.returncode == 0, full.stderr.decode()
    outcomes = []
    for k in range(8):
        out = tmp_path / f"out{k}"
        args[-2] = str(out)
        proc = tolmach(args, env, text=True)
        time.sleep(span * (k + 1) / 9)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        assert "ImportError" not in err, err
        if proc.returncode == 130:
            assert interrupted(err) == (len(list(out.glob("*.txt"))) if out.exists() else 0)
        else:
            assert proc.returncode == 0, (k, proc.returncode, err)
        outcomes.append(proc.returncode)
    print(f"\nINTERRUPT argos runs of {span:.1f} s: exits {outcomes}")
    assert 130 in outcomes
