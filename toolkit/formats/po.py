"""Gettext catalogs (read-only here): segments for translations.

* A catalog with a ``Language`` header: one ``msgstr`` segment (kind
  ``msgstr``, ``name`` = the msgid) per non-empty translation, plural forms
  included (name ``msgid[n]``). ``Document.lang`` and each segment's ``lang``
  are the header's language, so detection checks that translations are in the
  catalog's language.
* A template (``.pot``, or no ``Language`` header): one ``msgid`` segment per
  entry (kind ``msgid``), so detection sees the source strings.

Obsolete entries (``#~``) are skipped. The catalog is read by the one PO
reader, :mod:`toolkit.po.catalog` (its grammar-checking lexer and escape
table): spans point at the quoted strings in the file, with a ``raw_map``
through the C escapes. A syntax error is an :class:`~toolkit.errors.InputError`
with its line. ``render`` supports only an empty replacement set (the catalog
unchanged); writing belongs to the PO commands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from toolkit.document import Document, Segment
from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.po.catalog import FieldSpan

NAME = "po"
EXTENSIONS = (".po", ".pot")


def parse(text: str, path: str | None = None) -> Document:
    from toolkit.po.catalog import EntrySpan, field_value, lex, line_starts, parse_header

    if not text.strip():
        return Document(text=text, segments=(), format=NAME, path=path)
    lines = text.splitlines(keepends=True)
    spans = [s for s in lex(lines, path or "") if not s.obsolete]
    starts = line_starts(lines)
    entries: list[tuple[EntrySpan, FieldSpan, str]] = []
    language: str | None = None
    for span in spans:
        msgid_field = span.field("msgid")
        if msgid_field is None:
            continue
        value = field_value(lines, starts, msgid_field)[0]
        if not value and span.field("msgctxt") is None and language is None and not entries:
            language = parse_header(lines, span, path or "", starts).get("Language") or None
        elif value:
            entries.append((span, msgid_field, value))
    template = language is None or (path or "").lower().endswith(".pot")
    segments: list[Segment] = []
    for span, msgid_field, msgid in entries:
        if template:
            wanted = [(msgid_field, "msgid", msgid)]
        else:
            forms = sorted((f for f in span.fields if f.keyword == "msgstr"), key=_index)
            wanted = [(f, "msgstr", f"{msgid}[{f.index}]" if span.plural else msgid) for f in forms]
        for field, kind, name in wanted:
            decoded, start, end, raw_map = field_value(lines, starts, field)
            if not decoded.strip():
                continue
            segments.append(
                Segment(
                    index=len(segments),
                    start=start,
                    end=end,
                    text=decoded,
                    kind=kind,
                    lang=None if kind == "msgid" else language,
                    name=name,
                    raw_map=None if decoded == text[start:end] else tuple(raw_map),
                )
            )
    return Document(text=text, segments=tuple(segments), format=NAME, path=path, lang=language)


def _index(field: FieldSpan) -> int:
    return field.index or 0


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    if replacements:
        raise UsageError("writing PO files is done by `tolmach po translate`", path=doc.path)
    return doc.text
