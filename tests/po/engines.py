"""Small engines for catalog tests: they change text in known ways."""

from __future__ import annotations

import re
from collections.abc import Sequence

from toolkit.engines.identity import IdentityEngine


class UpperEngine(IdentityEngine):
    """Uppercases letters outside sentinels, like a translation that changes every word."""

    name = "upper"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        return [t.upper() for t in texts]


class DropSentinelEngine(IdentityEngine):
    """Loses every sentinel (a model that drops placeholders)."""

    name = "drop"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        return [re.sub(r"⟦\d+⟧", "", t) for t in texts]


class DuplicateSentinelEngine(IdentityEngine):
    """Repeats the first sentinel (a model that stutters)."""

    name = "dup"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        out = []
        for t in texts:
            m = re.search(r"⟦\d+⟧", t)
            out.append(t + " " + m.group(0) if m else t)
        return out
