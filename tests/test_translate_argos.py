"""`tolmach translate` end to end with real Argos packages built offline and
installed through argostranslate's own install_from_path (tests/support)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import app
from toolkit.engines.argos import ArgosEngine, clear_cache
from toolkit.pipeline import translate_documents

EXAMPLE = ROOT / "examples" / "article.txt"
CAPTION = "Заголовок открываемого материала"


@pytest.fixture(autouse=True)
def _fresh_engine_cache():  # type: ignore[no-untyped-def]
    clear_cache()
    yield
    clear_cache()


def translate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["translate", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_identity_package_translates_the_example(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    out = tmp_path / "article.txt"
    code, _, err = translate(str(EXAMPLE), "--to", "en", "-o", str(out), "--no-memory")
    assert code == 0, err
    assert "1 fragment found, 1 unique text, 0 from memory, 1 translated" in err
    # The identity model copies the caption; everything else is byte-identical.
    assert out.read_bytes() == EXAMPLE.read_bytes()


def test_identity_package_output_differs_only_inside_the_fragment(
    install_argos,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """A glossary entry for the caption's first word makes the change visible: the
    identity model copies the Russian, and the restored English term is the only
    English in the output."""
    install_argos(kind="identity", from_code="ru", to_code="en")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("en\tru\nHeadline\tзаголовок\n", encoding="utf-8")
    out = tmp_path / "article.txt"
    code, _, err = translate(
        str(EXAMPLE), "--to", "en", "-o", str(out), "--no-memory", "--glossary", str(glossary)
    )
    assert code == 0, err
    before, after = EXAMPLE.read_bytes(), out.read_bytes()
    start = before.index(CAPTION.encode())
    end = start + len(CAPTION.encode())
    assert after[:start] == before[:start]
    assert after[-(len(before) - end) :] == before[end:]
    assert after[start : len(after) - (len(before) - end)].decode() == (
        "Headline открываемого материала"
    )


def test_glossary_terms_are_the_only_english(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    doc = tmp_path / "ru.txt"
    doc.write_text(
        "Home | News\n"
        "Генеральный секретарь ОБСЕ посетил штаб-квартиру Организации Договора о "
        "коллективной безопасности.\n"
        "Лидеры СНГ и НАТО обсудили доклад ООН.\n",
        encoding="utf-8",
    )
    code, out, err = translate(str(doc), "--to", "en", "--no-memory", "--json")
    assert code == 0, err
    text = json.loads(out)["files"][0]["text"]
    assert text == (
        "Home | News\n"
        "Генеральный секретарь OSCE посетил штаб-квартиру Collective Security Treaty "
        "Organization.\n"
        "Лидеры CIS и NATO обсудили доклад UN.\n"
    )
    summary = json.loads(out)["summary"]
    assert summary["terms_applied"] == 5
    assert summary["terms_failed"] == 0


def test_random_package_bounded_deterministic_and_local(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="random", from_code="ru", to_code="en")
    src = tmp_path / "in"
    src.mkdir()
    lines = ["Site name", "World news", f"{CAPTION}", "0", "Chats"]
    (src / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "b.md").write_text(
        "# Title\n\nEnglish paragraph here.\n\nКороткий русский абзац.\n", encoding="utf-8"
    )
    outs = []
    for run in range(2):
        dest = tmp_path / f"out{run}"
        code, _, err = translate(str(src), "--to", "en", "-o", str(dest), "--no-memory")
        assert code == 0, err
        outs.append({p.name: p.read_text(encoding="utf-8") for p in dest.iterdir()})
    assert outs[0] == outs[1]  # deterministic
    a = outs[0]["a.txt"].split("\n")
    assert [a[i] for i in (0, 1, 3, 4)] == ["Site name", "World news", "0", "Chats"]
    assert a[2] != CAPTION
    assert 0 < len(a[2]) <= 4 * len(CAPTION) + 40  # bounded, not 256 tokens of noise
    b = outs[0]["b.md"]
    assert b.startswith("# Title\n\nEnglish paragraph here.\n\n")
    assert b.endswith("\n")
    assert len(b) < 400


def test_missing_model_is_exit_3_naming_both_installs(argos_packages_dir: Path) -> None:
    code, _, err = translate(str(EXAMPLE), "--to", "en", "--no-memory")
    assert code == 3
    assert "ru" in err
    assert "en" in err
    assert "tolmach models install --from ru --to en" in err
    assert "tolmach models install FILE" in err or ".argosmodel" in err
    assert len([line for line in err.splitlines() if line.startswith("tolmach: error")]) == 1


def test_download_offline_is_one_line(argos_packages_dir: Path) -> None:
    code, _, err = translate(str(EXAMPLE), "--to", "en", "--no-memory", "--download")
    assert code == 5
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_pair_does_not_stop_the_others(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ru→en is installed, uk→en is not: the Russian file is translated and written,
    the Ukrainian fragment stays, and the exit code says a model is missing."""
    install_argos(kind="identity", from_code="ru", to_code="en")
    src = tmp_path / "in"
    src.mkdir()
    (src / "ru.txt").write_text("Hello.\nЗаявление ОБСЕ.\n", encoding="utf-8")
    (src / "uk.txt").write_text("Hello.\nЗаява ОБСЄ щодо ситуації в Україні.\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = translate(str(src), "--to", "en", "-o", str(out), "--no-memory")
    assert code == 3
    assert "uk→en" in err
    assert (out / "ru.txt").read_text(encoding="utf-8") == "Hello.\nЗаявление OSCE.\n"
    assert (out / "uk.txt").read_bytes() == (src / "uk.txt").read_bytes()


def test_rerun_from_memory_makes_zero_engine_calls(install_argos, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    install_argos(kind="identity", from_code="ru", to_code="en")
    from toolkit.memory import Memory

    doc = tmp_path / "a.txt"
    doc.write_text(f"News\n{CAPTION}\nЕщё строка.\n", encoding="utf-8")
    with Memory(tmp_path / "tm.sqlite3") as tm:
        first_engine = ArgosEngine()
        translate_documents([doc], target="en", engine=first_engine, memory=tm)
        second_engine = ArgosEngine()
        run, rendered = translate_documents([doc], target="en", engine=second_engine, memory=tm)
    assert first_engine.calls >= 1
    assert second_engine.calls == 0
    assert run.stats.from_memory == 2
    assert rendered[str(doc)] == doc.read_bytes()
