"""Apple ``.strings`` files (``ru.lproj/Localizable.strings``), monolingual.

``"key" = "value";`` pairs (keys may be bare words), ``/* */`` and ``//``
comments (the comment right above a pair is its note), escapes ``\\"``
``\\\\`` ``\\n`` ``\\t`` ``\\r`` ``\\0`` and ``\\Uxxxx``. UTF-16 files with a BOM
are read and written as UTF-16. The language is the ``.lproj`` folder's; the
source is ``en.lproj`` (or ``Base.lproj``) beside it. Missing keys are appended
at the end of the file. ``.stringsdict`` plurals are not read.
"""

from __future__ import annotations

import re

from toolkit import files
from toolkit.catalogs.model import Edit, State, Store, Unit, append_edit, unescape
from toolkit.errors import InputError
from toolkit.i18n import _

EXTENSIONS = (".strings",)
_WS_RE = re.compile(r"(?:\s+|/\*.*?\*/|//[^\n]*)*", re.DOTALL)
_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BARE_RE = re.compile(r"[A-Za-z0-9_.\-$:/]+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "'": "'"}


def _unescape(body: str) -> str:
    return unescape(body, _ESCAPES, {"u": 4, "U": 4})


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def _comment(gap: str) -> str | None:
    found = re.findall(r"/\*(.*?)\*/|//([^\n]*)", gap, re.DOTALL)
    if not found:
        return None
    block, line = found[-1]
    return str(block or line).strip()


def _skip(text: str, pos: int) -> int:
    """The offset past the white space and comments at ``pos``."""
    m = _WS_RE.match(text, pos)
    assert m is not None  # _WS_RE matches the empty string too
    return m.end()


def parse(data: bytes, path: str) -> Store:
    decoded = files.decode(data, path)
    text = decoded.text
    store = Store(path, "strings", data, text, decoded.encoding, decoded.bom, [], "apple")
    pos = 0
    seen: set[str] = set()
    while True:
        ws = _WS_RE.match(text, pos)
        assert ws is not None
        note = _comment(ws.group(0))
        pos = ws.end()
        if pos >= len(text):
            break
        key_m = _STRING_RE.match(text, pos) or _BARE_RE.match(text, pos)
        if key_m is None:
            raise _error(store, pos, _("a key was expected"))
        key_raw = key_m.group(0)
        key = _unescape(key_raw[1:-1]) if key_raw.startswith('"') else key_raw
        pos = _skip(text, key_m.end())
        if text[pos : pos + 1] != "=":
            raise _error(store, pos, _("'=' was expected"))
        pos = _skip(text, pos + 1)
        val_m = _STRING_RE.match(text, pos)
        if val_m is None:
            raise _error(store, pos, _("a quoted value was expected"))
        pos = _skip(text, val_m.end())
        if text[pos : pos + 1] != ";":
            raise _error(store, pos, _("';' was expected"))
        pos += 1
        if key in seen:
            raise _error(store, key_m.start(), _("duplicate key") + f" {key!r}")
        seen.add(key)
        value = _unescape(val_m.group(0)[1:-1])
        line, col = store.position(val_m.start())
        unit = Unit(key, "", value, line=line, column=col, span=(val_m.start(), val_m.end()))
        unit.state = State.translated if value else State.untranslated
        if note:
            unit.notes.append(note)
        store.units.append(unit)
    return store


def _error(store: Store, offset: int, message: str) -> InputError:
    line, _col = store.position(offset)
    return InputError(_("malformed .strings file") + f": {message}", path=store.path, line=line)


def plural_key(group: str, category: str) -> str:
    return f"{group}.{category}"


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    del review
    out: list[Edit] = []
    appended: list[str] = []
    for unit, value in fills:
        literal = f'"{_escape(value)}"'
        if unit.span is not None:
            out.append(Edit(unit.span[0], unit.span[1], literal))
        else:
            appended.append(f'"{_escape(unit.key)}" = {literal};')
    if appended:
        out.append(append_edit(store, appended))
    return out
