"""A container document: its text-bearing parts as one :class:`Document`.

The formats that are zip containers (:mod:`~toolkit.formats.ooxml`,
:mod:`~toolkit.formats.odf`, :mod:`~toolkit.formats.epub`) name the members that
hold text and how to segment each; :func:`build` reads and checks them and joins
their texts (see :class:`~toolkit.document.Document`), :func:`render` splices
replacements into that text, and :func:`pack` writes the members that changed
back into the container, every other byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from toolkit import markup
from toolkit.document import Document, Segment
from toolkit.formats import container, xmlparts

SEPARATOR = "\x00"

Segmenter = Callable[[str, int, int], list[Segment]]


@dataclass(frozen=True)
class Part:
    """A member to read: its name, how to find its segments, whether a DTD is allowed."""

    name: str
    segment: Segmenter
    dtd: bool = False


def xml_segments(dialect: xmlparts.Dialect) -> Segmenter:
    return lambda src, lo, hi: xmlparts.scan(src, lo, hi, dialect)


def html_segments(src: str, lo: int, hi: int) -> list[Segment]:
    from toolkit.formats import html

    return [xmlparts.shift(seg, lo, 0) for seg in html.parse(src[lo:hi]).segments]


def build(
    box: container.Container,
    parts: Sequence[Part],
    format: str,
    path: str | None,
    lang: str | None = None,
) -> Document:
    """The document of ``parts`` (read, checked as XML, decoded and segmented)."""
    texts: list[str] = []
    for part in parts:
        box.writable(part.name)
        data = box.read(part.name)
        xmlparts.check_xml(data, part.name, path, dtd=part.dtd)
        texts.append(xmlparts.decode_xml(data, part.name, path)[0])
    starts: list[tuple[str, int]] = []
    pos = 0
    for part, text in zip(parts, texts, strict=True):
        starts.append((part.name, pos))
        pos += len(text) + 1
    joined = SEPARATOR.join(texts)
    segments: list[Segment] = []
    for part, (_name, start), text in zip(parts, starts, texts, strict=True):
        segments += part.segment(joined, start, start + len(text))
    from dataclasses import replace

    ordered = tuple(replace(seg, index=i) for i, seg in enumerate(segments))
    return Document(
        text=joined,
        segments=ordered,
        format=format,
        path=path,
        lang=lang,
        parts=tuple(starts),
        container=box.data,
    )


def _escape_for(seg: Segment) -> markup.Escape:
    return xmlparts.escape_attribute if seg.kind == "attribute" else xmlparts.escape


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    """The joined text of the parts with segments replaced."""
    return markup.splice(doc, replacements, _escape_for)


def pack(doc: Document, text: str, kind: str) -> bytes:
    """The container with the parts of ``text`` (from :func:`render`) written back."""
    assert doc.container is not None
    box = container.open_zip(doc.container, doc.path, kind)
    old = doc.text.split(SEPARATOR)
    new = text.split(SEPARATOR)
    if len(new) != len(old):
        raise ValueError("a replacement crossed a part boundary")
    changed: dict[str, bytes] = {}
    for (name, _start), before, after in zip(doc.parts, old, new, strict=True):
        if before != after:
            encoding = xmlparts.decode_xml(box.read(name), name, doc.path)[1]
            changed[name] = xmlparts.encode_xml(after, encoding)
    return container.rebuild(box, changed)
