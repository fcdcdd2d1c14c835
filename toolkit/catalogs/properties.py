"""Java ``.properties`` resource bundles (monolingual).

Logical lines (a trailing odd backslash continues a line), ``#``/``!``
comments (the comment lines right above a key are its notes), keys
separated by ``=``, ``:`` or whitespace, and the escapes ``\\uXXXX``,
``\\t \\n \\r \\f`` and ``\\<char>``. Values are Java MessageFormat when they
carry ``{0}``: apostrophes are then written doubled (``''``). A file written
with ``\\uXXXX`` escapes and no raw non-ASCII text gets escapes for new values
too. Missing keys are appended at the end of the file.
"""

from __future__ import annotations

import re

from toolkit import files
from toolkit.catalogs.model import Edit, State, Store, Unit, append_edit
from toolkit.errors import InputError
from toolkit.i18n import _

EXTENSIONS = (".properties",)
_MESSAGE_FORMAT_RE = re.compile(r"\{\d+(?:\s*,[^{}]*)?\}")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _unescape(raw: str, path: str, line: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(raw):
            break
        n = raw[i + 1]
        if n == "u":
            hexa = raw[i + 2 : i + 6]
            if not re.fullmatch(r"[0-9a-fA-F]{4}", hexa):
                raise InputError(_("malformed \\uXXXX escape"), path=path, line=line)
            out.append(chr(int(hexa, 16)))
            i += 6
            continue
        if n in "\r\n":  # continuation: skip the newline and the next line's indentation
            j = i + 1
            if raw[j] == "\r" and j + 1 < len(raw) and raw[j + 1] == "\n":
                j += 1
            j += 1
            while j < len(raw) and raw[j] in " \t\f":
                j += 1
            i = j
            continue
        out.append(_ESCAPES.get(n, n))
        i += 2
    return "".join(out)


# a logical line: escaped characters (a line break too) continue it; a lone
# backslash at the end of the file ends it
_LOGICAL_RE = re.compile(r"(?:[^\r\n\\]|\\(?:\r\n|[\s\S]))*\\?(?:\r\n|\n|\r|$)")


def parse(data: bytes, path: str) -> Store:
    decoded = files.decode(data, path)
    text = decoded.text
    store = Store(path, "properties", data, text, decoded.encoding, decoded.bom, [], "properties")
    store.extra["escape_unicode"] = "\\u" in text and text.isascii()
    notes: list[str] = []
    seen: set[str] = set()
    for m in _LOGICAL_RE.finditer(text):
        if m.start() == m.end() == len(text):
            break
        logical = m.group(0)
        body = logical.rstrip("\r\n")
        stripped = body.lstrip(" \t\f")
        if not stripped:
            notes = []
            continue
        if stripped[0] in "#!":
            notes.append(stripped[1:].strip())
            continue
        lead = len(body) - len(stripped)
        k = re.match(r"(?:[^\\:=\s]|\\[\s\S])*", stripped)
        assert k is not None
        key_raw = k.group(0)
        rest = stripped[k.end() :]
        sep = re.match(r"[ \t\f]*[:=]?[ \t\f]*", rest)
        assert sep is not None
        value_start = m.start() + lead + k.end() + sep.end()
        value_end = m.start() + len(body)
        line, col = store.position(value_start)
        key = _unescape(key_raw, path, line)
        value = _unescape(text[value_start:value_end], path, line)
        if key in seen:
            raise InputError(_("duplicate key") + f" {key!r}", path=path, line=line)
        seen.add(key)
        unit = Unit(key, "", value, line=line, column=col, span=(value_start, value_end))
        unit.notes = notes
        unit.state = State.translated if value else State.untranslated
        store.units.append(unit)
        notes = []
    return store


def plural_key(group: str, category: str) -> str:
    return f"{group}_{category}"


def escape(value: str, *, unicode_escapes: bool, key: bool = False) -> str:
    out: list[str] = []
    for n, c in enumerate(value):
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c == "\f":
            out.append("\\f")
        elif (key and c in "=: ") or (n == 0 and c in " \t") or (key and c in "#!" and n == 0):
            out.append("\\" + c)
        elif unicode_escapes and ord(c) > 126:
            out.extend(f"\\u{u:04x}" for u in _utf16(c))
        else:
            out.append(c)
    return "".join(out)


def _utf16(c: str) -> list[int]:
    data = c.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    del review
    uni = bool(store.extra.get("escape_unicode"))
    out: list[Edit] = []
    appended: list[str] = []
    for unit, value in fills:
        if _MESSAGE_FORMAT_RE.search(unit.source):  # MessageFormat: a lone ' must be ''
            value = re.sub(r"(?<!')'(?!')", "''", value)
        text = escape(value, unicode_escapes=uni)
        if unit.span is not None:
            out.append(Edit(unit.span[0], unit.span[1], text))
        else:
            appended.append(f"{escape(unit.key, unicode_escapes=uni, key=True)}={text}")
    if appended:
        out.append(append_edit(store, appended, ("\n", "\r")))
    return out
