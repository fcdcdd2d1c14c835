"""The audit report as one self-contained HTML page (``tolmach audit --format html``).

For the people who fix the text rather than for CI: a summary (files,
findings by rule and severity, languages, a chart of foreign text per file),
then every file with findings shown as text, each finding highlighted in
place (the foreign sentence, the glossary term, the catalog entry) with its
rule, language, confidence and suggested fix, and filters by rule, severity
and language that work offline.

The page loads nothing: CSS and JS are inline, the chart is inline SVG, and a
Content-Security-Policy allows only those two blocks, by hash (no
``'unsafe-inline'``). Every character of the audited files is escaped, so a
page under audit that holds ``<script>`` is shown as text and never runs.

Findings give places as line and column (see :mod:`toolkit.audit.checks`);
the renderer reads each file again exactly as the audit read it (documents
through :func:`toolkit.audit.load_document`, with the same format and size
limit; catalogs through :func:`toolkit.po.catalog.load_catalog`) to show the
text around them. It only formats: it never prints or decides exit codes.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.findings import Finding, Severity
from toolkit.i18n import _, ngettext

if TYPE_CHECKING:
    from toolkit.audit import AuditResult

__all__ = ["render_html"]

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_NO_LANG = "-"  # the filter value of findings without a language
_CHART_ROWS = 30  # files shown in the chart, the most foreign first

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;
--error:#cf222e;--error-bg:#ffebe9;--warning:#9a6700;--warning-bg:#fff3c4;
--info:#0969da;--info-bg:#ddf4ff}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
header,section,main{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:24px 0 8px}
.muted{color:var(--muted)}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px;
background:var(--panel)}
.tile b{display:block;font-size:22px}
.tile.error b{color:var(--error)}.tile.warning b{color:var(--warning)}
.tile.info b{color:var(--info)}
table{border-collapse:collapse;margin:4px 0 8px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;
vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 32px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
svg.chart{width:100%;height:auto;max-width:560px}
svg.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}
svg.chart .track{fill:var(--panel)}svg.chart .bar{fill:var(--error)}
#filters{position:sticky;top:0;z-index:2;background:rgba(255,255,255,.96);
border-bottom:1px solid var(--line);padding-top:8px;padding-bottom:8px}
#filters fieldset{display:inline-block;border:1px solid var(--line);border-radius:8px;
margin:2px 8px 2px 0;padding:2px 10px}
#filters legend{font-size:12px;color:var(--muted);padding:0 4px}
#filters label{margin-right:10px;white-space:nowrap;font-size:14px}
#shown{font-size:14px;color:var(--muted);white-space:nowrap}
section.file,mark,.card{scroll-margin-top:96px}
section.file{border-top:2px solid var(--line);margin-top:24px}
section.file h2 code{font-size:17px}
.pane{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;
align-items:start}
@media (max-width:900px){.pane{grid-template-columns:1fr}}
pre.doc{position:relative;margin:0;padding:12px;background:var(--panel);
border:1px solid var(--line);border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere;
max-height:36em;overflow:auto;
font:13px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
mark{border-radius:3px;padding:0 1px;color:inherit;cursor:pointer}
mark.error{background:var(--error-bg);box-shadow:inset 0 -2px var(--error)}
mark.warning{background:var(--warning-bg);box-shadow:inset 0 -2px var(--warning)}
mark.info{background:var(--info-bg);box-shadow:inset 0 -2px var(--info)}
mark::after{content:attr(data-n);font:10px system-ui,sans-serif;vertical-align:super;
color:var(--muted);margin-left:1px}
mark.off{background:none;box-shadow:none;cursor:auto}
mark.off::after{content:none}
ol.cards{list-style:none;margin:0;padding:0}
.card{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:8px;
padding:8px 12px;margin:0 0 8px;background:var(--bg)}
.card.error{border-left-color:var(--error)}.card.warning{border-left-color:var(--warning)}
.card.info{border-left-color:var(--info)}
.card.off{display:none}
.card.flash{outline:3px solid var(--info)}
.card p{margin:4px 0}
.sev{font-size:12px;font-weight:600;text-transform:uppercase;margin-right:6px}
.sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}
.card blockquote{margin:4px 0;padding:2px 8px;border-left:3px solid var(--line);
color:var(--muted);white-space:pre-wrap;overflow-wrap:anywhere}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:0 10px;margin:4px 0 0;
font-size:13px}
.card dt{color:var(--muted)}.card dd{margin:0;overflow-wrap:anywhere}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
footer{max-width:1200px;margin:32px auto;padding:0 20px;color:var(--muted);font-size:13px}
"""

_JS = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-finding]"));
  var shown = document.getElementById("shown");
  function apply() {
    var on = {rule: {}, severity: {}, lang: {}};
    boxes.forEach(function (b) { if (b.checked) { on[b.dataset.filter][b.value] = true; } });
    var visible = 0;
    items.forEach(function (el) {
      var show = on.rule[el.dataset.rule] === true && on.severity[el.dataset.severity] === true &&
        on.lang[el.dataset.lang] === true;
      el.classList.toggle("off", !show);
      if (show && el.tagName === "LI") { visible += 1; }
    });
    if (shown) { shown.textContent = shown.dataset.template.replace("{n}", String(visible)); }
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  // show each text from its first highlight
  document.querySelectorAll("pre.doc").forEach(function (pre) {
    var first = pre.querySelector("mark");
    if (first) { pre.scrollTop = Math.max(0, first.offsetTop - 48); }
  });
  document.addEventListener("click", function (e) {
    var mark = e.target.closest ? e.target.closest("mark[data-finding]") : null;
    if (!mark || mark.classList.contains("off")) { return; }
    var card = document.getElementById("f-" + mark.dataset.finding);
    if (!card) { return; }
    card.scrollIntoView({block: "nearest"});
    card.classList.add("flash");
    setTimeout(function () { card.classList.remove("flash"); }, 1200);
  });
  apply();
})();
"""


def _hash(block: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode() + "'"
    )


CSP = (
    f"default-src 'none'; style-src {_hash(_CSS)}; script-src {_hash(_JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _el(tag: str, text: str, cls: str = "") -> str:
    """``<tag class="cls">text</tag>``, the text escaped."""
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>{_e(text)}</{tag}>"


def _severity_label(severity: Severity) -> str:
    return {Severity.ERROR: _("error"), Severity.WARNING: _("warning"), Severity.INFO: _("info")}[
        severity
    ]


@dataclass
class _File:
    """One file as the report shows it: its text and where each finding sits."""

    path: str
    text: str | None = None  # None: not shown (see ``note``)
    note: str = ""
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # finding no. -> span
    total: int = 0  # readable characters (documents) or source words (catalogs)
    foreign: int = 0
    unit: str = "chars"


def _line_starts(lines: Iterable[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _document(
    shown: _File, items: Sequence[tuple[int, Finding]], fmt: str | None, max_bytes: int | None
) -> None:
    from toolkit.audit import load_document

    path, part = Path(shown.path), None
    if "!" in shown.path and not path.exists():  # FILE!PART: one part of a container
        head, _sep, part = shown.path.rpartition("!")
        path = Path(head)
    doc = load_document(path, fmt, max_bytes)
    if doc is None:
        shown.text = ""
        return
    text: str = doc.text
    lo, hi = 0, len(text)
    names = [name for name, _start in doc.parts]
    if part is not None and part in names:  # the part's own text; lines count from it
        k = names.index(part)
        lo = doc.parts[k][1]
        hi = doc.parts[k + 1][1] - 1 if k + 1 < len(doc.parts) else len(text)
        text = text[lo:hi]
    shown.text = text
    # lines as Document.line_col counts them: split at "\n" only
    starts = _line_starts(line + "\n" for line in text.split("\n"))
    shown.total = sum(len(seg.text) for seg in doc.segments if lo <= seg.start < hi)
    shown.foreign = sum(len(f.text) for _n, f in items if f.rule == "untranslated-fragment")

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if 0 < line < len(starts) else -1

    for n, f in items:
        if not f.line:
            continue
        start = offset(f.line, f.column)
        if f.end_line and f.end_column:
            end = offset(f.end_line, f.end_column)
        else:  # the rest of the line
            end = text.find("\n", start) if start >= 0 else -1
            end = len(text) if end < 0 else end
        if 0 <= start < end <= len(text):
            shown.spans[n] = (start, end)


def _catalog(shown: _File, items: Sequence[tuple[int, Finding]], counts: Mapping[str, Any]) -> None:
    from toolkit.po.catalog import load_catalog

    catalog = load_catalog(shown.path)
    text = catalog.text
    shown.text = text
    starts = _line_starts(catalog.lines)
    entries = {span.first_keyword + 1: span for _e, span in catalog.active()}
    c = counts.get(shown.path) or {}
    shown.unit = "words"
    shown.total = int(c.get("translated_words", 0) + c.get("fuzzy_words", 0))
    shown.total += int(c.get("untranslated_words", 0))
    shown.foreign = int(c.get("fuzzy_words", 0) + c.get("untranslated_words", 0))
    for n, f in items:
        if not f.line or f.line >= len(starts):
            continue
        span = entries.get(f.line)
        start = starts[span.first_keyword if span else f.line - 1]
        end = starts[min(span.end if span else f.line, len(starts) - 1)]
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        if start < end:
            shown.spans[n] = (start, end)


def _read(
    path: str,
    items: Sequence[tuple[int, Finding]],
    fmt: str | None,
    max_bytes: int | None,
    catalogs: Mapping[str, Any],
) -> _File:
    from toolkit.audit import is_catalog
    from toolkit.errors import TolmachError

    shown = _File(path)
    try:
        if is_catalog(Path(path), fmt):
            _catalog(shown, items, catalogs)
        else:
            _document(shown, items, fmt, max_bytes)
    except TolmachError as exc:
        shown.text = None
        shown.note = _("the file could not be read again to show its text: {error}").format(
            error=exc
        )
    placed = sum(1 for _n, f in items if f.line)
    if shown.text is not None and len(shown.spans) < placed:
        shown.note = _("some findings no longer match the file (changed since the audit?)")
    return shown


def _mark_up(text: str, spans: Mapping[int, tuple[int, int]], attrs: Mapping[int, str]) -> str:
    """``text`` escaped, each span wrapped in one ``<mark>``; spans nest, and one
    that crosses another's end is cut at that end, so marks stay well formed."""
    order = sorted(spans.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
    out: list[str] = []
    stack: list[int] = []  # ends of the open marks
    pos = 0
    for n, (start, end) in order:
        while stack and stack[-1] <= start:
            close = stack.pop()
            out.append(_e(text[pos:close]) + "</mark>")
            pos = close
        out.append(_e(text[pos:start]))
        pos = start
        if stack:
            end = min(end, stack[-1])
        out.append(f"<mark {attrs[n]}>")
        stack.append(end)
    while stack:
        close = stack.pop()
        out.append(_e(text[pos:close]) + "</mark>")
        pos = close
    out.append(_e(text[pos:]))
    return "".join(out)


def _data(n: int, f: Finding) -> str:
    return (
        f'data-finding="{n}" data-rule="{_e(f.rule)}" data-severity="{f.severity.value}" '
        f'data-lang="{_e(f.lang or _NO_LANG)}"'
    )


def _where(f: Finding) -> str:
    if not f.line:
        return _("whole file")
    return _("line {line}, column {column}").format(line=f.line, column=f.column)


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _card(n: int, f: Finding, placed: bool) -> str:
    where = _e(_where(f))
    if placed:
        where = f'<a href="#m-{n}">{where}</a>'
    rows = []
    if f.lang:
        rows.append((_("language"), _e(f.lang)))
    if f.confidence is not None:
        rows.append((_("confidence"), f"{f.confidence:.2f}"))
    if f.fix:
        rows.append((_("fix"), f"<code>{_e(f.fix)}</code>"))
    details = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    quote = f"<blockquote>{_e(_short(f.text))}</blockquote>" if f.text else ""
    return (
        f'<li class="card {f.severity.value}" id="f-{n}" {_data(n, f)}>'
        f'<span class="sev {f.severity.value}">{_e(_severity_label(f.severity))}</span>'
        f'<code>{_e(f.rule)}</code> <span class="muted">#{n} · {where}</span>'
        f"<p>{_e(f.message)}</p>{quote}" + (f"<dl>{details}</dl>" if details else "") + "</li>"
    )


def _mark_attrs(n: int, f: Finding) -> str:
    tip = [f.rule, _severity_label(f.severity)]
    if f.lang:
        tip.append(f.lang)
    if f.confidence is not None:
        tip.append(f"{f.confidence:.2f}")
    title = " · ".join(tip) + "\n" + f.message
    if f.fix:
        title += "\n" + _("fix") + ": " + f.fix
    return (
        f'id="m-{n}" class="{f.severity.value}" {_data(n, f)} data-n="{n}" '
        f'title="{_e(title)}" tabindex="0"'
    )


def _file_section(
    k: int, shown: _File, items: Sequence[tuple[int, Finding]], lang: str | None
) -> str:
    meta = [ngettext("{n} finding", "{n} findings", len(items)).format(n=len(items))]
    if lang:
        meta.insert(0, _("checked as {lang}").format(lang=lang))
    out = [
        f'<section class="file" id="file-{k}"><h2><code>{_e(shown.path)}</code></h2>',
        f'<p class="muted">{_e(" · ".join(meta))}</p>',
    ]
    if shown.note:
        out.append(f'<p class="muted">{_e(shown.note)}</p>')
    placed = [(n, f) for n, f in items if n in shown.spans]
    loose = [(n, f) for n, f in items if n not in shown.spans]
    if loose:
        out.append('<ol class="cards">')
        out.extend(_card(n, f, False) for n, f in loose)
        out.append("</ol>")
    if shown.text is not None and placed:
        attrs = {n: _mark_attrs(n, f) for n, f in placed}
        spans = {n: shown.spans[n] for n, _f in placed}
        out.append('<div class="pane">')
        out.append(f'<pre class="doc">{_mark_up(shown.text, spans, attrs)}</pre>')
        out.append('<ol class="cards">')
        out.extend(_card(n, f, True) for n, f in placed)
        out.append("</ol></div>")
    out.append("</section>")
    return "\n".join(out)


def _chart(files: Sequence[_File]) -> str:
    rows = [f for f in files if f.total]
    rows.sort(key=lambda f: (-f.foreign / f.total, f.path))
    if not rows:
        return _el("p", _("No text to measure."), "muted")
    more = len(rows) - _CHART_ROWS
    rows = rows[:_CHART_ROWS]
    label_w, bar_w, row_h = 200, 300, 24
    width, height = label_w + bar_w + 60, row_h * len(rows) + 4
    parts = [
        f'<svg class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        _el("title", _("Foreign text per file")),
    ]
    for i, f in enumerate(rows):
        share = min(f.foreign / f.total, 1.0)
        y = i * row_h + 2
        name = f.path if len(f.path) <= 30 else "…" + f.path[-29:]
        unit = (
            ngettext("{n} of {total} character", "{n} of {total} characters", f.total)
            if f.unit == "chars"
            else ngettext("{n} of {total} source word", "{n} of {total} source words", f.total)
        ).format(n=f.foreign, total=f.total)
        parts.append(
            f"<g><title>{_e(f.path)}: {_e(unit)}</title>"
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(name)}</text>'
            f'<rect class="track" x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" rx="3"/>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{share * bar_w:.1f}" '
            f'height="16" rx="3"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{share:.0%}</text></g>'
        )
    parts.append("</svg>")
    if more > 0:
        parts.append(_el("p", _("and {n} more files").format(n=more), "muted"))
    return "".join(parts)


def _filters(findings: Sequence[Finding]) -> str:
    from toolkit.audit.rules import RULES

    def group(name: str, legend: str, values: Iterable[tuple[str, str, str]]) -> str:
        boxes = "".join(
            f'<label title="{_e(tip)}"><input type="checkbox" data-filter="{name}" '
            f'value="{_e(value)}" checked> {_e(label)}</label>'
            for value, label, tip in values
        )
        return f"<fieldset><legend>{_e(legend)}</legend>{boxes}</fieldset>"

    rules = Counter(f.rule for f in findings)
    severities = Counter(f.severity for f in findings)
    langs = Counter(f.lang or _NO_LANG for f in findings)
    none = _("none")
    template = _("{n} of {total} findings shown").replace("{total}", str(len(findings)))
    return (
        '<section id="filters" aria-label="filters">'
        + group(
            "rule",
            _("Rule"),
            (
                (r, f"{r} ({n})", RULES[r].description if r in RULES else r)
                for r, n in sorted(rules.items())
            ),
        )
        + group(
            "severity",
            _("Severity"),
            (
                (s.value, f"{_severity_label(s)} ({severities[s]})", "")
                for s in _SEVERITIES
                if severities[s]
            ),
        )
        + group(
            "lang",
            _("Language"),
            ((v, f"{v if v != _NO_LANG else none} ({n})", "") for v, n in sorted(langs.items())),
        )
        + f' <span id="shown" data-template="{_e(template)}"></span></section>'
    )


def _summary(
    findings: Sequence[Finding],
    result: AuditResult,
    accepted: int,
    shown: Sequence[_File],
    clean: Sequence[str],
) -> str:
    from toolkit.audit.rules import RULES

    counts = result.counts
    by_sev = Counter(f.severity for f in findings)
    tiles = [
        ("", _("files audited"), counts.get("files", len(result.files))),
        ("error", _("errors"), by_sev[Severity.ERROR]),
        ("warning", _("warnings"), by_sev[Severity.WARNING]),
        ("info", _("notes"), by_sev[Severity.INFO]),
        ("", _("suppressed"), counts.get("suppressed", 0)),
    ]
    if accepted:
        tiles.append(("", _("accepted by the baseline"), accepted))
    if result.errors:
        tiles.append(("error", _("files not audited"), len(result.errors)))
    out = ['<section id="summary"><div class="tiles">']
    out.extend(f'<div class="tile {cls}"><b>{n}</b>{_e(label)}</div>' for cls, label, n in tiles)
    out.append('</div><div class="grid"><div>')
    # findings by rule and severity
    out.append(_el("h2", _("Findings by rule")))
    table: dict[str, Counter[Severity]] = {}
    for f in findings:
        table.setdefault(f.rule, Counter())[f.severity] += 1
    if table:
        head = "".join(f'<th class="n">{_e(_severity_label(s))}</th>' for s in _SEVERITIES)
        out.append("<table><tr>" + _el("th", _("rule")) + head + "</tr>")
        for rule in sorted(table):
            desc = RULES[rule].description if rule in RULES else ""
            cells = "".join(f'<td class="n">{table[rule][s] or ""}</td>' for s in _SEVERITIES)
            out.append(f'<tr><td><code title="{_e(desc)}">{_e(rule)}</code></td>{cells}</tr>')
        out.append("</table>")
    else:
        out.append(_el("p", _("No findings."), "muted"))
    # languages
    out.append(_el("h2", _("Languages")))
    files_in = Counter(lang for lang in result.files.values() if lang)
    found_in = Counter(f.lang for f in findings if f.lang)
    langs = sorted(set(files_in) | set(found_in), key=lambda x: (-files_in[x] - found_in[x], x))
    if langs:
        out.append(
            "<table><tr>"
            + _el("th", _("language"))
            + _el("th", _("files in it"), "n")
            + _el("th", _("findings with it"), "n")
            + "</tr>"
        )
        out.extend(
            f'<tr><td><code>{_e(x)}</code></td><td class="n">{files_in[x]}</td>'
            f'<td class="n">{found_in[x]}</td></tr>'
            for x in langs
        )
        out.append("</table>")
    out.append("</div><div>")
    out.append(_el("h2", _("Foreign text per file")))
    out.append(
        _el(
            "p",
            _(
                "Documents: characters in untranslated fragments; "
                "catalogs: source words of untranslated and fuzzy entries."
            ),
            "muted",
        )
    )
    out.append(_chart(shown))
    if result.errors:
        out.append(_el("h2", _("Files not audited")) + "<ul>")
        out.extend(f"<li>{_e(str(exc))}</li>" for exc in result.errors)
        out.append("</ul>")
    if shown:
        out.append(_el("h2", _("Files with findings")) + "<ul>")
        out.extend(
            f'<li><a href="#file-{k}"><code>{_e(f.path)}</code></a></li>'
            for k, f in enumerate(shown)
        )
        out.append("</ul>")
    if clean:
        out.append(_el("h2", _("Clean files")) + "<p>")
        out.append(", ".join(f"<code>{_e(p)}</code>" for p in clean))
        out.append("</p>")
    out.append("</div></div></section>")
    return "\n".join(out)


def _ui_language() -> str:
    """The language the page's own words are in: the loaded catalog's, else English."""
    from toolkit.i18n import translations

    return translations().info().get("language") or "en"


def render_html(
    findings: Iterable[Finding],
    result: AuditResult,
    *,
    input_format: str | None = None,
    max_bytes: int | None = None,
    accepted: int = 0,
) -> str:
    """The report as one HTML page.

    ``findings`` are the ones to show (the audit's, less what a baseline
    accepted: ``accepted`` of them); ``result`` gives the audited files,
    counts and unreadable files. ``input_format`` and ``max_bytes`` must be
    what the audit was given: files are read again the same way to show
    their text.
    """
    findings = list(findings)
    numbered = list(enumerate(findings, 1))
    by_file: dict[str, list[tuple[int, Finding]]] = {}
    for n, f in numbered:
        by_file.setdefault(f.file, []).append((n, f))
    catalogs = result.counts.get("catalogs", {})
    shown = [
        _read(path, items, input_format, max_bytes, catalogs) for path, items in by_file.items()
    ]
    clean = [p for p in result.files if p not in by_file]
    files = len(result.files)
    title = _("tolmach audit: {findings} in {files}").format(
        findings=ngettext("{n} finding", "{n} findings", len(findings)).format(n=len(findings)),
        files=ngettext("{n} file", "{n} files", files).format(n=files),
    )
    body = [
        "<header>" + _el("h1", _("Audit report")),
        f'<p class="muted">{_e(title)} · tolmach {_e(__version__)}</p></header>',
        _summary(findings, result, accepted, shown, clean),
    ]
    if findings:
        body.append(_filters(findings))
    body.append("<main>")
    body.extend(
        _file_section(k, f, by_file[f.path], result.files.get(f.path)) for k, f in enumerate(shown)
    )
    body.append("</main>")
    body.append(
        _el("footer", _("Made by tolmach audit; this page loads nothing from the network."))
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(_ui_language())}"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{_CSS}</style>\n</head><body>\n"
        + "\n".join(body)
        + f"\n<script>{_JS}</script>\n</body></html>\n"
    )
