"""What every audit check takes and yields, and the one loop that runs checks.

A check is a small function ``check(ctx) -> Iterable[Issue]`` registered
with static metadata (a :class:`~toolkit.findings.Rule`: id, severity,
one-line description) in :mod:`toolkit.audit.rules`. The :class:`Context`
holds one document or one catalog and the options of the run;
:func:`run` turns the issues of the selected rules into
:class:`~toolkit.findings.Finding` s. Checks never print.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.findings import Finding, Rule, Severity

if TYPE_CHECKING:
    from toolkit import detect
    from toolkit.catalogs import Catalog as UnitCatalog
    from toolkit.document import Document
    from toolkit.glossary.model import Glossary
    from toolkit.glossary.terms import Occurrence
    from toolkit.po.catalog import Catalog

GlossaryCheck = Callable[[str, str], list[str]]
LanguageGuess = Callable[[str], "str | None"]  # text -> language code, None when unsure


@dataclass
class Source:
    """The document a translation was made from."""

    doc: Document
    lang: str
    path: str


@dataclass
class Context:
    """One document or one catalog, as the checks see it.

    Documents set ``doc`` and ``detection`` (and ``source`` when the original
    is given); catalogs set ``catalog``, ``language`` (the catalog's),
    ``term_check`` (msgid, msgstr -> glossary messages) and
    ``guess_language`` (text -> language code or None).
    """

    path: str
    glossary: Glossary | None = None
    doc: Document | None = None
    detection: detect.Detection | None = None
    source: Source | None = None
    catalog: Catalog | None = None
    language: str | None = None
    term_check: GlossaryCheck | None = None
    guess_language: LanguageGuess | None = None
    units: UnitCatalog | None = None  # a catalog of another format than .po
    _occurrences: list[tuple[int, Occurrence]] | None = field(default=None, repr=False)

    @property
    def expected(self) -> str:
        assert self.detection is not None
        return self.detection.expected

    def occurrences(self) -> list[tuple[int, Occurrence]]:
        """``(segment index, occurrence)`` of glossary spellings in the expected language."""
        if self._occurrences is None:
            from toolkit.glossary import terms

            assert self.glossary is not None
            assert self.doc is not None
            prepared = terms.prepare(self.glossary, self.expected)
            self._occurrences = [
                (seg.index, occ)
                for seg in self.doc.segments
                for occ in terms.occurrences(prepared, seg.text)
            ]
        return self._occurrences


@dataclass(frozen=True)
class Issue:
    """What a check yields: a place and a message.

    The place is a document segment and a span in it, an explicit 1-based
    ``line`` (catalog entries), or neither: the whole file.
    """

    message: str
    text: str
    segment: int | None = None
    start: int = 0
    end: int = 0
    severity: Severity | None = None  # None: the rule's severity
    lang: str | None = None
    confidence: float | None = None
    fix: str | None = None
    line: int | None = None
    column: int | None = None
    file: str | None = None  # another file than the context's (a source file)


def _in_part(ctx: Context, offset: int) -> str:
    """The context's file, with ``!member`` when the place is in a container's part."""
    part = ctx.doc.part_at(offset) if ctx.doc is not None and offset >= 0 else None
    return f"{ctx.path}!{part}" if part else ctx.path


def run(
    ctx: Context,
    rules: Iterable[Rule],
    suppressed: Callable[[int, int, str], bool] | None = None,
) -> tuple[list[Finding], int]:
    """Run ``rules`` over ``ctx``; a rule whose ``needs`` are unset is skipped.

    ``suppressed(offset, line, rule id)`` (see :mod:`toolkit.audit.suppress`) drops
    findings at marked places; returns the findings (sorted by place) and how
    many were dropped.
    """
    findings: list[Finding] = []
    dropped = 0
    for rule in rules:
        if rule.check is None or any(getattr(ctx, need) is None for need in rule.needs):
            continue
        for issue in rule.check(ctx):
            line = column = 0
            end_line = end_column = None
            offset = -1
            if issue.segment is not None:
                assert ctx.doc is not None
                seg = ctx.doc.segments[issue.segment]
                offset = seg.raw_offset(issue.start)
                line, column = ctx.doc.line_col(offset)
                end_line, end_column = ctx.doc.line_col(seg.raw_offset(issue.end))
            elif issue.line is not None:
                line, column = issue.line, issue.column or 1
            if suppressed is not None and suppressed(offset, line, rule.id):
                dropped += 1
                continue
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=issue.severity or rule.severity,
                    file=issue.file or _in_part(ctx, offset),
                    line=line,
                    column=column,
                    message=issue.message,
                    text=issue.text,
                    lang=issue.lang,
                    confidence=issue.confidence,
                    fix=issue.fix,
                    end_line=end_line,
                    end_column=end_column,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings, dropped
