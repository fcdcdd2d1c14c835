"""Gettext catalogs (read-only here): segments for translations.

* A catalog with a ``Language`` header: one ``msgstr`` segment (kind
  ``msgstr``, ``name`` = the msgid) per non-empty translation, plural forms
  included (name ``msgid[n]``). ``Document.lang`` and each segment's ``lang``
  are the header's language, so detection checks that translations are in the
  catalog's language.
* A template (``.pot``, or no ``Language`` header): one ``msgid`` segment per
  entry (kind ``msgid``), so detection sees the source strings.

Obsolete entries (``#~``) are skipped. This module is the one PO reader:
:func:`lex` checks the grammar line by line (a syntax error is an
:class:`~toolkit.errors.InputError` with its line) and records where each
entry and each keyword's strings are; :func:`field_value` decodes them with
the one escape table, keeping the offsets, so spans point at the quoted
strings in the file with a ``raw_map`` through the C escapes. The catalog
model (:mod:`toolkit.po.catalog`) reads catalogs through it too.
``render`` supports only an empty replacement set (the catalog unchanged);
writing belongs to the PO commands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from toolkit.document import Document, Segment
from toolkit.errors import InputError, UsageError
from toolkit.i18n import _

NAME = "po"
EXTENSIONS = (".po", ".pot")

_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"])\s*(.*)$")
_STRING_RE = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE_RE = re.compile(r"\\(.)")
_VALID_ESCAPES = set('ntbrfva\\"01234567x')
# C escapes as gettext reads them; any other escaped character stands for itself
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}  # fmt: skip
_HEADER_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:")


@dataclass(frozen=True)
class FieldSpan:
    """Where one keyword's strings sit: lines ``first`` to ``last`` (0-based, inclusive)."""

    keyword: str  # msgctxt, msgid, msgid_plural or msgstr
    index: int | None  # n of msgstr[n]
    first: int
    last: int


@dataclass
class EntrySpan:
    """Where one entry sits in the file (0-based line indexes, ``end`` exclusive)."""

    start: int
    end: int
    first_keyword: int  # the msgctxt or msgid line
    msgstr: int  # the first msgstr line
    flags: int | None = None  # the ``#,`` line
    previous: int | None = None  # the first ``#|`` line
    obsolete: bool = False
    plural: bool = False
    fields: tuple[FieldSpan, ...] = ()

    def field(self, keyword: str, index: int | None = None) -> FieldSpan | None:
        return next((f for f in self.fields if f.keyword == keyword and f.index == index), None)


def _check_string(body: str, lineno: int, path: str) -> None:
    m = _STRING_RE.match(body)
    if not m:
        if body.startswith('"'):
            raise InputError(_("unterminated string"), path=path, line=lineno)
        raise InputError(_("expected a quoted string"), path=path, line=lineno)
    for esc in _ESCAPE_RE.finditer(m.group(1)):
        if esc.group(1) not in _VALID_ESCAPES:
            raise InputError(
                _("invalid escape sequence") + f" \\{esc.group(1)}", path=path, line=lineno
            )


@dataclass
class _Open:
    """The entry the lexer is inside."""

    start: int
    obsolete: bool = False
    first_keyword: int | None = None
    msgstr: int | None = None
    flags: int | None = None
    previous: int | None = None
    plural: bool = False
    fields: list[FieldSpan] = field(default_factory=list)


def lex(lines: list[str], path: str) -> list[EntrySpan]:
    """Check the PO grammar line by line and return each entry's span."""
    spans: list[EntrySpan] = []
    cur: _Open | None = None
    state = "none"  # none | comments | ctxt | id | plural | str
    last_content = -1

    def close() -> None:
        nonlocal cur, state
        if cur is None:
            return
        if state != "str" or cur.first_keyword is None or cur.msgstr is None:
            line = cur.first_keyword if cur.first_keyword is not None else cur.start
            raise InputError(_("entry has no msgstr"), path=path, line=line + 1)
        spans.append(
            EntrySpan(
                start=cur.start,
                end=last_content + 1,
                first_keyword=cur.first_keyword,
                msgstr=cur.msgstr,
                flags=cur.flags,
                previous=cur.previous,
                obsolete=cur.obsolete,
                plural=cur.plural,
                fields=tuple(cur.fields),
            )
        )
        cur = None
        state = "none"

    for i, raw in enumerate(lines):
        stripped = raw.strip()
        lineno = i + 1
        if not stripped:
            continue
        obsolete = False
        if stripped.startswith("#~"):
            rest = stripped[2:].lstrip()
            if rest.startswith("|") or not rest:
                # previous msgid of an obsolete entry, or an empty obsolete line
                if state == "str":
                    close()
                continue
            obsolete = True
            stripped = rest
        elif stripped.startswith("#"):
            if state == "str":
                close()
            if cur is None:
                cur = _Open(start=i)
                state = "comments"
            if stripped.startswith("#,") and cur.flags is None:
                cur.flags = i
            if stripped.startswith("#|") and cur.previous is None:
                cur.previous = i
            last_content = i
            continue
        m = _KEYWORD_RE.match(stripped)
        if m:
            keyword, index, body = m.group(1), m.group(2), m.group(3)
            _check_string(body, lineno, path)
            if keyword in ("msgctxt", "msgid") and state == "str":
                close()
            if cur is None:
                cur = _Open(start=i, obsolete=obsolete)
                state = "comments"
            if obsolete:
                cur.obsolete = True
            if keyword == "msgctxt":
                if state not in ("none", "comments"):
                    raise InputError(_("misplaced msgctxt"), path=path, line=lineno)
                cur.first_keyword = i
                state = "ctxt"
            elif keyword == "msgid":
                if state not in ("none", "comments", "ctxt"):
                    raise InputError(_("misplaced msgid"), path=path, line=lineno)
                if cur.first_keyword is None:
                    cur.first_keyword = i
                state = "id"
            elif keyword == "msgid_plural":
                if state != "id":
                    raise InputError(_("msgid_plural without msgid"), path=path, line=lineno)
                cur.plural = True
                state = "plural"
            else:  # msgstr / msgstr[n]
                if state == "id":
                    if index is not None:
                        raise InputError(
                            _("msgstr[n] on an entry without msgid_plural"), path=path, line=lineno
                        )
                    cur.msgstr = i
                elif state == "plural":
                    if index is None:
                        raise InputError(
                            _("plural entry needs msgstr[n], not msgstr"), path=path, line=lineno
                        )
                    cur.msgstr = i
                elif state == "str":
                    if index is None or not cur.plural:
                        raise InputError(_("duplicate msgstr"), path=path, line=lineno)
                else:
                    raise InputError(_("msgstr without msgid"), path=path, line=lineno)
                state = "str"
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            cur.fields.append(FieldSpan(name, None if index is None else int(index), i, i))
            last_content = i
            continue
        if stripped.startswith('"'):
            if state not in ("ctxt", "id", "plural", "str") or cur is None:
                raise InputError(_("string outside of an entry"), path=path, line=lineno)
            _check_string(stripped, lineno, path)
            last = cur.fields[-1]
            cur.fields[-1] = FieldSpan(last.keyword, last.index, last.first, i)
            last_content = i
            continue
        raise InputError(_("unexpected text, not PO syntax"), path=path, line=lineno)
    if cur is not None and cur.first_keyword is not None:
        close()  # trailing comments after the last entry belong to no entry
    return spans


def line_starts(lines: list[str]) -> list[int]:
    """The offset of each line in the text the lines were split from."""
    out = [0]
    for line in lines[:-1]:
        out.append(out[-1] + len(line))
    return out


def field_value(
    lines: list[str], starts: list[int], span: FieldSpan
) -> tuple[str, int, int, list[int]]:
    """Decode one keyword's strings (C escapes, continuation lines joined).

    Returns the value, the offsets in the text where its first string's body
    starts and its last string's body ends, and for each character of the
    value (and its end) the offset relative to that start: the ``raw_map`` of a
    :class:`~toolkit.document.Segment`.
    """
    chars: list[str] = []
    offsets: list[int] = []
    start = end = -1
    for i in range(span.first, span.last + 1):
        raw = lines[i]
        q = raw.index('"')
        close = raw.rstrip().rindex('"')
        base = starts[i]
        if start == -1:
            start = base + q + 1
        j = q + 1
        while j < close:
            if raw[j] == "\\" and j + 1 < close:
                chars.append(_ESCAPES.get(raw[j + 1], raw[j + 1]))
                offsets.append(base + j)
                j += 2
            else:
                chars.append(raw[j])
                offsets.append(base + j)
                j += 1
        end = base + close
    return "".join(chars), start, end, [o - start for o in offsets] + [end - start]


def parse_header(
    lines: list[str], span: EntrySpan, path: str, starts: list[int] | None = None
) -> dict[str, str]:
    """The header entry's ``Key: value`` lines; a line of another shape raises
    :class:`InputError`."""
    msgstr = span.field("msgstr")
    if msgstr is None:
        return {}
    text = field_value(lines, starts or line_starts(lines), msgstr)[0]
    header: dict[str, str] = {}
    for n, hline in enumerate(text.split("\n")):
        if not hline.strip():
            continue
        if not _HEADER_LINE_RE.match(hline):
            raise InputError(
                _("bad header line") + f" {n + 1}: {hline[:60]!r}",
                path=path,
                line=span.msgstr + 1,
            )
        key, _sep, value = hline.partition(":")
        header[key.strip()] = value.strip()
    return header


def parse(text: str, path: str | None = None) -> Document:

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
        for string, kind, name in wanted:
            decoded, start, end, raw_map = field_value(lines, starts, string)
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


def _index(string: FieldSpan) -> int:
    return string.index or 0


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    if replacements:
        raise UsageError("writing PO files is done by `tolmach po translate`", path=doc.path)
    return doc.text
