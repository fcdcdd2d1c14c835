"""`tolmach serve` at the command line: help, a missing extra, bad settings."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode


def test_help() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--no-batching" in result.stdout
    assert "--api-keys" in result.stdout


def test_without_the_serve_extra_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "starlette", None)  # import starlette -> ImportError
    result = CliRunner().invoke(app, ["serve", "--engine", "identity"])
    assert result.exit_code == ExitCode.MISSING
    assert "pip install 'tolmach[serve]'" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_port_in_use_is_one_line() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(app, ["serve", "--engine", "identity", "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == ExitCode.IO
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output


def test_an_empty_keys_file_is_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# no key yet\n\n")
    result = CliRunner().invoke(app, ["serve", "--engine", "identity", "--api-keys", str(keys)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "no API key in the file" in result.stderr


def test_a_missing_keys_file_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--engine", "identity", "--api-keys", str(tmp_path / "nope")]
    )
    assert result.exit_code == ExitCode.IO


@pytest.mark.parametrize(
    "option", [["--max-body", "0"], ["--timeout", "0"], ["--batch-wait", "-1"]]
)
def test_out_of_range_settings(option: list[str]) -> None:
    result = CliRunner().invoke(app, ["serve", "--engine", "identity", *option])
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.output
