"""Audit: checks that yield findings over documents and catalogs, and reporters.

Public API::

    from toolkit.audit import audit_paths, AuditResult, Finding, Severity

``audit_paths(["docs/"], expect="en")`` reads every document (any format
detection reads) and every ``.po`` catalog under the paths, runs the checks
and returns an :class:`AuditResult`; nothing is printed. A file that cannot
be read or parsed becomes one entry of ``errors`` and the others are still
audited. It serves ``tolmach audit`` and ``tolmach po audit`` alike (the
latter selects the catalog rules). The rules are in one registry,
:mod:`toolkit.audit.rules`; reporters live in :mod:`toolkit.audit.report`,
baselines in :mod:`toolkit.audit.baseline`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.findings import CATALOG, DOCUMENT, Finding, Severity

if TYPE_CHECKING:
    from toolkit.audit.checks import Source
    from toolkit.errors import TolmachError
    from toolkit.glossary.model import Glossary

__all__ = ["AuditResult", "Finding", "Severity", "audit_paths"]

CATALOG_SUFFIXES = (".po", ".pot")


@dataclass
class AuditResult:
    """What an audit found.

    ``findings`` are sorted by file, line and column. ``counts`` holds
    ``files`` (audited), ``error``/``warning``/``info`` (findings kept),
    ``suppressed`` (by ``ignore`` patterns and inline markers) and
    ``catalogs`` (per-catalog entry and word counts). ``errors`` are the
    files that could not be audited, each a :class:`~toolkit.errors.TolmachError`
    with its path and exit code. ``files`` maps every audited file (as
    findings name it) to its language: the one a document was checked
    against, a catalog's; None for an empty document or a catalog without one.
    """

    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    errors: list[TolmachError] = field(default_factory=list)
    files: dict[str, str | None] = field(default_factory=dict)


def is_catalog(path: Path, format: str | None) -> bool:
    """Whether the audit reads ``path`` as a catalog (else as a document of ``format``)."""
    return format is None and path.suffix.lower() in CATALOG_SUFFIXES


def _compile(patterns: Iterable[str | re.Pattern[str]]) -> list[re.Pattern[str]]:
    from toolkit.errors import UsageError
    from toolkit.i18n import _

    out = []
    for p in patterns:
        if isinstance(p, re.Pattern):
            out.append(p)
            continue
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise UsageError(
                _("--ignore {p!r} is not a regular expression: {e}").format(p=p, e=exc)
            ) from None
    return out


def _targets(
    paths: Iterable[str | os.PathLike[str]],
    include: Sequence[str],
    exclude: Sequence[str],
    errors: list[TolmachError],
    documents: bool = True,
) -> list[tuple[Path, Path]]:
    """``(file, relative path)`` for every file to audit; relative to its folder argument.

    Folders give their documents (unless ``documents`` is false) and ``.po``
    catalogs; templates (``.pot``) are audited only when named."""
    from toolkit import files, formats
    from toolkit.errors import TolmachError

    exts = (formats.extensions() if documents else set(CATALOG_SUFFIXES)) - {".pot"}
    out: list[tuple[Path, Path]] = []
    for arg in paths:
        root = Path(arg)
        try:
            for path in files.walk([root], extensions=exts, include=include, exclude=exclude):
                rel = path.relative_to(root) if root.is_dir() else Path(path.name)
                out.append((path, rel))
        except TolmachError as exc:
            errors.append(exc)
    return out


def audit_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    expect: str | None = None,
    languages: Sequence[str] | str | None = None,
    glossary: Glossary | None = None,
    source: str | os.PathLike[str] | None = None,
    ignore: Iterable[str | re.Pattern[str]] = (),
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    format: str | None = None,
    rules: Iterable[str] | None = None,
    max_bytes: int | None = None,
    catalog_language: str | None = None,
    source_language: str = "en",
    glossary_for: Callable[[Path], Glossary | None] | None = None,
) -> AuditResult:
    """Audit documents and catalogs; see the module docstring.

    ``expect`` is the language documents should be in (default: what each
    declares, else its majority language); catalogs are checked against
    ``catalog_language``, else their ``Language`` header. ``glossary``
    enables the glossary checks (catalog msgids are matched as
    ``source_language``). ``source`` is the original of a translated document
    (one file) or a folder of originals at the same relative paths: it
    enables ``glossary-missing-term``. ``ignore`` patterns are searched in
    each finding's text; a match drops it. ``rules`` selects document and
    catalog rules by id (default: all); with catalog rules only, folders give
    only their catalogs. ``format`` forces the input format. ``max_bytes``
    refuses larger files (default: 20 MB; 0: no limit); an empty document is
    audited and clean. ``glossary_for(path)`` gives each file its own glossary
    (the project's ``glossary-paths``, :func:`toolkit.glossary.store.for_paths`)
    instead of ``glossary``.
    """
    from toolkit import detect
    from toolkit.audit import rules as registry
    from toolkit.audit import suppress
    from toolkit.audit.checks import Context, run
    from toolkit.errors import FileIOError, TolmachError, UsageError
    from toolkit.i18n import _

    patterns = _compile(ignore)
    langs = detect.parse_languages(languages) if languages is not None else None
    expect = detect.parse_languages([expect])[0] if expect else None
    selected = list(registry.SELECTABLE) if rules is None else list(rules)
    unknown = [r for r in selected if r not in registry.SELECTABLE]
    if unknown:
        raise UsageError(_("unknown rule: {r}").format(r=", ".join(unknown)))
    doc_rules = [registry.RULES[r] for r in selected if registry.RULES[r].scope == DOCUMENT]
    catalog_rules = [r for r in selected if registry.RULES[r].scope == CATALOG]
    result = AuditResult()
    targets = _targets(paths, include, exclude, result.errors, documents=bool(doc_rules))
    source_path = Path(source) if source is not None else None
    if source_path is not None and glossary is None:
        raise UsageError(_("a source is compared through the glossary: give one"))
    if source_path is not None:
        if not source_path.exists():
            raise FileIOError(_("no such file or folder"), path=str(source_path))
        docs = [p for p, _rel in targets if p.suffix.lower() not in CATALOG_SUFFIXES]
        if source_path.is_file() and len(docs) > 1:
            raise UsageError(_("--source FILE needs exactly one document; give a folder instead"))

    suppressed = 0
    audited = 0
    catalogs: dict[str, Any] = {}
    found: list[Finding] = []
    sources: dict[Path, Source] = {}
    for path, rel in targets:
        terms = glossary_for(path) if glossary_for is not None else glossary
        try:
            if is_catalog(path, format):
                items, dropped, counts, lang = _audit_catalog(
                    path, terms, catalog_rules, catalog_language, source_language
                )
                catalogs[str(path)] = counts
            else:
                doc = load_document(path, format, max_bytes)
                if doc is None:  # empty: nothing can be untranslated
                    audited += 1
                    result.files[str(path)] = None
                    continue
                detection = detect.fragments(doc, expect=expect, languages=langs)
                lang = detection.expected
                ctx = Context(str(path), terms, doc=doc, detection=detection)
                if source_path is not None and terms is not None:
                    original = source_path if source_path.is_file() else source_path / rel
                    if original.is_file():
                        ctx.source = _source(original, sources, langs)
                    else:
                        found.append(_no_source(str(path), str(original)))
                items, dropped = run(ctx, doc_rules, suppress.suppressor(doc))
        except TolmachError as exc:
            result.errors.append(exc)
            continue
        audited += 1
        result.files[str(path)] = lang
        suppressed += dropped
        for f in items:
            if any(p.search(f.text) for p in patterns):
                suppressed += 1
            else:
                found.append(f)
    found.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    result.findings = found
    by_severity = Counter(f.severity.value for f in found)
    result.counts = {
        "files": audited,
        **{s.value: by_severity.get(s.value, 0) for s in (Severity.ERROR, Severity.WARNING)},
        "info": by_severity.get("info", 0),
        "suppressed": suppressed,
        "catalogs": catalogs,
    }
    return result


def load_document(path: Path, format: str | None, max_bytes: int | None) -> Any:
    """Read and parse a document as the audit does; None when it holds no text.
    Files over ``max_bytes`` (default: the detector's limit) are refused
    before reading."""
    from toolkit import detect, files, formats

    limit = detect.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    raw = files.read_bytes(path, max_bytes=limit or None)
    doc = formats.load(path, format, data=raw)
    return doc if doc.text.strip() else None


def _source(path: Path, cache: dict[Path, Source], languages: Sequence[str] | None) -> Source:
    from toolkit import detect
    from toolkit.audit.checks import Source
    from toolkit.document import Document

    if path not in cache:
        doc = load_document(path, None, None)
        if doc is None:  # an empty source names no term
            empty = Document(text="", segments=(), format="txt", path=str(path))
            cache[path] = Source(empty, "", str(path))
        else:
            expected = detect.fragments(doc, languages=languages).expected
            cache[path] = Source(doc, expected, str(path))
    return cache[path]


def _no_source(path: str, original: str) -> Finding:
    from toolkit.audit.rules import RULES
    from toolkit.i18n import _

    return Finding(
        rule="glossary-no-source",
        severity=RULES["glossary-no-source"].severity,
        file=path,
        line=0,
        column=0,
        message=_("no source document at {original}: glossary terms not compared").format(
            original=original
        ),
        text=original,
    )


def _audit_catalog(
    path: Path,
    glossary: Glossary | None,
    rules: list[str],
    language: str | None,
    source_language: str,
) -> tuple[list[Finding], int, dict[str, int], str | None]:
    from toolkit.audit.catalogs import audit_catalog

    audit = audit_catalog(
        path, rules=rules, terms=glossary, language=language, source_language=source_language
    )
    return audit.findings, audit.suppressed, audit.counts.to_dict(), audit.language
