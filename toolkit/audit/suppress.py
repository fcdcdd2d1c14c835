"""Inline allow-list markers users put in their documents.

- ``tolmach: ignore`` in a comment (``<!-- tolmach: ignore -->`` in HTML or
  Markdown, ``# tolmach: ignore`` in text) suppresses findings on its own line
  and on the next line.
- ``tolmach: ignore-file`` anywhere suppresses every finding of the file.
- In HTML, an element with the ``data-tolmach-ignore`` attribute suppresses
  findings inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from toolkit.document import Document

_LINE_MARK = re.compile(r"tolmach:\s*ignore(?!-file)\b")
_FILE_MARK = re.compile(r"tolmach:\s*ignore-file\b")
_IGNORED_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*\bdata-tolmach-ignore\b[^>]*>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def _element_end(text: str, name: str, start: int) -> int:
    """End offset of the element opened at ``start`` (nesting of the same tag counted)."""
    tag = re.compile(rf"<(/?){re.escape(name)}\b[^>]*?(/?)>", re.IGNORECASE)
    depth = 0
    for m in tag.finditer(text, start):
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.end()
        elif not m.group(2):
            depth += 1
    return len(text)


def suppressor(doc: Document) -> Callable[[int, int], bool]:
    """A predicate ``(offset, line) -> bool``: is a finding there suppressed?"""
    text = doc.text
    if _FILE_MARK.search(text):
        return lambda offset, line: True
    lines: set[int] = set()
    for m in _LINE_MARK.finditer(text):
        line, _ = doc.line_col(m.start())
        lines.update((line, line + 1))
    spans: list[tuple[int, int]] = []
    if doc.format == "html":
        for m in _IGNORED_TAG.finditer(text):
            name = m.group(1).lower()
            end = m.end() if name in _VOID else _element_end(text, name, m.start())
            spans.append((m.start(), end))
    if not lines and not spans:
        return lambda offset, line: False
    return lambda offset, line: line in lines or any(a <= offset < b for a, b in spans)
