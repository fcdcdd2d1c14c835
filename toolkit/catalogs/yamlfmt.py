"""YAML locale files (Rails ``config/locales/ru.yml``, Symfony
``translations/messages.ru.yaml``), monolingual.

A careful scanner reads the subset these files use: block mappings by
indentation, plain, single- and double-quoted scalars (one line or folded
over several), ``|``/``>`` block scalars, comments, ``---``; it records where
every value is. Sequences, flow collections, anchors and aliases are data,
not units, and are stepped over. Every file is then read by a real parser
(PyYAML's ``BaseLoader``: every scalar a string) and the two must agree on
every key and value, or the file is refused (exit 4) rather than written
wrongly.

A Rails file's root key is its language (``ru:``): units are keyed below it
and the language comes from it. A mapping whose keys are CLDR categories
(``one``, ``few``, ``many``, ``other``) is a plural message. New values are
written in the original value's quoting style when it can hold them, else
double-quoted; missing keys are inserted after the last key of their mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from toolkit import files
from toolkit.catalogs import plurals
from toolkit.catalogs.model import Edit, State, Store, Unit, place_missing, unescape
from toolkit.errors import InputError
from toolkit.i18n import _

EXTENSIONS = (".yml", ".yaml")
_KEY_RE = re.compile(
    r"""(?P<indent>[ ]*)(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""
    r"""|[^\s#'"\-?:,\[\]{}&*!|>%@`][^#:]*?|-[^\s#:][^#:]*?)[ ]*:(?:[ ]+|$)"""
)
_BLOCK_RE = re.compile(r"[|>][+-]?\d*[+-]?\s*(?:#.*)?$")
_COMMENT_RE = re.compile(r"\s+#.*$")
_DQ_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0", " ": " ", "r": "\r"}


@dataclass
class Mapping:
    path: tuple[str, ...]
    indent: int  # of its keys (-1 for the document)
    last_end: int  # offset just after the last line of its last entry
    keys: list[str] = field(default_factory=list)


@dataclass
class Value:
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    style: str  # plain, single, double, literal, folded
    key_at: int


def _key(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith('"'):
        return _unquote_double(raw[1:-1])
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    return raw


def _unquote_double(body: str) -> str:
    return unescape(body, _DQ_ESCAPES, {"x": 2, "u": 4, "U": 8}, joins=True)


def _fold(lines: list[str]) -> str:
    """Multi-line flow scalar folding: line breaks become spaces, empty lines newlines."""
    out = ""
    pending_newlines = 0
    for n, ln in enumerate(lines):
        s = ln.strip() if n else ln.rstrip()
        if not s:
            pending_newlines += 1
            continue
        if out:
            out += "\n" * pending_newlines if pending_newlines else " "
        out += s
        pending_newlines = 0
    return out


class _Scanner:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self.starts: list[int] = []
        pos = 0
        for ln in self.lines:
            self.starts.append(pos)
            pos += len(ln)
        self.starts.append(pos)
        self.values: list[Value] = []
        self.maps: dict[tuple[str, ...], Mapping] = {(): Mapping((), -1, 0)}

    def fail(self, n: int, what: str) -> InputError:
        return InputError(_("YAML not read") + f": {what}", path=self.path, line=n + 1)

    def body(self, n: int) -> str:
        return self.lines[n].rstrip("\r\n")

    def scan(self) -> None:
        stack: list[tuple[int, tuple[str, ...]]] = [(-1, ())]
        n = 0
        while n < len(self.lines):
            line = self.body(n)
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
                n += 1
                continue
            indent = len(line) - len(line.lstrip(" "))
            if line[indent : indent + 1] == "\t":
                raise self.fail(n, _("tab indentation"))
            while stack and indent <= stack[-1][0]:
                stack.pop()
            parent = stack[-1][1] if stack else ()
            if stripped.startswith("- ") or stripped == "-":
                n = self.skip_block(n, indent)  # a sequence: data
                continue
            m = _KEY_RE.match(line)
            if not m or len(m.group("indent")) != indent:
                raise self.fail(n, _("unsupported construct") + f": {stripped[:40]!r}")
            key = _key(m.group("key"))
            path = (*parent, key)
            mp = self.maps.get(parent)
            if mp is None:
                raise self.fail(n, _("unexpected indentation"))
            mp.indent = indent
            mp.keys.append(key)
            rest_at = self.starts[n] + m.end()
            rest = line[m.end() :]
            if rest.lstrip().startswith(("'", '"')):
                rest_clean = rest.strip()
            else:
                rest_clean = _COMMENT_RE.sub("", " " + rest).strip()
            if rest_clean.startswith("&"):  # an anchor on a mapping or value
                parts = rest_clean.split(None, 1)
                rest_clean = parts[1] if len(parts) > 1 else ""
                if rest_clean:
                    raise self.fail(n, _("anchors on values are not supported"))
            if not rest_clean or rest_clean.startswith("#"):
                self.maps[path] = Mapping(path, -1, self.starts[n + 1])
                self.ended(path, n + 1)
                stack.append((indent, path))
                n += 1
                continue
            value_at = rest_at + (len(rest) - len(rest.lstrip()))
            key_at = m.start("key") + self.starts[n]
            n = self.value(n, indent, path, value_at, rest.lstrip(), key_at)
            self.ended(path, n)

    def ended(self, path: tuple[str, ...], n: int) -> None:
        """An entry at ``path`` ends before line ``n``: its mappings end there too."""
        for i in range(len(path)):
            self.maps[path[:i]].last_end = self.starts[n]

    def skip_block(self, n: int, indent: int) -> int:
        n += 1
        while n < len(self.lines):
            line = self.body(n)
            if line.strip() and not line.strip().startswith("#"):
                ind = len(line) - len(line.lstrip(" "))
                if ind < indent or (ind == indent and not line.strip().startswith("-")):
                    break
            n += 1
        return n

    def value(
        self, n: int, indent: int, path: tuple[str, ...], at: int, rest: str, key_at: int
    ) -> int:
        if rest[0] in "[{*!&":
            return self.skip_block(n, indent)  # flow collections, aliases, tags: data
        if _BLOCK_RE.match(rest):
            end_n = n + 1
            block: list[int] = []
            while end_n < len(self.lines):
                line = self.body(end_n)
                if line.strip():
                    ind = len(line) - len(line.lstrip(" "))
                    if ind <= indent:
                        break
                block.append(end_n)
                end_n += 1
            while block and not self.body(block[-1]).strip():
                block.pop()
            start = at
            end = self.starts[block[-1]] + len(self.body(block[-1])) if block else at + len(rest)
            style = "literal" if rest[0] == "|" else "folded"
            self.values.append(Value(path, "", start, end, style, key_at))
            return end_n
        if rest[0] in "'\"":
            q = rest[0]
            pat = re.compile(r'"(?:[^"\\]|\\.)*"' if q == '"' else r"'(?:[^']|'')*'", re.DOTALL)
            m = pat.match(self.text, at)
            if not m:
                raise self.fail(n, _("unterminated quoted string"))
            raw = m.group(0)[1:-1]
            if q == '"':
                parts = raw.split("\n")
                folded = _fold(parts) if len(parts) > 1 else raw
                text = _unquote_double(folded)
            else:
                parts = raw.split("\n")
                text = (_fold(parts) if len(parts) > 1 else raw).replace("''", "'")
            end_line = self.text.count("\n", 0, m.end()) - self.text.count("\n", 0, self.starts[n])
            after = self.text[m.end() : self.starts[n + end_line + 1]].strip()
            if after and not after.startswith("#"):
                raise self.fail(n, _("text after a quoted value"))
            style = "double" if q == '"' else "single"
            self.values.append(Value(path, text, m.start(), m.end(), style, key_at))
            return n + end_line + 1
        # a plain scalar, maybe continued on more indented lines
        first = _COMMENT_RE.sub("", " " + rest)[1:].rstrip()
        pieces = [first]
        end = at + len(first)
        end_n = n + 1
        while end_n < len(self.lines):
            line = self.body(end_n)
            if not line.strip():
                pieces.append("")
                end_n += 1
                continue
            ind = len(line) - len(line.lstrip(" "))
            if ind <= indent or line.strip().startswith("#"):
                break
            piece = _COMMENT_RE.sub("", " " + line.strip())[1:].rstrip()
            pieces.append(piece)
            end = self.starts[end_n] + ind + len(piece)
            end_n += 1
        while pieces and pieces[-1] == "":
            pieces.pop()
        while end_n > n + 1 and not self.body(end_n - 1).strip():
            end_n -= 1
        self.values.append(Value(path, _fold(pieces), at, end, "plain", key_at))
        return end_n


def _flatten(node: object, path: tuple[str, ...], out: dict[tuple[str, ...], str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(v, (*path, str(k)), out)
    elif isinstance(node, str):
        out[path] = node


def parse(data: bytes, path: str) -> Store:
    import yaml  # type: ignore[import-untyped]  # no stubs in the environment

    decoded = files.decode(data, path)
    text = decoded.text
    try:
        doc = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader builds only str, list, dict
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            _("malformed YAML") + f": {getattr(exc, 'problem', exc)}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(_("a YAML catalog must be a mapping of keys"), path=path)
    scanner = _Scanner(text, path)
    scanner.scan()
    theirs: dict[tuple[str, ...], str] = {}
    _flatten(doc, (), theirs)
    try:  # what YAML types as booleans, numbers, dates or null is data, not text
        typed: dict[tuple[str, ...], object] = {}
        _flatten_typed(
            yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), (), typed
        )
    except yaml.YAMLError:
        typed = {}
    mine = {v.path: v for v in scanner.values}
    for v in scanner.values:
        if v.style in ("literal", "folded"):
            v.text = theirs.get(v.path, "")
    agree = {p: v.text for p, v in mine.items()} == {p: t for p, t in theirs.items() if p in mine}
    if not agree or set(theirs) - set(mine):
        raise InputError(_("YAML constructs tolmach cannot write back safely"), path=path)
    store = Store(path, "yaml", data, text, decoded.encoding, decoded.bom, [], "yaml")
    store.extra["maps"] = scanner.maps
    store.extra["styles"] = {v.path: v.style for v in scanner.values}
    root: tuple[str, ...] = ()
    if len(doc) == 1:
        (only,) = doc
        if isinstance(doc[only], dict) and plurals.is_known(str(only)) and len(str(only)) <= 7:
            root = (str(only),)
            store.target_language = str(only)
    store.extra["root"] = root
    for v in scanner.values:
        if v.path[: len(root)] != root or len(v.path) == len(root):
            continue
        if v.path in typed and not isinstance(typed[v.path], str):
            continue
        rel = v.path[len(root) :]
        line, col = store.position(v.start)
        unit = Unit(".".join(rel), "", v.text, line=line, column=col, span=(v.start, v.end))
        unit.where = rel
        unit.state = State.translated if v.text else State.untranslated
        parent = scanner.maps.get(v.path[:-1])
        if (
            parent is not None
            and len(rel) > 1
            and rel[-1] in plurals.KNOWN
            and "other" in parent.keys
            and all(k in plurals.KNOWN for k in parent.keys)
        ):
            unit.group = ".".join(rel[:-1])
            unit.plural = rel[-1]
        store.units.append(unit)
    return store


def _flatten_typed(node: object, path: tuple[str, ...], out: dict[tuple[str, ...], object]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten_typed(v, (*path, str(k)), out)
    elif not isinstance(node, list):
        out[path] = node


def plural_key(group: str, category: str) -> str:
    return f"{group}.{category}"


_PLAIN_UNSAFE = re.compile(
    r"""^[\s\-?:,\[\]{}#&*!|>'"%@`]|: |\s#|\s$|^$"""
    r"""|^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?\d[\d_.,:eE+-]*)$|:$|\n|\t"""
)


def encode(value: str, style: str) -> str:
    if style == "plain" and not _PLAIN_UNSAFE.search(value):
        return value
    if style == "single" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    del review
    # set by parse()
    maps = cast("dict[tuple[str, ...], Mapping]", store.extra["maps"])
    styles = cast("dict[tuple[str, ...], str]", store.extra["styles"])
    root = cast("tuple[str, ...]", store.extra["root"])
    out: list[Edit] = []
    missing: dict[tuple[str, ...], dict[str, object]] = {}
    for unit, value in fills:
        rel = unit.where if isinstance(unit.where, tuple) else tuple(unit.key.split("."))
        full = (*root, *rel)
        if unit.span is not None:
            style = styles.get(full, "plain")
            if style in ("literal", "folded"):
                style = "double"
            out.append(Edit(unit.span[0], unit.span[1], encode(value, style)))
            continue
        place_missing(missing, full, value, maps)
    nl = store.newline
    # deeper mappings first: where a nested mapping and its parent end at the same
    # offset, the nested one's new keys must come before the parent's
    for parent, members in sorted(missing.items(), key=lambda kv: -len(kv[0])):
        mp = maps[parent]
        indent = mp.indent if mp.indent >= 0 else (maps[parent[:-1]].indent + 2 if parent else 0)
        step = 2
        lines = _render(members, indent, step)
        at = mp.last_end if mp.last_end else len(store.text)
        prefix = "" if at == 0 or store.text[at - 1 : at] == "\n" else nl
        out.append(Edit(at, at, prefix + "".join(ln + nl for ln in lines)))
    return out


def _yaml_key(key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][\w.-]*", key) and not _PLAIN_UNSAFE.search(key):
        return key
    return encode(key, "double")


def _render(members: dict[str, object], indent: int, step: int) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for k, v in members.items():
        if isinstance(v, dict):
            out.append(f"{pad}{_yaml_key(k)}:")
            out.extend(_render(v, indent + step, step))
        else:
            out.append(f"{pad}{_yaml_key(k)}: {encode(str(v), 'plain')}")
    return out
