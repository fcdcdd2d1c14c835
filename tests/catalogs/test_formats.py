"""Catalogs of every format on real files: byte-identical round trips, fills
that change only untranslated values and keep placeholders, output that
translate-toolkit reads with the same unit ids and XLIFF that validates
against the OASIS schemas."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.engines import DropSentinelEngine, UpperEngine
from toolkit.catalogs import is_untranslated, open_catalog, syntax
from toolkit.catalogs.translate import translate_paths

DATA = ROOT / "tests" / "data" / "catalogs"
SCHEMAS = ROOT / "tests" / "data" / "schemas"

# (target file, source file or None for bilingual)
REAL = [
    ("xliff/symfony-security.ru.xlf", None),
    ("xliff/symfony-resources-2.0.xlf", None),
    ("xliff/symfony-resources-2.0-multi-segment-unit.xlf", None),
    ("xliff/symfony-resources.ru.xlf", None),
    ("xliff/symfony-resources-2.0-segment-attributes.xlf", None),
    ("xliff/symfony-security.be.xlf", None),
    ("json/excalidraw/ru-RU.json", "json/excalidraw/en.json"),
    ("json/react-icu/ru/translations.json", "json/react-icu/en/translations.json"),
    ("properties/tomcat-connector/LocalStrings_ru.properties", None),
    ("properties/tomcat-startup/LocalStrings_ru.properties", None),
    (
        "android/material-badge/res/values-ru/strings.xml",
        "android/material-badge/res/values/strings.xml",
    ),
    (
        "android/material-datepicker/res/values-ru/strings.xml",
        "android/material-datepicker/res/values/strings.xml",
    ),
    (
        "android/material-timepicker/res/values-ru/strings.xml",
        "android/material-timepicker/res/values/strings.xml",
    ),
    ("yaml/rails-i18n/ru.yml", "yaml/rails-i18n/en.yml"),
    ("yaml/rails-i18n/uk.yml", "yaml/rails-i18n/en.yml"),
    (
        "strings/monitorcontrol/ru.lproj/Localizable.strings",
        "strings/monitorcontrol/en.lproj/Localizable.strings",
    ),
    (
        "strings/monitorcontrol/ru.lproj/Main.strings",
        "strings/monitorcontrol/en.lproj/Main.strings",
    ),
]
IDS = [t.split("/")[1] if "/" in t[t.index("/") + 1 :] else t.split("/")[-1] for t, _s in REAL]


def _copy(tmp_path: Path, target: str, source: str | None) -> Path:
    """The target (and its source, by layout) copied under tmp_path."""
    for rel in filter(None, (target, source)):
        dest = tmp_path / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / rel, dest)
    if "tomcat" in target:
        shutil.copyfile(
            DATA / Path(target).parent / "LocalStrings.properties",
            tmp_path / Path(target).parent / "LocalStrings.properties",
        )
    return tmp_path / target


@pytest.mark.parametrize(("target", "source"), REAL, ids=IDS)
def test_nothing_to_fill_is_byte_identical(target: str, source: str | None) -> None:
    cat = open_catalog(DATA / target)
    assert cat.render([]) == (DATA / target).read_bytes()
    assert cat.units, "every real file has units"


@pytest.mark.parametrize(("target", "source"), REAL, ids=IDS)
def test_fill_changes_only_untranslated_units_and_keeps_placeholders(
    tmp_path: Path, target: str, source: str | None
) -> None:
    path = _copy(tmp_path, target, source)
    before = open_catalog(path)
    todo = {u.key for u in before.units if is_untranslated(u, before.bilingual)}
    done = {u.key: u.target for u in before.units if not is_untranslated(u, before.bilingual)}
    [result], _stats = translate_paths([path], engine=UpperEngine())
    assert result.failures == []
    assert result.filled == len(todo)
    path.write_bytes(result.output)
    after = open_catalog(path)
    kind = after.store.syntax
    by_key = {u.key: u for u in after.units}
    assert set(by_key) == {u.key for u in before.units}
    for key, value in done.items():
        assert by_key[key].target == value, key  # translated units are never touched
    for key in todo:
        unit = by_key[key]
        assert unit.target, key
        src = unit.source
        if kind == "json" and syntax.is_icu(src):
            src = syntax.expand_icu_plurals(src, after.target_language)
        assert syntax.multiset(unit.target, kind) == syntax.multiset(src, kind), key


def _tt_units(path: Path, fmt: str, version: str) -> dict[str, str]:
    """unit id -> target (source for monolingual stores) as translate-toolkit reads them."""
    from translate.storage import aresource, jsonl10n, properties, xliff, xliff2

    if fmt == "xliff":
        store = (xliff2.Xliff2File if version.startswith("2") else xliff.xlifffile).parsefile(
            str(path)
        )
        return {u.getid().split("\x04")[-1]: str(u.target) for u in store.units if u.getid()}
    if fmt == "json":
        store = jsonl10n.JsonNestedFile.parsefile(str(path))
        return {u.getid()[1:]: str(u.target) for u in store.units}
    if fmt == "yaml":
        from translate.storage import yaml as tt_yaml

        store = tt_yaml.RubyYAMLFile.parsefile(str(path))
        return {u.getid().replace("->", "."): str(u.target) for u in store.units}
    if fmt == "strings":  # ids as written (escapes kept): decode them as we do
        store = properties.stringsutf8file.parsefile(str(path))
        return {json.loads(f'"{u.getid()}"'): str(u.source) for u in store.units}
    if fmt == "android":
        store = aresource.AndroidResourceFile.parsefile(str(path))
        return {u.getid(): str(u.target) for u in store.units}
    store = properties.javautf8file.parsefile(str(path))
    return {u.getid(): str(u.source) for u in store.units if u.getid()}


@pytest.mark.parametrize(("target", "source"), REAL, ids=IDS)
def test_translate_toolkit_reads_the_output(
    tmp_path: Path, target: str, source: str | None
) -> None:
    path = _copy(tmp_path, target, source)
    [result], _stats = translate_paths([path], engine=UpperEngine())
    path.write_bytes(result.output)
    cat = open_catalog(path)
    theirs = _tt_units(path, cat.format, str(cat.store.extra.get("version", "")))
    mine = {u.key: u.target for u in cat.units if u.target is not None}
    if cat.format == "yaml":
        # translate-toolkit reads a plural mapping as one unit, and also lists sequence
        # items and booleans, which are data here, and keys the source lacks
        groups = {u.group or u.key for u in cat.units}
        assert groups <= set(theirs)
        extra = set(theirs) - groups
        own_plurals = {u.group for u in cat.store.units if u.group}  # plural in ru only
        data = {k for k in extra if "[" in k or theirs[k] in ("True", "False", "")}
        numbers = {k for k in extra if theirs[k].replace(".", "").isdigit()}
        odd = extra - data - numbers - own_plurals
        assert not odd, odd
        mine = {k: v for k, v in mine.items() if k in groups}
        theirs = {k: v for k, v in theirs.items() if k in mine}
    if cat.format == "android":  # translate-toolkit reads a <plurals> as one unit
        assert {k.split("#")[0] for k in mine} == set(theirs)
        # Android collapses white space (translate-toolkit too, NBSP included): compare so
        mine = {k: " ".join(v.split()) for k, v in mine.items() if "#" not in k}
        theirs = {k: " ".join(v.split()) for k, v in theirs.items() if k in mine}
    assert set(mine) == set(theirs)
    for key, value in mine.items():
        assert theirs[key] == value, key


XLIFF = [t for t, _s in REAL if t.startswith("xliff/")]


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) missing")
@pytest.mark.parametrize("target", XLIFF)
def test_filled_xliff_validates_against_the_oasis_schema(tmp_path: Path, target: str) -> None:
    path = _copy(tmp_path, target, None)
    [result], _stats = translate_paths([path], engine=UpperEngine())
    path.write_bytes(result.output)
    version = open_catalog(path).store.extra["version"]
    schema = (
        "xliff-core-2.0.xsd" if str(version).startswith("2") else "xliff-core-1.2-transitional.xsd"
    )
    proc = subprocess.run(
        ["xmllint", "--nonet", "--noout", "--schema", str(SCHEMAS / schema), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_a_unit_whose_placeholders_are_lost_stays_untranslated(tmp_path: Path) -> None:
    path = _copy(tmp_path, "properties/tomcat-connector/LocalStrings_ru.properties", None)
    [result], _stats = translate_paths([path], engine=DropSentinelEngine())
    assert result.failures, "units with {0} lose it"
    assert all("{" not in f.reason or "placeholders" in f.reason for f in result.failures)
    path.write_bytes(result.output)
    cat = open_catalog(path)
    failed = {f.key for f in result.failures}
    for unit in cat.units:
        if unit.key in failed:
            assert is_untranslated(unit, cat.bilingual)
