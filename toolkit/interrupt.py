"""Ctrl-C: one message, the exact count of files written, exit 130; never a traceback.

The handler is installed first thing by ``toolkit.__main__`` (before Typer and
the command modules load) and goes through three phases:

- *start-up* (before a command runs): nothing has been written, so the process
  prints its line and leaves at once with ``os._exit(130)``. An interrupt during
  an import can never surface as a traceback or as the ``ImportError`` that
  numpy, ctranslate2 or onnxruntime make of it.
- *running*: the handler records the signal and raises ``KeyboardInterrupt``,
  except inside :func:`deferred` sections (an atomic write, from its temp file
  to the count), where it is held until the section ends; so the count of
  files written is exact. The CLI maps any exception raised while an interrupt
  is recorded to the interrupt line, whatever a library made of it.
- *finished* (after the last write, see :func:`finished`): the signal is
  ignored; the run ends as it would have, and nothing claims writes were cut.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TypeAlias

from toolkit.i18n import ngettext

INTERRUPTED = 130

# What signal.getsignal returns and signal.signal takes (None: not set from Python).
Handler: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None

_phase = "start-up"
_received = False
_pending = False
_depth = 0
_written = 0


def install() -> None:
    """Install the handler (main thread only; a no-op elsewhere)."""
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, _handler)


def begin() -> Handler:
    """A command starts: fresh counts, the handler in place, signals raise.

    Returns what :func:`end` needs to put back the handler this replaced
    (when a command runs inside another program, such as a test's CliRunner).
    """
    global _received, _pending, _written
    _received = _pending = False
    _written = 0
    previous: Handler = None
    with contextlib.suppress(ValueError):
        current = signal.getsignal(signal.SIGINT)
        if current is not _handler:
            previous = current
            signal.signal(signal.SIGINT, _handler)
    running()
    return previous


def end(previous: Handler) -> None:
    """The command is over: later signals are ignored, or go to the handler
    :func:`begin` replaced."""
    finished()
    if previous is not None:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGINT, previous)


def ignore_rest() -> None:
    """The process is about to exit with its own code: a Ctrl-C from now on is
    ignored (while the interpreter shuts down, CPython puts the default handler
    back, and a late signal would end the process by SIGINT instead)."""
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def message() -> str:
    """The interrupt line: how many files this run wrote, the others unchanged."""
    return ngettext(
        "interrupted; {n} file written, the others unchanged",
        "interrupted; {n} files written, the others unchanged",
        _written,
    ).format(n=_written)


def _handler(signum: int, frame: FrameType | None) -> None:
    global _received, _pending
    if _phase == "finished":
        return
    if _phase == "start-up":
        with contextlib.suppress(Exception):
            os.write(2, f"\ntolmach: error: {message()}\n".encode())
        os._exit(INTERRUPTED)
    _received = True
    if _depth:
        _pending = True
        return
    raise KeyboardInterrupt


def leave() -> None:
    """End the process with exit 130 now, the interrupt line already printed.

    Every ``finally`` block has run by then. Leaving through ``os._exit``
    matters: when a C extension ran Python code that the interrupt cut (numpy,
    ctranslate2 and onnxruntime do, while they load), CPython remembers an
    "unhandled" KeyboardInterrupt and would end the process by SIGINT instead
    of with exit 130.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(INTERRUPTED)


def running() -> None:
    """Writes may follow: from now on a signal raises (or waits for a deferred section)."""
    global _phase
    _phase = "running"


def finished() -> None:
    """Every write of the run is done: later signals are ignored."""
    global _phase
    _phase = "finished"


def received() -> bool:
    """Whether an interrupt arrived while a command ran."""
    return _received


def check() -> None:
    """Raise ``KeyboardInterrupt`` if an interrupt arrived and was swallowed
    (a library turned it into another error and the caller went on)."""
    if _received and _phase == "running":
        raise KeyboardInterrupt


def written() -> int:
    return _written


def wrote() -> None:
    """Count one file written (called inside the write's deferred section)."""
    global _written
    _written += 1


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold an interrupt until the section ends (nestable)."""
    global _depth, _pending
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _pending:
            _pending = False
            if _phase == "running" and sys.exc_info()[0] is None:
                raise KeyboardInterrupt
