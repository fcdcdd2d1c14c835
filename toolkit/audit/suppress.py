"""Inline allow-list markers users put in their documents.

- ``tolmach: ignore`` in a comment (``<!-- tolmach: ignore -->`` in HTML or
  Markdown, ``# tolmach: ignore`` in text) suppresses findings on its own line
  and on the next line.
- ``tolmach: ignore-file`` anywhere suppresses every finding of the file.
- In HTML, an element with the ``data-tolmach-ignore`` attribute suppresses
  findings inside it.

Catalogs are silenced per unit and per project:

- a ``.po`` entry's translator comment (``# tolmach: ignore``) or extracted
  comment (``#. tolmach: ignore qa-numbers, qa-brackets``), or a unit's note
  (XLIFF ``<note>``, a ``.properties`` comment...), silences every rule on
  that unit, or only the rules it names; ``tolmach: ignore-file`` in a
  catalog's comment silences the whole catalog (in a message it is text,
  not a marker);
- ``disable = ["qa-length", ...]`` under ``[audit]`` in ``tolmach.toml`` (or
  ``[tool.tolmach.audit]`` in ``pyproject.toml``), the first found from the
  current folder upwards, turns rules off for the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from toolkit.document import Document

#: ``(offset, line, rule id) -> bool``: is a finding there silenced?
Suppressor = Callable[[int, int, str], bool]

ALL = frozenset({"*"})

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


def suppressor(doc: Document) -> Suppressor:
    """A predicate ``(offset, line, rule) -> bool``: is a finding there suppressed?"""
    text = doc.text
    if _FILE_MARK.search(text):
        return everything
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
        return _never

    def marked(offset: int, line: int, rule: str = "") -> bool:
        return line in lines or any(a <= offset < b for a, b in spans)

    return marked


def everything(offset: int, line: int, rule: str = "") -> bool:
    """The suppressor of a file marked ``tolmach: ignore-file``."""
    return True


def _never(offset: int, line: int, rule: str = "") -> bool:
    return False


_UNIT_MARK = re.compile(r"tolmach(?::\s*|-)ignore(?!-file)\b:?([^\n]*)")
_RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")


def ignored_rules(comments: Iterable[str]) -> frozenset[str]:
    """The rules a unit's comments silence: :data:`ALL` for a bare ``tolmach: ignore``,
    the named ones for ``tolmach: ignore qa-numbers, qa-brackets``, none without a marker.

    >>> sorted(ignored_rules(["tolmach: ignore qa-numbers, qa-urls"]))
    ['qa-numbers', 'qa-urls']
    >>> ignored_rules(["# tolmach-ignore"]) == ALL, ignored_rules(["a note"])
    (True, frozenset())
    """
    out: set[str] = set()
    for comment in comments:
        for m in _UNIT_MARK.finditer(comment or ""):
            named = _RULE_ID.findall(m.group(1))
            if not named:
                return ALL
            out.update(named)
    return frozenset(out)


def is_file_marked(comments: Iterable[str]) -> bool:
    """``tolmach: ignore-file`` in one of a catalog's comments."""
    return any(_FILE_MARK.search(c or "") for c in comments)


def by_line(marks: Mapping[int, frozenset[str]], disabled: Iterable[str] = ()) -> Suppressor:
    """A suppressor from per-line silenced rules (line -> rules, or :data:`ALL`)
    and the rules the project disables."""
    off = frozenset(disabled)

    def suppressed(offset: int, line: int, rule: str = "") -> bool:
        if rule in off:
            return True
        rules = marks.get(line, frozenset())
        return rules == ALL or rule in rules

    return suppressed


_CONFIGS = (("tolmach.toml", ("audit",)), ("pyproject.toml", ("tool", "tolmach", "audit")))


def project_disabled(start: Path | None = None) -> frozenset[str]:
    """The rule ids the project's configuration disables (see the module docstring)."""
    from toolkit.errors import InputError
    from toolkit.glossary.store import load_toml
    from toolkit.i18n import _

    folder = (start or Path.cwd()).resolve()
    for current in (folder, *folder.parents):
        for name, keys in (
            ("tolmach.toml", ("audit",)),
            ("pyproject.toml", ("tool", "tolmach", "audit")),
        ):
            path = current / name
            if not path.is_file():
                continue
            data: object = load_toml(path)
            for key in keys:
                data = data.get(key) if isinstance(data, dict) else None
            if not isinstance(data, dict) or "disable" not in data:
                continue
            value = data["disable"]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(_("'disable' must be a list of rule ids"), path=str(path))
            return frozenset(value)
    return frozenset()
