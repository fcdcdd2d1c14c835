"""Android string resources (``res/values*/strings.xml``), monolingual.

``<string name>`` and ``<plurals name><item quantity>`` are units;
``translatable="false"`` and pure references (``@string/other``) are skipped;
``<string-array>`` items are not read. A value is the element's inner XML
with Android's backslash escapes decoded (``\\'`` ``\\"`` ``\\n`` ``\\t``
``\\@`` ``\\?`` ``\\uXXXX``) and an enclosing pair of double quotes removed;
markup (``<b>``, ``<xliff:g>``) and entities stay as they are, and
``<xliff:g>`` elements are opaque placeholders. New values are written with
apostrophes and quotes escaped outside markup. The language is the folder's
(``values-ru``, ``values-pt-rBR``); the source is ``values/`` beside it.
Missing strings are inserted before ``</resources>``, missing plural items
after their group's last item.
"""

from __future__ import annotations

import re

from toolkit.catalogs.model import Edit, State, Store, Unit, unescape
from toolkit.catalogs.xmlscan import Element, read_store
from toolkit.i18n import _

EXTENSIONS = (".xml",)
_MARKUP_RE = re.compile(r"<[^>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);")
_ESCAPES = {"n": "\n", "t": "\t", "'": "'", '"': '"', "\\": "\\", "@": "@", "?": "?"}


def decode(raw: str) -> str:
    """The value of an Android string's inner XML (markup kept)."""
    text = raw
    if len(text) >= 2 and text.startswith('"') and text.endswith('"') and not text.endswith('\\"'):
        text = text[1:-1]
    return unescape(text, _ESCAPES, {"u": 4})


def encode(value: str) -> str:
    """A value written back: backslash escapes outside markup."""
    out: list[str] = []
    pos = 0
    for m in _MARKUP_RE.finditer(value):
        out.append(_escape_text(value[pos : m.start()], first=pos == 0))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_text(value[pos:], first=pos == 0))
    return "".join(out)


def _escape_text(text: str, *, first: bool) -> str:
    text = (
        text.replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("'", "\\'")
        .replace('"', '\\"')
    )
    if first and text[:1] in ("@", "?"):
        text = "\\" + text
    return text


def parse(data: bytes, path: str) -> Store:
    not_this = _("not an Android resource file: the root element is")
    store = read_store(data, path, "android", "resources", not_this)
    root = store.extra["root"]
    assert isinstance(root, Element)
    for el in root.children:
        if el.attrs.get("translatable") == "false" or "name" not in el.attrs:
            continue
        name = el.attrs["name"]
        if el.local == "string":
            unit = _unit(store, el, name)
            if unit is not None:
                _describe(unit, el)
                store.units.append(unit)
        elif el.local == "plurals":
            for item in el.findall("item"):
                q = item.attrs.get("quantity", "other")
                unit = _unit(store, item, plural_key(name, q))
                if unit is not None:
                    unit.group, unit.plural = name, q
                    _describe(unit, el)
                    store.units.append(unit)
    return store


def _unit(store: Store, el: Element, key: str) -> Unit | None:
    raw = el.content(store.text)
    if re.fullmatch(r"\s*[@?][\w:+.-]*/[\w.]+\s*", raw):
        return None  # a reference to another resource
    value = decode(raw)
    line, col = store.position(el.tag_end)
    unit = Unit(key, "", value, line=line, column=col, span=(el.tag_end, el.content_end))
    unit.where = el
    unit.state = State.translated if value else State.untranslated
    return unit


_LIMIT_RE = re.compile(r"\[CHAR_LIMIT=(\d+)\]")


def _describe(unit: Unit, el: Element) -> None:
    """Notes from a ``description`` attribute; the maximum length from its
    ``[CHAR_LIMIT=N]``, as Google's Android projects write it."""
    description = el.attrs.get("description")
    if description:
        unit.notes.append(description)
        m = _LIMIT_RE.search(description)
        if m:
            unit.max_length = int(m.group(1))


def plural_key(group: str, category: str) -> str:
    return f"{group}#{category}"


def _indent(text: str, el: Element) -> str:
    start = text.rfind("\n", 0, el.start) + 1
    lead = text[start : el.start]
    return lead if lead.strip() == "" else ""


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    del review
    text = store.text
    root = store.extra["root"]
    assert isinstance(root, Element)
    nl = store.newline
    out: list[Edit] = []
    groups = {el.attrs.get("name"): el for el in root.children if el.local == "plurals"}
    first = next((c for c in root.children), None)
    indent = _indent(text, first) if first is not None else "    "
    step = indent or "    "
    at_end: list[str] = []
    new_groups: dict[str, list[str]] = {}
    after_items: dict[int, list[str]] = {}
    for unit, value in fills:
        body = encode(value)
        if unit.span is not None:
            out.append(Edit(unit.span[0], unit.span[1], body))
            continue
        if unit.group is None:
            at_end.append(f'{indent}<string name="{_attr(unit.key)}">{body}</string>')
            continue
        item = f'<item quantity="{unit.plural}">{body}</item>'
        group = groups.get(unit.group)
        if group is not None and group.findall("item"):
            last = group.findall("item")[-1]
            item_indent = _indent(text, last)
            after_items.setdefault(last.end, []).append(
                nl + item_indent + item if item_indent else item
            )
        else:
            new_groups.setdefault(unit.group, []).append(item)
    for end, items in after_items.items():
        out.append(Edit(end, end, "".join(items)))
    for name, items in new_groups.items():
        inner = "".join(nl + indent + step + i for i in items)
        at_end.append(f'{indent}<plurals name="{_attr(name)}">{inner}{nl}{indent}</plurals>')
    if at_end:
        close = root.content_end
        line_start = text.rfind("\n", 0, close) + 1
        if text[line_start:close].strip() == "":
            out.append(Edit(line_start, line_start, "".join(s + nl for s in at_end)))
        else:
            out.append(Edit(close, close, nl + nl.join(at_end) + nl))
    return out


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
