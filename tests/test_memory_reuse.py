"""Reusing human translations: TMX and catalog import, fuzzy matches, memory-first filling."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from toolkit import fuzzy
from toolkit.cli import app
from toolkit.engines.identity import IdentityEngine
from toolkit.memory import SCHEMA_VERSION, Memory, Unit
from toolkit.memory_import import ImportOptions, import_file
from toolkit.translation import translate_texts

DATA = ROOT / "tests" / "data" / "memory"
runner = CliRunner()


def _invoke(*args: object) -> object:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


# ----------------------------------------------------------------------------- TMX import


def test_tmx_from_omegat_keeps_inline_markup_and_pairs(tmp_path: Path) -> None:
    # LISA's compliance-kit file as OmegaT ships it: UTF-16, a DOCTYPE, bpt/ept/it/ph/hi,
    # mixed-case language tags and one <tu> with target before source
    with Memory(tmp_path / "tm.sqlite3") as tm:
        counts = import_file(tm, DATA / "omegat-ImportTest2A.tmx", ImportOptions())
        assert (counts.read, counts.stored) == (7, 7)
        got = {(r[0], r[1], r[6]): (r[7], r[4]) for r in tm.records()}
    assert got[("en", "fr", "The big <b>black</b> <u>cat</u> sleeps.")] == (
        "Le gros <u>chat</u> <b>noir</b> dors.",
        "human",
    )
    assert got[("en", "fr", "Some text with a part highlighted.")][0] == (
        "Du texte avec une portion délimitée."
    )
    assert got[("en", "fr", "First <b>sentence.")][0] == "Première <b>phrase."
    assert all(pair == ("en", "fr") for pair in {k[:2] for k in got})


def test_export_import_round_trip_keeps_origin(tmp_path: Path) -> None:
    first = Memory(tmp_path / "a.sqlite3")
    import_file(first, DATA / "omegat-ImportTest2A.tmx", ImportOptions())
    import_file(first, DATA / "omegat-test-level2.tmx", ImportOptions(origin="imported"))
    first.put_many("argos:en-fr:1", "en", "fr", "g1", [("Hello & bye", "Salut & au revoir")])
    tmx = tmp_path / "out.tmx"
    r = _invoke("memory", "export", "--memory", tmp_path / "a.sqlite3", "-o", tmx)
    assert r.exit_code == 0
    assert '<prop type="x-origin">machine</prop>' in tmx.read_text()
    r = _invoke("memory", "import", tmx, "--memory", tmp_path / "b.sqlite3")
    assert r.exit_code == 0, r.output
    second = Memory(tmp_path / "b.sqlite3")
    before = sorted((r[:5] + r[6:]) for r in first.records())
    after = sorted((r[:5] + r[6:]) for r in second.records())
    assert before == after
    assert {r[4] for r in after} == {"human", "imported", "machine"}
    assert second.stats().origins == first.stats().origins
    assert second.stats().origins["machine"] == 1
    # the machine translation came back under its own key: the engine's cache still hits
    assert second.get_many("argos:en-fr:1", "en", "fr", "g1", ["Hello & bye"]) == {
        "Hello & bye": "Salut & au revoir"
    }
    first.close()
    second.close()


HOSTILE = {
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg>'
        '</tuv><tuv xml:lang="fr"><seg>x</seg></tuv></tu></body></tmx>',
        "entities",
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>',
        "entities",
    ),
    "not tmx": ('<?xml version="1.0"?><html><body/></html>', "not a TMX file"),
    "truncated": (
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg>',
        "malformed TMX",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_tmx_is_refused_and_nothing_is_written(tmp_path: Path, case: str) -> None:
    text, message = HOSTILE[case]
    good = tmp_path / "good.tmx"
    good.write_text(
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>yes</seg>'
        '</tuv><tuv xml:lang="fr"><seg>oui</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.tmx"
    # the hostile part comes after a good unit: the whole file is refused all the same
    bad.write_text(text, encoding="utf-8")
    path = tmp_path / "tm.sqlite3"
    r = _invoke("memory", "import", bad, "--memory", path)
    assert r.exit_code == 4
    errors = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(errors) == 1, r.output
    assert message in errors[0], r.output
    with Memory(path) as tm:
        assert tm.stats().entries == 0


def test_oversized_and_half_bad_files_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite3"
    units = "".join(
        f'<tu><tuv xml:lang="en"><seg>line {i}</seg></tuv><tuv xml:lang="de"><seg>Zeile {i}</seg>'
        "</tuv></tu>"
        for i in range(3000)
    )
    big = tmp_path / "big.tmx"
    big.write_text(f'<tmx version="1.4"><header srclang="en"/><body>{units}</body></tmx>')
    r = _invoke("memory", "import", big, "--memory", path, "--max-size", "0.01")
    assert r.exit_code == 4
    assert "too large" in r.output
    half = tmp_path / "half.tmx"
    half.write_text(f'<tmx version="1.4"><header srclang="en"/><body>{units}<tu><tuv>')
    r = _invoke("memory", "import", half, "--memory", path)
    assert r.exit_code == 4
    assert "malformed" in r.output
    with Memory(path) as tm:
        assert tm.stats().entries == 0
    r = _invoke("memory", "import", big, "--memory", path)
    assert r.exit_code == 0
    assert "3000 read, 3000 stored" in r.output


# ----------------------------------------------------------------------------- fuzzy


def test_similarity_normalises_numbers_placeholders_and_markup() -> None:
    assert fuzzy.similarity("Copied 5 files", "Copied 12 files") == 100.0
    assert fuzzy.similarity("Delete %s now", "Delete {name} now") == 100.0
    assert fuzzy.similarity("a <b>bold</b> word", "a <i>bold</i> word") == 100.0
    # one word of six replaced: 2*5/12
    assert fuzzy.similarity("the cat sat on the mat", "the dog sat on the mat") == pytest.approx(
        100 * 10 / 12
    )


def test_patch_carries_numbers_and_placeholders() -> None:
    assert (
        fuzzy.patch("Deleted 7 of %d files", "Deleted 3 of %d files", "Удалено 3 из %d файлов")
        == "Удалено 7 из %d файлов"
    )
    assert (
        fuzzy.patch("Open {path} in 10 s", "Open {file} in 5 s", "Открыть {file} через 5 с")
        == "Открыть {path} через 10 с"
    )
    # ambiguous (the number is not in the translation as in the source) or a word differs
    assert fuzzy.patch("Page 2 of 2", "Page 1 of 1", "Страница 1 из 1") == "Страница 2 из 2"
    assert fuzzy.patch("Page 2 of 3", "Page 1 of 1", "Страница 1 из 1") is None
    assert fuzzy.patch("Copied 5 files", "Copied 3 files", "Скопировано три файла") is None
    assert fuzzy.patch("Moved 5 files", "Copied 3 files", "Скопировано 3 файла") is None


class CountingEngine(IdentityEngine):
    name = "counting"

    def translate_batch(self, texts, source, target):  # type: ignore[no-untyped-def]
        super().translate_batch(texts, source, target)
        return [f"MT({t})" for t in texts]


def test_documents_memory_first(tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite3") as tm:
        tm.import_units(
            [
                Unit("en", "ru", "The meeting lasted 3 hours.", "Встреча длилась 3 часа."),
                Unit("en", "ru", "Press %s to continue", "Нажмите %s, чтобы продолжить"),
                Unit("en", "ru", "The committee approved the plan.", "Комитет одобрил план."),
                Unit("en", "ru", "Unreviewed text here.", "Непроверенный текст.", "imported"),
            ],
            file="old.tmx",
        )
        engine = CountingEngine()
        texts = [
            "The meeting lasted 3 hours.",  # exact
            "The meeting lasted 12 hours.",  # fuzzy, number patched
            "Press {key} to continue",  # fuzzy, placeholder patched
            "The committee approved the budget.",  # fuzzy, a word differs: engine
            "Unreviewed text here.",  # exact but not human: engine
            "Something else entirely",
        ]
        out, stats = translate_texts(texts, "en", "ru", engine=engine, memory=tm)
    assert out[:3] == [
        "Встреча длилась 3 часа.",
        "Встреча длилась 12 часа.",
        "Нажмите {key}, чтобы продолжить",
    ]
    assert out[3:] == [f"MT({t})" for t in texts[3:]]
    assert (stats.exact, stats.fuzzy, stats.offered, stats.translated) == (1, 2, 2, 3)


def test_human_translations_are_never_overwritten(tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite3") as tm:
        tm.import_units([Unit("en", "fr", "Save", "Enregistrer")], file="a.tmx")
        counts = tm.import_units([Unit("en", "fr", "Save", "Sauver", "imported")], file="b.po")
        assert (counts.stored, counts.kept) == (0, 1)
        translate_texts(["Save"], "en", "fr", engine=CountingEngine(), memory=tm)
        assert tm.reuse(["Save"], "en", "fr")["Save"].text == "Enregistrer"
        counts = tm.import_units([Unit("en", "fr", "Save", "Sauvegarder")], file="c.tmx")
        assert counts.stored == 1
        rows = [r for r in tm.records() if r[6] == "Save" and r[4] != "machine"]
    assert [(r[5], r[7]) for r in rows] == [("c.tmx", "Sauvegarder")]


def test_fuzzy_lookup_uses_the_index_not_a_scan(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    units = [
        Unit("en", "de", f"Report number {i} lists item{i} and part{i * 7}", f"Bericht {i}")
        for i in range(5000)
    ]
    with Memory(tmp_path / "tm.sqlite3") as tm:
        tm.import_units(units)
        calls = 0
        real = fuzzy.ratio

        def counting(a, b):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            return real(a, b)

        monkeypatch.setattr(fuzzy, "ratio", counting)
        found = tm.fuzzy("Report number 1 lists item4242 and part29694", "en", "de", 60)
    assert found
    assert found[0].source_text == "Report number 4242 lists item4242 and part29694"
    assert (found[0].score, found[0].origin) == (100.0, "human")
    assert calls <= Memory.CANDIDATES  # not 5000


# ----------------------------------------------------------------------------- schema


OLD_SCHEMA = """
CREATE TABLE tm (key TEXT PRIMARY KEY, engine TEXT NOT NULL, source TEXT NOT NULL,
    target TEXT NOT NULL, glossary TEXT NOT NULL, src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX tm_pair ON tm (source, target);
"""


def test_old_memory_file_is_upgraded_in_place(tmp_path: Path) -> None:
    from toolkit.memory import make_key

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute(
        "INSERT INTO tm VALUES (?,?,?,?,?,?,?,?)",
        (make_key("e", "ru", "en", "", "да"), "e", "ru", "en", "", "да", "yes", 1.0),
    )
    db.commit()
    db.close()
    with Memory(path) as tm:
        assert tm.get_many("e", "ru", "en", "", ["да"]) == {"да": "yes"}
        tm.import_units([Unit("ru", "en", "нет", "no")])
        assert tm.reuse(["нет"], "ru", "en")["нет"].kind == "exact"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in db.execute("SELECT origin FROM tm")} == {"machine", "human"}
    db.close()
    with Memory(path) as tm:  # opening again changes nothing
        assert tm.stats().entries == 2


# ----------------------------------------------------------------------------- releases


RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def test_new_release_catalog_filled_from_the_previous_release(tmp_path: Path) -> None:
    # BleachBit 6.0.0's template, initialised for Russian as msginit does, filled from
    # the Russian catalog of BleachBit 5.0.2
    pot = (DATA / "bleachbit-6.0.0.pot").read_text(encoding="utf-8")
    new = pot.replace('"Language: \\n"', '"Language: ru\\n"').replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
        f'"Plural-Forms: {RU_PLURALS}\\n"',
    )
    catalog = tmp_path / "ru.po"
    catalog.write_text(new, encoding="utf-8")
    memory = tmp_path / "tm.sqlite3"
    old = DATA / "bleachbit-5.0.2-ru.po"
    r = _invoke("memory", "import", old, "--memory", memory)
    assert r.exit_code == 0, r.output
    r = _invoke("po", "translate", catalog, "--engine", "identity", "--memory", memory, "-q")
    assert r.exit_code == 0, r.output
    m = re.search(
        r"filled (\d+) entries of (\d+) \((\d+) exact, (\d+) fuzzy, (\d+) offered for review "
        r"from memory; (\d+) by the engine\)",
        r.output,
    )
    assert m, r.output
    filled, total, exact, fuzzy_n, offered, engine = map(int, m.groups())
    print(f"bleachbit 5.0.2 -> 6.0.0 (ru): {r.output.strip()}")
    assert filled == total == exact + fuzzy_n + offered + engine
    assert exact > 300
    assert fuzzy_n >= 1
    assert offered >= 1
    assert engine >= 1
    previous = {e.msgid: e.msgstr for e in polib.pofile(str(old)) if e.translated()}
    po = polib.pofile(str(catalog))
    from_memory = [e for e in po if not e.msgid_plural and "fuzzy" not in e.flags]
    assert len(from_memory) == exact
    assert all(previous[e.msgid] == e.msgstr for e in from_memory)
    patched = [e for e in po if "tolmach: fuzzy match" in (e.tcomment or "")]
    assert len(patched) == fuzzy_n
    for e in patched:  # placeholders follow the new msgid
        assert fuzzy.patch(e.msgid, e.msgid, e.msgstr) == e.msgstr
        assert sorted(re.findall(r"%\(\w+\)\w", e.msgid)) == sorted(
            re.findall(r"%\(\w+\)\w", e.msgstr)
        )
    offered_entries = [e for e in po if "tolmach: offered match" in (e.tcomment or "")]
    assert len(offered_entries) == offered
    assert all("fuzzy" in e.flags for e in offered_entries)


def test_translate_cli_uses_the_human_translation_first(tmp_path: Path) -> None:
    tmx = tmp_path / "site.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ru-RU"/>'
        '<body><tu><tuv xml:lang="ru-RU"><seg>Заголовок открываемого материала</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>Title of the opened story</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    memory = tmp_path / "tm.sqlite3"
    r = _invoke("memory", "import", tmx, "--memory", memory)
    assert r.exit_code == 0, r.output
    article = tmp_path / "article.txt"
    article.write_bytes((ROOT / "examples" / "article.txt").read_bytes())
    args = ["translate", article, "--to", "en", "--engine", "identity", "--memory", memory]
    r = _invoke(*args, "-o", tmp_path / "out.txt")
    assert r.exit_code == 0, r.output
    assert "Title of the opened story" in (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "human matches: 1 exact, 0 fuzzy" in r.output
    # --no-memory: the engine (here a copy) translates it
    r = _invoke(*args[:-2], "--no-memory", "-o", tmp_path / "out2.txt")
    assert r.exit_code == 0, r.output
    assert "Title of the opened story" not in (tmp_path / "out2.txt").read_text(encoding="utf-8")


def test_po_translate_min_similarity(tmp_path: Path) -> None:
    memory = tmp_path / "tm.sqlite3"
    with Memory(memory) as tm:
        tm.import_units([Unit("en", "ru", "Delete %d files", "Удалить файлы: %d")], file="a.po")
    body = (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, c-format\nmsgid "Delete %d files"\nmsgstr ""\n\n'
        '#, c-format\nmsgid "Delete %d old files"\nmsgstr ""\n'
    )
    for threshold, offered, engine in (("75", 1, 0), ("95", 0, 1)):
        catalog = tmp_path / f"ru{threshold}.po"
        catalog.write_text(body, encoding="utf-8")
        r = _invoke(
            "po", "translate", catalog, "--engine", "identity", "--memory", memory,
            "--min-similarity", threshold, "-q",
        )  # fmt: skip
        assert r.exit_code == 0, r.output
        assert f"(1 exact, 0 fuzzy, {offered} offered for review from memory; {engine} by" in (
            r.output
        )
        entries = {e.msgid: e for e in polib.pofile(str(catalog))}
        assert entries["Delete %d files"].msgstr == "Удалить файлы: %d"
        assert "fuzzy" not in entries["Delete %d files"].flags
        old = entries["Delete %d old files"]
        assert ("offered match 86%" in (old.tcomment or "")) == bool(offered)
        assert "fuzzy" in old.flags
    r = _invoke("po", "translate", catalog, "--min-similarity", "0")
    assert r.exit_code == 2


def test_fuzzy_match_patched_with_glossary_terms(tmp_path: Path) -> None:
    from toolkit.glossary.model import Entry, Glossary
    from toolkit.translation import term_pairs

    glossary = Glossary(
        entries=[
            Entry.make({"en": ["OSCE"], "ru": ["ОБСЕ"]}),
            Entry.make({"en": ["NATO"], "ru": ["НАТО"]}),
        ],
        languages=["en", "ru"],
    )
    terms = term_pairs(glossary, "en", "ru")
    assert terms == {"OSCE": "ОБСЕ", "NATO": "НАТО"}
    with Memory(tmp_path / "tm.sqlite3") as tm:
        tm.import_units(
            [
                Unit(
                    "en",
                    "ru",
                    "Ministers of the OSCE met 2 times",
                    "Министры ОБСЕ встречались 2 раза",
                )
            ]
        )
        query = "Ministers of the NATO met 3 times"
        assert tm.reuse([query], "en", "ru")[query].kind == "offered"
        found = tm.reuse([query], "en", "ru", terms=terms)[query]
    assert (found.kind, found.text) == ("fuzzy", "Министры НАТО встречались 3 раза")


def test_human_entries_without_words_are_found(tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite3") as tm:
        assert tm.reuse(["%d%%"], "en", "ru") == {}
        tm.import_units([Unit("en", "ru", "%d%%", "%d %%")])
        assert tm.reuse(["%d%%"], "en", "ru")["%d%%"].text == "%d %%"


def test_import_refuses_fifos_and_unknown_files(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.tmx"
    os.mkfifo(fifo)
    r = _invoke("memory", "import", fifo, "--memory", tmp_path / "tm.sqlite3")
    assert r.exit_code == 5
    assert "not a regular file" in r.output
    other = tmp_path / "notes.docx"
    other.write_bytes(b"PK")
    r = _invoke("memory", "import", other, "--memory", tmp_path / "tm.sqlite3")
    assert r.exit_code == 2
    assert "cannot import .docx files (known: .po, .tmx)" in r.output
    r = _invoke("memory", "import", tmp_path / "missing.tmx", "--memory", tmp_path / "tm.sqlite3")
    assert r.exit_code == 5
