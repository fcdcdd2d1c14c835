"""Contract 11 through a real (tiny, offline) Argos package: placeholders survive
SentencePiece and CTranslate2."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.markup.test_sentences import ARTICLE, HTML, MD, SRT
from toolkit.cli import app
from toolkit.engines.argos import clear_cache

DOCS = {
    "a.md": MD,
    "b.html": HTML,
    "c.srt": SRT,
    "article.md": ARTICLE,
    "page.html": (
        "<!DOCTYPE html>\r\n<html lang=en><body>\r\n"
        "<h1>Новости <small>дня</small></h1>\r\n"
        '<p>Компания <a href="/g" title="Подробнее">Google</a> объявила, что\r\n'
        "  <strong>новая <em>версия</em></strong> выйдет<br>весной.\r\n"
        '  Код <code>x = 1</code> и <span translate="no">Бренд</span> не меняются.</p>\r\n'
        "<ul><li>Первый <b>пункт</b></li><li>Второй пункт.</li></ul>\r\n"
        "</body></html>\r\n"
    ),
    "notes.txt": (
        "Meeting notes\n\nЭто длинное предложение, которое было перенесено на\n"
        "следующую строку, как это часто бывает в текстовых файлах.\n"
    ),
}


@pytest.fixture(autouse=True)
def _fresh_engine_cache():  # type: ignore[no-untyped-def]
    clear_cache()
    yield
    clear_cache()


def _translate(src: Path, dest: Path, *options: str) -> str:
    result = CliRunner().invoke(
        app, ["translate", str(src), "--to", "en", "-o", str(dest), "--no-memory", *options]
    )
    assert result.exit_code == 0, result.output
    return result.stderr


def _write_all(folder: Path) -> None:
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_bytes(text.encode("utf-8"))


def test_identity_package_round_trips_every_document(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    src, dest = tmp_path / "in", tmp_path / "out"
    _write_all(src)
    err = _translate(src, dest, "--no-glossary")
    assert "0 markup elements relocated" in err
    for name in DOCS:
        assert (dest / name).read_bytes() == (src / name).read_bytes(), name


def test_glossary_term_inside_a_link(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The default glossary's CSTO (ОДКБ) inside a link of a sentence: the term is
    applied, the link keeps its tag and its place, nothing else changes."""
    install_argos(kind="identity", from_code="ru", to_code="en")
    src, dest = tmp_path / "in", tmp_path / "out"
    _write_all(src)
    err = _translate(src, dest)
    assert "0 markup elements relocated" in err
    assert (dest / "b.html").read_text(encoding="utf-8") == HTML.replace("ОДКБ", "CSTO")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.stack: list[str] = []
        self.crossed = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # translatable attribute values (title, alt) change; every other one stays
        kept = sorted((k, v) for k, v in attrs if k not in ("title", "alt"))
        self.tags[f"<{tag} {kept}>"] += 1
        if tag not in ("br", "img", "meta", "link", "hr", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags[f"</{tag}>"] += 1
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.crossed += 1


def _html_shape(text: str) -> tuple[Counter[str], int]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags, parser.crossed


def _markdown_shape(text: str) -> Counter[str]:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return Counter(re.findall(r"</?[a-z0-9]+", rendered))


def test_random_package_output_is_well_formed(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="random", from_code="ru", to_code="en")
    src, dest = tmp_path / "in", tmp_path / "out"
    _write_all(src)
    _translate(src, dest)
    for name in ("b.html", "page.html"):
        before, after = src / name, dest / name
        tags, crossed = _html_shape(after.read_text(encoding="utf-8"))
        want, crossed_before = _html_shape(before.read_text(encoding="utf-8"))
        assert tags == want, name  # every element exactly once, attributes as written
        assert crossed == crossed_before, name
    for name in ("a.md", "article.md"):
        out = (dest / name).read_text(encoding="utf-8")
        assert _markdown_shape(out) == _markdown_shape(DOCS[name]), name
    srt = (dest / "c.srt").read_bytes()
    assert srt.count(b"\r\n") == SRT.encode().count(b"\r\n")
    assert srt.count(b"<i>") == srt.count(b"</i>") == 1
