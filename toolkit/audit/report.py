"""Reporters for findings: text, JSON, SARIF 2.1.0, GitHub workflow annotations and JUnit XML.

Shared by ``po audit`` and the document ``audit`` command. Reporters only
format; they never print or decide exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from toolkit import __version__
from toolkit.findings import Finding, Rule, Severity
from toolkit.i18n import _

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _severity_label(severity: Severity) -> str:
    return {Severity.ERROR: _("error"), Severity.WARNING: _("warning"), Severity.INFO: _("info")}[
        severity
    ]


def _short(text: str, limit: int = 70) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_text(findings: Iterable[Finding], *, color: bool = False) -> str:
    """One line per finding: ``file:line:col: severity: message [rule] "text"``."""
    lines = []
    for f in findings:
        label = _severity_label(f.severity)
        if color:
            label = f"\x1b[{_COLORS[f.severity]}m{label}\x1b[0m"
        where = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
        tail = f' "{_short(f.text)}"' if f.text else ""
        lines.append(f"{where}: {label}: {f.message} [{f.rule}]{tail}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_grouped(findings: Iterable[Finding], *, color: bool = False) -> str:
    """Findings grouped by file: the file once, then ``line:col  severity  message``
    lines, the text and the suggested fix under each."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    out: list[str] = []
    fix_label = _("fix")
    for file, items in by_file.items():
        out.append(f"\x1b[1m{file}\x1b[0m" if color else file)
        width = max(len(f"{f.line}:{f.column}") for f in items)
        for f in items:
            where = f"{f.line}:{f.column}" if f.line else "-"
            label = _severity_label(f.severity)
            padded = f"{label:<7}"
            if color:
                padded = f"\x1b[{_COLORS[f.severity]}m{padded}\x1b[0m"
            rule = f"\x1b[2m{f.rule}\x1b[0m" if color else f.rule
            out.append(f"  {where:<{width}}  {padded}  {f.message}  {rule}")
            pad = " " * (width + 4)
            if f.text:
                out.append(f'{pad}"{_short(f.text)}"')
            if f.fix:
                out.append(f"{pad}{fix_label}: {f.fix}")
        out.append("")
    return "\n".join(out)


def render_json(findings: Iterable[Finding], counts: Mapping[str, Any] | None = None) -> str:
    """``{"findings": [...], "counts": {...}}`` as indented JSON."""
    doc = {"findings": [f.to_dict() for f in findings], "counts": dict(counts or {})}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A file path as a SARIF ``uri``: relative paths stay relative (code-scanning
    UIs resolve them against the checkout), absolute ones become ``file://``."""
    from pathlib import Path, PurePosixPath
    from urllib.parse import quote

    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(str(PurePosixPath(*p.parts)), safe="/")


def render_sarif(findings: Iterable[Finding], *, rules: Iterable[Rule] | None = None) -> str:
    """A SARIF 2.1.0 log with one run of tolmach.

    The driver's ``rules`` array describes ``rules`` (default: every rule of
    the registry, :mod:`toolkit.audit.rules`: documents, catalogs and glossary
    files), each with its description and default level; a finding of a rule
    not listed gets a bare entry.
    """
    if rules is None:
        from toolkit.audit.rules import RULES

        rules = RULES.values()
    table = {r.id: _rule(r) for r in rules}
    findings = list(findings)
    for f in findings:
        table.setdefault(f.rule, {"id": f.rule})
    index = {rule_id: i for i, rule_id in enumerate(table)}
    results = []
    fix_label = _("fix")
    for f in findings:
        region: dict[str, int] = {}
        if f.line:
            region = {"startLine": f.line, "startColumn": max(f.column, 1)}
            if f.end_line:
                region["endLine"] = f.end_line
            if f.end_column:
                region["endColumn"] = f.end_column
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.file)}}
        if region:
            location["region"] = region
        message = f.message
        if f.fix:
            message += f" ({fix_label}: {f.fix})"
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {"tolmach/v1": f.fingerprint()},
        }
        props = {
            k: v
            for k, v in (("text", f.text), ("lang", f.lang), ("confidence", f.confidence))
            if v not in (None, "")
        }
        if props:
            result["properties"] = props
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tolmach",
                        "version": __version__,
                        "rules": list(table.values()),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.description},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"scope": rule.scope},
    }


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in findings:
        props = [f"file={_gh_escape(f.file, True)}"]
        if f.line:
            props += [f"line={f.line}", f"col={max(f.column, 1)}"]
        props.append(f"title={_gh_escape(f.rule, True)}")
        lines.append(f"::{kind[f.severity]} {','.join(props)}::{_gh_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


_XML_INVALID = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _xml_text(value: str) -> str:
    return value.translate(_XML_INVALID)


def render_junit(
    findings: Iterable[Finding],
    *,
    files: Iterable[str] = (),
    rules: Iterable[Rule] | None = None,
) -> str:
    """JUnit XML, as CI systems read test reports (as gettext's ``junitmsgfmt``).

    One ``testsuite`` per audited file (``files``, plus any file a finding
    names); in it, one passing ``testcase`` per rule that found nothing
    (``rules``: those that ran) and one failing ``testcase`` per finding, named
    ``rule:line``, with a ``failure`` whose ``type`` is the severity.
    """
    import xml.etree.ElementTree as ET

    findings = list(findings)
    by_file: dict[str, list[Finding]] = {f: [] for f in files}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    rule_ids = [r.id for r in rules] if rules is not None else []
    root = ET.Element("testsuites", name="tolmach")
    total = failed = 0
    for file, items in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_xml_text(file))
        hit = {f.rule for f in items}
        cases = 0
        for rule_id in rule_ids:
            if rule_id not in hit:
                ET.SubElement(suite, "testcase", classname=_xml_text(file), name=rule_id)
                cases += 1
        for f in items:
            where = f"{f.rule}:{f.line}" if f.line else f.rule
            case = ET.SubElement(suite, "testcase", classname=_xml_text(file), name=where)
            failure = ET.SubElement(
                case, "failure", message=_xml_text(f.message), type=f.severity.value
            )
            location = f"{f.file}:{f.line}:{f.column}" if f.line else f.file
            failure.text = _xml_text(f"{location}: {f.message}" + (f"\n{f.text}" if f.text else ""))
            cases += 1
        suite.set("tests", str(cases))
        suite.set("failures", str(len(items)))
        suite.set("errors", "0")
        total += cases
        failed += len(items)
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
