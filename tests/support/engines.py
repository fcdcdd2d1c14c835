"""The fake engines of the test suite, in one place.

Each changes text in a known way, so a test can tell what went through the
engine. They live in an importable module (not a test file) because Ray
workers unpickle :class:`Factory` by reference and import this module.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

from toolkit.engines import Engine
from toolkit.engines.identity import IdentityEngine
from toolkit.errors import MissingModelError

SENTINEL = re.compile(r"⟦(\d+)⟧")  # the sentinels of glossary.protect and po.placeholders


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


class InterruptEngine(IdentityEngine):
    """Raises KeyboardInterrupt, as Ctrl-C in the middle of a batch."""

    name = "interrupt"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        raise KeyboardInterrupt


class FixedEngine(IdentityEngine):
    """Answers ``reply`` for every text (a translation the test chooses)."""

    name = "fixed"

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        return [self.reply for _t in texts]


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
        return [SENTINEL.sub("", t) for t in texts]


class DuplicateSentinelEngine(IdentityEngine):
    """Repeats the first sentinel (a model that stutters)."""

    name = "dup"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        out = []
        for t in texts:
            m = SENTINEL.search(t)
            out.append(t + " " + m.group(0) if m else t)
        return out


# ---------------------------------------------------- sentinel damage (glossary tests)

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
    """Damages sentinels the way real MT systems do.

    It wraps any :class:`toolkit.engines.Engine` (the identity engine by
    default): the inner engine translates, then the listed damages are applied
    to its output. ``first_call_only`` damages only the first batch, so that a
    retranslation goes through the inner engine untouched.
    """

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


class Factory:
    """Picklable: builds one of the engines above in the worker."""

    def __init__(self, kind: str, **options: object) -> None:
        self.kind = kind
        self.options = options

    def __call__(self) -> IdentityEngine:
        table = {"mark": MarkEngine, "crash": CrashOnceEngine, "nomodel": NoModelEngine}
        return table[self.kind](**self.options)  # type: ignore[arg-type]
