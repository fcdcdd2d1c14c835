"""One catalog model for every localization format: units, stores, splicing.

A format module reads a file's bytes into a :class:`Store`: its decoded
text and a list of :class:`Unit` s, each knowing where its target value sits
in the text (``span``, character offsets of the value as written, escapes
included). Writing never re-serialises a file: :func:`splice` applies
:class:`Edit` s (replace ``text[start:end]``) to the original text, so a file
with nothing to fill comes out byte-identical and a filled one differs only
in the filled values (and, where the format needs it, a state attribute or
a newly inserted key).

Plural forms are units too: each CLDR category of a plural message is one
unit with ``group`` (the message's key) and ``plural`` (``one``, ``few``,
...), so a missing category is a unit with no target and a span of None.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from toolkit.errors import InputError
from toolkit.i18n import _


class State(str, Enum):
    translated = "translated"
    review = "needs-review"
    untranslated = "untranslated"


@dataclass
class Unit:
    """One translatable string.

    ``source`` and ``target`` are the values as the format means them
    (escapes decoded; XLIFF keeps its inline elements as markup text).
    ``target`` is None when the file has no target for the unit. ``line``
    and ``column`` (1-based) point at the unit's value in the target file,
    or at its key in the source file when the target has none.
    """

    key: str
    source: str
    target: str | None = None
    context: str = ""
    state: State = State.untranslated
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    max_length: int | None = None
    group: str | None = None  # the plural message's key
    plural: str | None = None  # CLDR category of this form
    line: int = 1
    column: int = 1
    span: tuple[int, int] | None = None  # the target value's raw text, when present
    where: object = None  # format-specific anchor for inserting a missing target


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass
class Store:
    """A catalog file as read: its text and units, in file order."""

    path: str
    format: str
    data: bytes
    text: str
    encoding: str
    bom: bytes
    units: list[Unit]
    syntax: str  # placeholder syntax: see :mod:`toolkit.catalogs.syntax`
    source_language: str | None = None
    target_language: str | None = None
    bilingual: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def newline(self) -> str:
        i = self.text.find("\n")
        return "\r\n" if i > 0 and self.text[i - 1] == "\r" else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(i + 1 for i, c in enumerate(self.text) if c == "\n")
            self._line_starts = starts
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def by_key(self) -> dict[str, Unit]:
        return {u.key: u for u in self.units}


def splice(store: Store, edits: Iterable[Edit]) -> bytes:
    """The file's bytes with ``edits`` applied; no edits: the original bytes."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    if not ordered:
        return store.data
    out: list[str] = []
    pos = 0
    for edit in ordered:
        if edit.start < pos:
            raise ValueError(f"overlapping edits at {edit.start}")
        out.append(store.text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(store.text[pos:])
    try:
        return store.bom + "".join(out).encode(store.encoding)
    except UnicodeEncodeError as exc:
        raise InputError(
            _("a translation cannot be written in the catalog's charset")
            + f" {store.encoding}: {exc.reason}",
            path=store.path,
        ) from None
