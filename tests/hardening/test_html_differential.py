"""tolmach's HTML scanner read as a browser reads HTML (issue 15).

1. The WHATWG tokenizer cases of html5lib-tests (``tests/data/html5lib/``, MIT,
   see SOURCES.md) that concern text, comments, RCDATA, RAWTEXT, script data,
   PLAINTEXT and CDATA: the text tolmach reports must be the text of the
   expected Character tokens.
2. html5lib, a spec-compliant parser: on the real pages of ``tests/data/pages/``
   tolmach's text segments are the document's text nodes.
3. The attacks, through the CLI: ``<!-->`` and ``<!--->`` hide nothing after
   them, a title keeps its whole RCDATA content, a textarea's text is reported.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.hardening.procs import run_cli
from toolkit.formats import html as scanner

DATA = ROOT / "tests" / "data" / "html5lib"
PAGES = ROOT / "tests" / "data" / "pages"
FILES = [
    "test1.test",
    "test2.test",
    "test3.test",
    "test4.test",
    "contentModelFlags.test",
    "escapeFlag.test",
    "domjs.test",
    "entities.test",
]
STATES = {
    "Data state",
    "RCDATA state",
    "RAWTEXT state",
    "Script data state",
    "PLAINTEXT state",
    "CDATA section state",
}
# Elements whose text tolmach leaves out (SKIP) or reads as raw text: in a
# tokenizer test a start tag does not switch the tokenizer's state (the tree
# builder does that), so cases with these start tags test the tree builder.
NOT_TOKENIZER = scanner.SKIP | scanner.RAW_TEXT
# The initial state of a case -> the element tolmach opens to be in that state.
STATE_TAG = {
    "RCDATA state": "title",
    "RAWTEXT state": "style",
    "Script data state": "script",
    "PLAINTEXT state": "plaintext",
}


def _squeeze(text: str) -> str:
    """Text without whitespace, NUL read as U+FFFD, CR as LF: what both must agree on
    (the tokenizer cuts runs at markup; tolmach's runs are trimmed)."""
    return "".join(text.replace("\x00", "\ufffd").split())


def _expected(tokens: list[list[Any]]) -> str:
    return _squeeze("".join(t[1] for t in tokens if t[0] == "Character"))


def _data_text(text: str) -> str:
    """The text tolmach reports for HTML in the data state (not attribute values)."""
    doc = scanner.parse(text)
    return "".join(s.text for s in doc.segments if s.kind != "attribute")


def _tolmach(case: dict[str, Any], state: str) -> str:
    text: str = case["input"]
    if state == "Data state":
        return _squeeze(_data_text(text))
    if state == "CDATA section state":
        end = text.find("]]>")
        if end == -1:
            return _squeeze(text)
        return _squeeze(text[:end] + _data_text(text[end + 3 :]))
    tag = case.get("lastStartTag")
    end = scanner.raw_text_end(text, 0, tag)
    content = text[:end]
    if state == "RCDATA state":
        content = html.unescape(content) if "&" in content else content
    rest = ""
    if end < len(text):
        close = text.find(">", end)
        rest = "" if close == -1 else _data_text(text[close + 1 :])
    return _squeeze(content + rest)


def _cases() -> Iterator[Any]:
    for name in FILES:
        tests = json.loads((DATA / name).read_text(encoding="utf-8")).get("tests", [])
        for number, case in enumerate(tests):
            if case.get("doubleEscaped"):
                continue  # lone surrogates written as \uXXXX: not about text boundaries
            starts = {t[1] for t in case["output"] if t[0] == "StartTag"}
            if starts & NOT_TOKENIZER:
                continue
            for state in case.get("initialStates", ["Data state"]):
                if state in STATES:
                    yield pytest.param(case, state, id=f"{name}:{number}:{state.split()[0]}")


CASES = list(_cases())


def test_the_suite_is_there_and_large() -> None:
    by_state = Counter(p.values[1] for p in CASES)
    print("\nHTML5LIB cases per state:", dict(by_state))
    assert len(CASES) > 1500
    assert set(by_state) == STATES


def test_tokenizer_cases_text() -> None:
    """Every case in one test (there are ~2,000): the failures are listed together."""
    failures = []
    for param in CASES:
        case, state = param.values
        want, got = _expected(case["output"]), _tolmach(case, state)
        if want != got:
            failures.append(f"{param.id}: {case['input']!r}: want {want!r}, got {got!r}")
    print(f"\nHTML5LIB tokenizer cases: {len(CASES)} run, {len(failures)} differ")
    assert not failures, "\n".join(failures[:40])


# ------------------------------------------------------------------ html5lib on real pages


def _html5lib_runs(text: str) -> list[str]:
    """Text nodes a spec-compliant parser finds, outside what tolmach skips, in
    document order."""
    import html5lib

    tree = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    runs: list[str] = []

    def visit(node: Any, skipped: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        local = tag.rsplit("}", 1)[-1].lower()
        classes = (node.get("class") or "").split()
        skip = (
            skipped
            or local in scanner.SKIP
            or (node.get("translate") or "").strip().lower() == "no"
            or "notranslate" in classes
            or not isinstance(node.tag, str)  # comments
        )
        if not skip and node.text and node.text.strip():
            runs.append(node.text.strip())
        for child in node:
            visit(child, skip)
            if not skipped and not skip and child.tail and child.tail.strip():
                runs.append(child.tail.strip())

    visit(tree, False)
    return runs


def _tolmach_runs(text: str) -> Counter[str]:
    """The text of every segment, without its opaque inline elements (inline code
    is kept in its block byte for byte, and html5lib's side skips it)."""
    doc = scanner.parse(text)
    runs: Counter[str] = Counter()
    for s in doc.segments:
        if s.kind == "attribute":
            continue
        kept, pos = [], 0
        for piece in sorted(s.inline, key=lambda i: i.start):
            if piece.role == "opaque":
                kept.append(s.text[pos : piece.start])
                pos = max(pos, piece.end)
        kept.append(s.text[pos:])
        runs["".join(kept).replace("\r\n", "\n").replace("\r", "\n")] += 1
    return runs


def _letters(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("page", sorted(p.name for p in PAGES.glob("*.html")))
def test_text_nodes_match_html5lib_on_real_pages(page: str) -> None:
    """A segment is a block: it joins the text nodes of its inline elements. So the
    comparison is on the text itself, whitespace aside: every segment is a run of a
    spec-compliant parser's text, and together they hold exactly as many characters
    (nothing dropped, as the old scanner dropped a page after ``<!-->``)."""
    text = (PAGES / page).read_text(encoding="utf-8")
    want, got = _html5lib_runs(text), _tolmach_runs(text)
    joined = _letters("".join(want))
    print(f"\nHTML5LIB {page}: {len(want)} text nodes, {sum(got.values())} segments")
    assert joined  # the page has text
    assert sum(len(_letters(s)) * n for s, n in got.items()) == len(joined)
    # each segment's text is a run of the parser's text, read across node boundaries
    strays = [s for s in got if _letters(s) and _letters(s) not in joined]
    assert not strays, strays[:10]


# ------------------------------------------------------------------ the attacks, through the CLI

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Главная <b>страница</b></title></head>"
    "<body><p>First paragraph in English.</p>{comment}"
    "<p>Второй абзац написан по-русски и должен быть найден.</p>"
    "<p>Third paragraph in English again.</p>"
    "<textarea>Текст в поле ввода тоже виден читателю.</textarea></body></html>"
)


@pytest.mark.parametrize("comment", ["<!-->", "<!--->", "<!-- x --!>"])
def test_empty_comments_hide_nothing(
    comment: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE.format(comment=comment), encoding="utf-8")
    proc = run_cli(["detect", "--all", "--format", "json", str(page)], subprocess_env)
    assert proc.returncode == 0, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    texts = [f["text"] for f in found]
    assert "Второй абзац написан по-русски и должен быть найден." in texts
    assert "Third paragraph in English again." in texts
    assert "Текст в поле ввода тоже виден читателю." in texts  # textarea is reported
    # RCDATA: "<b>" in a title is text, not markup: the title is one sentence
    titles = [f["text"] for f in found if f["kind"] == "title"]
    assert titles == ["Главная <b>страница</b>"], titles


def test_rcdata_segment_is_the_whole_content() -> None:
    doc = scanner.parse(PAGE.format(comment="<!-->"))
    assert [s.text for s in doc.segments if s.kind == "title"] == ["Главная <b>страница</b>"]
    doc = scanner.parse("<textarea>a &amp; <b>b</b></textarea><p>c</p>")
    assert [s.text for s in doc.segments] == ["a & <b>b</b>", "c"]
