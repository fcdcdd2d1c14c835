"""Typed errors and the exit codes the CLI maps them to.

The library raises these; only the CLI edge turns them into one line on stderr
and an exit code. Every code below is documented in the README.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import Any


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

    def __init_subclass__(cls, exit_code: ExitCode | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if exit_code is not None:
            cls.exit_code = exit_code

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


class UsageError(TolmachError, exit_code=ExitCode.USAGE):
    """A bad option, argument or combination of them."""


class InputError(TolmachError, exit_code=ExitCode.BAD_INPUT):
    """The input could not be read as the format it claims to be."""


class FileIOError(TolmachError, exit_code=ExitCode.IO):
    """Reading or writing a file failed (missing, unreadable, unwritable)."""


class MissingModelError(TolmachError, exit_code=ExitCode.MISSING):
    """No installed model for a language pair (``pair`` is set when one is known)."""

    pair: tuple[str, str] | None = None


class MissingDependencyError(TolmachError, exit_code=ExitCode.MISSING):
    """An optional dependency (ray, CUDA libraries, ...) is not installed."""


class PackageError(TolmachError, exit_code=ExitCode.BAD_INPUT):
    """An .argosmodel package is invalid or unsafe."""


class EngineError(TolmachError, exit_code=ExitCode.ENGINE):
    """The translation engine failed while translating (not a missing model)."""


class NetworkError(TolmachError, exit_code=ExitCode.IO):
    """The network was needed (explicit model download) and is not reachable."""
