"""A test engine that damages sentinels the way real MT systems do.

It wraps any :class:`toolkit.engines.Engine` (the identity engine by default):
the inner engine translates, then the listed damages are applied to its
output. ``first_call_only`` damages only the first batch, so that a
retranslation goes through the inner engine untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from toolkit.engines import Engine
from toolkit.engines.identity import IdentityEngine

SENTINEL = re.compile(r"⟦(\d+)⟧")
# Damages that restore can undo: it must reach 100% on these.
REPAIRABLE = (
    "duplicate",
    "reorder",
    "case",
    "spaces",
    "split",
    "brackets",
    "translate",
    "renumber",
)
DAMAGES = (*REPAIRABLE, "drop")


def _translate_words(text: str) -> str:
    """'Translate' every word outside sentinels into something else."""
    out = []
    pos = 0
    for m in SENTINEL.finditer(text):
        out.append(
            re.sub(r"[^\W\d]+", lambda w: "x" + w.group()[::-1].lower(), text[pos : m.start()])
        )
        out.append(m.group())
        pos = m.end()
    out.append(re.sub(r"[^\W\d]+", lambda w: "x" + w.group()[::-1].lower(), text[pos:]))
    return "".join(out)


def damage(text: str, kind: str) -> str:
    found = SENTINEL.findall(text)
    if kind == "drop":
        return SENTINEL.sub("", text, count=1)
    if kind == "duplicate":
        return SENTINEL.sub(lambda m: f"{m.group()} {m.group()}", text)
    if kind == "reorder":
        order = list(reversed(found))
        it = iter(order)
        return SENTINEL.sub(lambda m: f"⟦{next(it)}⟧", text)
    if kind == "case":
        return text.swapcase()
    if kind == "spaces":
        return SENTINEL.sub(lambda m: f"⟦ {' '.join(m.group(1))} ⟧", text)
    if kind == "split":
        return SENTINEL.sub(lambda m: f"⟦{m.group(1)} ⟧", text)
    if kind == "brackets":
        return SENTINEL.sub(lambda m: f"[[{m.group(1)}]]", text)
    if kind == "translate":
        return _translate_words(text)
    if kind == "renumber":
        # one id altered into one that was never issued
        return SENTINEL.sub(lambda m: f"⟦{int(m.group(1)) + 900}⟧", text, count=1)
    raise ValueError(kind)


class DamagingEngine:
    name = "damaging"

    def __init__(
        self,
        damages: Sequence[str],
        inner: Engine | None = None,
        *,
        first_call_only: bool = False,
    ) -> None:
        self.damages = tuple(damages)
        self.inner = inner or IdentityEngine()
        self.first_call_only = first_call_only
        self.calls = 0

    def identity(self, source: str, target: str) -> str:
        return f"damaging:{','.join(self.damages)}:{self.inner.identity(source, target)}"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls += 1
        out = self.inner.translate_batch(texts, source, target)
        if self.first_call_only and self.calls > 1:
            return out
        for kind in self.damages:
            out = [damage(t, kind) for t in out]
        return out
