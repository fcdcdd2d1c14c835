"""tolmach speaks Russian: the template is current, ru.po is complete, catalogs load."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit import i18n

LOCALES = ROOT / "locales"
POT = LOCALES / "tolmach.pot"
RU = LOCALES / "ru" / "LC_MESSAGES" / "tolmach.po"
CYRILLIC = re.compile(r"[А-Яа-яЁё]{3,}")


def _key(e: polib.POEntry) -> tuple[object, ...]:
    return (e.msgctxt, e.msgid, e.msgid_plural, tuple(e.occurrences), tuple(sorted(e.flags)))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (GNU gettext) is missing")
def test_pot_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "extract-messages"), "--pot", str(fresh)],
        check=True,
        cwd=ROOT,
    )
    want = sorted(_key(e) for e in polib.pofile(str(fresh)))
    have = sorted(_key(e) for e in polib.pofile(str(POT)))
    assert have == want, "locales/tolmach.pot is stale: run `python scripts/extract-messages`"


def test_every_message_has_a_reviewed_russian_translation() -> None:
    ru = polib.pofile(str(RU))
    assert not ru.metadata_is_fuzzy
    translated = {(e.msgctxt, e.msgid) for e in ru.translated_entries()}
    missing = [e.msgid for e in polib.pofile(str(POT)) if (e.msgctxt, e.msgid) not in translated]
    assert missing == []
    for entry in ru.translated_entries():
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            assert '"' not in text.replace("\\", ""), f"use «ёлочки»: {text!r}"


def test_po_audit_of_locales_is_clean() -> None:
    result = CliRunner().invoke(i18n_app(), ["po", "audit", str(LOCALES), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"po-untranslated"' not in result.stdout


def i18n_app() -> object:
    from toolkit.cli import app

    return app


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (GNU gettext) is missing")
def test_ru_po_passes_msgfmt_check() -> None:
    proc = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(RU)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def _use(monkeypatch: pytest.MonkeyPatch, lang: str, folder: Path | None = None) -> None:
    monkeypatch.setenv("LANG", lang)
    if folder is not None:
        monkeypatch.setattr(i18n, "locales_dir", lambda: folder)
    i18n.translations.cache_clear()


def test_po_is_loaded_without_mo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    (folder / "ru" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(RU, folder / "ru" / "LC_MESSAGES" / "tolmach.po")
    _use(monkeypatch, "ru_RU.UTF-8", folder)
    assert i18n._("error") == "ошибка"
    forms = [
        i18n.ngettext(
            "{path}: filled {n} entry of {total}", "{path}: filled {n} entries of {total}", n
        )
        for n in (1, 3, 5, 21)
    ]
    assert [f.split()[1] for f in forms] == ["заполнена", "заполнены", "заполнено", "заполнена"]


def test_mo_is_preferred(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    target = folder / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = polib.pofile(str(RU))
    po.find("error").msgstr = "ошибка-из-mo"
    po.save_as_mofile(str(target / "tolmach.mo"))
    _use(monkeypatch, "ru_RU.UTF-8", folder)
    assert i18n._("error") == "ошибка-из-mo"
    assert i18n.ngettext("{n} left untranslated (placeholders)", "x", 5).startswith("{n} записей")


@pytest.mark.parametrize("lang", ["C.UTF-8", "de_DE.UTF-8", ""])
def test_other_languages_fall_back_to_english(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    _use(monkeypatch, lang)
    assert i18n._("error") == "error"


def test_broken_catalog_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    (folder / "ru" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "ru" / "LC_MESSAGES" / "tolmach.mo").write_bytes(b"not a mo file")
    _use(monkeypatch, "ru_RU.UTF-8", folder)
    assert i18n._("error") == "error"


def _run_ru(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = dict(env, LANG="ru_RU.UTF-8")
    env.pop("LANGUAGE", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_russian_help_and_error(subprocess_env: dict[str, str], tmp_path: Path) -> None:
    proc = _run_ru(["--help"], subprocess_env)
    assert proc.returncode == 0
    assert "Поиск, перевод и проверка" in proc.stdout
    assert "Параметры" in proc.stdout
    proc = _run_ru(["po", "translate", "--help"], subprocess_env)
    assert "Заполняет непереведённые записи" in proc.stdout
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "open\nmsgstr ""\n', encoding="utf-8")
    proc = _run_ru(["po", "audit", str(bad)], subprocess_env)
    assert proc.returncode == 4
    assert "Traceback" not in proc.stderr
    assert "ошибка" in proc.stderr
    assert "незакрытая строка" in proc.stderr
    assert CYRILLIC.search(proc.stderr)


@pytest.mark.slow
def test_installed_wheel_finds_the_catalogs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("toolkit", "locales", "glossaries"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md", "MANIFEST.in"):
        shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "out"), str(src)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp_path / "out").glob("*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = "from toolkit import i18n; print(i18n.locales_dir()); print(i18n._('error'))"
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "LANG": "ru_RU.UTF-8", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    where, word = proc.stdout.splitlines()
    assert where.startswith(str(target))
    assert word == "ошибка"

    def installed(code: str) -> str:
        """What ``code`` prints, run against the installed wheel alone."""
        proc = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    # the shipped glossaries come with the wheel too
    glossary = installed(
        "from toolkit.glossary import load; g = load(['international-organizations']);print(len(g))"
    )
    assert int(glossary.strip()) >= 60
    # and the detector's word lists (package data beside toolkit/wordlists.py)
    english, autonyms = map(
        int,
        installed(
            "from toolkit import wordlists; print(len(wordlists.ENGLISH), len(wordlists.AUTONYMS))"
        ).split(),
    )
    assert english > 1000
    assert autonyms > 100
