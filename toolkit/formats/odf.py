"""OpenDocument: text documents (.odt, .ott) and presentations (.odp).

``content.xml`` (the body, tables, frames, notes, comments) and ``styles.xml``
(headers and footers of the page styles) hold the text; each ``text:p`` and
``text:h`` is a segment (:mod:`toolkit.formats.xmlparts`), spans and links are
its inline markup, fields, drawings and change marks are kept as they are.
An encrypted document (``manifest:encryption-data`` in the manifest) is refused.
Every other member is copied byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping

from toolkit.document import Document
from toolkit.errors import InputError
from toolkit.formats import container, parts, xmlparts
from toolkit.formats.ooxml import kind_of
from toolkit.i18n import _

NAME = "odt"
CONTAINER = True

_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.presentation-template": "odp",
}


def parse_bytes(data: bytes, path: str | None = None) -> Document:
    kind = kind_of(path, "ODT")
    box = container.open_zip(data, path, kind)
    mimetype = (
        box.read("mimetype").decode("ascii", "replace").strip() if box.member("mimetype") else ""
    )
    fmt = _TYPES.get(mimetype)
    if fmt is None:
        raise InputError(
            _("not an OpenDocument text or presentation (mimetype {mimetype!r})").format(
                mimetype=mimetype
            ),
            path=path,
        )
    if box.member("META-INF/manifest.xml") is not None:
        manifest = box.read("META-INF/manifest.xml")
        xmlparts.check_xml(manifest, "META-INF/manifest.xml", path)
        if b"encryption-data" in manifest:
            raise InputError(
                _(
                    "encrypted or password-protected {kind} document; remove the password first"
                ).format(kind=kind),
                path=path,
            )
    names = [n for n in ("content.xml", "styles.xml") if box.member(n) is not None]
    if "content.xml" not in names:
        raise InputError(_("not an OpenDocument file: no content.xml"), path=path)
    specs = [parts.Part(n, parts.xml_segments(xmlparts.ODF)) for n in names]
    return parts.build(box, specs, fmt, path)


def render(doc: Document, replacements: Mapping[int, str]) -> str:
    return parts.render(doc, replacements)


def pack(doc: Document, text: str) -> bytes:
    return parts.pack(doc, text, kind_of(doc.path, "ODT"))
