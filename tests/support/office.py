"""Office documents built by hand with zipfile: DOCX, PPTX, ODT and EPUB fixtures.

Each builder writes the members a reader (pandoc, Word, LibreOffice) needs and
no more; ``body`` and the other arguments are raw XML, so a test can put any
markup in (runs, fields, text boxes, tracked changes).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def docx(
    path: Path,
    body: str,
    *,
    footer: str | None = None,
    header: str | None = None,
    footnotes: str | None = None,
    comments: str | None = None,
    extra: Mapping[str, bytes] | None = None,
    main_type: str = f"{_CT}.document.main+xml",
) -> Path:
    """A Word document: ``body`` is the content of ``w:body``; the other parts hold
    paragraphs (``w:ftr``, ``w:hdr``, ``w:footnotes``, ``w:comments`` are added)."""
    overrides = [("/word/document.xml", main_type)]
    rels: list[tuple[str, str, str]] = []
    members: dict[str, str] = {}
    sect = ""
    if header is not None:
        members["word/header1.xml"] = f"{HEAD}<w:hdr {NS}>{header}</w:hdr>"
        overrides.append(("/word/header1.xml", f"{_CT}.header+xml"))
        rels.append(("rIdH", "header", "header1.xml"))
        sect += '<w:headerReference w:type="default" r:id="rIdH"/>'
    if footer is not None:
        members["word/footer1.xml"] = f"{HEAD}<w:ftr {NS}>{footer}</w:ftr>"
        overrides.append(("/word/footer1.xml", f"{_CT}.footer+xml"))
        rels.append(("rIdF", "footer", "footer1.xml"))
        sect += '<w:footerReference w:type="default" r:id="rIdF"/>'
    if footnotes is not None:
        members["word/footnotes.xml"] = f"{HEAD}<w:footnotes {NS}>{footnotes}</w:footnotes>"
        overrides.append(("/word/footnotes.xml", f"{_CT}.footnotes+xml"))
        rels.append(("rIdN", "footnotes", "footnotes.xml"))
    if comments is not None:
        members["word/comments.xml"] = f"{HEAD}<w:comments {NS}>{comments}</w:comments>"
        overrides.append(("/word/comments.xml", f"{_CT}.comments+xml"))
        rels.append(("rIdC", "comments", "comments.xml"))
    document = (
        f"{HEAD}<w:document {NS}><w:body>{body}<w:sectPr>{sect}</w:sectPr></w:body></w:document>"
    )
    types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
        + "</Types>"
    )
    root_rels = (
        f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    doc_rels = (
        f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{i}" Type="{_REL}/{t}" Target="{target}"/>' for i, t, target in rels
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("word/document.xml", document)
        zf.writestr("word/_rels/document.xml.rels", doc_rels)
        for name, text in members.items():
            zf.writestr(name, text)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def odt(path: Path, body: str, *, footer: str = "", kind: str = "text") -> Path:
    """An OpenDocument text (``kind`` text) or presentation: ``body`` is the content
    of ``office:text`` (``office:presentation``), ``footer`` of the page style's footer."""
    mimetype = f"application/vnd.oasis.opendocument.{kind}"
    content = (
        f'{HEAD}<office:document-content {ODF_NS} office:version="1.2">'
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body>"
        "</office:document-content>"
    )
    styles = (
        f'{HEAD}<office:document-styles {ODF_NS} office:version="1.2">'
        '<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles>'
        '<office:master-styles><style:master-page style:name="Standard" '
        'style:page-layout-name="pm1">'
        + (f"<style:footer>{footer}</style:footer>" if footer else "")
        + "</style:master-page></office:master-styles></office:document-styles>"
    )
    manifest = (
        f"{HEAD}<manifest:manifest "
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("styles.xml", styles)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def epub(path: Path, title: str, chapters: Mapping[str, str], *, nav: str = "Contents") -> Path:
    """An EPUB 3 book: ``chapters`` maps a file name to the XHTML of its ``body``."""
    xhtml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">\n'
        "<head><title>{title}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )
    items = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(chapters)
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="id">urn:uuid:0</dc:identifier>\n<dc:title>{title}</dc:title>\n'
        "<dc:language>en</dc:language>\n</metadata>\n"
        '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
        f'properties="nav"/>{items}</manifest>\n<spine>{spine}</spine>\n</package>\n'
    )
    links = "".join(f'<li><a href="{name}">{name}</a></li>' for name in chapters)
    nav_body = f'<nav epub:type="toc"><h1>{nav}</h1><ol>{links}</ol></nav>'
    container = (
        '<?xml version="1.0"?>\n<container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="EPUB/package.opf" '
        'media-type="application/oebps-package+xml"/></rootfiles></container>\n'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", container)
        zf.writestr("EPUB/package.opf", opf)
        zf.writestr("EPUB/nav.xhtml", xhtml.format(title=nav, body=nav_body))
        for name, body in chapters.items():
            zf.writestr(f"EPUB/{name}", xhtml.format(title=title, body=body))
    return path


def pptx(path: Path, slides: list[str]) -> Path:
    """A presentation: each slide's text is a list of ``a:p`` paragraphs."""
    pml = "http://schemas.openxmlformats.org/presentationml/2006/main"
    ct = "application/vnd.openxmlformats-officedocument.presentationml"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/ppt/presentation.xml" ContentType="{ct}.presentation.main+xml"/>'
        + "".join(
            f'<Override PartName="/ppt/slides/slide{i + 1}.xml" ContentType="{ct}.slide+xml"/>'
            for i in range(len(slides))
        )
        + "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("ppt/presentation.xml", f'{HEAD}<p:presentation xmlns:p="{pml}"/>')
        for i, paragraphs in enumerate(slides):
            zf.writestr(
                f"ppt/slides/slide{i + 1}.xml",
                f'{HEAD}<p:sld xmlns:p="{pml}" xmlns:a="{a}"><p:cSld><p:spTree><p:sp>'
                f"<p:txBody><a:bodyPr/>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
            )
    return path
