"""Reading, validating and splice-writing gettext catalogs.

polib decodes the entries, but it is lenient (an unterminated string or an
invalid escape goes through silently), so :func:`parse_catalog` first runs
the one PO reader, :func:`toolkit.formats.po.lex`: a strict line lexer that
follows the PO grammar, raises :class:`InputError` with the line number and
records where each entry's lines and strings are. So :func:`render_catalog`
can rewrite only the changed entries (their flags line and msgstr lines) and
keep every other byte of the file as it was read: a catalog with no changes
comes out byte-identical. As babel's ``catalog.py`` builds on ``pofile.py``,
this model builds on the format module, never the reverse.
"""

from __future__ import annotations

import codecs
import gettext
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from toolkit import files
from toolkit.errors import InputError
from toolkit.formats.po import EntrySpan, lex, parse_header
from toolkit.i18n import _

if TYPE_CHECKING:
    import polib

MO_MAGICS = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")

_PLURAL_FORMS_RE = re.compile(
    r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL
)


class Message(Protocol):
    """What tolmach reads of a catalog entry (a ``polib.POEntry``)."""

    @property
    def msgctxt(self) -> str | None:
        """None when the entry has no context (types-polib says ``str``; polib gives None)."""
        ...

    msgid: str
    msgid_plural: str
    msgstr: str
    msgstr_plural: dict[int, str]
    flags: list[str]
    obsolete: bool


@dataclass
class PluralForms:
    nplurals: int
    expression: str
    func: Callable[[int], int]

    def forms_for(self, limit: int = 1000) -> list[set[int]]:
        """For each form index, the values of n below ``limit`` that select it."""
        out: list[set[int]] = [set() for _i in range(self.nplurals)]
        for n in range(limit):
            out[self.func(n)].add(n)
        return out


@dataclass
class Catalog:
    path: str
    data: bytes
    text: str
    encoding: str
    bom: bytes
    lines: list[str]  # with line endings
    newline: str
    po: polib.POFile
    entries: list[Message]  # polib.POEntry, in file order, header excluded
    spans: list[EntrySpan]  # aligned with ``entries``
    header: dict[str, str] = field(default_factory=dict)
    plural_forms: PluralForms | None = None
    wrapwidth: int = 79

    @property
    def language(self) -> str | None:
        lang = self.header.get("Language", "").strip()
        return lang or None

    def active(self) -> list[tuple[Message, EntrySpan]]:
        """Non-obsolete entries with their spans."""
        return [(e, s) for e, s in zip(self.entries, self.spans, strict=True) if not s.obsolete]


def parse_plural_forms(value: str, path: str) -> PluralForms:
    """Parse a ``Plural-Forms`` header value; broken ones raise :class:`InputError`."""
    m = _PLURAL_FORMS_RE.match(value)
    if not m:
        raise InputError(_("broken Plural-Forms header") + f": {value.strip()!r}", path=path)
    nplurals = int(m.group(1))
    expression = m.group(2).strip()
    if not 1 <= nplurals <= 10:
        raise InputError(_("Plural-Forms: nplurals must be between 1 and 10"), path=path)
    try:
        func = gettext.c2py(expression)
        for n in range(1000):
            k = func(n)
            if not 0 <= k < nplurals:
                raise ValueError(f"plural({n}) = {k}")
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError) as exc:
        raise InputError(
            _("broken Plural-Forms expression") + f": {expression!r} ({exc})", path=path
        ) from None
    return PluralForms(nplurals, expression, func)


def _detect_newline(text: str) -> str:
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    return "\n"


_BREAK_RE = re.compile(r"[^ -]* +|[^ -]*[A-Za-z]-(?=[^\s\d-])|[^ -]*-+|[^ -]+$")


def _escape(text: str) -> str:
    import polib

    return str(polib.escape(text))


def wrap_field(keyword: str, text: str, width: int) -> list[str]:
    """Render ``keyword "text"`` the way GNU gettext does at ``width``.

    0 is gettext's ``--no-wrap`` (lines break only after ``\\n``); -1 keeps
    the whole string on the keyword line, as some translation platforms write.

    A string that fits, or cannot be broken, stays on the keyword line;
    otherwise the keyword gets ``""`` and the string follows in lines of at
    most ``width`` columns, broken after spaces (and after hyphens inside
    words) and always after an embedded newline.
    """
    if width < 0:
        return [f'{keyword} "{_escape(text)}"']
    pieces = text.split("\n")
    parts = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        parts.append(pieces[-1])
    escaped = [_escape(p) for p in parts] or [""]
    if len(escaped) == 1:
        single = f'{keyword} "{escaped[0]}"'
        if width <= 0 or len(single) <= width:
            return [single]
    lines: list[str] = []
    for piece in escaped:
        if width <= 0:
            lines.append(piece)
            continue
        tokens = [t for t in _BREAK_RE.findall(piece) if t] or [piece]
        if "".join(tokens) != piece:
            tokens = [piece]
        if len(tokens) > 1 and tokens[-1] == "\\n":
            tokens[-2:] = [tokens[-2] + tokens[-1]]  # gettext never breaks before a newline
        if len(escaped) == 1 and len(tokens) == 1:
            return [f'{keyword} "{piece}"']  # nowhere to break: gettext keeps one line
        current = ""
        for tok in tokens:
            if current and len(current) + len(tok) + 2 > width:
                lines.append(current)
                current = tok
            else:
                current += tok
        lines.append(current)
    if len(lines) == 1 and (width <= 0 or len(lines[0]) + len(keyword) + 3 <= width):
        return [f'{keyword} "{lines[0]}"']
    return [f'{keyword} ""', *(f'"{ln}"' for ln in lines)]


def render_msgstr(entry: Message, width: int) -> list[str]:
    """The msgstr lines of an entry (``msgstr[n]`` lines for plural entries)."""
    if entry.msgid_plural:
        out: list[str] = []
        forms = entry.msgstr_plural
        for k in sorted(forms):
            out += wrap_field(f"msgstr[{k}]", forms[k], width)
        return out
    return wrap_field("msgstr", entry.msgstr, width)


_WIDTHS = (79, 76, 78, 80, 77, 72, 0, -1)


def detect_wrapwidth(catalog: Catalog, sample: int = 300) -> int:
    """The wrapping width that reproduces the file's own entries best.

    Entries whose strings are long enough for the width to matter are
    rendered at each candidate width and compared with their lines in the
    file; 0 means no wrapping.
    """
    informative: list[tuple[Message, EntrySpan]] = []
    for entry, span in catalog.active():
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        if any(len(t) > 60 for t in texts if t):
            informative.append((entry, span))
        if len(informative) >= sample:
            break
    if not informative:
        return 79
    best, best_score = 79, -1
    for width in _WIDTHS:
        score = 0
        for entry, span in informative:
            original = [ln.strip() for ln in catalog.lines[span.msgstr : span.end]]
            if render_msgstr(entry, width) == [ln for ln in original if ln]:
                score += 1
        if score > best_score:
            best, best_score = width, score
    return best


def parse_catalog(data: bytes, path: str | Path) -> Catalog:
    """Validate and parse a .po/.pot file's bytes.

    Raises :class:`InputError` (exit 4) for a compiled ``.mo``, binary or
    undecodable bytes, syntax errors, a bad header, and a missing or broken
    ``Plural-Forms`` on a catalog that has plural entries.
    """
    import polib

    path = str(path)
    if data[:4] in MO_MAGICS:
        raise InputError(_("this is a compiled .mo catalog, not a .po source file"), path=path)
    decoded = files.decode(data, path)
    text = decoded.text
    lines = text.splitlines(keepends=True)
    spans = lex(lines, path)
    try:
        po = polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError, UnicodeError) as exc:
        raise InputError(_("malformed PO file") + f": {exc}", path=path) from None
    entries: list[Message] = list(po)
    # polib keeps the header (first msgid "") out of the entry list
    header_span: EntrySpan | None = None
    if spans and len(spans) == len(entries) + 1:
        header_span = spans[0]
        spans = spans[1:]
    if len(spans) != len(entries):
        raise InputError(_("malformed PO file: entries could not be delimited"), path=path)
    seen: set[tuple[str | None, str]] = set()
    for entry, span in zip(entries, spans, strict=True):
        if entry.obsolete != span.obsolete:
            raise InputError(_("malformed PO file: entries could not be delimited"), path=path)
        if not entry.obsolete:
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                raise InputError(_("duplicate message definition"), path=path, line=span.start + 1)
            seen.add(key)
    header: dict[str, str] = {}
    if header_span is not None:
        header = parse_header(lines, header_span, path)
        content_type = header.get("Content-Type", "")
        m = re.search(r"charset=([^\s;]+)", content_type)
        if m and m.group(1) != "CHARSET":
            try:
                declared = codecs.lookup(m.group(1)).name
            except LookupError:
                raise InputError(
                    _("unknown charset in the header") + f": {m.group(1)!r}", path=path
                ) from None
            if not decoded.bom and declared != codecs.lookup(decoded.encoding).name:
                # an ASCII-only file read as UTF-8: new text must use the declared charset
                try:
                    if data.decode(declared) == text:
                        decoded = files.Decoded(text, declared, b"")
                except UnicodeDecodeError:
                    pass
    plural_forms: PluralForms | None = None
    raw_plural = header.get("Plural-Forms")
    if raw_plural and "INTEGER" not in raw_plural:
        plural_forms = parse_plural_forms(raw_plural, path)
    has_plural = any(e.msgid_plural and not e.obsolete for e in entries)
    if has_plural and plural_forms is None and not path.endswith(".pot"):
        raise InputError(
            _("the catalog has plural entries but no valid Plural-Forms header"), path=path
        )
    catalog = Catalog(
        path=path,
        data=data,
        text=text,
        encoding=decoded.encoding,
        bom=decoded.bom,
        lines=lines,
        newline=_detect_newline(text),
        po=po,
        entries=entries,
        spans=spans,
        header=header,
        plural_forms=plural_forms,
    )
    catalog.wrapwidth = detect_wrapwidth(catalog)
    return catalog


def load_catalog(path: str | Path) -> Catalog:
    return parse_catalog(files.read_bytes(path), path)


def _flags_line(flags: list[str]) -> str:
    return "#, " + ", ".join(flags)


def render_catalog(
    catalog: Catalog,
    changed: Mapping[int, Message],
    notes: Mapping[int, Sequence[str]] | None = None,
) -> bytes:
    """The file's bytes with the entries at ``changed`` (index → new polib entry)
    rewritten: their ``#,`` flags line and msgstr lines, and ``notes`` (index →
    comment lines, one line each) added as translator comments above the flags.
    Everything else is kept byte for byte."""
    if not changed:
        return catalog.data
    nl = catalog.newline
    out: list[str] = []
    pos = 0
    for index in sorted(changed):
        entry = changed[index]
        span = catalog.spans[index]
        if span.obsolete:
            continue  # obsolete entries are never rewritten
        out.extend(catalog.lines[pos : span.start])
        block = catalog.lines[span.start : span.end]
        rel_flags = None if span.flags is None else span.flags - span.start
        rel_insert = (
            span.previous if span.previous is not None else span.first_keyword
        ) - span.start
        rel_msgstr = span.msgstr - span.start
        flags = list(entry.flags)
        new_flags = [_flags_line(flags) + nl] if flags else []
        if notes and index in notes:
            new_flags = ["# " + " ".join(note.split()) + nl for note in notes[index]] + new_flags
        new_msgstr = [ln + nl for ln in render_msgstr(entry, catalog.wrapwidth)]
        # the last line of the block keeps its own ending (the file may lack a final newline)
        last_ending = block[-1][len(block[-1].rstrip("\r\n")) :]
        if new_msgstr:
            new_msgstr[-1] = new_msgstr[-1].rstrip("\r\n") + last_ending
        head = block[:rel_msgstr]
        if rel_flags is not None:
            head = head[:rel_flags] + new_flags + head[rel_flags + 1 :]
        else:
            head = head[:rel_insert] + new_flags + head[rel_insert:]
        out.extend(head)
        out.extend(new_msgstr)
        pos = span.end
    out.extend(catalog.lines[pos:])
    text = "".join(out)
    return files.encode_or_fail(text, catalog.encoding, catalog.bom, catalog.path)
