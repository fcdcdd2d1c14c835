"""The Python API: what ``from toolkit import ...`` gives (see ``toolkit.__all__``).

Each function is the library call a command makes, with its language codes
parsed once by :meth:`toolkit.languages.Language.parse` (``"EN"``, ``"en-US"``
and ``"en"`` are the same; ``"english"`` raises
:class:`~toolkit.errors.UsageError`). Nothing here prints, and nothing heavy is
imported until a function runs: Argos loads only when an Argos engine
translates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from toolkit.languages import Language, parse_languages

if TYPE_CHECKING:
    from toolkit.audit import AuditResult
    from toolkit.detect import Detection, Guess
    from toolkit.document import Document
    from toolkit.engines import Engine
    from toolkit.engines.spec import EngineSpec
    from toolkit.glossary import Glossary
    from toolkit.memory import Memory
    from toolkit.pipeline import RunResult

__all__ = [
    "audit_paths",
    "detect_file",
    "detect_text",
    "load_glossary",
    "translate_files",
    "translate_texts",
]

_StrPath = str | os.PathLike[str]


def _languages(value: str | Sequence[str] | None) -> tuple[Language, ...] | None:
    return parse_languages(value) if value is not None else None


def _engine(engine: str | EngineSpec | Engine) -> Engine:
    """An engine from a name (``argos``, ``argos-reference``, ``identity``), a
    resolved :class:`~toolkit.engines.spec.EngineSpec`, or an engine object."""
    from toolkit.engines import build_engine, get_engine
    from toolkit.engines.spec import EngineSpec

    if isinstance(engine, str):
        return get_engine(engine)
    if isinstance(engine, EngineSpec):
        return build_engine(engine)
    return engine


def detect_text(
    text: str,
    *,
    expect: str | None = None,
    languages: str | Sequence[str] | None = None,
) -> Guess:
    """The language of one text (``lang`` is None when it is not language).

    ``expect``: the language around it (short text in its script counts as
    it); ``languages``: the candidates (default: en, ru, uk, be, bg, ...).

    >>> from toolkit import detect_text
    >>> detect_text("Заголовок открываемого материала", expect="EN").lang
    'ru'
    >>> detect_text("Chats", expect="en-US").lang  # "Chats" is not French
    'en'
    >>> detect_text("12:30").lang is None
    True
    """
    from toolkit import detect as detect_mod

    return detect_mod.detect_text(
        text,
        languages=_languages(languages),
        expect=Language.parse(expect) if expect else None,
    )


def detect_file(
    path: _StrPath,
    *,
    expect: str | None = None,
    languages: str | Sequence[str] | None = None,
    format: str | None = None,
) -> tuple[Document, Detection]:
    """Read, parse and detect one file: its document and every fragment.

    >>> import tempfile, pathlib
    >>> from toolkit import detect_file
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = page.write_text("Newsfeed\\nChats\\nЗаголовок открываемого материала\\n")
    >>> doc, found = detect_file(page, expect="en")
    >>> [(f.line, f.lang, f.text) for f in found.foreign()]
    [(3, 'ru', 'Заголовок открываемого материала')]
    """
    from toolkit import detect as detect_mod

    return detect_mod.detect_file(
        os.fspath(path),
        format=format,
        expect=Language.parse(expect) if expect else None,
        languages=_languages(languages),
    )


def translate_texts(
    texts: Sequence[str],
    *,
    source: str,
    to: str,
    engine: str | EngineSpec | Engine = "argos",
    memory: Memory | None = None,
    glossary: Glossary | None = None,
) -> list[str]:
    """Translate ``texts`` from ``source`` to ``to``: same length and order.

    Duplicates are translated once and the memory (if given) is asked first;
    the engine gets batches, never one call per text. ``engine`` is a name
    (``argos``, ``argos-reference``, ``identity``), an
    :class:`~toolkit.engines.spec.EngineSpec` or an engine object.

    >>> from toolkit import translate_texts
    >>> translate_texts(["Привет", "Привет", "мир"], source="ru-RU", to="EN", engine="identity")
    ['Привет', 'Привет', 'мир']
    """
    from toolkit import translation

    out, _stats = translation.translate_texts(
        list(texts),
        Language.parse(source),
        Language.parse(to),
        engine=_engine(engine),
        memory=memory,
        glossary=glossary,
    )
    return out


def translate_files(
    paths: Iterable[_StrPath],
    *,
    to: str,
    source: str | None = None,
    engine: str | EngineSpec | Engine = "argos",
    output: _StrPath | None = None,
    in_place: bool = False,
    dry_run: bool = False,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    languages: str | Sequence[str] | None = None,
) -> tuple[RunResult, dict[str, bytes]]:
    """Translate the foreign fragments of documents; every other byte stays.

    Returns the run (files, counts, failures) and, with neither ``output``
    nor ``in_place`` (nor ``dry_run``), each file's translated bytes.

    >>> import tempfile, pathlib
    >>> from toolkit import translate_files
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = page.write_text("The news of the day.\\nЗаголовок открываемого материала\\n")
    >>> run, rendered = translate_files([page], to="en", engine="identity")
    >>> run.stats.translated, rendered[str(page)] == page.read_bytes()
    (1, True)
    """
    from toolkit.pipeline import translate_documents

    return translate_documents(
        paths,
        target=Language.parse(to),
        source=Language.parse(source) if source else None,
        engine=_engine(engine),
        memory=memory,
        glossary=glossary,
        languages=_languages(languages),
        output=output,
        in_place=in_place,
        dry_run=dry_run,
    )


def audit_paths(
    paths: Iterable[_StrPath],
    *,
    expect: str | None = None,
    languages: str | Sequence[str] | None = None,
    glossary: Glossary | None = None,
) -> AuditResult:
    """Audit documents and catalogs: the findings ``tolmach audit`` reports.

    >>> import tempfile, pathlib
    >>> from toolkit import audit_paths
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = page.write_text("The news of the day.\\nЗаголовок открываемого материала\\n")
    >>> [(f.line, f.rule, f.severity.value) for f in audit_paths([page], expect="EN").findings]
    [(2, 'untranslated-fragment', 'error')]
    """
    from toolkit import audit

    return audit.audit_paths(
        paths,
        expect=Language.parse(expect) if expect else None,
        languages=_languages(languages),
        glossary=glossary,
    )


def load_glossary(specs: Iterable[str] | None = None) -> Glossary:
    """Load and merge glossaries: shipped names or TSV/CSV/TBX paths (default:
    the configured set).

    >>> from toolkit import load_glossary
    >>> g = load_glossary(["international-organizations"])
    >>> csto = "Collective Security Treaty Organization"
    >>> [e.term("ru") for e in g.entries if e.term("en") == csto]
    ['Организация Договора о коллективной безопасности']
    """
    from toolkit.glossary import load

    return load(list(specs) if specs is not None else None)
