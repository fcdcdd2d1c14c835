"""Contract 1 for every format: render(parse(x), {}) == x, and spans are exact."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import formats, markup
from toolkit.document import Document
from toolkit.formats import html, markdown, srt, txt


def check_spans(doc: Document) -> None:
    """Every segment's raw span decodes to its text; replacing it touches only its span."""
    for seg in doc.segments:
        raw = doc.text[seg.start : seg.end]
        if seg.raw_map is None:
            assert raw == seg.text
        elif seg.inline or seg.wrap is not None:
            # a block: markup may sit before the first and after the last character
            assert len(seg.raw_map) == len(seg.text) + 1
            assert seg.raw_map[0] >= 0
            assert seg.raw_map[-1] <= seg.end - seg.start
            assert list(seg.raw_map) == sorted(seg.raw_map)
            for m in seg.inline:
                assert seg.start <= m.raw_start <= m.raw_end <= seg.end
                assert 0 <= m.start <= m.end <= len(seg.text)
                if m.pair >= 0:
                    assert seg.inline[m.pair].pair == seg.inline.index(m)
        else:
            assert len(seg.raw_map) == len(seg.text) + 1
            assert seg.raw_map[0] == 0
            assert seg.raw_map[-1] == seg.end - seg.start
            assert list(seg.raw_map) == sorted(seg.raw_map)


def check_replace_each(module, doc: Document) -> None:  # type: ignore[no-untyped-def]
    for seg in doc.segments[:20]:
        out = module.render(doc, {seg.index: "Q" + seg.text + "Q"})
        assert out.startswith(doc.text[: seg.start])
        assert out.endswith(doc.text[seg.end :])


text_chars = st.text(
    alphabet=st.sampled_from(list("ab Яж\t\r\n#*_-[]()!`>|&;<.:0123456789 ")), max_size=300
)


@settings(max_examples=200, deadline=None)
@given(text_chars)
def test_txt_round_trip(x: str) -> None:
    doc = txt.parse(x)
    assert txt.render(doc, {}) == x
    check_spans(doc)
    for seg in doc.segments:
        assert seg.text == seg.text.strip()
        assert "\n" not in seg.text


@settings(max_examples=200, deadline=None)
@given(text_chars)
def test_markdown_round_trip(x: str) -> None:
    doc = markdown.parse(x)
    assert markdown.render(doc, {}) == x
    check_spans(doc)
    check_replace_each(markdown, doc)


cue = st.tuples(
    st.integers(1, 999),
    st.text(alphabet=st.sampled_from(list("ab Яж<i>/.,!'")), min_size=1, max_size=30),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(cue, max_size=6), st.text(alphabet=" \n\r", max_size=3))
def test_srt_round_trip(cues: list[tuple[int, str, str, bool]], tail: str) -> None:
    parts = []
    for n, body, nl, two in cues:
        text = body + (nl + body[::-1] if two else "")
        parts.append(f"{n}{nl}00:00:0{n % 10},000 --> 00:00:1{n % 10},500{nl}{text}{nl}{nl}")
    x = "".join(parts) + tail
    doc = srt.parse(x)
    assert srt.render(doc, {}) == x
    check_spans(doc)
    assert all(seg.kind == "caption" for seg in doc.segments)
    shown = [srt._TAG_RE.sub("", body) for _, body, _, _ in cues]  # tags are markup
    assert len(doc.segments) == sum(1 for body in shown if body.strip())


def test_srt_only_text_lines_are_segments() -> None:
    x = (
        "1\r\n00:00:01,000 --> 00:00:02,000\r\nHello there\r\nGeneral\r\n\r\n"
        "2\r\n00:00:03,000 --> 00:00:04,000\r\nПривет\r\n"
    )
    doc = srt.parse(x)
    # a cue is one text: its line break reads as a space
    assert [s.text for s in doc.segments] == ["Hello there General", "Привет"]
    assert [s.name for s in doc.segments] == ["1", "2"]
    assert srt.render(doc, {1: "Hi"}).endswith("Hi\r\n")


def test_txt_segments_are_lines_without_edge_whitespace() -> None:
    x = "\ufeffSite  \r\n\r\n   Newsfeed\t\r\n0\n\n"
    doc = txt.parse(x)
    assert [s.text for s in doc.segments] == ["\ufeffSite", "Newsfeed", "0"]
    assert txt.render(doc, {1: "Лента"}) == "\ufeffSite  \r\n\r\n   Лента\t\r\n0\n\n"


MD = """# Title &amp; more\r
\r
Read **bold** and [link text](https://example.org/path "tip") and ![alt words](img.png).\r
\r
```python\r
code = "never"\r
```\r
\r
Inline `code` and <https://auto.example.org> and \\*escaped\\*.\r
\r
<!-- a comment -->\r
\r
    indented code\r
\r
- item  \r
> quote   trailing   \r
"""


def test_markdown_never_segments_code_urls_comments() -> None:
    doc = markdown.parse(MD)
    texts = [s.text for s in doc.segments]
    assert "Title & more" in texts
    # a paragraph is one segment: emphasis and links are its inline markup
    assert "Read bold and link text and ." in texts
    assert "alt words" in texts
    assert "*escaped*." in " ".join(texts)
    # what the engine sees: code, autolinks and link targets are opaque placeholders
    engine = " ".join(markup.marked_text(s) for s in doc.segments)
    for banned in ("never", "code =", "https://", "a comment", "indented", "img.png", "tip"):
        assert banned not in engine
    kinds = {s.text: s.kind for s in doc.segments}
    assert kinds["Title & more"] == "heading"
    assert kinds["alt words"] == "alt"
    assert markdown.render(doc, {}) == MD
    check_spans(doc)
    i = texts.index("Title & more")
    assert markdown.render(doc, {i: "Title & less"}).startswith("# Title &amp; less\r\n")


HTML_EDGE = """<!DOCTYPE html>\r
<html lang="en"><head><meta charset="utf-8"><title>Caf&eacute; &amp; bar</title>\r
<meta name="description" content='Best &quot;coffee&quot; in town'>\r
<script>if (a < b && c > d) { document.write("<p>no</p>") }</script>\r
<style>p::before { content: "<b>" }</style></head>\r
<body><p class=x>Hello <b>bold</b>&nbsp;world &#x41;&#66;</p>\r
<img src=a.png alt=Unquoted><img alt="">\r
<!-- comment <p>not text</p> --><![CDATA[ cdata <p> ]]>\r
<pre>pre text</pre><code>code text</code><div translate="no">Brand <span>Name</span></div>\r
<p class="a notranslate">skipped</p><p lang="ru">Привет <i>мир</i></p>\r
<p>unclosed <li>item 1 <li title="Tip &amp; trick">item 2\r
<p>a < b and c > d</p><textarea>typed</textarea>\r
<div><div><span>deep</span></div>\r
"""


def test_html_edge_cases_round_trip_and_segments() -> None:
    doc = html.parse(HTML_EDGE)
    assert html.render(doc, {}) == HTML_EDGE
    check_spans(doc)
    check_replace_each(html, doc)
    texts = [s.text for s in doc.segments]
    assert doc.lang == "en"
    assert "Café & bar" in texts
    assert 'Best "coffee" in town' in texts
    # a block is one segment; inline tags are its markup, code inside it is opaque
    assert "Hello bold\xa0world AB" in texts
    assert "Unquoted" in texts
    assert "Tip & trick" in texts
    assert "deep" in texts
    assert "typed" in texts  # a textarea's text is shown to the reader (RCDATA)
    joined = " | ".join(texts)
    for banned in ("no", "content:", "comment", "cdata", "pre text", "code text", "Brand", "Name",
                   "skipped"):  # fmt: skip
        assert banned not in texts
        assert banned not in joined.split(" | ")
    ru = [s for s in doc.segments if s.text == "Привет мир"]
    assert [s.lang for s in ru] == ["ru"]
    assert markup.marked_text(ru[0]) == "Привет ⟦1⟧мир⟦2⟧"
    attrs = {s.name: s.kind for s in doc.segments if s.kind == "attribute"}
    assert attrs == {"description": "attribute", "alt": "attribute", "title": "attribute"}


def test_html_render_escapes_per_kind() -> None:
    doc = html.parse(HTML_EDGE)
    by_text = {s.text: s for s in doc.segments}
    hello = by_text["Hello bold\xa0world AB"]
    assert markup.marked_text(hello) == "Hello ⟦1⟧bold⟦2⟧\xa0world AB"
    new = "Hi <you> & 'me' ⟦1⟧bold⟦2⟧\xa0world AB"
    out = html.render(doc, {hello.index: new, by_text["Unquoted"].index: 'A "q"'})
    assert "<p class=x>Hi &lt;you&gt; &amp; 'me' <b>bold</b>" in out
    assert "alt=A &quot;q&quot;>" in out
    reparsed = html.parse(out)
    assert "Hi <you> & 'me' bold\xa0world AB" in [s.text for s in reparsed.segments]
    # only the changed characters are rewritten: the entities stay as written
    out2 = html.render(doc, {hello.index: "Hello ⟦1⟧bold⟦2⟧\xa0world AB!"})
    assert "<b>bold</b>&nbsp;world &#x41;&#66;!</p>" in out2
    # markup missing from a replacement is never lost
    out3 = html.render(doc, {hello.index: "Hi"})
    assert "<p class=x>Hi<b></b></p>" in out3


def test_html_survives_malformed_and_deep_input() -> None:
    samples = [
        "<", "<<>>", "<!--", "<![CDATA[", "<p", "<p title='x", "</p></div>text",
        "<script>never closed", "<a href=x>t</b></i></a>", "&amp", "&#xZZ; &bogus; text",
        "<div>" * 20000 + "deep" + "</div>" * 20000,
        "<p>" * 5000 + "x",
    ]  # fmt: skip
    for x in samples:
        doc = html.parse(x)
        assert html.render(doc, {}) == x
        check_spans(doc)
    deep = html.parse(samples[11])
    assert [s.text for s in deep.segments] == ["deep"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/!-=\"' abpЯ&;#x1\r\n")), max_size=200))
def test_html_round_trip_fuzz(x: str) -> None:
    doc = html.parse(x)
    assert html.render(doc, {}) == x
    check_spans(doc)
    for seg in doc.segments:
        if seg.raw_map is None:
            assert (
                html_lib.unescape(doc.text[seg.start : seg.end]) == seg.text or "&" not in seg.text
            )


def test_html_big_file_is_linear(tmp_path) -> None:  # type: ignore[no-untyped-def]
    block = '<div class="c"><p title="t">Some <b>text</b> &amp; more</p><img alt=pic></div>\n'
    x = "<html lang=en><body>" + block * 20000 + "</body></html>"
    doc = html.parse(x)
    assert len(doc.segments) == 20000 * 3  # the paragraph (one block) and two attributes
    assert html.render(doc, {}) == x


PO = """# header comment
msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: app.py:10
msgid "Hello"
msgstr "При\\"вет"
"  мир"

#, fuzzy
msgid "File"
msgstr "Файл"

msgid "Empty"
msgstr ""

msgid "one"
msgid_plural "many"
msgstr[0] "один"
msgstr[1] "много"

#~ msgid "old"
#~ msgstr "старое"
"""


def test_po_segments_and_read_only_render() -> None:
    from toolkit.errors import UsageError
    from toolkit.formats import po

    doc = po.parse(PO, "x.po")
    assert doc.lang == "ru"
    assert [(s.kind, s.name, s.text) for s in doc.segments] == [
        ("msgstr", "Hello", 'При"вет  мир'),
        ("msgstr", "File", "Файл"),
        ("msgstr", "one[0]", "один"),
        ("msgstr", "one[1]", "много"),
    ]
    check_spans(doc)
    first = doc.segments[0]
    assert doc.line_col(first.raw_offset(0)) == (9, 9)
    assert doc.line_col(first.raw_offset(len('При"вет  '))) == (10, 4)
    assert po.render(doc, {}) == PO
    with pytest.raises(UsageError):
        po.render(doc, {0: "x"})
    template = po.parse(PO.replace('"Language: ru\\n"\n', ""), "x.pot")
    assert template.lang is None
    assert [s.kind for s in template.segments] == ["msgid"] * 4


def test_po_malformed_is_input_error() -> None:
    from toolkit.errors import InputError
    from toolkit.formats import po

    with pytest.raises(InputError):
        po.parse('msgid "a"\nmsgstr "b"\ngarbage here\n', "bad.po")


TEXT_FORMATS = [name for name in formats.names() if not formats.is_container(name)]


def test_the_text_formats_are_the_known_ones() -> None:
    # containers (DOCX, ODT, EPUB...) round-trip in tests/test_office_formats.py
    assert TEXT_FORMATS == ["txt", "markdown", "html", "srt", "po"]


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_every_format_round_trips_via_load_and_dump(tmp_path, name) -> None:  # type: ignore[no-untyped-def]
    samples = {
        "txt": "Line one  \r\nЛиния\r\n",
        "markdown": MD,
        "html": HTML_EDGE,
        "srt": "1\r\n00:00:01,000 --> 00:00:02,000\r\nHi\r\n",
        "po": PO,
    }
    ext = formats.REGISTRY[name][1][0]
    for bom in (b"", b"\xef\xbb\xbf"):
        path = tmp_path / f"sample{ext}"
        data = bom + samples[name].encode("utf-8")
        path.write_bytes(data)
        doc = formats.load(path)
        assert formats.dump(doc, {}) == data


# --------------------------------------------------------------------------- sentences
# Contracts 10 and 11 as properties: a block's marked text renders back to the same
# bytes, a changed sentence touches only its block, and markup is never lost.


def check_marked(module, doc: Document) -> None:  # type: ignore[no-untyped-def]
    blocks = [s for s in doc.segments if markup.has_markup(s)]
    everything = {s.index: markup.marked_text(s) for s in blocks}
    assert module.render(doc, everything) == doc.text
    for seg in blocks[:10]:
        marked = markup.mark_fragment(seg, 0, len(seg.text))
        # every word changed, the placeholders kept: only the block's bytes change
        changed = re.sub(r"[^\W\d_]", "q", marked.text)
        restored = markup.restore(marked, changed)
        assert restored.relocated == 0
        out = module.render(
            doc, {seg.index: markup.replace_fragments(seg, [(marked, restored.text)])}
        )
        tail = len(doc.text) - seg.end
        assert out[: seg.start] == doc.text[: seg.start]
        assert out[len(out) - tail :] == doc.text[seg.end :]
        inside = out[seg.start : len(out) - tail]
        pos = 0
        for m in markup.layout(seg).marks:
            raw = doc.text[m.raw_start : m.raw_end]
            at = inside.find(raw, pos)
            assert at != -1, (raw, inside)  # each piece of markup, in order
            pos = at + len(raw)
        # the words in reverse order: every placeholder still comes back exactly once
        backwards = " ".join(reversed(marked.text.split(" ")))
        restored = markup.restore(marked, backwards)
        numbers = sorted(int(n) for n in re.findall(r"⟦(\d+)⟧", restored.text))
        assert numbers == sorted(k + 1 for k in marked.marks)


md_chars = st.lists(
    st.sampled_from([*list("ab Яж\n*_[]()`<>/!.Q"), "**", "[x](u)", "<b>", "</b>", "> "]),
    max_size=60,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(md_chars)
def test_markdown_blocks_keep_their_markup(x: str) -> None:
    doc = markdown.parse(x)
    check_spans(doc)
    check_marked(markdown, doc)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *list("ab Яж\n\r."),
                "<p>",
                "</p>",
                "<a href='x'>",
                "</a>",
                "<em>",
                "</em>",
                "<br>",
                "<code>c</code>",
                "&amp;",
                "<!-- c -->",
                "<li>",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_html_blocks_keep_their_markup(x: str) -> None:
    doc = html.parse(x)
    assert html.render(doc, {}) == x
    check_spans(doc)
    check_marked(html, doc)


@settings(max_examples=100, deadline=None)
@given(st.lists(cue, max_size=4))
def test_srt_cues_keep_their_markup(cues: list[tuple[int, str, str, bool]]) -> None:
    parts = []
    for n, body, nl, two in cues:
        text = body + (nl + body[::-1] if two else "")
        parts.append(f"{n}{nl}00:00:0{n % 10},000 --> 00:00:1{n % 10},500{nl}{text}{nl}{nl}")
    x = "".join(parts)
    doc = srt.parse(x)
    check_marked(srt, doc)


@settings(max_examples=100, deadline=None)
@given(text_chars)
def test_txt_paragraphs_keep_their_bytes(x: str) -> None:
    doc = txt.parse(x)
    check_marked(txt, doc)
