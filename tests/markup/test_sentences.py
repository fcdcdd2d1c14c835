"""Contracts 10 and 11: a sentence is translated whole, across inline markup and
wrapped lines, and its markup comes back exactly once."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit import detect, formats, markup
from toolkit.cli import app
from toolkit.engines.identity import IdentityEngine
from toolkit.pipeline import translate_documents

MD = (
    "The meeting took place in Moscow. Это **очень важное** сообщение о\n"
    "нашей компании, см. [ссылку](http://x.ru).\n"
)
HTML = (
    '<p>Генеральный секретарь <a href="/x">ОДКБ</a> заявил, что '
    "<em>сотрудничество</em> продолжится.</p>\n"
)
SRT = "1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Привет, как дела?</i>\r\nЭто вторая строка.\r\n\r\n"
ARTICLE = """---
title: "Заголовок статьи"
tags: [news, world]
date: 2026-11-14
---

# Встреча в Вене

Министры встретились в Вене и обсудили
*будущее* [организации](https://example.org "Подробнее о ней").

<div class="note">Примечание внутри HTML-блока.</div>

> Цитата, которая переносится
> на вторую строку.

- Пункт списка с `кодом` и <span class="notranslate">Brand</span> внутри.
"""
DOCS = {"a.md": MD, "b.html": HTML, "c.srt": SRT, "article.md": ARTICLE}


class Reverse(IdentityEngine):
    """Reverses the words of each sentence: placeholders travel with their words."""

    name = "reverse"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls += 1
        return [" ".join(reversed(t.split(" "))) for t in texts]


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(DOCS[name].encode("utf-8"))
    return path


def _tags(text: str) -> Counter[str]:
    return Counter(re.findall(r"</?[a-z]+[^>]*>|\*\*|\[|\]\([^)]*\)|`[^`]*`", text))


@pytest.mark.parametrize("name", sorted(DOCS))
def test_identity_engine_round_trips_byte_for_byte(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    run, out = translate_documents([path], target="en", engine=IdentityEngine())
    assert run.files[0].fragments >= 1
    assert out[str(path)] == path.read_bytes()
    assert run.markup_relocated == 0


@pytest.mark.parametrize("name", ["a.md", "b.html", "c.srt"])
def test_each_example_is_one_fragment_per_sentence(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    _doc, result = detect.detect_file(path, expect="en")
    foreign = result.foreign()
    sentences = 2 if name == "c.srt" else 1
    assert len(foreign) == sentences
    assert all(f.lang == "ru" for f in foreign)
    assert all("<" not in f.text and "*" not in f.text for f in foreign)
    # the engine gets each sentence whole, its markup as placeholders
    engine = IdentityEngine()
    seen: list[str] = []
    original = engine.translate_batch

    def spy(texts: Sequence[str], source: str, target: str) -> list[str]:
        seen.extend(texts)
        return original(texts, source, target)

    engine.translate_batch = spy  # type: ignore[method-assign]
    translate_documents([path], target="en", engine=engine)
    assert len(seen) == sentences
    if name == "b.html":
        assert seen == [
            "Генеральный секретарь ⟦1⟧ОДКБ⟦2⟧ заявил, что ⟦3⟧сотрудничество⟦4⟧ продолжится."
        ]


def test_reversed_words_keep_every_element_once(tmp_path: Path) -> None:
    for name in ("a.md", "b.html", "c.srt", "article.md"):
        path = _write(tmp_path, name)
        run, out = translate_documents([path], target="en", engine=Reverse())
        text = out[str(path)].decode("utf-8")
        assert _tags(text) == _tags(DOCS[name]), name
    # HTML: the link follows its word; nothing had to move
    path = _write(tmp_path, "b.html")
    run, out = translate_documents([path], target="en", engine=Reverse())
    assert out[str(path)].decode() == (
        '<p>продолжится. <em>сотрудничество</em> что заявил, <a href="/x">ОДКБ</a> '
        "секретарь Генеральный</p>\n"
    )
    assert run.markup_relocated == 0
    # SRT: "<i>" opened on the first word and closed on the last: reversed, it
    # cannot nest, so it wraps the sentence and is counted; CRLF stays
    path = _write(tmp_path, "c.srt")
    run, out = translate_documents([path], target="en", engine=Reverse())
    assert (
        out[str(path)]
        == (
            "1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>дела? как Привет,</i>\r\n"
            "строка. вторая Это\r\n\r\n"
        ).encode()
    )
    assert run.markup_relocated == 1


def test_restore_repairs_and_relocates() -> None:
    doc = formats.get("html").parse(HTML)
    seg = doc.segments[0]
    marked = markup.mark_fragment(seg, 0, len(seg.text))
    # spaces inside, a duplicate, a lost element
    damaged = "Secretary General ⟦1⟧ CSTO ⟦2⟧ said ⟦2⟧ that cooperation will go on."
    restored = markup.restore(marked, damaged)
    assert restored.relocated == 1
    # the lost <em> wraps the whole sentence: its words are in there somewhere
    assert restored.text == "⟦3⟧Secretary General ⟦1⟧CSTO⟦2⟧ said that cooperation will go on.⟦4⟧"
    out = formats.get("html").render(
        doc, {0: markup.replace_fragments(seg, [(marked, restored.text)])}
    )
    assert out == (
        '<p><em>Secretary General <a href="/x">CSTO</a> said that cooperation will go on.</em>'
        "</p>\n"
    )


def test_wrapped_paragraph_is_rewrapped_to_its_width(tmp_path: Path) -> None:
    path = tmp_path / "w.md"
    path.write_bytes("> Один два\r\n> три.\r\n".encode())

    class Long(IdentityEngine):
        def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
            return ["one two three four five six seven eight nine ten." for _ in texts]

    _run, out = translate_documents([path], target="en", engine=Long())
    lines = out[str(path)].decode().split("\r\n")
    assert lines[-1] == ""
    assert all(line.startswith("> ") for line in lines[:-1])
    assert " ".join(line[2:] for line in lines[:-1]) == (
        "one two three four five six seven eight nine ten."
    )
    assert max(len(line) for line in lines) <= len("> Один два")


def test_front_matter_and_html_block_are_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "article.md")
    _doc, result = detect.detect_file(path, expect="en")
    texts = [f.text for f in result.foreign()]
    assert "Заголовок статьи" in texts
    assert "Примечание внутри HTML-блока." in texts
    assert not any("title" in t or "tags" in t or "news" in t for t in texts)
    assert any(t.startswith("Министры встретились в Вене и обсудили будущее") for t in texts)


def test_front_matter_values_keep_valid_quoting(tmp_path: Path) -> None:
    path = _write(tmp_path, "article.md")

    class Quote(IdentityEngine):
        def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
            return ['A "quoted": title' if t == "Заголовок статьи" else t for t in texts]

    _run, out = translate_documents([path], target="en", engine=Quote())
    text = out[str(path)].decode()
    assert 'title: "A \\"quoted\\": title"\n' in text
    assert text.count("\n") == ARTICLE.count("\n")


def test_cli_detect_and_translate_json_report_one_text_each(tmp_path: Path) -> None:
    paths = [str(_write(tmp_path, n)) for n in ("a.md", "b.html")]
    out = str(tmp_path / "out")
    result = CliRunner().invoke(app, ["detect", *paths, "-e", "en", "--format", "json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    assert all({"end_line", "end_column"} <= set(r) for r in rows)
    result = CliRunner().invoke(
        app,
        [
            "translate",
            *paths,
            "--to",
            "en",
            "--engine",
            "identity",
            "--json",
            "--no-memory",
            "-o",
            out,
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["unique"] == 2
    assert summary["markup_relocated"] == 0


def test_audit_reports_one_finding_per_sentence(tmp_path: Path) -> None:
    path = tmp_path / "au.md"
    path.write_text(
        "English intro here.\n\nЭто первое предложение о **важном** деле. Это второе\n"
        "предложение, которое перенесено.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["audit", str(path), "--expect", "en", "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    texts = [f["text"] for f in findings if f["rule"] == "untranslated-fragment"]
    assert texts == [
        "Это первое предложение о важном деле.",
        "Это второе предложение, которое перенесено.",
    ]
    first, second = (f for f in findings if f["rule"] == "untranslated-fragment")
    assert (first["line"], first["column"]) == (3, 1)
    assert (second["line"], second["end_line"]) == (3, 4)


def test_inline_html_in_markdown_follows_the_html_rules(tmp_path: Path) -> None:
    path = tmp_path / "i.md"
    path.write_text(
        'Пункт с <span class="notranslate">Brand <b>X</b></span> и <abbr title="Подсказка">'
        "ООН</abbr> внутри.\n",
        encoding="utf-8",
    )
    doc = formats.load(path)
    assert [markup.marked_text(s) for s in doc.segments] == [
        "Пункт с ⟦1⟧ и ⟦2⟧ООН⟦3⟧ внутри.",  # notranslate: one opaque placeholder
        "Подсказка",  # the abbr's title attribute
    ]
    assert [s.kind for s in doc.segments] == ["text", "html-attribute"]

    class Upper(IdentityEngine):
        def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
            return [re.sub(r"[^\W\d_]+", lambda m: m.group().upper(), t) for t in texts]

    _run, out = translate_documents([path], target="en", engine=Upper())
    assert out[str(path)].decode() == (
        'ПУНКТ С <span class="notranslate">Brand <b>X</b></span> И <abbr title="ПОДСКАЗКА">'
        "ООН</abbr> ВНУТРИ.\n"
    )
