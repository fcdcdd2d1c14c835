"""XML parts of office documents: paragraphs as segments, runs as inline markup.

A part is first parsed with defusedxml (no entity declarations, no external
references; a document type declaration only where the format has one), so
what is scanned here is well-formed. The scan then walks the part's tokens
once, keeping the exact source offset of every text node, and turns each
paragraph (``w:p``, ``text:p``/``text:h``, ``a:p``, ``dc:title``...) into one
segment, as :mod:`toolkit.formats.html` does for a block:

* text nodes (in ``w:t``/``a:t``, or any character data in ODF's mixed
  content) are the segment's text, character references decoded;
* runs and the elements like them (``w:r``, ``w:hyperlink``, ``text:span``,
  ``text:a``, ...) are inline markup: their opening tag, with the properties and
  bookmarks, spell-check and other empty markers around it, is one ``open``
  piece, their end one ``close`` piece, so a sentence over runs of different
  formatting is one unit and its formatting comes back on the right words;
* breaks and tabs are ``break`` pieces;
* fields (``w:fldChar`` begin to end), drawings, equations, tracked changes
  and every other element with content are opaque: kept byte for byte, their
  text shown to detection but never translated;
* an element holding paragraphs of its own (a text box, an ODF note or
  comment) ends the paragraph around it; its paragraphs are segments of their
  own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from toolkit.document import Inline, Segment
from toolkit.errors import InputError
from toolkit.formats.blocks import BlockBuilder
from toolkit.i18n import _

_TOKEN_RE = re.compile(
    r"<(/?)([^\s/>!?]+)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>",
    re.S,
)
_XMLNS_RE = re.compile(r"""xmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF_RE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_RE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

OPEN, CLOSE, EMPTY, TEXT, OTHER = range(5)


def check_xml(data: bytes, name: str, path: str | None, *, dtd: bool = False) -> None:
    """Refuse a part that is not well-formed XML or declares entities (an entity
    bomb, an external reference); a DTD only where ``dtd`` allows one."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        try:
            fromstring(data, forbid_dtd=not dtd, forbid_entities=True, forbid_external=True)
        except ParseError as exc:
            if not (dtd and "undefined entity" in str(exc)):
                raise
            # XHTML (an EPUB 2 chapter) may use HTML's named entities, &nbsp;, which
            # its DTD declares and readers know: check it with them as numbers
            fromstring(
                _numeric_entities(data),
                forbid_dtd=False,
                forbid_entities=True,
                forbid_external=True,
            )
    except DefusedXmlException as exc:
        raise InputError(
            _(
                "{part}: XML with a document type, entities or external references "
                "is refused ({what})"
            ).format(part=name, what=type(exc).__name__),
            path=path,
        ) from None
    except (ParseError, ValueError) as exc:
        raise InputError(
            _("{part}: not well-formed XML ({error})").format(part=name, error=exc), path=path
        ) from None


_NAMED_REF_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")


def _numeric_entities(data: bytes) -> bytes:
    from html.entities import name2codepoint

    def number(m: re.Match[bytes]) -> bytes:
        code = name2codepoint.get(m.group(1).decode("ascii"))
        return m.group() if code is None else b"&#%d;" % code

    return _NAMED_REF_RE.sub(number, data)


def decode_xml(data: bytes, name: str, path: str | None) -> tuple[str, str]:
    """The text of an XML part and its encoding (UTF-8, or UTF-16 with a BOM)."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(enc), enc
            except UnicodeDecodeError:
                break
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        enc = "utf-8-sig"
    else:
        enc = "utf-8"
    try:
        return data.decode("utf-8"), enc
    except UnicodeDecodeError as exc:
        raise InputError(
            _("{part}: not UTF-8 (invalid byte at offset {offset})").format(
                part=name, offset=exc.start
            ),
            path=path,
        ) from None


def encode_xml(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding.startswith("utf-16"):
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        return bom + text.encode(encoding)
    return text.encode(encoding)


def escape(text: str) -> str:
    """Text for an XML text node: markup characters escaped, characters XML
    cannot hold dropped."""
    text = _INVALID_RE.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape(text).replace('"', "&quot;").replace("'", "&apos;")


def decode_text(raw: str) -> tuple[str, list[int] | None]:
    """Character references decoded; offsets of each character in ``raw`` (and
    its length), None when unchanged."""
    if "&" not in raw:
        return raw, None
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _REF_RE.finditer(raw):
        out.extend(raw[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        ref = m.group(1)
        if ref.startswith("#x"):
            ch = chr(int(ref[2:], 16))
        elif ref.startswith("#"):
            ch = chr(int(ref[1:]))
        else:
            ch = _NAMED[ref]
        out.append(ch)
        offsets.append(m.start())
        pos = m.end()
    out.extend(raw[pos:])
    offsets.extend(range(pos, len(raw) + 1))
    return "".join(out), offsets


# --------------------------------------------------------------------------- tokens


class Token:
    __slots__ = ("end", "kind", "name", "partner", "start")

    def __init__(self, kind: int, name: str, start: int, end: int) -> None:
        self.kind = kind
        self.name = name  # {namespace}local, "" for text and others
        self.start = start
        self.end = end
        self.partner = -1


def tokenize(src: str, lo: int, hi: int) -> list[Token]:
    """The tokens of ``src[lo:hi]`` (a well-formed XML part), names resolved to
    ``{namespace}local`` and every start tag paired with its end tag."""
    tokens: list[Token] = []
    scopes: list[dict[str, str]] = [{"xml": "http://www.w3.org/XML/1998/namespace"}]
    stack: list[int] = []
    pos = lo
    for m in _TOKEN_RE.finditer(src, lo, hi):
        if m.start() > pos:
            tokens.append(Token(TEXT, "", pos, m.start()))
        pos = m.end()
        qname = m.group(2)
        if qname is None:
            tokens.append(Token(OTHER, "", m.start(), m.end()))
            continue
        closing, attrs = m.group(1) == "/", m.group(3)
        empty = attrs.endswith("/")
        if closing:
            tok = Token(CLOSE, "", m.start(), m.end())
            if stack:
                opener = stack.pop()
                tok.name = tokens[opener].name
                tok.partner = opener
                tokens[opener].partner = len(tokens)
                scopes.pop()
            tokens.append(tok)
            continue
        scope = scopes[-1]
        if "xmlns" in attrs:
            scope = dict(scope)
            for d in _XMLNS_RE.finditer(attrs):
                scope[d.group(1) or ""] = d.group(2) if d.group(2) is not None else d.group(3)
        prefix, _sep, local = qname.rpartition(":")
        name = "{" + scope.get(prefix, "") + "}" + local
        if empty:
            tokens.append(Token(EMPTY, name, m.start(), m.end()))
            continue
        stack.append(len(tokens))
        scopes.append(scope)
        tokens.append(Token(OPEN, name, m.start(), m.end()))
    if hi > pos:
        tokens.append(Token(TEXT, "", pos, hi))
    return tokens


def attribute(src: str, tok: Token, local: str) -> str | None:
    """The value of the attribute whose local name is ``local`` (any prefix)."""
    for m in _ATTR_RE.finditer(src, tok.start, tok.end):
        if m.group(1).rpartition(":")[2] == local:
            return m.group(2) if m.group(2) is not None else m.group(3)
    return None


# --------------------------------------------------------------------------- dialects


@dataclass(frozen=True)
class Dialect:
    """What the elements of one XML vocabulary are, as names ``{namespace}local``.

    ``text``: the elements whose character data is text (None: mixed content,
    all character data inside a paragraph is text); ``shown``: for mixed
    content, the namespace whose character data an opaque element shows;
    ``field``: the element that begins and ends a field (``w:fldChar``).
    ``heading``: paragraph elements that are headings."""

    paragraphs: frozenset[str]
    runs: frozenset[str]
    text: frozenset[str] | None
    breaks: frozenset[str]
    props: frozenset[str]
    field: str | None = None
    run: str | None = None  # the run element that holds fields
    shown: str = ""
    heading: frozenset[str] = frozenset()


def _names(ns: str, words: str) -> frozenset[str]:
    return frozenset("{" + ns + "}" + w for w in words.split())


def _wordml(ns: str) -> Dialect:
    return Dialect(
        paragraphs=_names(ns, "p"),
        runs=_names(ns, "r hyperlink smartTag sdt sdtContent fldSimple customXml dir bdo"),
        text=_names(ns, "t"),
        breaks=_names(ns, "br cr tab ptab"),
        props=_names(ns, "rPr pPr sdtPr sdtEndPr"),
        field="{" + ns + "}fldChar",
        run="{" + ns + "}r",
    )


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"

WORD = _wordml(W_NS)
WORD_STRICT = _wordml(W_STRICT_NS)
DRAWING = Dialect(
    paragraphs=_names(A_NS, "p"),
    runs=_names(A_NS, "r"),
    text=_names(A_NS, "t"),
    breaks=_names(A_NS, "br"),
    props=_names(A_NS, "rPr pPr endParaRPr"),
)
ODF = Dialect(
    paragraphs=_names(TEXT_NS, "p h"),
    runs=_names(TEXT_NS, "span a meta"),
    text=None,
    breaks=_names(TEXT_NS, "s tab line-break"),
    props=frozenset(),
    shown=TEXT_NS,
    heading=_names(TEXT_NS, "h"),
)
OPF_TITLE = Dialect(
    paragraphs=_names(DC_NS, "title description"),
    runs=frozenset(),
    text=None,
    breaks=frozenset(),
    props=frozenset(),
)
NCX = Dialect(
    paragraphs=_names(NCX_NS, "text"),
    runs=frozenset(),
    text=None,
    breaks=frozenset(),
    props=frozenset(),
)


# --------------------------------------------------------------------------- scan


@dataclass
class _Piece:
    kind: str  # T text, O open, C close, B break, Q opaque, X other markup
    start: int
    end: int
    key: int = -1  # O/C: the open token's index; Q: shown text in ``shown``
    shown: str = ""


def scan(src: str, lo: int, hi: int, dialect: Dialect) -> list[Segment]:
    """The segments of the XML part ``src[lo:hi]``: one per paragraph, offsets in
    ``src``; ``name`` is the paragraph's number in the part (1-based)."""
    toks = tokenize(src, lo, hi)
    paragraph_opens = [0]
    for t in toks:
        paragraph_opens.append(
            paragraph_opens[-1] + (t.kind == OPEN and t.name in dialect.paragraphs)
        )
    segments: list[Segment] = []
    counter = [0]

    def has_paragraph(a: int, b: int) -> bool:
        return paragraph_opens[b] - paragraph_opens[a + 1] > 0

    def shown(a: int, b: int) -> str:
        """The text a reader sees inside tokens ``a``..``b``."""
        out: list[str] = []
        depth = 0
        foreign = 0
        for t in toks[a : b + 1]:
            # any "t" element shows its text: w:t, a:t, an equation's m:t
            if t.kind == OPEN:
                if dialect.text is not None and t.name.endswith("}t"):
                    depth += 1
                elif dialect.text is None and not t.name.startswith("{" + dialect.shown + "}"):
                    foreign += 1
            elif t.kind == CLOSE:
                if dialect.text is not None and t.name.endswith("}t"):
                    depth -= 1
                elif dialect.text is None and not t.name.startswith("{" + dialect.shown + "}"):
                    foreign -= 1
            elif t.kind == TEXT and (depth > 0 if dialect.text is not None else foreign <= 0):
                out.append(decode_text(src[t.start : t.end])[0])
        return "".join(out)

    def fields(a: int, b: int) -> dict[int, int]:
        """Fields (begin .. end) inside tokens ``a``..``b``: first token -> last."""
        spans: dict[int, int] = {}
        if dialect.field is None:
            return spans
        runs: list[int] = []
        depth = 0
        start = -1
        for i in range(a, b):
            t = toks[i]
            if t.kind == OPEN and t.name == dialect.run:
                runs.append(i)
            elif t.kind == CLOSE and t.name == dialect.run and runs:
                runs.pop()
            if t.kind in (OPEN, EMPTY) and t.name == dialect.field:
                kind = attribute(src, t, "fldCharType")
                if kind == "begin":
                    if depth == 0:
                        start = runs[-1] if runs else i
                    depth += 1
                elif kind == "end" and depth > 0:
                    depth -= 1
                    if depth == 0:
                        last = toks[runs[-1]].partner if runs else i
                        if t.kind == OPEN and not runs:
                            last = t.partner
                        spans[start] = max(last, i)
        if depth > 0 and start >= 0:
            spans[start] = b - 1  # a field that goes on past the paragraph
        return spans

    def paragraph(p: int) -> None:
        counter[0] += 1
        number = counter[0]
        end = toks[p].partner
        heading = toks[p].name in dialect.heading
        spans = fields(p + 1, end)
        pieces: list[_Piece] = []
        in_text = 0
        i = p + 1
        while i < end:
            t = toks[i]
            if i in spans:
                j = spans[i]
                pieces.append(_Piece("Q", t.start, toks[j].end, shown=shown(i, j)))
                i = j + 1
                continue
            if t.kind == TEXT:
                inside = in_text > 0 if dialect.text is not None else True
                pieces.append(_Piece("T" if inside else "X", t.start, t.end))
            elif t.kind == OPEN:
                if t.name in dialect.runs:
                    pieces.append(_Piece("O", t.start, t.end, i))
                elif dialect.text is not None and t.name in dialect.text:
                    in_text += 1
                    pieces.append(_Piece("X", t.start, t.end))
                elif t.name in dialect.props:
                    pieces.append(_Piece("X", t.start, toks[t.partner].end))
                    i = t.partner + 1
                    continue
                else:
                    j = t.partner
                    if has_paragraph(i, j):
                        emit(pieces, number, heading)
                        pieces = []
                        container(i + 1, j)
                        i = j + 1
                        continue
                    pieces.append(_Piece("Q", t.start, toks[j].end, shown=shown(i, j)))
                    i = j + 1
                    continue
            elif t.kind == CLOSE:
                if t.name in dialect.runs and t.partner > p:
                    pieces.append(_Piece("C", t.start, t.end, t.partner))
                else:
                    if dialect.text is not None and t.name in dialect.text:
                        in_text = max(0, in_text - 1)
                    pieces.append(_Piece("X", t.start, t.end))
            elif t.kind == EMPTY and t.name in dialect.breaks:
                pieces.append(_Piece("B", t.start, t.end))
            else:
                pieces.append(_Piece("X", t.start, t.end))
            i += 1
        emit(pieces, number, heading)

    def emit(pieces: list[_Piece], number: int, heading: bool) -> None:
        merged = _merge(pieces)
        if not any(p.kind == "T" for p in merged):
            return
        builder = BlockBuilder(src)
        for piece in merged:
            if piece.kind == "T":
                decoded, offsets = decode_text(src[piece.start : piece.end])
                absolute = None if offsets is None else [o + piece.start for o in offsets]
                builder.text(piece.start, decoded, absolute, piece.end)
            elif piece.kind in ("O", "C"):
                builder.tag(
                    piece.start, piece.end, "open" if piece.kind == "O" else "close", str(piece.key)
                )
            elif piece.kind == "B":
                builder.line_break(piece.start, piece.end)
            elif piece.kind == "Q":
                builder.opaque(piece.start, piece.end, piece.shown)
            else:
                builder.tag(piece.start, piece.end, "void")
        seg = builder.build(0, "heading" if heading else "text", None, str(number))
        if seg is not None:
            segments.append(seg)

    def container(a: int, b: int) -> None:
        i = a
        while i < b:
            t = toks[i]
            if t.kind == OPEN and t.name in dialect.paragraphs:
                paragraph(i)
                i = t.partner + 1
            else:
                i += 1

    container(0, len(toks))
    return segments


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Other markup joined to its neighbours (closes take what follows them, opens
    what precedes and follows them), none at the edges: every piece of a
    segment touches the next, so no source byte falls between two of them."""
    coalesced: list[_Piece] = []
    for p in pieces:
        if p.kind == "X" and coalesced and coalesced[-1].kind == "X":
            coalesced[-1].end = p.end
        else:
            coalesced.append(_Piece(p.kind, p.start, p.end, p.key, p.shown))
    while coalesced and coalesced[0].kind == "X":
        coalesced.pop(0)
    while coalesced and coalesced[-1].kind == "X":
        coalesced.pop()
    out: list[_Piece] = []
    n = len(coalesced)
    k = 0
    while k < n:
        p = coalesced[k]
        if p.kind != "X":
            out.append(p)
            k += 1
            continue
        prev = out[-1]
        nxt = coalesced[k + 1]
        if prev.kind == "C":
            prev.end = p.end
        elif nxt.kind == "O":
            nxt.start = p.start
        elif prev.kind == "O":
            prev.end = p.end
        elif nxt.kind == "C":
            nxt.start = p.start
        elif prev.kind in ("B", "Q"):
            prev.end = p.end
        elif nxt.kind in ("B", "Q"):
            nxt.start = p.start
        else:
            out.append(p)
        k += 1
    return out


def shift(seg: Segment, by: int, index: int) -> Segment:
    """``seg`` moved ``by`` characters (parsed on its own, placed in a container)."""
    inline = tuple(
        Inline(m.start, m.end, m.raw_start + by, m.raw_end + by, m.role, m.pair) for m in seg.inline
    )
    return replace(seg, index=index, start=seg.start + by, end=seg.end + by, inline=inline)
