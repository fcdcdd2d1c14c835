"""Office Open XML: Word documents (.docx, .docm, .dotx) and PowerPoint slides (.pptx).

The parts that hold text are found by their content types in
``[Content_Types].xml``: the main document, headers, footers, footnotes,
endnotes and comments of a Word document (text boxes and tables are inside
them), the slides and notes of a presentation. Each paragraph is a segment
(:mod:`toolkit.formats.xmlparts`), located by its part and line. Macros
(``vbaProject.bin``), images and every other member are copied byte for byte
and never run. Translated text that would land between runs is given a run of
its own, so the document stays valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.formats import container, parts, xmlparts
from toolkit.i18n import _

NAME = "docx"
CONTAINER = True
KIND = "Office Open XML"

_WORD = (
    "wordprocessingml.document.main+xml",
    "wordprocessingml.template.main+xml",
    "ms-word.document.macroEnabled.main+xml",
    "ms-word.template.macroEnabledTemplate.main+xml",
)
_WORD_PARTS = tuple(
    f"wordprocessingml.{p}+xml" for p in ("header", "footer", "footnotes", "endnotes", "comments")
)
_SLIDES = (
    "presentationml.slide+xml",
    "presentationml.notesSlide+xml",
)
_PRESENTATION = (
    "presentationml.presentation.main+xml",
    "ms-powerpoint.presentation.macroEnabled.main+xml",
    "presentationml.template.main+xml",
)
_NUMBER_RE = re.compile(r"(\d+)")


def _natural(name: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in _NUMBER_RE.split(name)]


def kind_of(path: str | None, default: str) -> str:
    """What to call the file in messages: its extension (``DOCX``, ``PPTX``...)."""
    from pathlib import Path

    suffix = Path(path).suffix.lstrip(".").upper() if path else ""
    return suffix or default


def parse_bytes(data: bytes, path: str | None = None) -> Document:
    box = container.open_zip(data, path, kind_of(path, "DOCX"))
    if box.member("[Content_Types].xml") is None:
        raise InputError(
            _("not an Office Open XML document: no [Content_Types].xml (a zip of another kind?)"),
            path=path,
        )
    types_xml = box.read("[Content_Types].xml")
    xmlparts.check_xml(types_xml, "[Content_Types].xml", path)
    from defusedxml.ElementTree import fromstring

    names = set(box.names())
    main: list[str] = []
    others: list[str] = []
    fmt = ""
    for el in fromstring(types_xml):
        if not el.tag.endswith("Override"):
            continue
        name = (el.get("PartName") or "").lstrip("/")
        ctype = el.get("ContentType") or ""
        if name not in names:
            continue
        if ctype.endswith(_WORD):
            main.append(name)
            fmt = "docx"
        elif ctype.endswith(_WORD_PARTS):
            others.append(name)
        elif ctype.endswith(_PRESENTATION):
            fmt = fmt or "pptx"
        elif ctype.endswith(_SLIDES):
            others.append(name)
    if not fmt:
        raise InputError(
            _("not a Word or PowerPoint document: no main document part in [Content_Types].xml"),
            path=path,
        )
    if fmt == "docx":
        others = [n for n in others if "presentationml" not in n]
    chosen = main + sorted(others, key=_natural)
    specs = [parts.Part(name, _segmenter(box, name)) for name in chosen]
    return parts.build(box, specs, fmt, path)


def _segmenter(box: container.Container, name: str) -> parts.Segmenter:
    head = box.read(name)[:4096]
    if xmlparts.W_STRICT_NS.encode() in head:
        return parts.xml_segments(xmlparts.WORD_STRICT)
    if xmlparts.W_NS.encode() in head:
        return parts.xml_segments(xmlparts.WORD)
    return parts.xml_segments(xmlparts.DRAWING)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    from toolkit.formats import runs

    return runs.render(doc, replacements)


def pack(doc: Document, text: str) -> bytes:
    return parts.pack(doc, text, kind_of(doc.path, "DOCX"))
