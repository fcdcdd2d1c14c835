"""`tolmach glossary …` end to end: every subcommand, errors as one line, concurrent edits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.glossary.test_io import BILLION_LAUGHS, EXTERNAL_ENTITY
from toolkit.cli import app
from toolkit.glossary.io import parse_tsv
from toolkit.glossary.store import configured, edit_target, load_path

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["glossary", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _error_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.output.splitlines() if line.startswith("tolmach: error")]


# ----------------------------------------------------------------------------- shipped data


def test_shipped_glossary_has_the_required_organisations() -> None:
    g = load_path(ROOT / "glossaries" / "international-organizations.tsv")
    assert len(g) >= 60
    pairs = {(e.abbr("en"), e.abbr("ru")) for e in g.entries}
    for pair in [
        ("OSCE", "ОБСЕ"),
        ("CSTO", "ОДКБ"),
        ("CIS", "СНГ"),
        ("NATO", "НАТО"),
        ("UN", "ООН"),
        ("EU", "ЕС"),
        ("EAEU", "ЕАЭС"),
        ("SCO", "ШОС"),
        ("WHO", "ВОЗ"),
        ("IAEA", "МАГАТЭ"),
        ("IMF", "МВФ"),
        ("WTO", "ВТО"),
        ("UNESCO", "ЮНЕСКО"),
    ]:
        assert pair in pairs, pair
    assert any(e.term("en") == "BRICS" and e.term("ru") == "БРИКС" for e in g.entries)
    assert all(e.term("ru") for e in g.entries if not e.dnt)


def test_shipped_glossary_checks_clean() -> None:
    result = run("check", "-g", "international-organizations")
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output


# ----------------------------------------------------------------------------- add / remove / list


def test_add_list_remove(tmp_path: Path) -> None:
    path = tmp_path / "my.tsv"
    r = run(
        "add",
        "-g",
        str(path),
        "-t",
        "en=Union State",
        "-t",
        "ru=Союзное государство",
        "--note",
        "Russia and Belarus",
        "--domain",
        "politics",
    )
    assert r.exit_code == 0, r.output
    r = run(
        "add",
        "-g",
        str(path),
        "-t",
        "en=Collective Security Treaty Organization",
        "-t",
        "ru=Организация Договора о коллективной безопасности",
        "--abbr",
        "en=CSTO",
        "--abbr",
        "ru=ОДКБ",
    )
    assert r.exit_code == 0
    r = run("add", "-g", str(path), "-t", "en=Amnesty International", "--dnt")
    assert r.exit_code == 0
    g = load_path(path)
    assert len(g) == 3
    assert path.read_text(encoding="utf-8").splitlines()[0].split("\t")[:2] == ["en", "ru"]

    r = run("list", "-g", str(path), "--format", "json")
    data = json.loads(r.stdout)
    assert [d["terms"]["en"][0] for d in data] == [
        "Amnesty International",
        "Collective Security Treaty Organization",
        "Union State",
    ]
    r = run("list", "-g", str(path), "--search", "одкб", "--format", "json")
    assert [d["abbr"]["ru"] for d in json.loads(r.stdout)] == [["ОДКБ"]]
    r = run("list", "-g", str(path), "--domain", "politics", "--format", "tsv")
    assert parse_tsv(r.stdout).entries[0].term("en") == "Union State"
    r = run("list", "-g", str(path), "--lang", "ru")
    assert r.exit_code == 0
    assert "Союзное государство" in r.stdout
    assert "Amnesty" not in r.stdout

    r = run("remove", "-g", str(path), "ОДКБ")
    assert r.exit_code == 0
    assert [e.term("en") for e in load_path(path).entries] == [
        "Amnesty International",
        "Union State",
    ]


def test_add_duplicate_is_refused_then_replaced(tmp_path: Path) -> None:
    path = tmp_path / "my.tsv"
    assert run("add", "-g", str(path), "-t", "en=CSTO", "-t", "ru=ОДКБ").exit_code == 0
    before = path.read_bytes()
    r = run("add", "-g", str(path), "-t", "en=csto", "-t", "ru=ОДКБ2")
    assert r.exit_code == 2
    assert len(_error_lines(r)) == 1
    assert path.read_bytes() == before
    r = run("add", "-g", str(path), "-t", "en=CSTO", "-t", "ru=ОДКБ2", "--replace")
    assert r.exit_code == 0
    assert [e.term("ru") for e in load_path(path).entries] == ["ОДКБ2"]


@pytest.mark.parametrize(
    "args",
    [
        ["add", "-t", "English=x"],
        ["add", "-t", "en"],
        ["add"],
        ["add", "-t", "en=x", "--case", "loud"],
        ["list", "--format", "xml"],
        ["remove", "nothing-like-this"],
        ["export", "--format", "docx"],
        ["list", "-g", "no-such-glossary"],
    ],
)
def test_usage_errors_are_one_line(args: list[str], tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("en\tru\nA\tБ\n", encoding="utf-8")
    if args[0] in ("add", "remove") and "-g" not in args:
        args = [*args, "-g", str(path)]
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert len(_error_lines(r)) == 1


def test_missing_glossary_file_is_io_error(tmp_path: Path) -> None:
    r = run("list", "-g", str(tmp_path / "absent.tsv"))
    assert r.exit_code == 5
    assert len(_error_lines(r)) == 1


def test_broken_tsv_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("en\tru\nA\tБ\tC\n", encoding="utf-8")
    r = run("list", "-g", str(path))
    assert r.exit_code == 4
    assert _error_lines(r) == [
        f"tolmach: error: {path}:2: row has 3 cells but the header names 2 columns"
    ]


# ----------------------------------------------------------------------------- show


def test_show_explains_lemma_match_and_rejects_hyphen_compound() -> None:
    r = run("show", "ОДКБ-шный бюджет и заявление Организации Договора о коллективной безопасности")
    assert r.exit_code == 0
    assert "Collective Security Treaty Organization" in r.stdout
    assert "lemma" in r.stdout
    assert "hyphen-compound" in r.stdout
    r = run("show", "--format", "json", "--lang", "ru", "ОДКБ и НАТО")
    data = json.loads(r.stdout)
    assert [(m["text"], m["how"], m["abbr"]) for m in data["matches"]] == [
        ("ОДКБ", "exact", True),
        ("НАТО", "exact", True),
    ]


def test_show_reports_no_match() -> None:
    r = run("show", "nothing here")
    assert r.exit_code == 0
    assert "no glossary term matches" in r.stdout


# ----------------------------------------------------------------------------- check

BROKEN = (
    "en\tru\tabbr:en\n"
    "United Nations\tОрганизация Объединённых Наций\tUN\n"
    "United Nations\tОрганизация Объединённых Наций\tUN\n"  # duplicate
    "Security Council\tСовет Безопасности\n"
    "Security Council\tСовбез\n"  # same source, other target
    "Trailing \tХвост\n"  # whitespace
    "Double  space\tДва пробела\n"
    "Lonely\t\n"  # empty cell
    "United Nations Security Council\tСовет Безопасности ООН\n"  # contains others
    "\t\n"
)


def test_check_finds_every_kind_of_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.tsv"
    path.write_text(BROKEN, encoding="utf-8")
    r = run("check", "-g", str(path), "--format", "json")
    assert r.exit_code == 1
    rules = {(f["rule"], f["line"]) for f in json.loads(r.stdout)}
    assert ("glossary-duplicate-term", 3) in rules
    assert ("glossary-conflicting-target", 5) in rules
    assert ("glossary-whitespace", 6) in rules
    assert ("glossary-whitespace", 7) in rules
    assert ("glossary-empty-cell", 8) in rules
    assert ("glossary-ambiguous-term", 9) in rules
    assert ("glossary-empty-entry", 10) in rules
    r = run("check", "-g", str(path))
    assert r.exit_code == 1
    assert f"{path}:5: error:" in r.stdout


def test_check_clean_glossary_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.tsv"
    path.write_text("en\tru\nArctic Council\tАрктический совет\n", encoding="utf-8")
    r = run("check", "-g", str(path))
    assert r.exit_code == 0


# ----------------------------------------------------------------------------- import / export


@pytest.mark.parametrize("fmt", ["tsv", "csv", "amazon-csv", "tbx"])
def test_export_import_round_trip(fmt: str, tmp_path: Path) -> None:
    src = tmp_path / "src.tsv"
    src.write_text(
        "en\tru\n"
        "Arctic Council\tАрктический совет\n"
        "Council of Europe\tСовет Европы\n"
        "World Bank, Group\tВсемирный банк\n",
        encoding="utf-8",
    )
    suffix = {"tsv": ".tsv", "csv": ".csv", "amazon-csv": ".csv", "tbx": ".tbx"}[fmt]
    out = tmp_path / f"export{suffix}"
    r = run("export", "-g", str(src), "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    dest = tmp_path / "dest.tsv"
    r = run(
        "import", str(out), "--input-format", fmt, "--from", "en", "--to", "ru", "-g", str(dest)
    )
    assert r.exit_code == 0, r.output
    assert load_path(dest).same_entries(load_path(src))
    # importing again adds nothing
    r = run(
        "import", str(out), "--input-format", fmt, "--from", "en", "--to", "ru", "-g", str(dest)
    )
    assert "imported 0 entries" in r.stdout


def test_tbx_round_trip_of_the_shipped_glossary(tmp_path: Path) -> None:
    out = tmp_path / "orgs.tbx"
    assert run("export", "--format", "tbx", "-o", str(out)).exit_code == 0
    dest = tmp_path / "orgs.tsv"
    assert run("import", str(out), "-g", str(dest)).exit_code == 0
    original = load_path(ROOT / "glossaries" / "international-organizations.tsv")
    assert load_path(dest).same_entries(original)


def test_export_to_stdout() -> None:
    r = run("export", "--format", "csv", "--from", "ru", "--to", "en")
    assert r.exit_code == 0
    assert "ОДКБ,CSTO" in r.stdout.splitlines()


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_hostile_tbx_import_writes_nothing(data: bytes, tmp_path: Path) -> None:
    evil = tmp_path / "evil.tbx"
    evil.write_bytes(data)
    dest = tmp_path / "dest.tsv"
    r = run("import", str(evil), "-g", str(dest))
    assert r.exit_code == 4
    assert len(_error_lines(r)) == 1
    assert "refused" in r.output
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.tbx"]


@pytest.mark.parametrize(
    ("name", "content", "extra"),
    [
        ("bad.csv", b'United Nations,"OON\n', ["--from", "en", "--to", "ru"]),
        ("bad.csv", b"a,b,c\n", ["--from", "en", "--to", "ru"]),
        ("bad.tbx", b"<martif><text>", []),
        ("bin.csv", b"\x00\x01\x02", ["--from", "en", "--to", "ru"]),
        ("latin1.tsv", "Café\tCafé\n".encode("latin-1"), ["--from", "en", "--to", "ru"]),
    ],
)
def test_malformed_import_is_exit_4_and_writes_nothing(
    name: str, content: bytes, extra: list[str], tmp_path: Path
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    dest = tmp_path / "dest.tsv"
    dest.write_text("en\tru\nA\tБ\n", encoding="utf-8")
    before = dest.read_bytes()
    r = run("import", str(bad), "-g", str(dest), *extra)
    assert r.exit_code == 4, r.output
    assert len(_error_lines(r)) == 1
    assert dest.read_bytes() == before


# ----------------------------------------------------------------------------- configuration


def test_default_set_comes_from_tolmach_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "terms.tsv").write_text("en\tru\nArctic Council\tАрктический совет\n", "utf-8")
    (tmp_path / "tolmach.toml").write_text('glossaries = ["terms.tsv"]\n', "utf-8")
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    _specs, origin = configured()
    assert origin == tmp_path / "tolmach.toml"
    assert edit_target(None) == tmp_path / "terms.tsv"
    r = run("list", "--format", "json")
    assert [d["terms"]["en"][0] for d in json.loads(r.stdout)] == ["Arctic Council"]


def test_default_set_comes_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tolmach]\nglossaries = ["international-organizations", "own.tsv"]\n', "utf-8"
    )
    (tmp_path / "own.tsv").write_text("en\tru\nFoo Bar\tФу Бар\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("show", "ОДКБ и Фу Бар", "--format", "json")
    assert {m["entry"]["terms"]["en"][0] for m in json.loads(r.stdout)["matches"]} == {
        "Collective Security Treaty Organization",
        "Foo Bar",
    }


def test_builtin_default_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert configured() == (["international-organizations"], None)


def test_invalid_config_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tolmach.toml").write_text("glossaries = [", "utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("list")
    assert r.exit_code == 4
    assert len(_error_lines(r)) == 1


def test_shipped_glossary_in_an_installed_package_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.errors import UsageError
    from toolkit.glossary import store

    pkg = tmp_path / "site" / "toolkit" / "_data" / "glossaries"
    pkg.mkdir(parents=True)
    (pkg / "shipped.tsv").write_text("en\tru\nA\tБ\n", "utf-8")
    monkeypatch.setattr(store, "shipped_dirs", lambda: [pkg])
    with pytest.raises(UsageError):
        edit_target(["shipped"])


# ----------------------------------------------------------------------------- concurrency

ADD_MANY = """
import sys
from toolkit.glossary.edit import add_entry
from toolkit.glossary.model import Entry
tag, path = sys.argv[1], sys.argv[2]
for i in range(15):
    add_entry([path], Entry.make({"en": f"{tag} organisation {i}", "ru": f"{tag} организация {i}"}))
"""


@pytest.mark.slow
def test_concurrent_adds_all_land(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    path = tmp_path / "shared.tsv"
    cli = [sys.executable, "-m", "toolkit", "glossary", "add", "-g", str(path)]
    procs = [
        subprocess.Popen(
            [*cli, "-t", "en=Alpha Union", "-t", "ru=Союз Альфа"], cwd=ROOT, env=subprocess_env
        ),
        subprocess.Popen(
            [*cli, "-t", "en=Beta Union", "-t", "ru=Союз Бета"], cwd=ROOT, env=subprocess_env
        ),
        subprocess.Popen(
            [sys.executable, "-c", ADD_MANY, "a", str(path)], cwd=ROOT, env=subprocess_env
        ),
        subprocess.Popen(
            [sys.executable, "-c", ADD_MANY, "b", str(path)], cwd=ROOT, env=subprocess_env
        ),
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    names = {e.term("en") for e in load_path(path).entries}
    assert {"Alpha Union", "Beta Union"} <= names
    assert len(names) == 2 + 30
