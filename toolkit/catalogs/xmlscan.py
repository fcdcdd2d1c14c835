"""Where each element of an XML file sits: offsets of tags and content.

The standard parsers (ElementTree, defusedxml) give the tree but not the
offsets a splicing writer needs, so this scanner walks the text once:
comments, CDATA sections, processing instructions and the DOCTYPE are
skipped as wholes, and each element gets the offsets of its start tag, its
content and its end tag. It checks nesting only; well-formedness and the
refusal of entity declarations are left to :func:`check_wellformed`
(defusedxml), which every reader calls first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit import files
from toolkit.catalogs.model import Store
from toolkit.errors import InputError
from toolkit.i18n import _

_TOKEN_RE = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|<(/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>",
    re.DOTALL,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


@dataclass
class Element:
    name: str
    attrs: dict[str, str]
    start: int  # of the start tag
    tag_end: int  # just after the start tag
    content_end: int  # start of the end tag (== tag_end when empty)
    end: int  # just after the end tag
    children: list[Element] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    @property
    def local(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    def content(self, text: str) -> str:
        return text[self.tag_end : self.content_end]

    def find(self, local: str) -> Element | None:
        return next((c for c in self.children if c.local == local), None)

    def findall(self, local: str) -> list[Element]:
        return [c for c in self.children if c.local == local]

    def iter(self, local: str) -> list[Element]:
        out: list[Element] = []
        stack = [self]
        while stack:
            el = stack.pop()
            if el.local == local:
                out.append(el)
            stack.extend(reversed(el.children))
        return out


def unescape(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


def check_wellformed(data: bytes, path: str) -> None:
    """Raise :class:`InputError` unless ``data`` is well-formed XML without
    entity declarations or external references (defusedxml)."""
    import defusedxml.ElementTree as ET
    from defusedxml import DefusedXmlException

    try:
        ET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(
            _("XML with entity declarations is refused") + f": {exc}", path=path
        ) from None
    except ET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise InputError(_("malformed XML") + f": {exc}", path=path, line=line) from None


def scan(text: str, path: str) -> Element:
    """The root element, with every descendant's offsets."""
    root: Element | None = None
    stack: list[Element] = []
    for m in _TOKEN_RE.finditer(text):
        name = m.group(2)
        if name is None:
            continue
        if m.group(1):  # end tag
            if not stack or stack[-1].name != name:
                raise InputError(_("malformed XML: unexpected end tag") + f" </{name}>", path=path)
            el = stack.pop()
            el.content_end = m.start()
            el.end = m.end()
            continue
        attrs = {
            a.group(1): unescape(a.group(2) if a.group(2) is not None else a.group(3))
            for a in _ATTR_RE.finditer(m.group(3) or "")
        }
        el = Element(name, attrs, m.start(), m.end(), m.end(), m.end())
        if stack:
            el.parent = stack[-1]
            stack[-1].children.append(el)
        elif root is None:
            root = el
        if not m.group(4):
            stack.append(el)
    if stack or root is None:
        raise InputError(_("malformed XML: unclosed elements"), path=path)
    return root


def set_attr(text: str, el: Element, name: str, value: str) -> tuple[int, int, str]:
    """An edit (start, end, new text) giving ``el`` the attribute ``name="value"``."""
    tag = text[el.start : el.tag_end]
    m = re.search(rf"(\s{re.escape(name)}\s*=\s*)(\"[^\"]*\"|'[^']*')", tag)
    if m:
        return el.start + m.start(2), el.start + m.end(2), f'"{value}"'
    close = len(tag) - (2 if tag.endswith("/>") else 1)
    return el.start + close, el.start + close, f' {name}="{value}"'


def read_store(data: bytes, path: str, fmt: str, root_name: str, not_this: str) -> Store:
    """An XML catalog's :class:`Store` (its root :class:`Element` in
    ``extra["root"]``) after checking it is well-formed and its root element is
    ``root_name``; otherwise one :class:`InputError` line (``not_this``, then the
    root element found)."""
    check_wellformed(data, path)
    decoded = files.decode(data, path)
    root = scan(decoded.text, path)
    if root.local != root_name:
        raise InputError(not_this + f" <{root.name}>", path=path)
    store = Store(path, fmt, data, decoded.text, decoded.encoding, decoded.bom, [], fmt)
    store.extra["root"] = root
    return store
