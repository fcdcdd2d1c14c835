"""One engine specification: resolved and validated once, frozen, picklable; the
text core stands on its own; the models' cache hook."""

from __future__ import annotations

import ast
import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.engines
import toolkit.models
from tests.conftest import ROOT
from tests.support.argos_pkg import build_package
from toolkit import cuda, models
from toolkit.cli import app
from toolkit.engines import EngineSpec, build_engine, models_changed, on_models_changed
from toolkit.engines.spec import (
    FAST_BATCH_TOKENS_CPU,
    FAST_BATCH_TOKENS_CUDA,
    resolve_engine_spec,
)
from toolkit.errors import MissingDependencyError, UsageError

BAD_DEVICE = "tolmach: error: unknown device 'tpu'; choose cpu, cuda or auto"


def _catalog(tmp_path: Path) -> Path:
    po = tmp_path / "app.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n',
        encoding="utf-8",
    )
    return po


@pytest.mark.parametrize("command", ["translate", "po translate", "doctor"])
def test_bad_device_is_one_line_exit_2_with_the_same_message(command: str, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("News\nЗаголовок открываемого материала\n", encoding="utf-8")
    argv = {
        "translate": ["translate", str(doc), "--to", "en"],
        "po translate": ["po", "translate", str(_catalog(tmp_path))],
        "doctor": ["doctor", "--no-network"],
    }[command]
    result = CliRunner().invoke(app, [*argv, "--device", "TPU"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [BAD_DEVICE]
    assert doc.read_text(encoding="utf-8").endswith("материала\n")  # nothing written


def test_bad_device_from_the_environment_is_the_same_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "tpu")
    doc = tmp_path / "a.txt"
    doc.write_text("News\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["translate", str(doc), "--to", "en"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [BAD_DEVICE]


def test_translate_resolves_the_spec_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str | None]] = []
    real = toolkit.engines.resolve_engine_spec

    def counting(name: str = "argos", **options: object) -> EngineSpec:
        calls.append((name, options.get("device")))  # type: ignore[arg-type]
        return real(name, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(toolkit.engines, "resolve_engine_spec", counting)
    doc = tmp_path / "a.txt"
    doc.write_text("News\nЗаголовок открываемого материала\n", encoding="utf-8")
    argv = ["translate", str(doc), "--to", "en", "--engine", "identity", "--device", "cpu"]
    result = CliRunner().invoke(app, [*argv, "-o", str(tmp_path / "out.txt")])
    assert result.exit_code == 0, result.output
    assert calls == [("identity", "cpu")]


def test_an_engine_built_from_a_spec_never_resolves_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = resolve_engine_spec("argos-reference", device="cpu", beam=3)

    def fail(*args: object, **kwargs: object) -> EngineSpec:
        raise AssertionError("resolved twice")

    monkeypatch.setattr("toolkit.engines.spec.resolve_engine_spec", fail)
    monkeypatch.setattr("toolkit.engines.argos.resolve_engine_spec", fail)
    engine = build_engine(spec)
    assert engine.spec == spec  # type: ignore[attr-defined]
    assert (engine.name, engine.path, engine.beam_size) == ("argos-reference", "reference", 3)  # type: ignore[attr-defined]


def test_spec_values_and_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_DEVICE_TYPE", raising=False)
    monkeypatch.delenv("ARGOS_BEAM_SIZE", raising=False)
    spec = resolve_engine_spec("fast", device=" CPU ")
    assert (spec.name, spec.device, spec.asked) == ("argos", "cpu", "cpu")
    assert (spec.beam, spec.compute_type, spec.batch_tokens) == (2, "int8", FAST_BATCH_TOKENS_CPU)
    assert spec.takes_device
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "5")
    assert resolve_engine_spec().beam == 5
    assert resolve_engine_spec(beam=3).beam == 3
    identity = resolve_engine_spec("identity")
    assert (identity.batch_tokens, identity.takes_device) == (None, False)
    with pytest.raises(UsageError, match="unknown engine 'turbo'"):
        resolve_engine_spec("turbo")
    with pytest.raises(UsageError, match="beam size must be at least 1"):
        resolve_engine_spec(beam=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.device = "cuda"  # type: ignore[misc]


def test_batch_tokens_follow_the_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spec decides the batch size for its device: a GPU run (local or on a
    cluster) gets the GPU batches, nothing overwrites them afterwards."""
    monkeypatch.setattr(cuda, "require", lambda: cuda.CudaStatus(device_count=1))
    local = resolve_engine_spec("argos", device="cuda")
    assert (local.device, local.batch_tokens) == ("cuda", FAST_BATCH_TOKENS_CUDA)
    asked: list[int] = []

    def two_gpus() -> int:
        asked.append(2)
        return 2

    cluster = resolve_engine_spec("argos", device="auto", gpus=two_gpus)
    assert (cluster.device, cluster.batch_tokens, asked) == ("cuda", FAST_BATCH_TOKENS_CUDA, [2])
    assert resolve_engine_spec("argos", device="auto", gpus=lambda: 0).device == "cpu"
    resolve_engine_spec("argos", device="cpu", gpus=two_gpus)
    assert asked == [2]  # the cluster is asked only when a GPU could be used


def test_unusable_cuda_raises_unless_not_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cuda, "device_count", lambda: 0)
    cuda.status(refresh=True)
    try:
        with pytest.raises(MissingDependencyError, match="--device cpu"):
            resolve_engine_spec("argos", device="cuda")
        spec = resolve_engine_spec("argos", device="cuda", strict=False)
        assert (spec.asked, spec.device) == ("cuda", "cpu")
    finally:
        monkeypatch.undo()
        cuda.status(refresh=True)


def test_spec_is_picklable_and_a_worker_builds_its_engine_from_it() -> None:
    """Ray actors receive the spec by pickle (as ``ray.remote`` sends arguments)."""
    from toolkit.executors.ray import Worker

    spec = resolve_engine_spec("argos", device="cpu", beam=4).with_threads(1, 3)
    again = pickle.loads(pickle.dumps(spec))
    assert again == spec
    worker = Worker(again, {})
    assert worker.engine.spec == spec
    assert (worker.engine.inter_threads, worker.engine.intra_threads) == (1, 3)
    identity = Worker(pickle.loads(pickle.dumps(resolve_engine_spec("identity"))), {})
    assert identity.translate(["a", "b"], "ru", "en") == ["a", "b"]


def test_po_translate_uses_the_text_core_not_the_document_driver() -> None:
    source = (ROOT / "toolkit" / "po" / "translate.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert "toolkit.translation" in imported
    assert "toolkit.pipeline" not in imported
    probe = "import sys, toolkit.po.translate; print('toolkit.pipeline' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_models_changed_hook_runs_on_install_and_remove(
    argos_packages_dir: Path, tmp_path: Path
) -> None:
    seen: list[str] = []

    def hook() -> None:
        seen.append("changed")

    on_models_changed(hook)
    try:
        pkg = models.install_from_file(build_package(tmp_path / "built", kind="identity"))
        assert seen == ["changed"]
        models.remove(name=pkg.name)
        assert seen == ["changed", "changed"]
    finally:
        toolkit.models._on_models_changed.remove(hook)
    models_source = (ROOT / "toolkit" / "models.py").read_text(encoding="utf-8")
    assert "sys.modules" not in models_source


def test_models_changed_clears_the_argos_engine_cache(argos_packages_dir: Path) -> None:
    from toolkit.engines import argos

    argos._cache[("x",)] = object()  # type: ignore[assignment]
    argos._tokenizers[("x", "1")] = object()
    models_changed()
    assert argos._cache == {}
    assert argos._tokenizers == {}


def test_only_the_spec_module_reads_device_and_engine_choices() -> None:
    """No other module parses a device string, reads ARGOS_DEVICE_TYPE/ARGOS_BEAM_SIZE
    or knows which engines take a device."""
    needles = (
        'os.environ.get("ARGOS_DEVICE_TYPE")',
        'os.environ.get("ARGOS_BEAM_SIZE")',
        "choose cpu, cuda or auto",
        'startswith("argos")',
        "FAST_BATCH_TOKENS",
    )
    found = {
        (path.relative_to(ROOT).as_posix(), needle)
        for path in (ROOT / "toolkit").rglob("*.py")
        for needle in needles
        if needle in path.read_text(encoding="utf-8")
    }
    assert {where for where, _needle in found} == {"toolkit/engines/spec.py"}
