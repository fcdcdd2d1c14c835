"""Shared by the hardening tests and ``bench/fuzz.py``: one harness per parser.

Each harness takes raw bytes (what a user's file holds), runs the real parser
and checks the properties every parser must keep:

* no exception escapes except :class:`~toolkit.errors.TolmachError` subclasses;
* when the parse succeeds, a render with no replacements gives back the input
  byte for byte (for the formats that render).

A harness returns ``"ok"`` or ``"refused: <error>"`` (a documented error) and
raises anything else, so a fuzzer counts crashes by catching what escapes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from hypothesis import strategies as st

from toolkit.errors import TolmachError


def refused(exc: TolmachError) -> str:
    return f"refused: {type(exc).__name__}: {exc.message}"


def _format(name: str, suffix: str) -> Callable[[bytes], str]:
    def run(data: bytes) -> str:
        from toolkit import formats

        try:
            doc = formats.load(f"fuzz{suffix}", name, data=data)
        except TolmachError as exc:
            return refused(exc)
        out = formats.dump(doc, {})
        assert out == data, f"{name}: render(parse(x)) != x"
        # every segment's span lies inside the text
        for seg in doc.segments:
            assert 0 <= seg.start <= seg.end <= len(doc.text)
        return "ok"

    run.__name__ = f"format_{name}"
    return run


def po_catalog(data: bytes) -> str:
    from toolkit.po.catalog import parse_catalog, render_catalog

    try:
        cat = parse_catalog(data, "fuzz.po")
    except TolmachError as exc:
        return refused(exc)
    assert render_catalog(cat, {}) == data
    return "ok"


def _glossary(fmt: str) -> Callable[[bytes], str]:
    def run(data: bytes) -> str:
        from toolkit.glossary.io import read_exchange

        try:
            read_exchange(data, fmt, source="ru", target="en", name="fuzz", path=f"fuzz.{fmt}")
        except TolmachError as exc:
            return refused(exc)
        return "ok"

    run.__name__ = f"glossary_{fmt}"
    return run


def glossary_native(data: bytes) -> str:
    from toolkit.glossary.io import parse_tsv

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "refused: not UTF-8"
    try:
        parse_tsv(text, name="fuzz", path="fuzz.tsv")
    except TolmachError as exc:
        return refused(exc)
    return "ok"


def argos_package(data: bytes) -> str:
    """The ``.argosmodel`` validator on arbitrary bytes (needs ``toolkit.models``)."""
    import tempfile
    from pathlib import Path

    from toolkit import models

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.argosmodel"
        path.write_bytes(data)
        try:
            models.validate_package(path)
        except TolmachError as exc:
            return refused(exc)
    return "ok"


HARNESSES: dict[str, Callable[[bytes], str]] = {
    "txt": _format("txt", ".txt"),
    "markdown": _format("markdown", ".md"),
    "html": _format("html", ".html"),
    "srt": _format("srt", ".srt"),
    "po-format": _format("po", ".po"),
    "po-catalog": po_catalog,
    "glossary-native": glossary_native,
    "glossary-tsv": _glossary("tsv"),
    "glossary-csv": _glossary("csv"),
    "glossary-amazon-csv": _glossary("amazon-csv"),
    "glossary-tbx": _glossary("tbx"),
}


def has_models() -> bool:
    try:
        from toolkit import models
    except ImportError:
        return False
    return hasattr(models, "validate_package")


if has_models():
    HARNESSES["argosmodel"] = argos_package


# ----------------------------------------------------------------------------- strategies

# Characters that matter to the parsers: markup, escapes, line ends, quotes,
# Cyrillic, BOM/NUL/odd controls, surrogate-adjacent astral characters.
_ALPHABET = [
    *"ab Яжé\t\r\n#*_-+=[](){}!`~>|&;<.:,/\\\"' 0123456789",
    *["\x00", "\x0b", "\x0c", "\x85", "\u2028", "\u200d", "\u200f", "\ufeff", "😀", "\u0301"],
]

_TOKENS = {
    "txt": ["\n", "\r\n", "  ", "Заголовок", "OSCE", "\t"],
    "markdown": [
        "# ",
        "```",
        "~~~",
        "    ",
        "> ",
        "- ",
        "1. ",
        "*",
        "**",
        "_",
        "`",
        "[a](b)",
        '![x](y "t")',
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "| a | b |",
        "|---|",
        "\\",
        "&amp;",
        "&#1071;",
        "[^1]",
        "\n\n",
        "\n",
        "Текст",
        "---",
        "===",
        "<br>",
    ],
    "html": [
        "<p>",
        "</p>",
        "<",
        ">",
        "&",
        "&amp;",
        "&#",
        "&#x41;",
        "&#1071;",
        ";",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<style>",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
        '<a title="',
        '">',
        "alt='",
        "lang=ru",
        '<html lang="en">',
        "<br/>",
        "<pre>",
        "</",
        "<?xml ?>",
        "Привет",
        "&nbsp;",
        "<meta charset=koi8-r>",
    ],
    "srt": [
        "1\n",
        "00:00:01,000 --> 00:00:02,000\n",
        "-->",
        "\n\n",
        "\r\n",
        "Текст\n",
        "00:00:01.5 --> ",
        "99\n",
        "<i>",
        "</i>",
    ],
    "po": [
        'msgid ""\n',
        'msgstr ""\n',
        '"Content-Type: text/plain; charset=UTF-8\\n"\n',
        'msgid "a"\n',
        'msgstr "b"\n',
        'msgid_plural "x"\n',
        'msgstr[0] "y"\n',
        'msgctxt "c"\n',
        "#, fuzzy\n",
        '#| msgid "old"\n',
        "#~ ",
        "#: f.c:1\n",
        '"\\n"',
        '"\\"',
        "\\t",
        "\\\\",
        "\n",
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
        '"Language: ru\\n"\n',
        "Текст",
    ],
    "tsv": [
        "en\tru\n",
        "en\tru\tabbr:en\tdnt\tnote\n",
        "OSCE\tОБСЕ\n",
        "\t",
        "\n",
        " | ",
        "#",
        "yes",
        "ОДКБ",
        "\r\n",
    ],
    "csv": ["en,ru\n", "a,b\n", '"', '""', ",", "\n", "\r\n", "ОБСЕ", "OSCE", "x,y,z\n"],
    "tbx": [
        '<?xml version="1.0"?>',
        '<martif type="TBX-Basic">',
        "<text><body>",
        "<termEntry>",
        "</termEntry>",
        '<langSet xml:lang="en">',
        "</langSet>",
        "<tig><term>",
        "</term></tig>",
        "</body></text></martif>",
        "<!DOCTYPE x [",
        '<!ENTITY a "aaaa">',
        "]>",
        "&a;",
        "&amp;",
        "<conceptEntry>",
        "<langSec>",
        "<termSec>",
        "ОБСЕ",
        '<descrip type="definition">',
        "</descrip>",
        '<!ENTITY e SYSTEM "file:///etc/passwd">',
    ],
}
_TOKENS["markdown"] += _TOKENS["txt"]

_KIND = {
    "txt": "txt",
    "markdown": "markdown",
    "html": "html",
    "srt": "srt",
    "po-format": "po",
    "po-catalog": "po",
    "glossary-native": "tsv",
    "glossary-tsv": "tsv",
    "glossary-csv": "csv",
    "glossary-amazon-csv": "csv",
    "glossary-tbx": "tbx",
    "argosmodel": "txt",
}

_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "koi8-r", "latin-1"]


@st.composite
def _structured(draw: st.DrawFn, kind: str) -> bytes:
    tokens = _TOKENS[kind]
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(tokens), st.text(alphabet=_ALPHABET, max_size=8)),
            max_size=40,
        )
    )
    text = "".join(parts)
    enc = draw(st.sampled_from(_ENCODINGS))
    return text.encode(enc, "replace") if enc != "utf-16" else text.encode(enc)


@st.composite
def _zip(draw: st.DrawFn) -> bytes:
    buf = io.BytesIO()
    names = draw(
        st.lists(
            st.sampled_from(
                [
                    "pkg/",
                    "pkg/metadata.json",
                    "pkg/model/model.bin",
                    "../evil",
                    "/abs",
                    "pkg/../../x",
                    "a/metadata.json",
                    "metadata.json",
                    "pkg/sentencepiece.model",
                    "pkg/model/config.json",
                    "pkg\\..\\y",
                    "pkg/stanza/",
                    "b/c",
                ]
            ),
            max_size=6,
            unique=True,
        )
    )
    body = draw(st.binary(max_size=64))
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, body)
    data = buf.getvalue()
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return data if draw(st.booleans()) else data[:cut]


_SEEDS = {
    "txt": "Newsfeed\n0\nChats\nЗаголовок открываемого материала\n",
    "markdown": '# Title\n\nText with *em* and `code` and [a link](http://x "t").\n\n'
    "- item **ОБСЕ**\n\n```py\nx = 1\n```\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "html": '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
    '<p class="x">Hello &amp; <b>world</b></p><img alt="Фото"><!-- c -->'
    "<script>var a = '<p>';</script><p lang=ru>Привет</p></body></html>",
    "srt": "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\n"
    "Привет\nмир\n",
    "po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n#: a.c:1\n#, fuzzy\nmsgid "File"\n'
    'msgstr "Файл"\n\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\n\n'
    '#~ msgid "old"\n#~ msgstr "x"\n',
    "tsv": "# comment\nen\tru\tabbr:en\tdnt\tnote\nOrganization for Security\t"
    "Организация по безопасности\tOSCE\t\tn\nNATO\tНАТО | Альянс\t\tyes\t\n",
    "csv": 'en,ru,note\nOSCE,ОБСЕ,"a, b"\nCSTO,ОДКБ,""\n',
    "tbx": '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en">'
    '<text><body><termEntry id="1"><descrip type="subjectField">politics</descrip>'
    '<langSet xml:lang="en"><tig><term>OSCE</term></tig></langSet>'
    '<langSet xml:lang="ru"><tig><term>ОБСЕ</term></tig></langSet></termEntry>'
    "</body></text></martif>",
}


@st.composite
def _mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A valid document of the kind with a few random edits."""
    text = _SEEDS[kind]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        i = draw(st.integers(min_value=0, max_value=len(text)))
        j = draw(st.integers(min_value=i, max_value=min(len(text), i + 12)))
        op = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if op == "insert":
            piece = draw(st.one_of(st.sampled_from(_TOKENS[kind]), st.text(_ALPHABET, max_size=4)))
            text = text[:i] + piece + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:j] + text[i:j] * draw(st.integers(1, 5)) + text[j:]
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(enc, "surrogatepass")


def inputs(harness: str) -> st.SearchStrategy[bytes]:
    """Bytes for ``harness``: random bytes, random text, and token soup of its syntax."""
    kind = _KIND[harness]
    options = [
        st.binary(max_size=300),
        st.text(alphabet=_ALPHABET, max_size=200).map(lambda t: t.encode("utf-8")),
        _structured(kind),
        _mutated(kind),
        _mutated(kind),
    ]
    if harness == "argosmodel":
        options.append(_zip())
    return st.one_of(*options)
