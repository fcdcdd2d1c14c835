"""Special files and the exit-code rule, through the CLI in subprocesses bounded by
timeouts (issue 15): a FIFO or a link to a device never blocks or floods memory,
an unreadable file is one line and exit 5, a NUL byte anywhere marks a binary
file, and every command exits with the highest code of its failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hardening.procs import error_lines, one_error, run_cli

RU = "Вчера в Вене прошло заседание ОБСЕ по вопросам безопасности.\n"
COMMANDS = {
    "detect": ["detect", "--expect", "en"],
    "audit": ["audit", "--expect", "en"],
    "translate": ["translate", "--to", "en", "--engine", "identity", "--no-memory", "-q"],
}


def command(name: str, *paths: Path, out: Path | None = None) -> list[str]:
    args = [*COMMANDS[name], *map(str, paths)]
    if name == "translate" and out is not None:
        args += ["-o", str(out)]
    return args


@pytest.mark.parametrize("name", list(COMMANDS))
def test_fifo_named_or_in_a_folder_never_blocks(
    name: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    os.mkfifo(folder / "a.txt")  # sorted first: the files after it must still be done
    (folder / "b.txt").write_text(RU, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    proc = run_cli(
        command(name, tmp_path / "x.txt", folder, out=tmp_path / "out"),
        subprocess_env,
        timeout=90,
    )
    errors = error_lines(proc)
    assert len([e for e in errors if "a FIFO, not a regular file" in e]) == 2, proc.stderr
    assert proc.returncode == 4, proc.stderr
    if name == "detect":
        assert "b.txt" in proc.stdout
    if name == "translate":
        assert (tmp_path / "out" / "b.txt").is_file()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["glossary", "import", "{fifo}", "--from", "en", "--to", "ru", "-g", "{g}"], "a FIFO"),
        (["models", "install", "{fifo}"], "not a regular file"),
        (["po", "audit", "{fifo}"], "a FIFO"),
    ],
    ids=["glossary-import", "models-install", "po-audit"],
)
def test_fifo_given_to_other_commands_never_blocks(
    args: list[str], needle: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    fifo = tmp_path / "x.po"
    os.mkfifo(fifo)
    env = dict(subprocess_env, ARGOS_PACKAGES_DIR=str(tmp_path / "packages"))
    argv = [a.format(fifo=fifo, g=tmp_path / "g.tsv") for a in args]
    one_error(run_cli(argv, env, timeout=60), 4, needle)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_link_to_dev_zero_is_not_read(
    name: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    link = tmp_path / "x.txt"
    link.symlink_to("/dev/zero")
    proc = run_cli(command(name, link, out=tmp_path / "out"), subprocess_env, timeout=60)
    one_error(proc, 4, "a device, not a regular file")


def test_size_limit_is_checked_on_what_is_read(tmp_path: Path) -> None:
    """A file that grows between stat and read (here: a file whose stat lies, as
    /proc files do) is cut off at the limit, not read to the end."""
    from toolkit import files
    from toolkit.errors import InputError

    proc_file = Path("/proc/self/status")
    assert os.stat(proc_file).st_size == 0  # stat says 0, reading gives more
    with pytest.raises(InputError, match="more than"):
        files.read_bytes(proc_file, max_bytes=10)
    assert files.read_bytes(proc_file, max_bytes=1_000_000).startswith(b"Name:")


UNREADABLE = """
import errno, os, sys
real = os.open
def refusing(path, *a, **k):
    if os.fspath(path).endswith("secret.txt"):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
    return real(path, *a, **k)
os.open = refusing
from toolkit.__main__ import main
main()
"""


@pytest.mark.parametrize("name", list(COMMANDS))
def test_unreadable_file_named_directly_is_one_line_exit_5(
    name: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(RU, encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: make the open fail as it does for a user
        argv = [sys.executable, "-c", UNREADABLE]
    else:
        secret.chmod(0)
        argv = [sys.executable, "-m", "toolkit"]
    proc = subprocess.run(
        [*argv, *command(name, secret, out=tmp_path / "out")],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in proc.stderr
    assert "Usage" not in proc.stderr
    one_error(proc, 5, "permission denied")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_nul_byte_after_the_first_8_kb_is_binary(
    name: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    doc = tmp_path / "late.txt"
    doc.write_bytes(RU.encode() * 200 + b"\x00" + RU.encode())
    assert doc.read_bytes().index(b"\x00") > 8192
    proc = run_cli(command(name, doc, out=tmp_path / "out"), subprocess_env, timeout=60)
    one_error(proc, 4, "binary file")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_one_exit_code_rule_the_highest_failure(
    name: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """Binary (4) first, then missing (5), then a good file: every command exits 5."""
    binary = tmp_path / "a.txt"
    binary.write_bytes(b"\x00\x01")
    good = tmp_path / "c.txt"
    good.write_text(RU, encoding="utf-8")
    proc = run_cli(
        command(name, binary, tmp_path / "b-missing.txt", good, out=tmp_path / "out"),
        subprocess_env,
        timeout=90,
    )
    assert proc.returncode == 5, proc.stderr
    assert len(error_lines(proc)) == 2, proc.stderr


def test_exit_code_rule_is_written_once_in_readme_and_catalogue() -> None:
    rule = "the exit code is the highest of the failures' codes"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    catalogue = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert rule in " ".join(readme.split())
    assert rule in " ".join(catalogue.split())
    assert "first failure" not in readme
    assert "first bad file" not in readme


@pytest.mark.parametrize(
    "args",
    [["po", "audit"], ["po", "translate", "--to", "ru", "--engine", "identity", "-q"]],
    ids=["po-audit", "po-translate"],
)
def test_catalog_commands_follow_the_same_rule(
    args: list[str], tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """A binary catalog (4), a missing one (5), then a good one: both bad ones get
    their line, the good one is still processed, exit 5."""
    bad = tmp_path / "a.po"
    bad.write_bytes(b"\x00\x01")
    good = tmp_path / "c.po"
    good.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n',
        encoding="utf-8",
    )
    proc = run_cli([*args, str(bad), str(tmp_path / "b.po"), str(good)], subprocess_env)
    assert proc.returncode == 5, proc.stderr
    assert len(error_lines(proc)) == 2, proc.stderr
    assert "c.po" in proc.stderr + proc.stdout


def test_glossary_check_follows_the_same_rule(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    bad = tmp_path / "a.tsv"
    bad.write_bytes(b"\xff\xfe not utf-8")
    good = tmp_path / "c.tsv"
    good.write_text("en\tru\nOSCE\tОБСЕ\n", encoding="utf-8")
    args = ["glossary", "check", "-g", str(bad), "-g", str(tmp_path / "b.tsv"), "-g", str(good)]
    proc = run_cli(args, subprocess_env)
    assert proc.returncode == 5, proc.stderr
    assert len(error_lines(proc)) == 2, proc.stderr
