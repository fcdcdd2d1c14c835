"""Gettext catalogs (read-only here): segments for translations, through polib.

* A catalog with a ``Language`` header: one ``msgstr`` segment (kind
  ``msgstr``, ``name`` = the msgid) per non-empty translation, plural forms
  included (name ``msgid[n]``). ``Document.lang`` and each segment's ``lang``
  are the header's language, so detection checks that translations are in the
  catalog's language.
* A template (``.pot``, or no ``Language`` header): one ``msgid`` segment per
  entry (kind ``msgid``), so detection sees the source strings.

Obsolete entries (``#~``) are skipped. Spans point at the quoted strings in
the file, with a ``raw_map`` through the C escapes. ``render`` supports only
an empty replacement set (the catalog unchanged); writing belongs to the PO
commands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.document import Document, Segment
from toolkit.errors import InputError, UsageError

NAME = "po"
EXTENSIONS = (".po", ".pot")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}  # fmt: skip
_KEYWORD_RE = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s*"')


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _decode_strings(
    text: str, pos: int, line_ends: list[int], line: int
) -> tuple[str, int, int, list[int]]:
    """Decode the quoted strings starting at ``pos`` (inside line ``line``).

    Returns (decoded, raw start, raw end, raw_map relative to raw start).
    """
    chars: list[str] = []
    offsets: list[int] = []
    start = end = -1
    while True:
        q = text.find('"', pos, line_ends[line])
        if q == -1:
            break
        i = q + 1
        if start == -1:
            start = i
        stop = line_ends[line]
        while i < stop and text[i] != '"':
            if text[i] == "\\" and i + 1 < stop:
                chars.append(_ESCAPES.get(text[i + 1], text[i + 1]))
                offsets.append(i)
                i += 2
            else:
                chars.append(text[i])
                offsets.append(i)
                i += 1
        end = i
        line += 1
        if line >= len(line_ends):
            break
        nxt = text[line_ends[line - 1] + 1 : line_ends[line]].lstrip()
        if not nxt.startswith('"'):
            break
        pos = line_ends[line - 1] + 1
    if start == -1:
        return "", pos, pos, [0]
    raw_map = [o - start for o in offsets] + [end - start]
    return "".join(chars), start, end, raw_map


def parse(text: str, path: str | None = None) -> Document:
    import polib

    if not text.strip():
        return Document(text=text, segments=(), format=NAME, path=path)
    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a valid PO file: {exc}", path=path) from None
    language = (catalog.metadata.get("Language") or "").strip() or None
    template = language is None or (path or "").lower().endswith(".pot")
    starts = _line_starts(text)
    line_ends = [s - 1 for s in starts[1:]] + [len(text)]
    segments: list[Segment] = []

    def add(line: int, keyword: str, kind: str, expected: str, name: str) -> None:
        # find the keyword line at or after ``line`` (0-based)
        for ln in range(line, min(len(starts), line + 10_000)):
            raw_line = text[starts[ln] : line_ends[ln]]
            m = _KEYWORD_RE.match(raw_line.lstrip())
            if m and m.group(1) == keyword:
                pos = starts[ln] + (len(raw_line) - len(raw_line.lstrip())) + len(keyword)
                decoded, s, e, raw_map = _decode_strings(text, pos, line_ends, ln)
                if decoded != expected:
                    raw_map = [0] * (len(expected) + 1)
                    decoded = expected
                if decoded.strip():
                    segments.append(
                        Segment(
                            index=len(segments),
                            start=s,
                            end=e,
                            text=decoded,
                            kind=kind,
                            lang=None if kind == "msgid" else language,
                            name=name,
                            raw_map=None if decoded == text[s:e] else tuple(raw_map),
                        )
                    )
                return

    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        first = max(0, int(entry.linenum or 1) - 1)
        if template:
            add(first, "msgid", "msgid", entry.msgid, entry.msgid)
            continue
        if entry.msgid_plural:
            for n in sorted(entry.msgstr_plural):
                add(first, f"msgstr[{n}]", "msgstr", entry.msgstr_plural[n], f"{entry.msgid}[{n}]")
        else:
            add(first, "msgstr", "msgstr", entry.msgstr, entry.msgid)
    return Document(text=text, segments=tuple(segments), format=NAME, path=path, lang=language)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    if replacements:
        raise UsageError("writing PO files is done by `tolmach po translate`", path=doc.path)
    return doc.text
