"""Localization catalogs of every format: one model, one registry, source pairing.

Formats (lazy, declared once in :data:`FORMATS`): XLIFF 1.2/2.x (bilingual),
JSON (flat, nested, i18next, ARB, Chrome), Java ``.properties``, Android
``strings.xml``, YAML (Rails, Symfony) and Apple ``.strings`` (monolingual).
``.po`` stays with :mod:`toolkit.po`.

:func:`open_catalog` reads a target file and, for a monolingual format, its
source file (``source=`` or the layout convention: ``locales/en/`` beside
``locales/ru/``, ``values/`` beside ``values-ru/``, ``app_en.arb`` beside
``app_ru.arb``, ``messages.properties`` beside ``messages_ru.properties``),
and pairs them into units with both source and target. A target file that
does not exist yet is started from the source file's bytes. The target
language comes from the command line, else the file (XLIFF
``target-language``/``trgLang``, ARB ``@@locale``), else the path.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from toolkit import files
from toolkit.catalogs import plurals
from toolkit.catalogs.model import Edit, State, Store, Unit, splice
from toolkit.errors import UsageError
from toolkit.i18n import _

__all__ = ["FORMATS", "Catalog", "Edit", "State", "Store", "Unit", "format_of", "open_catalog"]

# name -> (module, extensions)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "xliff": ("toolkit.catalogs.xliff", (".xlf", ".xliff")),
    "json": ("toolkit.catalogs.jsonfmt", (".json", ".arb")),
    "properties": ("toolkit.catalogs.properties", (".properties",)),
    "android": ("toolkit.catalogs.android", ("strings.xml",)),
    "yaml": ("toolkit.catalogs.yamlfmt", (".yml", ".yaml")),
    "strings": ("toolkit.catalogs.applestrings", (".strings",)),
}


def extensions() -> set[str]:
    return {
        ext if ext.startswith(".") else Path(ext).suffix
        for _m, exts in FORMATS.values()
        for ext in exts
    }


def format_of(path: str | Path) -> str:
    """The format of a path by its extension (Android: any ``*.xml`` under ``res/values*/``)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xml" and (p.parent.name.startswith("values") or p.name == "strings.xml"):
        return "android"
    for name, (_module, exts) in FORMATS.items():
        if suffix in exts:
            return name
    raise UsageError(_("not a catalog format tolmach reads") + f": {suffix or Path(path).name}")


class FormatModule(Protocol):
    """What a format module of :data:`FORMATS` provides (``plural_key``: monolingual ones)."""

    def parse(self, data: bytes, path: str, /) -> Store: ...

    def write(
        self, store: Store, fills: list[tuple[Unit, str]], /, *, review: bool = True
    ) -> list[Edit]: ...

    def plural_key(self, group: str, category: str, /) -> str: ...


def module(name: str) -> FormatModule:
    return cast(FormatModule, importlib.import_module(FORMATS[name][0]))


_LANG = r"[a-z]{2,3}(?:[-_](?:[A-Z]{2}|[A-Z][a-z]{3}|r[A-Z]{2}|\d{3}))?"
_DIR_RE = re.compile(rf"^(?:values-)?({_LANG})(?:\.lproj)?$")
_FILE_RE = re.compile(rf"^(?:(.*?)[._-])?({_LANG})$")


def language_of_path(path: str | Path) -> str | None:
    """The language a path names: ``ru.json``, ``app_ru.arb``, ``messages_ru.properties``,
    ``messages.ru.xlf``, ``locales/ru/app.json``, ``values-ru/strings.xml``."""
    p = Path(path)
    m = _FILE_RE.match(p.stem)
    if m and plurals.is_known(m.group(2)):
        return m.group(2).replace("_r", "-").replace("_", "-")
    for part in reversed(p.parent.parts):
        m = _DIR_RE.match(part)
        if m and plurals.is_known(m.group(1)):
            return m.group(1).replace("-r", "-").replace("_", "-")
    return None


def source_candidates(path: str | Path, target: str, source: str) -> list[Path]:
    """Where the source file of ``path`` (in ``target``) would be, by layout."""
    p = Path(path)
    out: list[Path] = []
    stem = p.stem
    for sep in ("_", ".", "-", ""):
        for lang in {target, target.replace("-", "_"), target.split("-")[0]}:
            if sep and stem.endswith(sep + lang):
                base = stem[: -len(lang) - 1]
                out.append(p.with_name(f"{base}{sep}{source}{p.suffix}"))
                out.append(p.with_name(f"{base}{p.suffix}"))
            elif not sep and stem == lang:
                out.append(p.with_name(f"{source}{p.suffix}"))
    parts = list(p.parts)
    for i in range(len(parts) - 2, -1, -1):
        part = parts[i]
        for lang in {target, target.replace("-", "_"), target.split("-")[0]}:
            if part == lang:
                out.append(Path(*parts[:i], source, *parts[i + 1 :]))
            elif part in (f"values-{lang}", "values-" + lang.replace("-", "-r")):
                out.append(Path(*parts[:i], "values", *parts[i + 1 :]))
            elif part == f"{lang}.lproj":
                out.append(Path(*parts[:i], f"{source}.lproj", *parts[i + 1 :]))
                out.append(Path(*parts[:i], "Base.lproj", *parts[i + 1 :]))
    return [c for c in dict.fromkeys(out) if c != p]


@dataclass
class Catalog:
    """A target file paired with its source: ``units`` carry both."""

    path: str
    format: str
    store: Store  # the target file as read (the source's bytes when it is new)
    units: list[Unit]
    source_language: str
    target_language: str
    source_path: str | None = None
    created: bool = False

    @property
    def bilingual(self) -> bool:
        return self.store.bilingual

    def render(self, fills: list[tuple[Unit, str]], *, review: bool = True) -> bytes:
        """The file's bytes with ``fills`` (unit, new value) spliced in."""
        edits: list[Edit] = module(self.format).write(self.store, fills, review=review)
        return splice(self.store, edits)


def is_untranslated(unit: Unit, bilingual: bool) -> bool:
    """Missing or empty; for monolingual formats also identical to the source."""
    if not unit.target:
        return True
    if bilingual:
        return unit.state is State.untranslated
    return unit.target == unit.source


def parse(fmt: str, data: bytes, path: str) -> Store:
    return module(fmt).parse(data, path)


def open_catalog(
    path: str | Path,
    *,
    source: str | Path | None = None,
    source_language: str = "en",
    target_language: str | None = None,
) -> Catalog:
    path = str(path)
    fmt = format_of(path)
    exists = Path(path).exists()
    if fmt == "xliff":
        store = parse(fmt, files.read_bytes(path), path)
        lang = target_language or store.target_language or language_of_path(path)
        if not lang:
            raise UsageError(_("the catalog names no target language; pass --lang LANG"), path=path)
        return Catalog(
            path, fmt, store, store.units, store.source_language or source_language, lang
        )
    lang = target_language
    target_store = parse(fmt, files.read_bytes(path), path) if exists else None
    if lang is None and target_store is not None:
        lang = target_store.target_language
    lang = lang or language_of_path(path)
    if not lang:
        raise UsageError(_("the catalog names no target language; pass --lang LANG"), path=path)
    if source is None:
        found = [c for c in source_candidates(path, lang, source_language) if c.is_file()]
        if not found:
            raise UsageError(
                _("no source file found for the catalog; pass --source FILE"), path=path
            )
        source = found[0]
    source = str(source)
    if Path(source).resolve() == Path(path).resolve():
        raise UsageError(_("the source file is the catalog itself"), path=path)
    source_data = files.read_bytes(source)
    source_store = parse(fmt, source_data, source)
    created = target_store is None
    if target_store is None:
        target_store = parse(fmt, source_data, path)
    units = pair(fmt, source_store, target_store, lang)
    return Catalog(path, fmt, target_store, units, source_language, lang, source, created)


def pair(fmt: str, source: Store, target: Store, lang: str) -> list[Unit]:
    """Units with the source's text and the target's value (None when missing);
    plural groups get every category ``lang`` needs."""
    mod = module(fmt)
    have = target.by_key()
    target_groups = {u.group for u in target.units if u.group is not None}
    out: list[Unit] = []
    groups: dict[str, dict[str, Unit]] = {}
    for unit in source.units:
        if unit.group is not None:
            groups.setdefault(unit.group, {})[unit.plural or "other"] = unit
    done: set[str] = set()
    for unit in source.units:
        if not unit.target and unit.group is None:
            continue  # an empty source string: nothing to translate
        if unit.group is None and unit.key in target_groups:
            continue  # the target made a plural of it (Rails' "billion"): its forms are its own
        if unit.group is None:
            out.append(_paired(unit, unit.target or "", have.get(unit.key)))
            continue
        if unit.group in done:
            continue
        done.add(unit.group)
        forms = groups[unit.group]
        for cat in plurals.categories(lang):
            src = forms[plurals.source_category(cat, list(forms))]
            key = mod.plural_key(unit.group, cat)
            new = _paired(src, src.target or "", have.get(key))
            new.key = key
            new.plural = cat
            if new.span is None and isinstance(src.where, tuple):
                new.where = (*src.where[:-1], key.rsplit(".", 1)[-1])
            out.append(new)
    return out


def _paired(src: Unit, text: str, tgt: Unit | None) -> Unit:
    unit = Unit(
        src.key,
        text,
        tgt.target if tgt is not None else None,
        context=src.context,
        notes=list(dict.fromkeys(src.notes + (tgt.notes if tgt is not None else []))),
        group=src.group,
        plural=src.plural,
        line=tgt.line if tgt is not None else src.line,
        column=tgt.column if tgt is not None else src.column,
        span=tgt.span if tgt is not None else None,
        where=tgt.where if tgt is not None else src.where,
    )
    unit.state = State.translated if unit.target and unit.target != text else State.untranslated
    return unit
