"""TMX 1.4 (and 1.1) translation memories: read them safely, write them with origins.

Reading streams (``iterparse``; each ``<tu>`` is dropped once read), so a large
memory needs little memory. The parser is defusedxml's, as for TBX: a file that
declares entities (billion laughs, quadratic blow-up) or refers to external
entities is refused with :class:`InputError`; a plain ``<!DOCTYPE tmx SYSTEM
"tmx14.dtd">``, which CAT tools write, is accepted and the DTD is never fetched.
Bytes read are counted and a file past ``max_bytes`` is refused as it is read.

Every ``<tu>`` gives one unit per language pair: from the ``srclang`` of the
``<tu>`` or the header to each other ``<tuv>``, or, with ``srclang="*all*"`` or
a source absent from the ``<tu>``, between every two of its languages. Language
tags are reduced to their primary subtag (``en-US`` → ``en``), as tolmach's
languages are. Inline codes of ``<seg>`` (``bpt``, ``ept``, ``ph``, ``it``,
``ut``) keep the native markup they carry (``<bpt>&lt;b></bpt>`` is ``<b>``);
``hi`` and ``sub`` keep their text. A ``<prop type="x-origin">`` says who
translated a unit (``human``, ``imported``, ``machine``); units without one get
the importer's default.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from toolkit.errors import InputError
from toolkit.files import xml_errors
from toolkit.i18n import _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from _typeshed import WriteableBuffer

ORIGINS = ("human", "imported", "machine")  # most trusted first


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation to store: what :mod:`toolkit.tmx` and catalog imports yield."""

    source: str
    target: str
    src_text: str
    tgt_text: str
    origin: str = "human"
    engine: str = ""  # machine translations: the engine and glossary of their key
    glossary: str = ""


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = ("bpt", "ept", "ph", "it", "ut")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def lang_code(tag: str) -> str:
    """``en-US`` → ``en``; ``*all*`` stays."""
    tag = tag.strip()
    return tag if tag == "*all*" else tag.replace("_", "-").split("-")[0].lower()


def _seg_text(seg: Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        kind = _local(child.tag)
        if kind in _CODES:
            parts.append("".join(child.itertext()))
        else:  # hi, sub, anything newer: its text, codes inside it as codes
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Bounded(io.RawIOBase):
    """A reader that refuses to read past ``limit`` bytes (contract 14)."""

    def __init__(self, raw: IO[bytes], limit: int | None, path: str | None) -> None:
        self.raw, self.limit, self.path, self.count = raw, limit, path, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        with memoryview(buffer) as raw_view, raw_view.cast("B") as view:
            data = self.raw.read(len(view))
            self.count += len(data)
            if self.limit and self.count > self.limit:
                raise InputError(
                    _("file too large (over {limit:.1f} MB, see --max-size)").format(
                        limit=self.limit / 1e6
                    ),
                    path=self.path,
                )
            view[: len(data)] = data
            return len(data)


def read_tmx(
    stream: IO[bytes],
    *,
    path: str | None = None,
    origin: str = "human",
    max_bytes: int | None = None,
) -> Iterator[Unit]:
    """The units of a TMX file, streamed. Raises :class:`InputError` (one line) for
    unsafe, malformed or oversized files; callers store the units in one
    transaction so that an error part-way writes nothing."""
    from defusedxml import ElementTree as SafeET

    reader = io.BufferedReader(_Bounded(stream, max_bytes, path))
    events = SafeET.iterparse(
        reader, events=("start", "end"), forbid_dtd=False, forbid_entities=True
    )
    header_src = "*all*"
    root: Element | None = None
    external = _("TMX refers to an external resource; refused")
    with xml_errors("TMX", path, external):
        for event, elem in events:
            kind = _local(elem.tag)
            if event == "start":
                if root is None:
                    root = elem
                    if kind != "tmx":
                        raise InputError(
                            _("not a TMX file (root element is <{t}>)").format(t=kind), path=path
                        )
                continue
            if kind == "header":
                header_src = lang_code(elem.get("srclang") or "*all*")
            elif kind == "tu":
                yield from _units(elem, header_src, origin, path)
                elem.clear()
                if root is not None:  # always: the root element starts first
                    root.clear()
    if root is None:
        raise InputError(_("malformed TMX: no root element"), path=path)


def _units(tu: Element, header_src: str, default_origin: str, path: str | None) -> Iterator[Unit]:
    props: dict[str, str] = {}
    variants: dict[str, str] = {}
    for child in tu:
        kind = _local(child.tag)
        if kind == "prop":
            props[child.get("type", "")] = (child.text or "").strip()
        elif kind == "tuv":
            lang = child.get(_XML_LANG) or child.get("lang") or ""
            if not lang:
                raise InputError(_("a <tuv> has no xml:lang"), path=path)
            seg = next((c for c in child if _local(c.tag) == "seg"), None)
            if seg is not None:
                variants.setdefault(lang_code(lang), _seg_text(seg))
    origin = props.get("x-origin", default_origin)
    if origin not in ORIGINS:
        origin = default_origin
    engine, glossary = props.get("x-engine", ""), props.get("x-glossary", "")
    if origin == "machine" and not engine:
        origin = "imported"  # a machine translation from elsewhere: not tolmach's cache
    src = lang_code(tu.get("srclang") or header_src)
    sources = [src] if src in variants else list(variants)
    for s in sources:
        if not variants[s].strip():
            continue
        for t, text in variants.items():
            if t != s and text.strip():
                yield Unit(s, t, variants[s], text, origin, engine, glossary)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    # characters XML 1.0 cannot hold at all become U+FFFD rather than a broken file
    clean = "".join(
        c
        if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
        else "\ufffd"
        for c in text
    )
    return escape(clean)


def write_tmx(records: Iterable[tuple[str, str, str, str, str, str, str, str]]) -> Iterator[str]:
    """TMX 1.4 text for ``Memory.records()``, piece by piece. Each ``<tu>`` carries its
    origin (``x-origin``), the file it was imported from (``x-file``) and, for
    machine translations, the engine and glossary of its key."""
    from xml.sax.saxutils import quoteattr

    from toolkit import __version__

    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f'  <header creationtool="tolmach" creationtoolversion={quoteattr(__version__)}'
        ' datatype="plaintext" segtype="sentence" adminlang="en" srclang="*all*"'
        ' o-tmf="tolmach"/>\n  <body>\n'
    )
    for source, target, engine, glossary, origin, file, src, tgt in records:
        props = [("x-origin", origin)]
        if file:
            props.append(("x-file", file))
        if origin == "machine":
            props += [("x-engine", engine), ("x-glossary", glossary)]
        lines = [f"    <tu srclang={quoteattr(source)}>"]
        lines += [f'      <prop type="{k}">{_escape(v)}</prop>' for k, v in props]
        lines.append(f"      <tuv xml:lang={quoteattr(source)}><seg>{_escape(src)}</seg></tuv>")
        lines.append(f"      <tuv xml:lang={quoteattr(target)}><seg>{_escape(tgt)}</seg></tuv>")
        lines.append("    </tu>\n")
        yield "\n".join(lines)
    yield "  </body>\n</tmx>\n"
