"""Reporters for findings: text, JSON, SARIF 2.1.0 and GitHub workflow annotations.

Shared by ``po audit`` and the document ``audit`` command. Reporters only
format; they never print or decide exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from toolkit import __version__
from toolkit.audit.findings import Finding, Severity
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


def render_json(findings: Iterable[Finding], counts: Mapping[str, Any] | None = None) -> str:
    """``{"findings": [...], "counts": {...}}`` as indented JSON."""
    doc = {"findings": [f.to_dict() for f in findings], "counts": dict(counts or {})}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(findings: Iterable[Finding]) -> str:
    """A SARIF 2.1.0 log with one run of tolmach."""
    findings = list(findings)
    rules = sorted({f.rule for f in findings})
    results = []
    for f in findings:
        region: dict[str, int] = {}
        if f.line:
            region = {"startLine": f.line, "startColumn": max(f.column, 1)}
            if f.end_line:
                region["endLine"] = f.end_line
            if f.end_column:
                region["endColumn"] = f.end_column
        location: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
        if region:
            location["region"] = region
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rules.index(f.rule),
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"tolmach/v1": f.fingerprint()},
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tolmach",
                        "version": __version__,
                        "rules": [{"id": r} for r in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


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
