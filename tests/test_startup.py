"""Contract 5: the light commands never import the heavy translation stack."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# The translation stack, and the web server of `tolmach serve` (an optional extra).
HEAVY = ("argostranslate", "ctranslate2", "torch", "stanza", "spacy", "starlette", "uvicorn")

PROBE = """
import sys
from typer.testing import CliRunner
from toolkit.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
print("EXIT", result.exit_code)
print("LOADED", " ".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded_after(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    code = PROBE.format(heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    lines = dict(line.split(" ", 1) if " " in line else (line, "") for line in out.splitlines())
    return int(lines["EXIT"]), lines["LOADED"].strip()


def test_help_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    exit_code, loaded = _loaded_after(["--help"], subprocess_env)
    assert exit_code == 0
    assert loaded == ""


def test_python_dash_m_toolkit_runs(subprocess_env: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("tolmach ")


def test_glossary_list_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    exit_code, loaded = _loaded_after(["glossary", "list", "--format", "json"], subprocess_env)
    assert exit_code == 0
    assert loaded == ""


def test_glossary_show_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    exit_code, loaded = _loaded_after(["glossary", "show", "заявление ОДКБ"], subprocess_env)
    assert exit_code == 0
    assert loaded == ""


def test_detect_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    exit_code, loaded = _loaded_after(["detect", "examples/article.txt"], subprocess_env)
    assert exit_code == 0
    assert loaded == ""


def test_audit_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    exit_code, loaded = _loaded_after(
        ["audit", "examples/article.txt", "--expect", "en"], subprocess_env
    )
    assert exit_code == 1  # the Russian caption is an error
    assert loaded == ""


def test_serve_help_imports_no_heavy_module(subprocess_env: dict[str, str]) -> None:
    """`tolmach serve --help` works without the serve extra's libraries loaded."""
    exit_code, loaded = _loaded_after(["serve", "--help"], subprocess_env)
    assert exit_code == 0
    assert loaded == ""
