"""The public Python API at the package root: lazy, documented, runnable."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("argostranslate", "ctranslate2", "torch", "stanza", "spacy")
EXPORTED = {
    "audit_paths",
    "detect_file",
    "detect_text",
    "load_glossary",
    "translate_files",
    "translate_texts",
    "Language",
    "EngineSpec",
    "get_engine",
    "resolve_engine_spec",
}


def test_import_toolkit_lists_the_api_and_imports_no_engine(
    subprocess_env: dict[str, str],
) -> None:
    code = (
        "import sys, toolkit; print(toolkit.__all__); "
        f"print([m for m in {(*HEAVY, 'typer', 'toolkit.detect', 'toolkit.pipeline')!r} "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert set(eval(out[0])) >= EXPORTED  # the printed list
    assert out[1] == "[]"


@pytest.mark.parametrize("module", ["toolkit", "toolkit.api", "toolkit.languages"])
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    mod = importlib.import_module(module)
    failed, tried = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert tried > 0
    assert failed == 0


def test_every_exported_name_has_an_example() -> None:
    import toolkit

    root_examples = [line for line in (toolkit.__doc__ or "").splitlines() if ">>>" in line]
    for name in EXPORTED:
        own = getattr(toolkit, name).__doc__ or ""
        assert ">>>" in own or any(f"toolkit.{name}" in line for line in root_examples), name


def test_engine_spec_is_exported_lazily() -> None:
    import toolkit
    from toolkit.engines import spec

    assert toolkit.EngineSpec is spec.EngineSpec
    assert toolkit.resolve_engine_spec is spec.resolve_engine_spec
    failed, tried = doctest.testmod(spec, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failed == 0


def test_python_api_rejects_an_unknown_code() -> None:
    import toolkit

    with pytest.raises(toolkit.UsageError, match="unknown language code 'english'"):
        toolkit.translate_texts(["x"], source="ru", to="english", engine="identity")
    with pytest.raises(toolkit.UsageError, match="unknown language code 'xx'"):
        toolkit.detect_text("hello", languages="en,xx")


def _readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


@pytest.mark.parametrize("index", range(len(_readme_python_blocks())))
def test_readme_python_examples_run(
    index: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    block = _readme_python_blocks()[index]
    exec(compile(block, f"README.md python block {index + 1}", "exec"), {"__name__": "__readme__"})
    capsys.readouterr()
