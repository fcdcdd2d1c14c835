"""docs/errors.md lists every error message raised under toolkit/, with advice."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_error_catalogue_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "error_catalogue.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_readme_links_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    assert "docs/errors.md" in section
