"""One CLI vocabulary: one meaning per short flag, --format is always output."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import typer

from toolkit.cli import app


def _commands(command: Any, path: str = "tolmach") -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def _options(command: Any) -> Iterator[Any]:
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            yield param


def test_each_short_flag_has_one_meaning() -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    for _path, command in _commands(typer.main.get_command(app)):
        for option in _options(command):
            longs = [o for o in option.opts if o.startswith("--")]
            for short in (o for o in option.opts if not o.startswith("--")):
                meanings[short].add(longs[0])
    assert {s: m for s, m in meanings.items() if len(m) > 1} == {}
    assert meanings["-l"] == {"--lang"}
    assert meanings["-f"] == {"--format"}


def test_input_format_is_input_and_format_is_output() -> None:
    for path, command in _commands(typer.main.get_command(app)):
        for option in _options(command):
            if "--format" in option.opts:
                assert "Input" not in (option.help or ""), path
    translate = typer.main.get_command(app).commands["translate"]
    names = {o for p in translate.params for o in getattr(p, "opts", [])}
    assert "--input-format" in names
    assert "--format" not in names


def test_catalog_commands_take_the_language_as_lang() -> None:
    po = typer.main.get_command(app).commands["po"]
    for name in ("translate", "audit"):
        names = {o for p in po.commands[name].params for o in getattr(p, "opts", [])}
        assert {"--lang", "-l", "--from"} <= names, name
