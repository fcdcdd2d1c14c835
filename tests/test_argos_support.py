"""The offline package builder (tests/support) against the real argostranslate code."""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.argos_pkg import build_package, extract_package, minisbd_onnx


def test_build_is_fast_and_cached(tmp_path: Path) -> None:
    build_package(tmp_path, kind="identity")  # warm imports and the SentencePiece model
    start = time.perf_counter()
    fresh = build_package(tmp_path, kind="random", seed=123, name="fresh")
    elapsed = time.perf_counter() - start
    print(f"random tiny package built in {elapsed:.3f} s")
    assert fresh.stat().st_size > 0
    again = build_package(tmp_path / "again", kind="random", seed=123, name="fresh")
    assert again.read_bytes() == fresh.read_bytes()


def test_package_layout(tmp_path: Path) -> None:
    path = build_package(tmp_path, kind="identity", from_code="uk", to_code="en", version="2.0")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        top = {n.split("/")[0] for n in names}
        assert len(top) == 1
        (folder,) = top
        meta = json.loads(zf.read(f"{folder}/metadata.json"))
    assert (meta["from_code"], meta["to_code"], meta["package_version"]) == ("uk", "en", "2.0")
    for required in ("model/model.bin", "model/config.json", "sentencepiece.model"):
        assert f"{folder}/{required}" in names
    assert f"{folder}/minisbd/uk.onnx" in names


def test_random_packages_differ_by_seed(tmp_path: Path) -> None:
    a = build_package(tmp_path, kind="random", seed=1, name="r")
    b = build_package(tmp_path, kind="random", seed=2, name="r")
    assert a.read_bytes() != b.read_bytes()


def test_minisbd_model_splits_sentences(tmp_path: Path) -> None:
    from minisbd import SBDetect

    model = tmp_path / "ru.onnx"
    model.write_bytes(minisbd_onnx("ru"))
    detector = SBDetect(str(model), use_gpu=False)
    assert detector.sentences("Привет, мир. Как дела? Хорошо! Число 3.5 тут.") == [
        "Привет, мир.",
        "Как дела?",
        "Хорошо!",
        "Число 3.5 тут.",
    ]
    assert detector.sentences("Одно предложение без точки") == ["Одно предложение без точки"]
    assert detector.sentences("Hello...  world!  ") == ["Hello...", "world!"]


def test_argostranslate_uses_the_packaged_splitter(install_argos: Callable[..., Path]) -> None:
    folder = install_argos(kind="identity")
    from argostranslate.package import Package
    from argostranslate.sbd import MiniSBDSentencizer

    sentencizer = MiniSBDSentencizer(Package(folder))
    assert sentencizer.lang == str(folder / "minisbd" / "ru.onnx")  # a file, never a download
    assert sentencizer.split_sentences("Один. Два? Три!") == ["Один.", "Два?", "Три!"]


@pytest.mark.parametrize(
    "text",
    [
        "Привет, мир.",
        "Заголовок открываемого материала",
        "Привет, мир. Как дела? Всё хорошо!",
        "Первая строка.\nВторая строка, 42 числа; Ω и ≈ тоже.",
        "Mixed: ОБСЕ (OSCE) и ОДКБ — 3.5%.",
        "{{ORG1}} ⟦1⟧ <x1/> {0}",
    ],
)
def test_identity_package_through_real_argostranslate(
    install_argos: Callable[..., Path], text: str
) -> None:
    install_argos(kind="identity", from_code="ru", to_code="en")
    import argostranslate.translate

    assert argostranslate.translate.translate(text, "ru", "en") == text


def test_identity_copies_text_exactly(tmp_path: Path) -> None:
    """Straight through ctranslate2 and sentencepiece, without argostranslate."""
    import ctranslate2
    import sentencepiece

    folder = extract_package(build_package(tmp_path, kind="identity"), tmp_path / "x")
    sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(folder / "model"))
    text = "Договор о коллективной безопасности (ОДКБ), 1992 год!"
    tokens = sp.encode(text, out_type=str)
    result = translator.translate_batch([tokens], beam_size=4)
    assert result[0].hypotheses[0] == tokens
