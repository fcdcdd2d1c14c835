"""Every command has help text and is documented in the README."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, cmd: Any) -> None:
        if hasattr(cmd, "commands"):  # a group (Typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, cmd))

    walk("", root)
    return found


COMMANDS = _commands()


def test_the_command_tree_is_complete() -> None:
    names = {name.split()[0] for name, _ in COMMANDS}
    assert {"detect", "translate", "po", "glossary", "models", "memory"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name: str, command: Any) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert re.search(rf"tolmach {re.escape(name)}\b", README), (
        f"README never shows `tolmach {name}`"
    )


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_renders_its_usage_and_flags(name: str, command: Any) -> None:
    """Every command, new ones included, is built with the shared Command class:
    its usage line names the arguments (not ``{paths}``) and flags show no type."""
    result = CliRunner().invoke(app, [*name.split(), "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout, name
    usage = next(line for line in result.stdout.splitlines() if "Usage:" in line)
    assert "{" not in usage, usage


def test_readme_detect_example_is_true() -> None:
    result = CliRunner().invoke(app, ["detect", "examples/article.txt", "--expect", "en"])
    assert result.exit_code == 0
    assert result.stdout.startswith("examples/article.txt:22:1")
    assert "examples/article.txt:22:1" in README


def test_no_merge_conflict_is_left_in_the_tree() -> None:
    """No text file of the project keeps a merge's conflict markers."""
    suffixes = {".py", ".md", ".toml", ".po", ".pot", ".txt", ".yaml", ".json", ".cfg"}
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
    hits = []
    for folder in ("toolkit", "tests", "bench", "scripts", "docs", "locales", "glossaries"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in suffixes and path.is_file() and "pending" not in path.parts:
                text = path.read_text(encoding="utf-8", errors="replace")
                hits += [f"{path.relative_to(ROOT)}" for _ in marker.finditer(text)][:1]
    for name in ("README.md", "pyproject.toml"):
        if marker.search((ROOT / name).read_text(encoding="utf-8")):
            hits.append(name)
    assert hits == []
