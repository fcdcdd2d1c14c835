"""Engines for the Ray executor tests. They live in an importable module because
Ray workers unpickle the engine factory by reference."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from toolkit.engines.identity import IdentityEngine
from toolkit.errors import MissingModelError


class MarkEngine(IdentityEngine):
    """'x' -> '[x]', after ``delay`` seconds per batch (keeps batches in flight)."""

    name = "mark"

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        if self.delay:
            time.sleep(self.delay)
        return [f"[{t}]" for t in texts]


class CrashOnceEngine(MarkEngine):
    """The first batch in any worker kills that worker's process (the marker file
    makes it happen once across processes); later batches work."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = Path(marker)

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return super().translate_batch(texts, source, target)
        os.close(fd)
        os._exit(1)


class NoModelEngine(MarkEngine):
    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        raise MissingModelError(f"no Argos model installed for {source}→{target}")


class Factory:
    """Picklable: builds one of the engines above in the worker."""

    def __init__(self, kind: str, **options: object) -> None:
        self.kind = kind
        self.options = options

    def __call__(self) -> IdentityEngine:
        table = {"mark": MarkEngine, "crash": CrashOnceEngine, "nomodel": NoModelEngine}
        return table[self.kind](**self.options)  # type: ignore[arg-type]
