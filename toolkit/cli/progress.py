"""A progress bar on stderr for long runs: rich when stderr is a terminal, else nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from toolkit.i18n import _

STAGES = {"read": _("Reading"), "translate": _("Translating"), "write": _("Writing")}


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """Yield a callback ``(stage, done, total)``; a no-op when disabled or not a TTY."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


class Tally:
    """The ``on_total`` and ``advance`` callbacks a library call reports one
    stage's progress through (``on_total`` restarts the count)."""

    def __init__(self, update: Callable[[str, int, int], None], stage: str) -> None:
        self._update, self._stage = update, stage
        self.done = self.total = 0

    def on_total(self, n: int) -> None:
        self.total, self.done = n, 0
        self._update(self._stage, self.done, self.total)

    def advance(self, n: int) -> None:
        self.done += n
        self._update(self._stage, self.done, self.total)


@contextmanager
def tally(enabled: bool = True, stage: str = "translate") -> Iterator[Tally]:
    """A :class:`Tally` over a :func:`progress_bar`."""
    with progress_bar(enabled) as update:
        yield Tally(update, stage)
