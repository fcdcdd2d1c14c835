"""Help renders argument names, no type for flags, and ``tolmach[ray]``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

COMMANDS = [
    [],
    ["translate"],
    ["detect"],
    ["audit"],
    ["po", "translate"],
    ["po", "audit"],
    ["glossary", "list"],
    ["glossary", "add"],
    ["memory", "clear"],
    ["models", "install"],
    ["doctor"],
]


def _help(args: list[str], env: dict[str, str]) -> str:
    env = {**env, "COLUMNS": "200", "LANG": "C.UTF-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", *args, "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return proc.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "tolmach")
def test_flags_show_no_metavar_and_usage_names_arguments(
    args: list[str], subprocess_env: dict[str, str]
) -> None:
    text = _help(args, subprocess_env)
    assert "<bool>" not in text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage


def test_translate_help(subprocess_env: dict[str, str]) -> None:
    text = _help(["translate"], subprocess_env)
    assert "Usage: python -m toolkit translate [OPTIONS] PATHS..." in text
    assert "pip install 'tolmach[ray]'" in text
    assert "--input-format" in text
    assert "--dry-run   " in text  # a flag: no type column
