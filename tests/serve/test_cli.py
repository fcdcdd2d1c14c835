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


def test_serve_runs_and_stops_on_ctrl_c(
    ru_en: Path, subprocess_env: dict[str, str], tmp_path: Path
) -> None:
    """The command itself: it binds a free port, says where, answers a client
    (curl -d style: raw UTF-8 in a form), and Ctrl-C stops it with exit 0."""
    import re
    import signal
    import subprocess
    import time

    import httpx

    from tests.conftest import ROOT

    proc = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", "0", "--memory", str(tmp_path / "tm")],
        cwd=ROOT,
        env=subprocess_env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert found, first
        url = f"http://127.0.0.1:{found.group(1)}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.1)
        answer = httpx.post(
            url + "/translate",
            content="q=Заявление ОБСЕ.&source=auto&target=en".encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ).json()
        assert answer["translatedText"] == "Заявление OSCE."
        assert answer["detectedLanguage"]["language"] == "ru"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        rest = proc.stderr.read()
        assert "Traceback" not in rest
        assert "error" not in rest.lower()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
