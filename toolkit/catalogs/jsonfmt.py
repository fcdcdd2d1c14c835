"""JSON catalogs: flat or nested key/value, i18next, Flutter ARB, Chrome messages.json.

String leaves are units, keyed by their path joined with ``.``. i18next
plural keys (``key_one``, ``key_few``, ``key_many``, ``key_other``) form a
plural group ``key``; ARB ``@key`` objects give notes and ``@@locale`` the
language; a Chrome ``messages.json`` unit is ``{"message": ..., "description": ...}``.
ICU MessageFormat values (``{n, plural, ...}``) are single units whose plural
branches are completed when filled.

The file is validated with :func:`json.loads` (errors carry line and column)
and then scanned once for the offsets of every string and object, so new
values replace only their string literal and missing keys are inserted after
the last member of their object, with its indentation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import cast

from toolkit import files
from toolkit.catalogs.model import Edit, State, Store, Unit, place_missing
from toolkit.errors import InputError
from toolkit.i18n import _

EXTENSIONS = (".json", ".arb")
_SUFFIX_RE = re.compile(r"^(.+)_(zero|one|two|few|many|other)$")
_WS_RE = re.compile(r"[ \t\r\n]*")
_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR_RE = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


@dataclass
class Obj:
    """An object's offsets: its braces, its members' ends and indentation."""

    path: tuple[str, ...]
    open: int
    close: int
    last_end: int | None = None  # end of the last member's value
    indent: str = ""  # whitespace before a member key ("" when on one line)
    keys: list[str] = field(default_factory=list)


@dataclass
class Leaf:
    path: tuple[str, ...]
    start: int  # the string literal, quotes included
    end: int
    key_at: int
    value: str
    in_array: bool = False


class _Scanner:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.leaves: list[Leaf] = []
        self.objects: dict[tuple[str, ...], Obj] = {}

    def ws(self, i: int) -> int:
        m = _WS_RE.match(self.text, i)
        assert m is not None
        return m.end()

    def value(self, i: int, path: tuple[str, ...], key_at: int, in_array: bool = False) -> int:
        c = self.text[i]
        if c == "{":
            return self.obj(i, path, in_array)
        if c == "[":
            i = self.ws(i + 1)
            n = 0
            if self.text[i] == "]":
                return i + 1
            while True:
                i = self.ws(self.value(i, (*path, str(n)), i, True))
                n += 1
                if self.text[i] == ",":
                    i = self.ws(i + 1)
                    continue
                return i + 1
        if c == '"':
            m = _STRING_RE.match(self.text, i)
            assert m is not None
            leaf = Leaf(path, i, m.end(), key_at, json.loads(m.group(0)), in_array)
            self.leaves.append(leaf)
            return m.end()
        m = _SCALAR_RE.match(self.text, i)
        assert m is not None
        return m.end()

    def obj(self, i: int, path: tuple[str, ...], in_array: bool = False) -> int:
        o = Obj(path, i, -1)
        if not in_array:
            self.objects[path] = o
        i = self.ws(i + 1)
        while self.text[i] != "}":
            m = _STRING_RE.match(self.text, i)
            assert m is not None
            if o.last_end is None:
                line_start = self.text.rfind("\n", 0, i) + 1
                lead = self.text[line_start:i]
                o.indent = lead if lead.strip() == "" and line_start > o.open else ""
            key = json.loads(m.group(0))
            if key in o.keys:
                line = self.text.count("\n", 0, i) + 1
                raise InputError(_("duplicate key") + f" {key!r}", path=self.path, line=line)
            o.keys.append(key)
            key_at = i
            i = self.ws(m.end())
            i = self.ws(i + 1)  # ':'
            i = self.value(i, (*path, key), key_at, in_array)
            o.last_end = i
            i = self.ws(i)
            if self.text[i] == ",":
                i = self.ws(i + 1)
        o.close = i
        return i + 1


def parse(data: bytes, path: str) -> Store:
    decoded = files.decode(data, path)
    text = decoded.text
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            _("malformed JSON") + f": {exc.msg} (column {exc.colno})", path=path, line=exc.lineno
        ) from None
    if not isinstance(doc, dict):
        raise InputError(_("a JSON catalog must be an object of keys"), path=path)
    scanner = _Scanner(text, path)
    scanner.value(scanner.ws(0), (), 0)
    store = Store(path, "json", data, text, decoded.encoding, decoded.bom, [], "json")
    store.extra["objects"] = scanner.objects
    chrome = bool(doc) and all(isinstance(v, dict) and "message" in v for v in doc.values())
    store.extra["chrome"] = chrome
    if isinstance(doc.get("@@locale"), str):
        store.target_language = doc["@@locale"]
    leaves = {leaf.path: leaf for leaf in scanner.leaves}
    for leaf in scanner.leaves:
        p = leaf.path
        if not p or p[0].startswith("@") or leaf.in_array:
            continue  # ARB metadata; array items are data, not messages
        if chrome:
            if len(p) != 2 or p[1] != "message":
                continue
            key = p[0]
        else:
            key = ".".join(p)
        line, col = store.position(leaf.start)
        unit = Unit(key, "", leaf.value, line=line, column=col, span=(leaf.start, leaf.end))
        unit.where = p
        unit.state = State.translated if leaf.value else State.untranslated
        m = _SUFFIX_RE.match(p[-1])
        if m and not chrome and (*p[:-1], m.group(1) + "_other") in leaves:
            unit.group = ".".join((*p[:-1], m.group(1)))
            unit.plural = m.group(2)
        meta = doc.get("@" + key) if len(p) == 1 else None
        if isinstance(meta, dict) and isinstance(meta.get("description"), str):
            unit.notes.append(meta["description"])
        if chrome and isinstance(doc[key].get("description"), str):
            unit.notes.append(doc[key]["description"])
        store.units.append(unit)
    return store


def plural_key(unit_group: str, category: str) -> str:
    return f"{unit_group}_{category}"


def _literal(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    """Edits that put each value in place: replace present strings, insert missing keys."""
    del review
    out: list[Edit] = []
    objects = cast("dict[tuple[str, ...], Obj]", store.extra["objects"])  # set by parse()
    chrome = bool(store.extra.get("chrome"))
    missing: dict[tuple[str, ...], dict[str, object]] = {}
    for unit, value in fills:
        if unit.span is not None:
            out.append(Edit(unit.span[0], unit.span[1], _literal(value)))
            continue
        path = unit.where if isinstance(unit.where, tuple) else tuple(unit.key.split("."))
        if chrome:
            path = (path[0], "message") if path[-1] != "message" else path
        # the deepest existing object on the path takes the new member(s)
        place_missing(missing, path, value, objects)
    nl = store.newline
    for parent, members in missing.items():
        o = objects[parent]
        step = _indent_step(objects, o)
        indent = o.indent
        rendered = []
        for k, v in members.items():
            body = _render(v, indent, step, nl) if indent else json.dumps(v, ensure_ascii=False)
            rendered.append(f"{_literal(k)}: {body}")
        if indent:
            sep = "," + nl + indent
            chunk = sep.join(rendered)
            if o.last_end is None:
                close_indent = indent[: len(indent) - len(step)] if step else ""
                out.append(Edit(o.open + 1, o.close, nl + indent + chunk + nl + close_indent))
            else:
                out.append(Edit(o.last_end, o.last_end, sep + chunk))
        else:
            chunk = ", ".join(rendered)
            if o.last_end is None:
                out.append(Edit(o.open + 1, o.open + 1, chunk))
            else:
                out.append(Edit(o.last_end, o.last_end, ", " + chunk))
    return out


def _indent_step(objects: dict[tuple[str, ...], Obj], o: Obj) -> str:
    root = objects.get(())
    if root is not None and root.indent and "\t" not in root.indent:
        return root.indent
    return root.indent if root is not None and root.indent else "  "


def _render(value: object, indent: str, step: str, nl: str) -> str:
    if isinstance(value, dict):
        inner = indent + step
        items = [f"{_literal(k)}: {_render(v, inner, step, nl)}" for k, v in value.items()]
        return "{" + nl + inner + ("," + nl + inner).join(items) + nl + indent + "}"
    return _literal(str(value))
