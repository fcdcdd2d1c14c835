"""An engine that returns its input: for tests, dry runs and pipeline benchmarks."""

from __future__ import annotations

from collections.abc import Sequence


class IdentityEngine:
    name = "identity"

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def identity(self, source: str, target: str) -> str:
        return f"{self.name}:{source}-{target}"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls += 1
        self.texts += len(texts)
        return list(texts)
