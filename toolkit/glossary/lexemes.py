"""The inflected forms of glossary term words, from pymorphy3, kept on disk.

Lemma matching (:mod:`toolkit.glossary.match`) needs, for every Cyrillic word of
every term, the word's lemma and every form of its lexeme. Loading pymorphy3's
Russian and Ukrainian dictionaries and generating those lexemes took most of a
``tolmach glossary show`` run (about 0.3 s of analysers and 0.2 s of lexemes for
the shipped glossary, measured on 2 cores). The table depends only on the words
and on the pymorphy3 version and dictionaries, so it is written once to
``$TOLMACH_HOME/lexemes/`` and read back (a few milliseconds) while those stay
the same; the analyser is then never loaded. A table that cannot be read is
rebuilt; one that cannot be written is only used for the run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from toolkit.errors import MissingDependencyError
from toolkit.i18n import _

FORMAT = 1  # bump when the table's meaning changes
_MORPH: dict[str, Any] = {}
# (lang, key) -> table: what this process has read or built
_TABLES: dict[tuple[str, str], dict[str, tuple[str, list[str]]] | None] = {}


def analyzer(lang: str) -> Any:
    """pymorphy3's analyser for ``lang``, loaded once; None without a dictionary."""
    if lang not in _MORPH:
        try:
            import pymorphy3
        except ImportError:  # pragma: no cover - a declared dependency
            raise MissingDependencyError(
                _("pymorphy3 is needed for inflection-aware matching: pip install pymorphy3")
            ) from None
        try:
            _MORPH[lang] = pymorphy3.MorphAnalyzer(lang=lang)
        except (ValueError, OSError, ImportError):
            _MORPH[lang] = None  # no dictionary for this language: surface matching only
    return _MORPH[lang]


def _versions(lang: str) -> str:
    out = []
    for dist in ("pymorphy3", f"pymorphy3-dicts-{lang}"):
        try:
            out.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist}=-")
    return ",".join(out)


def _key(lang: str, words: Sequence[str]) -> str:
    h = hashlib.sha256(f"{FORMAT}\x00{lang}\x00{_versions(lang)}".encode())
    for word in words:
        h.update(b"\x00")
        h.update(word.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


def build(lang: str, words: Sequence[str]) -> dict[str, tuple[str, list[str]]] | None:
    """word -> (lemma, forms) with the analyser; None when ``lang`` has no dictionary.

    The lemma is the first parse's normal form; the forms are the lexemes of every
    parse with that normal form (``ё`` read as ``е``).
    """
    morph = analyzer(lang)
    if morph is None:
        return None
    table: dict[str, tuple[str, list[str]]] = {}
    for word in words:
        lemma = word
        forms = {word}
        parses = morph.parse(word)
        if parses:
            lemma = parses[0].normal_form.replace("ё", "е")
            for parse in parses:
                if parse.normal_form.replace("ё", "е") == lemma:
                    forms.update(f.word.replace("ё", "е") for f in parse.lexeme)
        table[word] = (lemma, sorted(forms))
    return table


def table(lang: str, words: Sequence[str]) -> dict[str, tuple[str, list[str]]] | None:
    """The forms table of ``words`` (Cyrillic term words, in order): from this run,
    else from disk, else built with pymorphy3 and written for the next run."""
    words = list(dict.fromkeys(words))
    key = _key(lang, words)
    if (lang, key) in _TABLES:
        return _TABLES[(lang, key)]
    from toolkit.memory import home

    path = home() / "lexemes" / f"{lang}-{key}.json"
    found: dict[str, tuple[str, list[str]]] | None = None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("words") == words:
            found = {w: (lemma, forms) for w, (lemma, forms) in data["table"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        found = None
    if found is None:
        found = build(lang, words)
        if found is not None:
            _write(path, words, found)
    _TABLES[(lang, key)] = found
    return found


def _write(path: Any, words: list[str], found: dict[str, tuple[str, list[str]]]) -> None:
    from toolkit.errors import TolmachError
    from toolkit.files import atomic_write

    payload = {"format": FORMAT, "words": words, "table": found}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except (OSError, TolmachError):
        pass  # a read-only cache folder: the table serves this run only
