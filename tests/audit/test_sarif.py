"""SARIF output validates against the official SARIF 2.1.0 schema (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.audit.report import render_sarif
from toolkit.cli import app
from toolkit.findings import Finding, Severity

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def _validate(log: dict) -> None:
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_is_the_official_one() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    jsonschema.Draft4Validator.check_schema(SCHEMA)


def test_schema_rejects_a_broken_log() -> None:
    log = json.loads(render_sarif([]))
    log["runs"][0]["results"] = [{"level": "fatal", "message": {"text": "x"}}]
    with pytest.raises(AssertionError):
        _validate(log)


def test_audit_sarif_validates(tmp_path: Path) -> None:
    doc = tmp_path / "page with space.md"
    doc.write_text(
        "# News\n\nThe OSCE met. The O.S.C.E. spoke.\n\nЗаголовок открываемого материала\n\n"
        "Straße\n",
        encoding="utf-8",
    )
    src = tmp_path / "src.md"
    src.write_text("Заявление ОДКБ.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "audit",
            str(doc),
            "-e",
            "en",
            "--format",
            "sarif",
            "--source",
            str(src),
            "--glossary",
            "international-organizations",
        ],
    )
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    _validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {
        "untranslated-fragment",
        "glossary-inconsistent",
        "glossary-missing-term",
    }
    levels = {r["ruleId"]: r["level"] for r in results if r["ruleId"] != "untranslated-fragment"}
    assert levels == {"glossary-inconsistent": "warning", "glossary-missing-term": "error"}
    assert {r["level"] for r in results if r["ruleId"] == "untranslated-fragment"} == {
        "error",
        "warning",
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["shortDescription"]["text"] for r in rules)
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///")
    assert "page%20with%20space.md" in uri
    whole_file = next(r for r in results if r["ruleId"] == "glossary-missing-term")
    assert "region" not in whole_file["locations"][0]["physicalLocation"]


def test_relative_paths_stay_relative() -> None:
    finding = Finding(
        rule="untranslated-fragment",
        severity=Severity.ERROR,
        file="docs/a b.md",
        line=3,
        column=2,
        message="m",
        text="t",
        fix="tolmach translate docs/a b.md --to en",
        end_line=3,
        end_column=5,
    )
    log = json.loads(render_sarif([finding]))
    _validate(log)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "docs/a%20b.md"
    assert loc["region"] == {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 5}


def test_po_audit_sarif_validates(tmp_path: Path) -> None:
    po = tmp_path / "ru.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Open"\nmsgstr ""\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["audit", str(po), "--format", "sarif"])
    assert result.exit_code == 1
    _validate(json.loads(result.stdout))


def _every_rule_id() -> set[str]:
    from toolkit.audit.rules import RULES

    return set(RULES)


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "{doc}", "-e", "en", "--format", "sarif"],
        ["po", "audit", "{po}", "--format", "sarif"],
    ],
)
def test_sarif_rules_describe_every_rule_that_can_fire(tmp_path: Path, argv: list[str]) -> None:
    """Document, catalog and glossary rules, with a description and a default level,
    whichever command wrote the log and whatever it found."""
    doc = tmp_path / "a.txt"
    doc.write_text("Hello world, this is English.\n", encoding="utf-8")
    po = tmp_path / "ru.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Open"\nmsgstr ""\n',
        encoding="utf-8",
    )
    args = [a.format(doc=doc, po=po) for a in argv]
    result = CliRunner().invoke(app, args)
    log = json.loads(result.stdout)
    _validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == _every_rule_id()
    assert {"untranslated-fragment", "po-untranslated", "glossary-conflicting-target"} <= set(ids)
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for r in log["runs"][0]["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
