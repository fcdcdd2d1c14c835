"""Detection on real pages (tests/data/pages, sources in SOURCES.md)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit import detect, formats
from toolkit.cli import app

PAGES = ROOT / "tests" / "data" / "pages"
TSNE = PAGES / "en-wikipedia-tsne.html"


def test_real_page_round_trips_byte_for_byte() -> None:
    for page in PAGES.glob("*.html"):
        data = page.read_bytes()
        assert formats.dump(formats.load(page), {}) == data


def test_english_page_cyrillic_fragments_have_the_right_language() -> None:
    result = CliRunner().invoke(app, ["detect", str(TSNE), "--all", "--format", "json"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    cyrillic = {r["text"]: r["lang"] for r in rows if re.search("[а-яіїєґ]", r["text"], re.I)}
    assert cyrillic == {
        "Стохастическое вложение соседей с t-распределением": "ru",
        "Русский": "ru",
        "T-розподілене вкладення стохастичної близькості": "uk",
        "Українська": "uk",
    }
    # the switcher declares lang= on its links, so it is not foreign
    assert not [r for r in rows if r["foreign"]]
    assert {r["expected"] for r in rows if r["text"] == "Українська"} == {"uk"}
    # the article itself is English, including its short navigation items
    english = {r["text"] for r in rows if r["lang"] == "en"}
    assert {"Help", "Contact page", "Edit links", "Languages", "Details"} <= english


def test_undeclared_switcher_on_the_real_page_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same page with its lang= attributes removed: the Cyrillic text is foreign."""
    text = TSNE.read_text(encoding="utf-8")
    stripped = re.sub(r' (?:lang|hreflang)="(?:ru|uk|fr|ko|it|he|ja)"', "", text)
    page = tmp_path / "page.html"
    page.write_text(stripped, encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(page)])
    assert result.exit_code == 0
    found = {}
    for line in result.stdout.splitlines():
        _where, lang, _conf, frag = line.split("  ", 3)
        found[frag] = lang
    assert found["Русский"] == "ru"
    assert found["Українська"] == "uk"
    assert found["Стохастическое вложение соседей с t-распределением"] == "ru"
    assert found["T-розподілене вкладення стохастичної близькості"] == "uk"
    assert "Help" not in found


def test_ukrainian_text_is_uk_not_ru_without_any_declaration() -> None:
    _doc, result = detect.detect_file(TSNE, languages=["en", "ru", "uk", "be", "bg"])
    uk = [f for f in result.fragments if "стохастичної" in f.text]
    assert [f.lang for f in uk] == ["uk"]
    assert detect.detect_text(uk[0].text, languages=["ru", "uk"]).lang == "uk"
    ru = [f for f in result.fragments if f.text.startswith("Стохастическое")]
    assert detect.detect_text(ru[0].text, languages=["ru", "uk"]).lang == "ru"


def test_fragment_offsets_point_at_the_raw_source() -> None:
    import html

    raw = TSNE.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["detect", str(TSNE), "--all", "--format", "json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 30
    for r in rows:
        assert html.unescape(raw[r["offset"] : r["end"]]) == r["text"]
    entity = next(r for r in rows if r["text"] == "[1]")
    assert raw[entity["offset"] : entity["end"]] == "&#91;1&#93;"
