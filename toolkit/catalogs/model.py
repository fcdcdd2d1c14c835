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
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from toolkit.files import encode_or_fail


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
    return encode_or_fail("".join(out), store.encoding, store.bom, store.path)


def unescape(
    text: str, escapes: Mapping[str, str], hex_digits: Mapping[str, int], *, joins: bool = False
) -> str:
    """Backslash escapes of a quoted value: ``\\`` and a letter of
    ``hex_digits`` with that many hex digits is the code point; ``\\`` and
    any other character is ``escapes``' value for it, else the character; with
    ``joins``, an escaped line break and the next line's indentation vanish (YAML);
    a lone backslash at the end stays."""
    key = (tuple(sorted(hex_digits.items())), joins)
    pattern = _UNESCAPE_RE.get(key)
    if pattern is None:
        codes = [f"{re.escape(k)}[0-9a-fA-F]{{{n}}}" for k, n in sorted(hex_digits.items())]
        join = [r"\n[ \t]*"] if joins else []
        pattern = _UNESCAPE_RE[key] = re.compile(
            r"\\(" + "|".join([*codes, *join, r"[\s\S]"]) + ")"
        )

    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        if len(body) > 1 and body[0] in hex_digits:
            return chr(int(body[1:], 16))
        if body[0] == "\n" and joins:
            return ""
        return escapes.get(body, body)

    return pattern.sub(repl, text)


_UNESCAPE_RE: dict[object, re.Pattern[str]] = {}


def append_edit(store: Store, lines: list[str], line_breaks: tuple[str, ...] = ("\n",)) -> Edit:
    """An edit that adds ``lines`` at the end of the file, each ended by the file's
    line break (after one, when the file does not end with one of ``line_breaks``)."""
    nl = store.newline
    end = len(store.text)
    lead = "" if not store.text or store.text.endswith(line_breaks) else nl
    return Edit(end, end, lead + nl.join(lines) + nl)


def place_missing(
    missing: dict[tuple[str, ...], dict[str, object]],
    path: tuple[str, ...],
    value: str,
    existing: Collection[tuple[str, ...]],
) -> None:
    """Record a new key at ``path`` under the deepest mapping of ``existing`` on
    the path: ``missing[parent]`` gets the rest of the path as nested members."""
    depth = len(path) - 1
    while depth > 0 and path[:depth] not in existing:
        depth -= 1
    node = missing.setdefault(path[:depth], {})
    for part in path[depth:-1]:
        nxt = node.setdefault(part, {})
        assert isinstance(nxt, dict)
        node = nxt
    node[path[-1]] = value
