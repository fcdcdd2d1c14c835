"""Plain text is detected block by block, with the fragments of the whole-file path."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit import detect, files
from toolkit.cli import app
from toolkit.errors import InputError

ARTICLE = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")


def _blocks_of(path: Path, block_bytes: int, **options: object) -> list[detect.DetectedBlock]:
    reader = files.utf8_blocks(path, block_bytes=block_bytes)
    assert reader is not None
    from toolkit.formats import txt

    return list(
        detect._detect_stream(str(path), txt.parse, reader, options.get("expect"), None)  # type: ignore[arg-type]
    )


def _as_rows(fragments: list, end_of) -> list[tuple]:  # type: ignore[no-untyped-def, type-arg]
    return [
        (f.segment, f.start, f.end, f.offset, end_of(f), f.line, f.column, f.lang, f.text)
        for f in fragments
    ]


@pytest.mark.parametrize("expect", ["en", None])
def test_blocks_give_the_whole_file_fragments(tmp_path: Path, expect: str | None) -> None:
    # CRLF, a BOM, blank lines and a long line: blocks of 200 bytes cut it everywhere
    text = "\ufeff" + (ARTICLE.replace("\n", "\r\n") + "\r\n\r\n" + "word " * 120 + "\n") * 3
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8", newline="")
    doc, whole = detect.detect_file(path, expect=expect)
    blocks = _blocks_of(path, 200, expect=expect)
    assert len(blocks) > 10
    assert "".join(b.doc.text for b in blocks) == doc.text
    streamed = [f for b in blocks for f in b.detection.fragments]
    owner = {id(f): b for b in blocks for f in b.detection.fragments}
    assert _as_rows(streamed, lambda f: owner[id(f)].end_of(f)) == _as_rows(
        whole.fragments, lambda f: doc.segments[f.segment].raw_offset(f.end)
    )
    assert {b.detection.expected for b in blocks} == {whole.expected}
    assert [f.text for b in blocks for f in b.detection.foreign()] == [
        f.text for f in whole.foreign()
    ]


def test_cli_output_is_the_same_streamed_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(ARTICLE * 20, encoding="utf-8")
    args = ["detect", str(path), "--format", "json", "--all"]
    streamed = CliRunner().invoke(app, args)
    monkeypatch.setattr(files, "STREAM_BLOCK_BYTES", 1 << 30)
    one_block = CliRunner().invoke(app, args)
    blocks: list[int] = []
    real = detect.fragments

    def counting(doc, **options):  # type: ignore[no-untyped-def]
        blocks.append(len(doc.segments))
        return real(doc, **options)

    monkeypatch.setattr(detect, "fragments", counting)
    monkeypatch.setattr(files, "STREAM_BLOCK_BYTES", 300)
    small_blocks = CliRunner().invoke(app, args)
    assert len(blocks) > 20  # the file really went through in many blocks
    assert streamed.exit_code == one_block.exit_code == small_blocks.exit_code == 0
    rows = [json.loads(line) for line in small_blocks.stdout.splitlines()]
    assert len(rows) > 100
    assert small_blocks.stdout == one_block.stdout == streamed.stdout
    foreign = [r for r in rows if r["foreign"]]
    assert {r["text"] for r in foreign} == {"Заголовок открываемого материала"}
    assert [r["line"] for r in foreign][:2] == [22, 22 + ARTICLE.count("\n")]


def test_not_plain_utf8_is_read_whole(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + "Привет\n".encode("utf-16-le"))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe broken\n")
    assert files.utf8_blocks(utf16) is None
    assert files.utf8_blocks(bad) is None
    # detect_blocks falls back to the whole-file path, which decides (or refuses)
    (block,) = detect.detect_blocks(utf16, expect="en")
    assert [f.text for f in block.detection.foreign()] == ["Привет"]
    with pytest.raises(InputError):
        list(detect.detect_blocks(bad))


def test_size_limit_counts_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("line\n" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        files.utf8_blocks(path, max_bytes=100, block_bytes=64)
    assert files.utf8_blocks(path, max_bytes=10_000, block_bytes=64) is not None


def test_blank_streamed_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n   \n\t\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(path)])
    assert result.exit_code == 4
    assert "empty file" in result.stderr
    assert result.stdout == ""
