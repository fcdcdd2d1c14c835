"""The HTML audit report (``tolmach audit --format html``): markup, escaping, CSP,
and, in headless Chromium, highlighting, filters and scripts that must not run."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.audit import AuditResult, audit_paths
from toolkit.audit.html_report import _mark_up, render_html
from toolkit.cli import app
from toolkit.glossary import load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# the payload sets markers a test can read back; none may be set
PAYLOAD = (
    "<script>window.__pwned = 1; document.title = 'PWNED'; alert(1)</script>\n"
    '"><img src=x onerror="window.__pwned = 2; document.title = \'PWNED\'; alert(2)">\n'
)

MARKDOWN = """# Security talks in Vienna

Foreign ministers met in Vienna on Friday and ended two days of talks.

Министры иностранных дел провели переговоры в Вене, но не смогли договориться о заявлении.

The delegations will meet again next year.
Die Gespräche werden im nächsten Jahr in Wien fortgesetzt.
"""

HOSTILE = (
    "The page under audit holds markup that must stay text.\n\n"
    + PAYLOAD
    + "\nМинистры провели переговоры в Вене, но не смогли договориться о заявлении.\n"
)

CATALOG = r"""msgid ""
msgstr ""
"Language: ru\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: app.py:1
msgid "Open the file"
msgstr "Открыть файл"

#: app.py:2
msgid "Delete <b>%s</b> now"
msgstr ""

#: app.py:3
#, fuzzy
msgid "Save changes"
msgstr "Сохранить"

#: app.py:4
msgid "Close the window"
msgstr "Close the window"

#: app.py:5
msgid "<script>alert(3)</script> is shown as text"
msgstr ""
"""


GLOSSARY_TEXT = (
    "The OSCE met in Vienna. Later the O.S.C.E. said the talks went well, "
    "and amnesty international agreed.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    """The example article, a Markdown file, a catalog, a hostile page, the example
    article as HTML and a page with glossary findings."""
    files = [tmp_path / "article.txt", tmp_path / "talks.md", tmp_path / "ru.po"]
    files[0].write_bytes((EXAMPLES / "article.txt").read_bytes())
    files[1].write_text(MARKDOWN, encoding="utf-8")
    files[2].write_text(CATALOG, encoding="utf-8")
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    page = tmp_path / "article.html"
    page.write_bytes((EXAMPLES / "article.html").read_bytes())
    terms = tmp_path / "terms.md"
    terms.write_text(GLOSSARY_TEXT, encoding="utf-8")
    return [*files, hostile, page, terms]


def _audit(paths: list[Path]) -> AuditResult:
    result = audit_paths(paths, expect="en", glossary=load(["international-organizations"]))
    assert not result.errors
    return result


def _render(paths: list[Path]) -> tuple[str, int]:
    result = _audit(paths)
    return render_html(result.findings, result), len(result.findings)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.blocks:
            self._in = tag
            self.blocks[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.blocks[self._in][-1] += data


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_markup_escapes_and_pins_its_inline_blocks(corpus: list[Path]) -> None:
    page, n = _render(corpus)
    parser = _Tags()
    parser.feed(page)
    tags = [t for t, _a in parser.tags]
    # the documents' markup is text: one script (ours), no image, no handler attribute
    assert tags.count("script") == 1
    assert "img" not in tags
    assert not [a for _t, attrs in parser.tags for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;window.__pwned = 1;" in page
    assert "&quot;&gt;&lt;img src=x onerror=" in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    # nothing is loaded: no src, no external href
    assert not [a for _t, attrs in parser.tags if "src" in attrs for a in attrs]
    hrefs = [attrs["href"] for _t, attrs in parser.tags if "href" in attrs]
    assert hrefs
    assert all(h and h.startswith("#") for h in hrefs)
    # the CSP allows exactly the inline style and script, by hash
    csp = next(
        a["content"]
        for t, a in parser.tags
        if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"
    )
    assert csp is not None
    assert "unsafe-inline" not in csp
    assert "default-src 'none'" in csp
    assert f"style-src {_sha(parser.blocks['style'][0])}" in csp
    assert f"script-src {_sha(parser.blocks['script'][0])}" in csp
    # every finding of the corpus has a place: one mark and one card each
    marks = [a["data-finding"] for t, a in parser.tags if t == "mark"]
    cards = [a["data-finding"] for t, a in parser.tags if t == "li" and "data-finding" in a]
    assert sorted(marks, key=int) == [str(i) for i in range(1, n + 1)]
    assert sorted(cards, key=int) == [str(i) for i in range(1, n + 1)]


def test_the_catalog_entry_is_highlighted_whole(corpus: list[Path]) -> None:
    page, _n = _render([corpus[2]])
    marks = re.findall(r'<mark [^>]*data-rule="po-untranslated"[^>]*>(.*?)</mark>', page, re.S)
    assert marks
    assert marks[0].startswith("msgid &quot;Delete &lt;b&gt;%s&lt;/b&gt; now&quot;")
    assert marks[0].endswith("msgstr &quot;&quot;")


def test_marks_nest_and_cut_crossing_spans() -> None:
    text = "abcdefghij"
    attrs = {1: 'data-finding="1"', 2: 'data-finding="2"', 3: 'data-finding="3"'}
    out = _mark_up(text, {1: (0, 6), 2: (2, 4), 3: (5, 9)}, attrs)
    assert out == (
        '<mark data-finding="1">ab<mark data-finding="2">cd</mark>e'
        '<mark data-finding="3">f</mark></mark>ghij'
    )
    assert _mark_up("<&>", {1: (1, 2)}, attrs) == '&lt;<mark data-finding="1">&amp;</mark>&gt;'


def test_cli_writes_the_report(corpus: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["audit", *map(str, corpus[:2]), "--expect", "en", "--format", "html", "-o", str(out)]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1, r.output  # findings at error level
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "talks.md" in page
    assert "untranslated-fragment" in page


def test_cli_report_lists_a_file_it_could_not_read(corpus: list[Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8 broken")
    out = tmp_path / "report.html"
    args = ["audit", str(corpus[1]), str(bad), "--expect", "en", "--format", "html"]
    r = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert r.exit_code == 4, r.output
    assert "Traceback" not in r.output
    page = out.read_text(encoding="utf-8")
    assert "bad.txt" in page
    assert "talks.md" in page


def test_po_audit_writes_the_report(corpus: list[Path]) -> None:
    r = CliRunner().invoke(app, ["po", "audit", str(corpus[2]), "--format", "html"])
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("<!DOCTYPE html>")
    assert r.stdout.count("<mark ") == 4  # untranslated x2, fuzzy, unchanged


def test_a_clean_run_and_a_baseline(corpus: list[Path], tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("Foreign ministers met in Vienna on Friday.\n", encoding="utf-8")
    out = tmp_path / "clean.html"
    r = CliRunner().invoke(app, ["audit", str(clean), "-e", "en", "-f", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "<mark " not in page
    assert "clean.txt" in page
    assert "No findings." in page
    baseline = tmp_path / "baseline.json"
    args = ["audit", str(corpus[1]), "-e", "en", "--baseline", str(baseline)]
    assert CliRunner().invoke(app, args).exit_code == 0  # written
    r = CliRunner().invoke(app, [*args, "-f", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "<mark " not in page
    assert re.search(r"<b>2</b>accepted by the baseline", page)


# --- in the browser ---------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip(
            "chromium or chromedriver is not installed: .ci/run installs them "
            "(apt-get install chromium chromium-driver) and that install failed or did not run"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _no_alert(driver) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018


def test_report_in_chromium(corpus: list[Path], tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    result = _audit(corpus)
    findings = result.findings
    rules = {f.rule for f in findings}
    assert {"untranslated-fragment", "po-untranslated", "po-fuzzy", "po-unchanged"} <= rules
    assert {"glossary-inconsistent", "glossary-dnt-altered"} <= rules
    report = tmp_path / "report.html"
    report.write_text(render_html(findings, result), encoding="utf-8")
    page = report.read_text(encoding="utf-8")
    expected_title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))  # type: ignore[union-attr]

    browser.get(report.as_uri())
    _no_alert(browser)
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000

    js = browser.execute_script
    # no script of the documents ran: markers unset, title untouched, payload shown as text
    assert js("return window.__pwned === undefined")
    assert browser.title == expected_title
    assert js("return document.scripts.length") == 1
    assert js("return document.images.length") == 0
    texts = js("return Array.from(document.querySelectorAll('pre.doc'), p => p.textContent)")
    assert any(PAYLOAD.strip() in t for t in texts)

    # every finding is highlighted exactly once, with its card
    counts = js(
        "const n = {}; document.querySelectorAll('mark[data-finding]').forEach("
        "m => { n[m.dataset.finding] = (n[m.dataset.finding] || 0) + 1; }); return n;"
    )
    assert counts == {str(i): 1 for i in range(1, len(findings) + 1)}
    for i, f in enumerate(findings, 1):
        mark_text = js(f"return document.getElementById('m-{i}').textContent")
        if not f.rule.startswith("po-"):  # the foreign text, the glossary term
            assert mark_text == f.text, f
        else:  # the catalog entry
            assert f.text.split("\n")[0][:20] in mark_text.replace('"', "")
    # our inline CSS and JS ran (the CSP hashes match): marks are coloured, counter filled
    bg = js("return getComputedStyle(document.getElementById('m-1')).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    shown = js("return document.getElementById('shown').textContent")
    assert shown.startswith(f"{len(findings)} ")

    def visible() -> set[int]:
        cards = browser.find_elements("css selector", "li[data-finding]")
        return {int(c.get_attribute("data-finding")) for c in cards if c.is_displayed()}

    def highlighted() -> set[int]:
        return set(
            js(
                "return Array.from(document.querySelectorAll('mark[data-finding]'))"
                ".filter(m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"
                ".map(m => Number(m.dataset.finding))"
            )
        )

    everything = set(range(1, len(findings) + 1))
    assert visible() == everything
    assert highlighted() == everything
    for name, value, of in (
        ("rule", "untranslated-fragment", lambda f: f.rule),
        ("severity", "warning", lambda f: f.severity.value),
        ("lang", "ru", lambda f: f.lang or "-"),
    ):
        box = browser.find_element("css selector", f'input[data-filter="{name}"][value="{value}"]')
        hidden = {i for i, f in enumerate(findings, 1) if of(f) == value}
        assert hidden
        assert hidden != everything
        box.click()
        assert visible() == everything - hidden, name
        assert highlighted() == everything - hidden, name
        assert js("return document.getElementById('shown').textContent").startswith(
            f"{len(everything - hidden)} "
        )
        box.click()
        assert visible() == everything, name
        assert highlighted() == everything, name

    # clicking a highlight brings its card into view
    browser.find_element("id", "m-1").click()
    assert "flash" in browser.find_element("id", "f-1").get_attribute("class")
    _no_alert(browser)
    assert js("return window.__pwned === undefined")
    # no Content-Security-Policy violation: the page asked for nothing it does not allow
    logs = browser.get_log("browser")
    assert not [e for e in logs if "Content Security Policy" in e.get("message", "")], logs

    # escaping alone keeps the payload inert: the same page without its CSP runs nothing
    bare = tmp_path / "no-csp.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page))
    assert "Content-Security-Policy" not in bare.read_text()
    browser.get(bare.as_uri())
    _no_alert(browser)
    assert js("return window.__pwned === undefined")
    assert browser.title == expected_title
    # and the check would see a payload that ran: the same text unescaped, no CSP
    raw = tmp_path / "control.html"
    raw.write_text(
        "<!DOCTYPE html><title>control</title><body>"
        + PAYLOAD.replace("alert(1)", "").replace("alert(2)", ""),
        encoding="utf-8",
    )
    browser.get(raw.as_uri())
    assert js("return window.__pwned") in (1, 2)
    assert browser.title == "PWNED"
