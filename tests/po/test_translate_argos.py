"""`tolmach po translate` through the real Argos engine, with the identity package
built offline (tests/support) installed for en→ru and en→be."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import shared_data
from tests.po.helpers import entry_blocks
from toolkit.cli import app
from toolkit.engines.argos import clear_cache
from toolkit.po import placeholders

MSGFMT = shutil.which("msgfmt")
NAMES = ["bleachbit_be", "bleachbit_ru", "dpkg_ru", "pv_ru", "sphinx_ru"]


def _counter(text: str, flags: list[str]) -> Counter[str]:
    return Counter(placeholders.find(text, flags))


@pytest.mark.shared_data
@pytest.mark.parametrize("name", NAMES)
def test_shared_catalog_with_the_identity_argos_package(
    name: str,
    tmp_path: Path,
    install_argos,  # type: ignore[no-untyped-def]
) -> None:
    src = shared_data("po", f"{name}.po")
    lang = name.rsplit("_", 1)[1]
    install_argos(kind="identity", from_code="en", to_code=lang)
    clear_cache()
    before = src.read_bytes()
    out = tmp_path / f"{name}.po"
    result = CliRunner().invoke(
        app, ["po", "translate", str(src), "-o", str(out), "--no-memory", "--json", "-q"]
    )
    clear_cache()
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    summary = json.loads(result.stdout)[0]
    assert summary["filled"] + len(summary["failures"]) == summary["candidates"]
    after = out.read_bytes() if out.exists() else before
    if name == "bleachbit_ru":
        assert summary["candidates"] == 0
        assert after == before  # complete catalog: byte-identical
        return
    assert summary["filled"] > 0
    old, new = entry_blocks(before), entry_blocks(after)
    assert old.keys() == new.keys()
    written = 0
    for key, (block, entry) in old.items():
        new_block, new_entry = new[key]
        if new_block == block:
            continue
        written += 1
        assert not entry.translated(), key  # reviewed work is never touched
        assert "fuzzy" in new_entry.flags, key
        flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            wanted = {
                frozenset(_counter(entry.msgid, flags).items()),
                frozenset(_counter(entry.msgid_plural, flags).items()),
            }
            for text in new_entry.msgstr_plural.values():
                assert frozenset(_counter(text, flags).items()) in wanted, key
        else:
            assert _counter(new_entry.msgstr, flags) == _counter(entry.msgid, flags), key
    assert written == summary["filled"]
    if MSGFMT:
        proc = subprocess.run(
            [MSGFMT, "--check-format", "--check-header", "-o", "/dev/null", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
