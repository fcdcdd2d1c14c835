"""Typed errors and the exit codes the CLI maps them to.

The library raises these; only the CLI edge turns them into one line on stderr
and an exit code. Every code below is documented in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    FINDINGS = 1  # audit/check found problems at or above --fail-on
    USAGE = 2  # bad option or argument
    MISSING = 3  # a model or an optional dependency is missing
    BAD_INPUT = 4  # a file could not be parsed: binary, bad encoding, malformed PO/TBX/CSV
    IO = 5  # a file could not be read or written
    ENGINE = 6  # the translation engine failed on the input
    INTERRUPTED = 130  # Ctrl-C


def run_exit_code(failures: Iterable[int]) -> int:
    """The one rule for a command over several files: each bad file gets its
    line, the others are processed, and the exit code is the highest of the
    failures' codes (0 when there were none). Every command follows it."""
    return max(failures, default=0)


class TolmachError(Exception):
    """Base class: a user-facing error with a one-line message and an exit code."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class UsageError(TolmachError):
    exit_code = ExitCode.USAGE


class InputError(TolmachError):
    """The input could not be read as the format it claims to be."""

    exit_code = ExitCode.BAD_INPUT


class FileIOError(TolmachError):
    """Reading or writing a file failed (missing, unreadable, unwritable)."""

    exit_code = ExitCode.IO


class MissingModelError(TolmachError):
    """No installed model for a language pair (``pair`` is set when one is known)."""

    exit_code = ExitCode.MISSING
    pair: tuple[str, str] | None = None


class MissingDependencyError(TolmachError):
    exit_code = ExitCode.MISSING


class PackageError(TolmachError):
    """An .argosmodel package is invalid or unsafe."""

    exit_code = ExitCode.BAD_INPUT


class EngineError(TolmachError):
    """The translation engine failed while translating (not a missing model)."""

    exit_code = ExitCode.ENGINE


class NetworkError(TolmachError):
    """The network was needed (explicit model download) and is not reachable."""

    exit_code = ExitCode.IO
