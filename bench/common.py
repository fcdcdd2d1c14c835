"""Helpers shared by the benchmarks: an isolated environment and fixed output lengths.

A random-weight model never stops by itself, so every benchmarked path decodes
exactly ``L(n) = 8 * ceil(0.9 * n / 8)`` target tokens for a sentence of n source
tokens: the fast path through :func:`fixed_length_engine`, argostranslate through
:class:`FixedLengthTranslator` (see bench/engine.py for the method).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any


def isolate(tmp: Path, data: Path) -> None:
    """Point tolmach and argostranslate at folders under ``tmp``; offline index."""
    os.environ["TOLMACH_SHARED_DATA"] = str(data)
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
    os.environ["TOLMACH_HOME"] = str(tmp / "home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(tmp / var.lower())
    os.environ.pop("ARGOS_DEVICE_TYPE", None)


def fixed_length(n: int) -> int:
    return max(8, 8 * math.ceil(0.9 * n / 8))


def fixed_length_engine(**options: Any) -> Any:
    """An ArgosEngine (fast path) whose every sentence decodes exactly L(n) tokens."""
    from toolkit.engines.argos import ArgosEngine

    class FixedLengthEngine(ArgosEngine):
        def decoding_bounds(self, source_tokens: int, prefix_tokens: int) -> tuple[int, int]:
            length = fixed_length(source_tokens) + prefix_tokens
            return length, length

    return FixedLengthEngine(**options)


class FixedLengthTranslator:
    """Wraps argostranslate's ctranslate2.Translator: each sentence decodes exactly L(n)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[Any]:
        groups: dict[int, list[int]] = {}
        for i, tokens in enumerate(source):
            groups.setdefault(fixed_length(len(tokens)), []).append(i)
        results: list[Any] = [None] * len(source)
        prefix = kwargs.pop("target_prefix", None)
        for length, indices in groups.items():
            self.calls += 1
            sub = self.inner.translate_batch(
                [source[i] for i in indices],
                target_prefix=[prefix[i] for i in indices] if prefix else None,
                min_decoding_length=length,
                max_decoding_length=length,
                **kwargs,
            )
            for i, result in zip(indices, sub, strict=True):
                results[i] = result
        return results
