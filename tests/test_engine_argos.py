"""ArgosEngine: the fast CTranslate2 path against the reference argostranslate path."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.argos_pkg import build_package
from toolkit import models
from toolkit.engines import Engine, get_engine
from toolkit.engines.argos import (
    REFERENCE_MAX_LENGTH,
    ArgosEngine,
    max_decoding_length,
    regex_sentences,
)
from toolkit.engines.spec import resolve_engine_spec
from toolkit.errors import MissingDependencyError, MissingModelError, UsageError

SINGLE = ["Привет, мир.", "Заголовок открываемого материала", "ОБСЕ и ОДКБ, 1992 год!"]
MULTI = [
    "Привет, мир. Как дела? Всё хорошо!",
    "Первая строка. Вторая фраза!\nНовый абзац? Да.",
    "",
    "\nСтрока после пустой строки.\n\nИ ещё одна.",
    "  пробелы вокруг  ",
    "Одно. Два. Три. Четыре. Пять. Шесть. Семь. Восемь. Девять. Десять.",
]


def test_engine_protocol_and_registry(argos_packages_dir: Path) -> None:
    engine = get_engine("argos")
    assert isinstance(engine, ArgosEngine)
    assert isinstance(engine, Engine)
    assert engine.path == "fast"
    reference = get_engine("argos-reference")
    assert isinstance(reference, ArgosEngine)
    assert reference.path == "reference"


@pytest.mark.parametrize("path", ["fast", "reference"])
def test_identity_package_copies_exactly(install_argos: Callable[..., Path], path: str) -> None:
    install_argos(kind="identity")
    engine = ArgosEngine(path=path)
    texts = SINGLE + MULTI
    out = engine.translate_batch(texts, "ru", "en")
    # argostranslate strips each paragraph and drops leading newlines; the copy is exact otherwise.
    assert out[:3] == SINGLE
    assert out[3] == MULTI[0]
    assert out[4] == MULTI[1]
    assert out[5] == ""
    assert out[6] == "Строка после пустой строки.\n\nИ ещё одна."
    assert out[7] == "пробелы вокруг"
    assert out[8] == MULTI[5]
    assert len(out) == len(texts)


@pytest.mark.parametrize("kind", ["identity", "random"])
@pytest.mark.parametrize("beam", [1, 4])
def test_fast_equals_reference(install_argos: Callable[..., Path], kind: str, beam: int) -> None:
    install_argos(kind=kind)
    # The reference always runs under ctranslate2's 256-token cap; give the fast path the same.
    fast = ArgosEngine(path="fast", beam_size=beam, max_length=REFERENCE_MAX_LENGTH)
    reference = ArgosEngine(path="reference", beam_size=beam)
    texts = SINGLE + MULTI
    got = fast.translate_batch(texts, "ru", "en")
    assert got == reference.translate_batch(texts, "ru", "en")
    assert fast.calls == 1  # every sentence of every text in one translate_batch call
    if kind == "random":
        assert got[:3] != SINGLE  # a random model does not copy: the comparison means something


def test_fast_equals_reference_with_target_prefix(install_argos: Callable[..., Path]) -> None:
    install_argos(kind="random", target_prefix="Q", name="prefixed")
    pkg = models.find_package("ru", "en")
    assert pkg is not None
    assert pkg.target_prefix == "Q"
    texts = ["Привет, мир.", "Первая фраза. Вторая фраза!"]
    fast = ArgosEngine(path="fast", max_length=REFERENCE_MAX_LENGTH)
    reference = ArgosEngine(path="reference")
    assert fast.translate_batch(texts, "ru", "en") == reference.translate_batch(texts, "ru", "en")


def test_default_bound_keeps_random_output_short(install_argos: Callable[..., Path]) -> None:
    install_argos(kind="random")
    pkg = models.find_package("ru", "en")
    assert pkg is not None
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg.sentencepiece_model))
    texts = ["Привет, мир.", "Да.", "Заголовок открываемого материала"]
    fast = ArgosEngine(path="fast").translate_batch(texts, "ru", "en")
    capped = ArgosEngine(path="fast", max_length=REFERENCE_MAX_LENGTH).translate_batch(
        texts, "ru", "en"
    )
    for text, out, long in zip(texts, fast, capped, strict=True):
        n_src = len(sp.encode(text, out_type=str))
        n_out = len(sp.encode(out, out_type=str))
        assert n_out <= max_decoding_length(2 * n_src) + 2
        assert len(out) < len(long)  # the unbounded run goes much further


def test_max_decoding_length_formula() -> None:
    assert max_decoding_length(1) == 12
    assert max_decoding_length(100) == 210
    assert max_decoding_length(200) == REFERENCE_MAX_LENGTH
    assert max_decoding_length(300) == 610
    assert max_decoding_length(10, prefix_tokens=1) == 31


@pytest.mark.parametrize("path", ["fast", "reference"])
def test_pivot_through_english(install_argos: Callable[..., Path], path: str) -> None:
    install_argos(kind="identity", from_code="ru", to_code="en")
    install_argos(kind="identity", from_code="en", to_code="de")
    engine = ArgosEngine(path=path)
    assert engine.translate_batch(SINGLE, "ru", "de") == SINGLE
    identity = engine.identity("ru", "de")
    assert "translate-ru_en-identity-1.0@1.0" in identity
    assert "translate-en_de-identity-1.0@1.0" in identity


def test_pivot_fast_equals_reference_on_random(install_argos: Callable[..., Path]) -> None:
    install_argos(kind="random", from_code="ru", to_code="en", seed=1)
    install_argos(kind="random", from_code="en", to_code="de", seed=2)
    texts = ["Привет, мир.", "Два. Предложения!"]
    fast = ArgosEngine(path="fast", max_length=REFERENCE_MAX_LENGTH)
    reference = ArgosEngine(path="reference")
    assert fast.translate_batch(texts, "ru", "de") == reference.translate_batch(texts, "ru", "de")


@pytest.mark.parametrize("path", ["fast", "reference"])
def test_missing_model(argos_packages_dir: Path, path: str) -> None:
    engine = ArgosEngine(path=path)
    with pytest.raises(MissingModelError) as err:
        engine.translate_batch(["Привет"], "ru", "en")
    message = str(err.value)
    assert "ru→en" in message
    assert "tolmach models install --from ru --to en" in message
    assert "tolmach models install FILE.argosmodel" in message
    assert engine.translate_batch([], "ru", "en") == []
    assert engine.translate_batch(["same"], "ru", "ru") == ["same"]


def test_identity_string_tracks_package_version(argos_packages_dir: Path, tmp_path: Path) -> None:
    models.install_from_file(build_package(tmp_path, version="1.0", name="ru_en"))
    engine = ArgosEngine()
    first = engine.identity("ru", "en")
    assert first == engine.identity("ru", "en")
    assert "ru_en@1.0" in first
    assert first.startswith("argos:")
    models.install_from_file(build_package(tmp_path, version="1.1", name="ru_en"))
    assert engine.identity("ru", "en") != first
    assert ArgosEngine(path="reference").identity("ru", "en").startswith("argos-reference:")


def test_reinstall_is_seen_by_a_loaded_engine(argos_packages_dir: Path, tmp_path: Path) -> None:
    models.install_from_file(build_package(tmp_path, kind="identity", name="ru_en"))
    engine = ArgosEngine()
    assert engine.translate_batch(["Привет"], "ru", "en") == ["Привет"]
    models.install_from_file(build_package(tmp_path, kind="random", version="2", name="ru_en"))
    assert engine.translate_batch(["Привет"], "ru", "en") != ["Привет"]


def test_package_without_sbd_uses_regex_splitter(argos_packages_dir: Path, tmp_path: Path) -> None:
    models.install_from_file(build_package(tmp_path, kind="identity", sbd=False, name="nosbd"))
    pkg = models.find_package("ru", "en")
    assert pkg is not None
    assert pkg.sbd_model is None
    text = "Один. Два? Три!"
    assert ArgosEngine().translate_batch([text], "ru", "en") == [text]


def test_regex_sentences() -> None:
    assert regex_sentences("Один. Два? Три! «Четыре.» Пять…  Шесть") == [
        "Один.",
        "Два?",
        "Три!",
        "«Четыре.»",
        "Пять…",
        "Шесть",
    ]
    assert regex_sentences("3.5 и 4.2") == ["3.5 и 4.2"]
    assert regex_sentences("   ") == []


def test_device_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_DEVICE_TYPE", raising=False)
    assert resolve_engine_spec(device=None).device == "cpu"
    assert resolve_engine_spec(device="cpu").device == "cpu"
    with pytest.raises(UsageError):
        resolve_engine_spec(device="tpu")
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    assert resolve_engine_spec(device="auto").device == ("cuda" if gpus else "cpu")
    monkeypatch.setenv("ARGOS_DEVICE_TYPE", "cuda")
    if gpus:
        assert resolve_engine_spec(device=None).device == "cuda"
    else:
        with pytest.raises(MissingDependencyError, match="--device cpu"):
            resolve_engine_spec(device=None)
        with pytest.raises(MissingDependencyError):
            ArgosEngine(device="cuda")


def test_beam_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "2")
    assert ArgosEngine().beam_size == 2
    assert ArgosEngine(beam_size=5).beam_size == 5
    monkeypatch.setenv("ARGOS_BEAM_SIZE", "many")
    with pytest.raises(UsageError):
        ArgosEngine()


def test_bad_engine_options() -> None:
    with pytest.raises(UsageError):
        ArgosEngine(path="turbo")
    with pytest.raises(UsageError):
        ArgosEngine(beam_size=0)
    with pytest.raises(UsageError):
        ArgosEngine(max_length=0)


FAST_PROBE = """
import json, sys, time
from toolkit.engines.argos import ArgosEngine
out = ArgosEngine().translate_batch(["Привет, мир. Как дела?"], "ru", "en")
print(json.dumps({
    "out": out,
    "loaded": sorted(m for m in ("torch", "argostranslate.translate", "stanza", "spacy")
                     if m in sys.modules),
}))
"""


def test_fast_path_never_imports_torch(
    argos_packages_dir: Path, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    models.install_from_file(build_package(tmp_path, kind="identity"))
    env = dict(subprocess_env, ARGOS_PACKAGES_DIR=str(argos_packages_dir))
    result = subprocess.run(
        [sys.executable, "-c", FAST_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["out"] == ["Привет, мир. Как дела?"]
    assert data["loaded"] == []
