"""toolkit/ type-checks clean under the mypy configuration in pyproject.toml.

``[tool.mypy]`` is ``strict`` on toolkit/ with python_version 3.10 (the
oldest supported), ``toolkit.cli.*`` is not checked yet, and
``ignore_missing_imports`` is set per third-party module that ships no types.
A ``# type: ignore`` must name its error code and say why, and there are at
most ten in toolkit/.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "toolkit"
MAX_IGNORES = 10

# ``# type: ignore[code, code]  # reason``: tokenize yields the whole trailing
# comment, the reason included, as one COMMENT token.
_IGNORE_RE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")
_REASON_RE = re.compile(r"^\s*#\s*\S")


def _ignores(path: Path) -> list[tuple[int, str, str]]:
    """(line, codes, rest) of every ``type: ignore`` comment in ``path``."""
    out = []
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        m = _IGNORE_RE.search(tok.string)
        if m:
            out.append((tok.start[0], m.group("codes") or "", m.group("rest")))
    return out


def _all_ignores() -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        found.extend((rel, line, codes, rest) for line, codes, rest in _ignores(path))
    return found


def test_ignore_parser_reads_codes_and_reasons(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "a = 1  # type: ignore[attr-defined]  # polib's entries are untyped\n"
        "b = 2  # type: ignore\n"
        's = "# type: ignore[misc] in a string is not a comment"\n'
        "c = 3  # type:ignore[arg-type, misc]\n",
        encoding="utf-8",
    )
    found = _ignores(sample)
    assert [(line, codes) for line, codes, _rest in found] == [
        (1, "[attr-defined]"),
        (2, ""),
        (4, "[arg-type, misc]"),
    ]
    reasons = [bool(_REASON_RE.match(rest)) for _line, _codes, rest in found]
    assert reasons == [True, False, False]


def test_at_most_ten_type_ignores_each_with_code_and_reason() -> None:
    found = _all_ignores()
    assert len(found) <= MAX_IGNORES, "\n".join(f"{r}:{n}" for r, n, _c, _x in found)
    no_code = [f"{rel}:{line}" for rel, line, codes, _rest in found if not codes.strip("[] ")]
    assert no_code == [], "a type: ignore without an error code"
    no_reason = [f"{rel}:{line}" for rel, line, _codes, rest in found if not _REASON_RE.match(rest)]
    assert no_reason == [], "a type: ignore without a reason comment after it"


@pytest.mark.slow
def test_mypy_reports_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mypy import api  # in the test extra

    monkeypatch.chdir(ROOT)  # mypy reads pyproject.toml and ``files`` from here
    stdout, stderr, status = api.run([])
    assert status == 0, stdout + stderr
    assert stdout.startswith("Success: no issues found"), stdout
