"""EPUB books: the spine's XHTML documents, the navigation and the title.

``META-INF/container.xml`` names the package document (OPF); its ``dc:title``
(and ``dc:description``) are segments, then the navigation document and the
EPUB 2 ``toc.ncx``, then every XHTML document of the spine, in reading order,
each segmented as HTML (:mod:`toolkit.formats.html`: blocks, inline markup).
``dc:language`` is the book's declared language. A document listed in
``META-INF/encryption.xml`` (DRM) is refused; obfuscated fonts are only copied.
Every member that holds no translated text is copied byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree.ElementTree import Element

from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.formats import container, parts, xmlparts
from toolkit.i18n import _

NAME = "epub"
CONTAINER = True
KIND = "EPUB"

_OPF_NS = "{http://www.idpf.org/2007/opf}"
_CONTAINER_NS = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_XHTML = ("application/xhtml+xml", "text/html")


def _xml(box: container.Container, name: str, path: str | None) -> Element:
    from defusedxml.ElementTree import fromstring

    data = box.read(name)
    xmlparts.check_xml(data, name, path, dtd=True)
    return fromstring(data, forbid_dtd=False)


def parse_bytes(data: bytes, path: str | None = None) -> Document:
    box = container.open_zip(data, path, KIND)
    if box.member("META-INF/container.xml") is None:
        raise InputError(_("not an EPUB book: no META-INF/container.xml"), path=path)
    root = _xml(box, "META-INF/container.xml", path)
    rootfile = root.find(f".//{_CONTAINER_NS}rootfile")
    opf = (rootfile.get("full-path") if rootfile is not None else None) or ""
    if box.member(opf) is None:
        raise InputError(_("not an EPUB book: no package document"), path=path)
    package = _xml(box, opf, path)
    lang_el = package.find(".//{http://purl.org/dc/elements/1.1/}language")
    lang = (lang_el.text or "").strip() or None if lang_el is not None else None
    items: dict[str, tuple[str, str, str]] = {}  # id -> member, media type, properties
    for item in package.iter(f"{_OPF_NS}item"):
        href = item.get("href") or ""
        items[item.get("id") or ""] = (
            container.resolve(opf, href),
            item.get("media-type") or "",
            item.get("properties") or "",
        )
    spine = package.find(f"{_OPF_NS}spine")
    chosen: list[parts.Part] = [parts.Part(opf, parts.xml_segments(xmlparts.OPF_TITLE), True)]
    seen = {opf}

    def add(name: str, segmenter: parts.Segmenter) -> None:
        if name not in seen and box.member(name) is not None:
            seen.add(name)
            chosen.append(parts.Part(name, segmenter, True))

    for member, _media, props in items.values():
        if "nav" in props.split():
            add(member, parts.html_segments)
    toc = spine.get("toc") if spine is not None else None
    if toc and toc in items:
        add(items[toc][0], parts.xml_segments(xmlparts.NCX))
    for member, media, _props in items.values():
        if media == "application/x-dtbncx+xml":
            add(member, parts.xml_segments(xmlparts.NCX))
    if spine is not None:
        for ref in spine.iter(f"{_OPF_NS}itemref"):
            member, media, _props = items.get(ref.get("idref") or "", ("", "", ""))
            if media in _XHTML:
                add(member, parts.html_segments)
    _refuse_encrypted(box, seen, path)
    return parts.build(box, chosen, "epub", path, lang)


def _refuse_encrypted(box: container.Container, names: set[str], path: str | None) -> None:
    if box.member("META-INF/encryption.xml") is None:
        return
    root = _xml(box, "META-INF/encryption.xml", path)
    for ref in root.iter():
        if ref.tag.endswith("CipherReference"):
            uri = container.resolve("", ref.get("URI") or "")
            if uri in names:
                raise InputError(
                    _("{part} is encrypted (DRM); tolmach cannot read it").format(part=uri),
                    path=path,
                )


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return parts.render(doc, replacements)


def pack(doc: Document, text: str) -> bytes:
    return parts.pack(doc, text, KIND)
