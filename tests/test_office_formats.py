"""DOCX, PPTX, ODT, ODP and EPUB: containers read safely, text found in every
part, runs carried as inline markup, and a minimal rewrite that a real reader
(pandoc) opens.

Fixtures are built by hand (tests/support/office.py); the real documents in
tests/data/office/ come from public repositories (tests/data/SOURCES.md).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.support.office import docx, epub, odt, para, pptx, run
from toolkit import formats, markup
from toolkit.cli import app
from toolkit.document import Document
from toolkit.engines.argos import clear_cache
from toolkit.formats import container

DATA = ROOT / "tests" / "data" / "office"
REAL = sorted(p for p in DATA.iterdir() if p.name != "aes_sample.odt")
PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(
    PANDOC is None, reason="pandoc is not installed (.ci/run installs it)"
)

RU_BODY = "Это очень важное и срочное сообщение для всех читателей."
RU_FOOTER = "Все права защищены редакцией нашей газеты."
EN = [
    "The annual report was published on Monday by the board of directors.",
    "The board thanks every reader for the careful feedback on the draft.",
]


@pytest.fixture(autouse=True)
def _fresh_engine_cache():  # type: ignore[no-untyped-def]
    clear_cache()
    yield
    clear_cache()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def article(path: Path, **kwargs: object) -> Path:
    """English paragraphs, a Russian sentence over bold and italic runs, a Russian footer."""
    body = (
        para(run(EN[0]))
        + para(
            run("Это "),
            run("очень важное", "<w:b/>"),
            run(" и "),
            run("срочное", "<w:i/>"),
            run(" сообщение для всех читателей."),
        )
        + para(run(EN[1]))
    )
    return docx(path, body, footer=para(run(RU_FOOTER)), **kwargs)  # type: ignore[arg-type]


def members(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.infolist()


def raw_members(data: bytes) -> dict[str, bytes]:
    """Each member's bytes as stored: local header, compressed data, descriptor."""
    box = container.open_zip(data, None, "test")
    return {m.name: data[m.region[0] : m.region[1]] for m in box.members}


def contents(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def plain(path: Path, reader: str | None = None) -> str:
    """What pandoc reads in the document, as plain text (one line a paragraph)."""
    assert PANDOC is not None
    args = [PANDOC, str(path), "-t", "plain", "--wrap=none"]
    if reader:
        args += ["-f", reader]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_minimal_rewrite(before: bytes, after: bytes, changed: set[str]) -> None:
    """Same members, order and compression; only ``changed`` differ, the others
    are byte-identical as stored."""
    old, new = members(before), members(after)
    assert [i.filename for i in old] == [i.filename for i in new]
    assert [i.compress_type for i in old] == [i.compress_type for i in new]
    old_raw, new_raw = raw_members(before), raw_members(after)
    differing = {name for name in old_raw if old_raw[name] != new_raw[name]}
    assert differing == changed
    with zipfile.ZipFile(io.BytesIO(after)) as zf:
        assert zf.testzip() is None


# --------------------------------------------------------------------------- detect


def test_detect_reports_the_footer_and_the_sentence_over_runs(tmp_path: Path) -> None:
    doc = article(tmp_path / "a.docx")
    code, out, err = invoke("detect", str(doc), "--expect", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert re.match(rf"{re.escape(str(doc))}!word/document\.xml:2:\d+  ru  ", lines[0])
    assert lines[0].endswith(RU_BODY)
    assert re.match(rf"{re.escape(str(doc))}!word/footer1\.xml:2:\d+  ru  ", lines[1])
    assert lines[1].endswith(RU_FOOTER)
    code, out, err = invoke("detect", str(doc), "--expect", "en", "-f", "json")
    found = [json.loads(line) for line in out.splitlines()]
    assert [(f["part"], f["paragraph"], f["text"]) for f in found] == [
        ("word/document.xml", 2, RU_BODY),
        ("word/footer1.xml", 1, RU_FOOTER),
    ]
    # the position is the sentence's first character in that part
    with zipfile.ZipFile(doc) as zf:
        footer = zf.read("word/footer1.xml").decode("utf-8")
    line = footer.split("\n")[found[1]["line"] - 1]
    assert line[found[1]["column"] - 1 :].startswith(RU_FOOTER)


def test_audit_names_the_part(tmp_path: Path) -> None:
    doc = article(tmp_path / "a.docx")
    code, out, err = invoke("audit", str(doc), "--expect", "en", "--format", "json")
    assert code == 1, err
    files = {f["file"] for f in json.loads(out)["findings"]}
    assert files == {f"{doc}!word/document.xml", f"{doc}!word/footer1.xml"}
    # the HTML report shows each part's text with the finding marked in it
    report = tmp_path / "report.html"
    code, _out, err = invoke(
        "audit", str(doc), "--expect", "en", "--format", "html", "-o", str(report)
    )
    assert code == 1, err
    page = report.read_text(encoding="utf-8")
    assert page.count("<mark ") == 2
    assert "could not be read again" not in page
    assert "no longer match" not in page


def test_every_text_bearing_part_is_read(tmp_path: Path) -> None:
    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        + para(run("Текст в рамке на полях."))
        + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></mc:Choice></mc:AlternateContent></w:r>"
    )
    body = (
        para(run("Before the box "), textbox, run(" after the box."))
        + "<w:tbl><w:tr><w:tc>"
        + para(run("Ячейка таблицы."))
        + "</w:tc></w:tr></w:tbl>"
    )
    note = '<w:footnote w:id="1">' + para(run("Сноска внизу страницы.")) + "</w:footnote>"
    comment = '<w:comment w:id="0" w:author="A">' + para(run("Замечание.")) + "</w:comment>"
    path = docx(
        tmp_path / "all.docx",
        body,
        header=para(run("Шапка.")),
        footer=para(run("Подвал.")),
        footnotes=note,
        comments=comment,
    )
    doc = formats.load(path)
    where = {(doc.part_at(s.start), s.text) for s in doc.segments}
    assert where == {
        ("word/document.xml", "Before the box"),
        ("word/document.xml", "Текст в рамке на полях."),
        ("word/document.xml", "after the box."),
        ("word/document.xml", "Ячейка таблицы."),
        ("word/header1.xml", "Шапка."),
        ("word/footer1.xml", "Подвал."),
        ("word/footnotes.xml", "Сноска внизу страницы."),
        ("word/comments.xml", "Замечание."),
    }
    assert formats.dump(doc, {}) == path.read_bytes()


def test_fields_drawings_equations_and_tracked_changes_are_kept(tmp_path: Path) -> None:
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        ' PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    ins = '<w:ins w:id="3" w:author="A"><w:r><w:t xml:space="preserve">новое </w:t></w:r></w:ins>'
    math = "<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>"
    body = para(
        run("Страница "),
        field,
        run(" отчёта, где "),
        ins,
        run("правило "),
        math,
        run(" соблюдено."),
    )
    path = docx(tmp_path / "f.docx", body)
    doc = formats.load(path)
    (seg,) = doc.segments
    assert seg.text == "Страница 7 отчёта, где новое правило x=1 соблюдено."
    opaque = [doc.text[m.raw_start : m.raw_end] for m in seg.inline if m.role == "opaque"]
    assert field in opaque  # begin to end, one opaque piece
    assert any(o.startswith("<w:ins") for o in opaque)
    assert any(o.startswith("<m:oMath") for o in opaque)
    marked = markup.mark_fragment(seg, 0, len(seg.text))
    words = re.sub(r"[^\W\d_]", "q", marked.text)  # every letter changed, markup kept
    restored = markup.restore(marked, words)
    out = formats.dump(doc, {0: markup.replace_fragments(seg, [(marked, restored.text)])})
    xml = contents(out)["word/document.xml"].decode("utf-8")
    for piece in (field, ins, math):
        assert piece in xml
    again = formats.load(path.with_name("g.docx"), data=out)
    # the field's result, the insertion and the equation are shown, never changed
    assert again.segments[0].text == "qqqqqqqq 7 qqqqqq, qqq новое qqqqqqq x=1 qqqqqqqqq."


def test_text_that_lands_between_runs_gets_a_run_of_its_own(tmp_path: Path) -> None:
    path = docx(tmp_path / "b.docx", para(run("Один "), run("два", "<w:b/>"), run(" три.")))
    doc = formats.load(path)
    (seg,) = doc.segments
    marked = markup.marked_text(seg)
    # the engine put words outside every element: after the last run
    moved = re.sub(r"[^\W\d_ .]", "", marked) + " four"
    out = formats.dump(doc, {0: moved})
    xml = contents(out)["word/document.xml"].decode("utf-8")
    assert '</w:r><w:r><w:t xml:space="preserve"> four</w:t></w:r></w:p>' in xml
    assert formats.load(path, data=out).segments[0].text == ". four"


def test_lines_and_columns_count_from_the_part() -> None:
    doc = Document(text="ab\ncd\x00ef\ngh", segments=(), format="docx", parts=(("x", 0), ("y", 6)))
    assert doc.line_col(4) == (2, 2)
    assert doc.line_col(6) == (1, 1)
    assert doc.line_col(10) == (2, 2)
    assert (doc.part_at(5), doc.part_at(6)) == ("x", "y")


# --------------------------------------------------------------------------- translate


def test_identity_package_gives_a_byte_identical_file(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    src = article(tmp_path / "a.docx")
    out = tmp_path / "out.docx"
    code, _, err = invoke("translate", str(src), "--to", "en", "-o", str(out), "--no-memory")
    assert code == 0, err
    assert "2 fragments found" in err
    assert out.read_bytes() == src.read_bytes()
    # --json without --output: the summary, not the container's bytes as text
    code, stdout, err = invoke("translate", str(src), "--to", "en", "--json", "--no-memory")
    assert code == 0, err
    (entry,) = json.loads(stdout)["files"]
    assert entry["status"] == "unchanged"
    assert "text" not in entry


def _translated_paragraphs(path: Path) -> dict[str, str]:
    doc = formats.load(path)
    return {doc.part_at(s.start) or "": s.text for s in doc.segments}


@needs_pandoc
def test_random_package_rewrites_only_the_changed_parts(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="random", from_code="ru", to_code="en")
    src = article(tmp_path / "a.docx")
    out = tmp_path / "out.docx"
    code, _, err = invoke("translate", str(src), "--to", "en", "-o", str(out), "--no-memory")
    assert code == 0, err
    before, after = src.read_bytes(), out.read_bytes()
    assert_minimal_rewrite(before, after, {"word/document.xml", "word/footer1.xml"})
    new = formats.load(out)
    texts = [s.text for s in new.segments]
    assert texts[0] == EN[0]
    assert texts[2] == EN[1]
    assert RU_BODY not in texts
    assert RU_FOOTER not in texts
    xml = contents(after)["word/document.xml"].decode("utf-8")
    assert "<w:b/>" in xml
    assert "<w:i/>" in xml
    # a changed part is spliced: outside the translated paragraph its bytes are the same
    old_xml = contents(before)["word/document.xml"].decode("utf-8")
    head = old_xml.index('<w:p><w:r><w:t xml:space="preserve">Это')
    assert xml[:head] == old_xml[:head]
    tail = old_xml.index("<w:p>", head + 5)
    assert xml.endswith(old_xml[tail:])
    # the real reader: the same text with only the foreign sentence replaced
    assert plain(out) == plain(src).replace(RU_BODY, texts[1])


@needs_pandoc
def test_epub_and_odt_are_translated_through_the_cli(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="random", from_code="ru", to_code="en")
    book = epub(
        tmp_path / "book.epub",
        "A Short Book",
        {
            "ch1.xhtml": f"<h1>Chapter One</h1>\n<p>{EN[0]}</p>\n"
            "<p>Это <b>очень важное</b> и <i>срочное</i> сообщение для всех читателей.</p>\n"
            f"<p>{EN[1]}</p>",
        },
    )
    text = odt(
        tmp_path / "doc.odt",
        f"<text:p>{EN[0]}</text:p><text:p>Это <text:span>очень важное</text:span> и "
        "срочное сообщение для всех читателей.</text:p>"
        f"<text:p>{EN[1]}</text:p>",
        footer=f"<text:p>{RU_FOOTER}</text:p>",
    )
    code, out, err = invoke("detect", str(book), "--expect", "en")
    assert code == 0, err
    assert re.match(rf"{re.escape(str(book))}!EPUB/ch1\.xhtml:8:4  ru  ", out)
    code, out, err = invoke("detect", str(text), "--expect", "en")
    assert [line.split("  ")[0].split(":")[0] for line in out.splitlines()] == [
        f"{text}!content.xml",
        f"{text}!styles.xml",
    ]
    for src, changed in ((book, {"EPUB/ch1.xhtml"}), (text, {"content.xml", "styles.xml"})):
        dest = tmp_path / f"out{src.suffix}"
        code, _, err = invoke("translate", str(src), "--to", "en", "-o", str(dest), "--no-memory")
        assert code == 0, err
        assert_minimal_rewrite(src.read_bytes(), dest.read_bytes(), changed)
        new = [s.text for s in formats.load(dest).segments]
        sentence = next(t for t in new if t not in EN and t not in ("A Short Book", "Contents"))
        sentence = next(s for s in new if s not in [x.text for x in formats.load(src).segments])
        assert plain(dest) == plain(src).replace(RU_BODY, sentence)


def test_docm_macros_are_copied_untouched(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="random", from_code="ru", to_code="en")
    macro = bytes(range(256)) * 40
    src = article(
        tmp_path / "m.docm",
        extra={"word/vbaProject.bin": macro},
        main_type="application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    out = tmp_path / "out.docm"
    code, _, err = invoke("translate", str(src), "--to", "en", "-o", str(out), "--no-memory")
    assert code == 0, err
    assert_minimal_rewrite(
        src.read_bytes(), out.read_bytes(), {"word/document.xml", "word/footer1.xml"}
    )
    assert contents(out.read_bytes())["word/vbaProject.bin"] == macro


def test_presentations_use_the_same_code(tmp_path: Path) -> None:
    slides = pptx(
        tmp_path / "s.pptx",
        [
            "<a:p><a:r><a:t>Quarterly results</a:t></a:r></a:p>",
            '<a:p><a:r><a:t xml:space="preserve">Это </a:t></a:r><a:r><a:rPr b="1"/>'
            "<a:t>важное</a:t></a:r><a:br/><a:r><a:t>сообщение.</a:t></a:r></a:p>",
        ],
    )
    show = odt(
        tmp_path / "s.odp",
        '<draw:page draw:name="p1"><draw:frame><draw:text-box>'
        "<text:p>Это <text:span>важное</text:span> сообщение.</text:p>"
        "</draw:text-box></draw:frame></draw:page>",
        kind="presentation",
    )
    for path, part in ((slides, "ppt/slides/slide2.xml"), (show, "content.xml")):
        doc = formats.load(path)
        assert doc.format == path.suffix[1:]
        seg = doc.segments[-1]
        assert (doc.part_at(seg.start), seg.text) == (part, "Это важное сообщение.")
        assert formats.dump(doc, {}) == path.read_bytes()
        marked = markup.marked_text(seg).replace("Это", "This is").replace("важное", "an important")
        out = formats.dump(doc, {seg.index: marked.replace("сообщение", "message")})
        again = formats.load(path, data=out)
        assert again.segments[-1].text == "This is an important message."
        assert_minimal_rewrite(path.read_bytes(), out, {part})


# --------------------------------------------------------------------------- real documents


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_documents_round_trip_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    doc = formats.load(path)
    assert doc.segments
    assert formats.dump(doc, {}) == data
    # every paragraph marked and rendered back untouched: the same bytes
    everything = {s.index: markup.marked_text(s) for s in doc.segments}
    assert formats.dump(doc, everything) == data


def _reader(path: Path) -> str | None:
    return {".odt": "odt", ".epub": "epub", ".docx": "docx"}[path.suffix]


@needs_pandoc
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_documents_read_back_with_only_the_changed_paragraphs(
    path: Path, tmp_path: Path
) -> None:
    """Some paragraphs of a real document get new words (markup kept); pandoc reads
    the result as the original's text with exactly those paragraphs replaced."""
    before = plain(path, _reader(path))
    doc = formats.load(path)
    chosen = [
        s
        for s in doc.segments
        if len(s.text) > 12
        and before.count(s.text) == 1
        and sum(1 for x in doc.segments if x.text == s.text) == 1
        and s.kind != "title"
    ][:6]
    assert chosen, "no paragraph of the document appears once in pandoc's text"
    replacements = {}
    for k, seg in enumerate(chosen):
        marked = markup.mark_fragment(seg, 0, len(seg.text))
        words = re.sub(r"[^\W\d_]+", lambda m: "Zq" * (len(m.group()) // 2 + 1), marked.text)
        restored = markup.restore(marked, f"{words} ({k})")
        replacements[seg.index] = markup.replace_fragments(seg, [(marked, restored.text)])
    out = tmp_path / path.name
    out.write_bytes(formats.dump(doc, replacements))
    new = formats.load(out)
    expected = before
    for seg in chosen:
        expected = expected.replace(seg.text, new.segments[seg.index].text)
    assert plain(out, _reader(path)) == expected
    changed = {doc.part_at(s.start) or "" for s in chosen}
    assert_minimal_rewrite(path.read_bytes(), out.read_bytes(), changed)


# --------------------------------------------------------------------------- hostile input


def _zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def _with_document(tmp_path: Path, name: str, xml: str) -> Path:
    src = article(tmp_path / "good.docx")
    entries = contents(src.read_bytes())
    entries["word/document.xml"] = xml.encode("utf-8")
    return _zip(tmp_path / name, entries)


def _hostile(tmp_path: Path) -> dict[str, Path]:
    good = article(tmp_path / "good.docx")
    entries = contents(good.read_bytes())
    cases: dict[str, Path] = {}
    bomb = dict(entries)
    bomb["word/media/zeros.bin"] = bytes(64 << 20)
    cases["zip bomb"] = _zip(tmp_path / "bomb.docx", bomb)
    slip = dict(entries)
    slip["../../evil.txt"] = b"x"
    cases["unsafe name"] = _zip(tmp_path / "slip.docx", slip)
    head = '<?xml version="1.0"?>\n'
    lol = (
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    doc_xml = contents(good.read_bytes())["word/document.xml"].decode("utf-8")
    body = doc_xml.split("\n", 1)[1]
    cases["entity bomb"] = _with_document(
        tmp_path, "lol.docx", head + lol + body.replace(EN[0], "&c;")
    )
    xxe = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    cases["external entity"] = _with_document(
        tmp_path, "xxe.docx", head + xxe + body.replace(EN[0], "&x;")
    )
    ole = tmp_path / "locked.docx"
    ole.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le")
    )
    cases["encrypted OOXML"] = ole
    cases["encrypted ODT"] = DATA / "aes_sample.odt"
    locked = tmp_path / "zipcrypto.docx"
    data = bytearray(good.read_bytes())
    for m in container.open_zip(bytes(data), None, "x").members:
        if m.name == "word/document.xml":
            at = m.region[0]
            data[at + 6] |= 1  # the local header's encryption flag
    cd = data.rfind(b"PK\x01\x02" + bytes(0))  # the central records: flag every one
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    del cd
    locked.write_bytes(bytes(data))
    cases["encrypted member"] = locked
    renamed = tmp_path / "photo.docx"
    renamed.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    cases["renamed file"] = renamed
    other = _zip(tmp_path / "other.docx", {"readme.txt": b"just a zip"})
    cases["zip of another kind"] = other
    broken = tmp_path / "broken.epub"
    broken.write_bytes(good.read_bytes()[:300])
    cases["truncated"] = broken
    return cases


def test_hostile_containers_get_one_line_and_exit_4(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    for what, path in _hostile(tmp_path).items():
        for command in ("detect", "audit"):
            code, out, err = invoke(command, str(path), "--expect", "en")
            assert code == 4, (what, command, out, err)
            # one line names the file (audit adds its summary line)
            assert len([ln for ln in err.splitlines() if str(path) in ln]) == 1, (what, err)
        dest = tmp_path / "out" / ("t" + path.suffix)
        code, out, err = invoke(
            "translate", str(path), "--to", "en", "-o", str(dest), "--no-memory"
        )
        assert code == 4, (what, out, err)
        lines = err.strip().splitlines()
        assert len([ln for ln in lines if str(path) in ln]) == 1, (what, err)
        assert not dest.exists(), what
        assert not (tmp_path / "evil.txt").exists()


def test_hostile_messages_say_what_is_wrong(tmp_path: Path) -> None:
    cases = _hostile(tmp_path)
    expected = {
        "zip bomb": "zip bomb",
        "unsafe name": "unsafe member name",
        "entity bomb": "entities",
        "external entity": "entities",
        "encrypted OOXML": "password",
        "encrypted ODT": "password",
        "encrypted member": "password",
        "renamed file": "not a zip container",
        "zip of another kind": "[Content_Types].xml",
        "truncated": "damaged",
    }
    for what, path in cases.items():
        code, _out, err = invoke("detect", str(path))
        assert code == 4, (what, err)
        assert expected[what] in err, (what, err)


def test_overlapping_members_are_refused(tmp_path: Path) -> None:
    """A zip bomb of the overlapping kind: two central records point at one local file."""
    data = bytearray(article(tmp_path / "a.docx").read_bytes())
    first = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", first + 4)
    offset = data[first + 42 : first + 46]
    data[second + 42 : second + 46] = offset
    path = tmp_path / "overlap.docx"
    path.write_bytes(bytes(data))
    code, _out, err = invoke("detect", str(path))
    assert code == 4, err
    assert len(err.strip().splitlines()) == 1


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    src = article(tmp_path / "a.docx")
    data = bytearray(src.read_bytes())
    box = container.open_zip(bytes(data), None, "x")
    member = next(m for m in box.members if m.name == "word/document.xml")
    record = data.find(member.record)
    size = int.from_bytes(data[record + 24 : record + 28], "little")
    data[record + 24 : record + 28] = (size - 10).to_bytes(4, "little")
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    code, _out, err = invoke("detect", str(path))
    assert code == 4, err
    assert "word/document.xml" in err


def test_rebuild_recompresses_only_what_changed(tmp_path: Path) -> None:
    src = article(tmp_path / "a.docx").read_bytes()
    box = container.open_zip(src, None, "x")
    assert container.rebuild(box, {}) == src
    new = container.rebuild(box, {"word/footer1.xml": b"<x/>"})
    assert contents(new)["word/footer1.xml"] == b"<x/>"
    info = {i.filename: i for i in members(new)}["word/footer1.xml"]
    assert zlib.crc32(b"<x/>") == info.CRC
    assert_minimal_rewrite(src, new, {"word/footer1.xml"})


def _valid_runs(xml: bytes) -> None:
    """Text only inside w:t, and no run or text element inside another."""
    from xml.etree import ElementTree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = ElementTree.fromstring(xml)

    def walk(el, in_run: bool, in_text: bool) -> None:  # type: ignore[no-untyped-def]
        if el.tag == f"{w}r":
            assert not in_run, "a run inside a run"
            assert not in_text, "a run inside a text element"
        if el.tag == f"{w}t":
            assert not in_text, "a text element inside another"
            assert len(el) == 0, "markup inside a text element"
        elif el.tag in (f"{w}p", f"{w}r", f"{w}hyperlink"):
            assert not (el.text or "").strip(), f"text outside w:t: {el.text!r}"
        for child in el:
            if el.tag in (f"{w}p", f"{w}r", f"{w}hyperlink"):
                assert not (child.tail or "").strip(), f"text outside w:t: {child.tail!r}"
            walk(child, in_run or el.tag == f"{w}r", in_text or el.tag == f"{w}t")

    walk(root, False, False)


DOCX = [p for p in REAL if p.suffix == ".docx"]


@pytest.mark.parametrize("path", DOCX, ids=[p.name for p in DOCX])
def test_lost_placeholders_still_give_valid_runs(path: Path, tmp_path: Path) -> None:
    """The engine loses every placeholder and reverses the words: each element moves
    to the sentence's boundary, and the runs that carry it are still well formed."""
    doc = formats.load(path)
    replacements = {}
    for seg in doc.segments:
        marked = markup.mark_fragment(seg, 0, len(seg.text))
        words = re.sub(r"⟦\d+⟧", "", marked.text).split()
        restored = markup.restore(marked, " ".join(reversed(words)) + " extra")
        replacements[seg.index] = markup.replace_fragments(seg, [(marked, restored.text)])
    out = formats.dump(doc, replacements)
    for name, data in contents(out).items():
        if name in {n for n, _ in doc.parts}:
            _valid_runs(data)
            _edge_spaces_kept(data)
    again = formats.load(path, data=out)
    for seg, new in zip(doc.segments, again.segments, strict=True):
        assert new.text.endswith("extra"), (seg.text, new.text)
    # every element came back, byte for byte
    for name, _start in doc.parts:
        new_part = contents(out)[name].decode("utf-8")
        for seg in doc.segments:
            if doc.part_at(seg.start) == name:
                for m in seg.inline:
                    assert doc.text[m.raw_start : m.raw_end] in new_part
    if PANDOC is not None:
        dest = tmp_path / path.name
        dest.write_bytes(out)
        assert plain(dest)


@needs_pandoc
def test_dry_run_diff_and_in_place_with_backup(tmp_path: Path) -> None:
    """The library path: --dry-run shows the changed parts as text; --in-place
    rewrites the container and keeps the original beside it."""
    from tests.support.engines import MarkEngine
    from toolkit.pipeline import translate_documents

    src = article(tmp_path / "a.docx")
    original = src.read_bytes()
    run_result, rendered = translate_documents(
        [src], target="en", engine=MarkEngine(), dry_run=True
    )
    diff = run_result.files[0].diff or ""
    assert f"+++ {src}!word/document.xml" in diff
    assert f"+++ {src}!word/footer1.xml" in diff
    assert rendered == {}
    assert src.read_bytes() == original
    run_result, _ = translate_documents(
        [src], target="en", engine=MarkEngine(), in_place=True, backup=".orig"
    )
    assert run_result.files[0].status == "translated"
    assert (tmp_path / "a.docx.orig").read_bytes() == original
    new = [s.text for s in formats.load(src).segments]
    # the engine's brackets stand outside every run: they get runs of their own
    assert new == [EN[0], f"[{RU_BODY}]", EN[1], f"[{RU_FOOTER}]"]
    _valid_runs(contents(src.read_bytes())["word/document.xml"])
    assert plain(src) == plain(tmp_path / "a.docx.orig", "docx").replace(RU_BODY, f"[{RU_BODY}]")


def _edge_spaces_kept(xml: bytes) -> None:
    """Every w:t whose text starts or ends with a space says xml:space="preserve"
    (Word drops those spaces otherwise)."""
    from xml.etree import ElementTree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    for el in ElementTree.fromstring(xml).iter(f"{w}t"):
        text = el.text or ""
        if text != text.strip():
            assert el.get(space) == "preserve", text


def test_edge_spaces_stay_in_elements_that_keep_them(tmp_path: Path) -> None:
    body = para(
        "<w:r><w:t>Один</w:t></w:r>",
        run(" два", "<w:b/>"),
        "<w:r><w:t>,</w:t></w:r>",
        run(" три."),
    )
    path = docx(tmp_path / "s.docx", body)
    doc = formats.load(path)
    (seg,) = doc.segments
    assert seg.text == "Один два, три."
    marked = markup.marked_text(seg)
    new = marked.replace("Один", "One two ").replace(" два", "three").replace(",", " ,")
    out = formats.dump(doc, {0: new.replace(" три.", " four.")})
    xml = contents(out)["word/document.xml"]
    _edge_spaces_kept(xml)
    _valid_runs(xml)
    assert formats.load(path, data=out).segments[0].text == "One two three , four."
    assert b"<w:t>One two</w:t>" in xml  # the words stay in their run's own element


def test_epub_chapters_may_use_html_entities_but_not_declare_any(tmp_path: Path) -> None:
    good = epub(tmp_path / "b.epub", "Book", {"c.xhtml": "<p>Один&nbsp;раз &copy; 2026</p>"})
    doc = formats.load(good)
    assert [s.text for s in doc.segments if s.kind == "text"][-1] == "Один\u00a0раз © 2026"
    assert formats.dump(doc, {}) == good.read_bytes()
    entries = contents(good.read_bytes())
    chapter = entries["EPUB/c.xhtml"].decode("utf-8")
    entries["EPUB/c.xhtml"] = chapter.replace(
        "<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    ).encode("utf-8")
    bad = _zip(tmp_path / "bad.epub", entries)
    code, _out, err = invoke("detect", str(bad))
    assert code == 4, err
    assert "EPUB/c.xhtml: XML with a document type, entities or external references" in err


def test_any_order_of_words_and_markup_gives_valid_runs(tmp_path: Path) -> None:
    """A property, over seeded shuffles: whatever order the engine puts words and
    placeholders in, the part stays valid, every piece of markup comes back once,
    and the paragraph reads the new words in the new order."""
    import random

    fields = tmp_path / "f.docx"
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    docx(
        fields,
        para(
            "<w:r><w:t>Страница</w:t></w:r>",
            field,
            '<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> ссылка </w:t></w:r>'
            "</w:hyperlink>",
            run("и", "<w:i/>"),
            "<w:r><w:br/><w:t>конец.</w:t></w:r>",
        ),
    )
    for path in [fields, *DOCX]:
        doc = formats.load(path)
        rng = random.Random(path.name)
        for seg in doc.segments[:8]:
            lay = markup.layout(seg)
            for _ in range(12):
                units = list(lay.units)
                rng.shuffle(units)
                new = "".join(u if isinstance(u, str) else f"⟦{u + 1}⟧" for u in units)
                out = formats.dump(doc, {seg.index: new})
                part = doc.part_at(seg.start) or ""
                xml = contents(out)[part]
                _valid_runs(xml)
                _edge_spaces_kept(xml)
                text = xml.decode("utf-8")
                for m in lay.marks:
                    assert doc.text[m.raw_start : m.raw_end] in text
                shown = [
                    u if isinstance(u, str) else seg.text[lay.marks[u].start : lay.marks[u].end]
                    for u in units
                ]
                again = formats.load(path, data=out).segments[seg.index].text
                assert re.sub(r"\W", "", again) == re.sub(r"\W", "", "".join(shown))
