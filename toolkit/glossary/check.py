"""``tolmach glossary check``: problems that make a glossary wrong or matching ambiguous.

Errors (exit 1): a term listed twice, one source term mapped to different
targets, an entry with no term at all, whitespace damage in a cell. Warnings:
an entry missing a language the glossary has, and terms that contain other
terms (matching takes the longest, but the author should know).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from toolkit.findings import GLOSSARY, Finding, Rule, Severity
from toolkit.glossary.match import Matcher, fold
from toolkit.glossary.model import Entry, Glossary
from toolkit.i18n import _

_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")

# The rules of ``tolmach glossary check``, with their static severities; the
# audit's rule registry (:mod:`toolkit.audit.rules`) lists them too.
RULES: tuple[Rule, ...] = (
    Rule("glossary-empty-entry", Severity.ERROR, _("A glossary row with no term."), GLOSSARY),
    Rule(
        "glossary-whitespace",
        Severity.ERROR,
        _("Stray, doubled or invisible spaces in a glossary cell."),
        GLOSSARY,
    ),
    Rule(
        "glossary-empty-cell",
        Severity.WARNING,
        _("A glossary entry with no term in one of the glossary's languages."),
        GLOSSARY,
    ),
    Rule(
        "glossary-duplicate-term",
        Severity.ERROR,
        _("A glossary term listed twice."),
        GLOSSARY,
    ),
    Rule(
        "glossary-conflicting-target",
        Severity.ERROR,
        _("One glossary source term mapped to different targets."),
        GLOSSARY,
    ),
    Rule(
        "glossary-ambiguous-term",
        Severity.WARNING,
        _("A glossary term that contains another entry's term."),
        GLOSSARY,
    ),
)
_SEVERITY = {r.id: r.severity for r in RULES}


def _finding(
    rule: str, file: str, line: int, message: str, text: str = "", lang: str | None = None
) -> Finding:
    return Finding(rule, _SEVERITY[rule], file, line, 0, message, text, lang)


def check_whitespace(text: str, file: str) -> list[Finding]:
    """Look at the raw cells: stray, doubled or unusual spaces break matching."""
    out: list[Finding] = []
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        if header_seen and line and not line.strip():
            out.append(
                _finding("glossary-empty-entry", file, number, _("row has only empty cells"))
            )
            continue
        if not line.strip() or (not header_seen and line.startswith("#")):
            continue
        if not header_seen:
            header_seen = True
            continue
        if line != line.rstrip():
            out.append(
                _finding(
                    "glossary-whitespace",
                    file,
                    number,
                    _("trailing whitespace at the end of the row"),
                    line.strip(),
                )
            )
        for cell in line.split("\t"):
            for part in cell.split("|"):
                value = part.strip(" ") if "|" in cell else part
                problem = None
                if value != value.strip():
                    problem = _("leading or trailing whitespace in {v!r}")
                elif "  " in value:
                    problem = _("double space in {v!r}")
                elif _ODD_SPACE.search(value):
                    problem = _("non-breaking or invisible space in {v!r}")
                if problem:
                    out.append(
                        _finding(
                            "glossary-whitespace", file, number, problem.format(v=value), value
                        )
                    )
    return out


def _targets(entry: Entry, lang: str) -> dict[str, str]:
    return {
        other: fold(entry.term(other) or "")
        for other in entry.languages
        if other != lang and entry.term(other)
    }


def check_glossary(glossary: Glossary, file: str = "", raw: str | None = None) -> list[Finding]:
    """Every problem of ``glossary``; pass the raw TSV text to check whitespace too."""
    out: list[Finding] = []
    if raw is not None:
        out.extend(check_whitespace(raw, file))
    by_term: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in glossary.entries:
        if not entry.terms and not entry.abbrs:
            out.append(
                _finding(
                    "glossary-empty-entry", file, entry.row, _("row has no term in any language")
                )
            )
            continue
        for lang in glossary.languages:
            if not entry.variants(lang) and not entry.dnt:
                out.append(
                    _finding(
                        "glossary-empty-cell",
                        file,
                        entry.row,
                        _("{t!r} has no {l} term").format(t=entry.label(), l=lang),
                        entry.label(),
                        lang,
                    )
                )
        for lang in entry.languages:
            seen: set[str] = set()
            for term in entry.variants(lang) + entry.abbr_variants(lang):
                key = fold(term)
                if term in seen:
                    out.append(
                        _finding(
                            "glossary-duplicate-term",
                            file,
                            entry.row,
                            _("{t!r} is listed twice in the same entry").format(t=term),
                            term,
                            lang,
                        )
                    )
                    continue
                if key in seen:
                    continue  # a case variant of the same spelling
                seen.add(term)
                seen.add(key)
                by_term[(lang, key)].append(entry)
    for (lang, _key), entries in sorted(by_term.items()):
        if len(entries) < 2:
            continue
        first = entries[0]
        term = next(t for t in first.variants(lang) + first.abbr_variants(lang) if fold(t) == _key)
        for other in entries[1:]:
            a, b = _targets(first, lang), _targets(other, lang)
            clash = {code for code in a.keys() & b.keys() if a[code] != b[code]}
            if clash:
                code = sorted(clash)[0]
                out.append(
                    _finding(
                        "glossary-conflicting-target",
                        file,
                        other.row,
                        _("{l} term {t!r} maps to {a!r} (row {r}) and to {b!r}").format(
                            l=lang, t=term, a=first.term(code), r=first.row, b=other.term(code)
                        ),
                        term,
                        lang,
                    )
                )
            else:
                out.append(
                    _finding(
                        "glossary-duplicate-term",
                        file,
                        other.row,
                        _("{l} term {t!r} is already in row {r}").format(
                            l=lang, t=term, r=first.row
                        ),
                        term,
                        lang,
                    )
                )
    out.extend(_containment(glossary, file))
    out.sort(key=lambda f: (f.line, f.rule, f.text))
    return out


def _containment(glossary: Glossary, file: str) -> list[Finding]:
    """Terms that contain another entry's term as whole words (surface forms)."""
    out: list[Finding] = []
    for lang in glossary.languages:
        matcher = Matcher(glossary, lang, lemmas=False)
        for entry in glossary.entries:
            for term in entry.variants(lang) + entry.abbr_variants(lang):
                for m in matcher.candidates(term):
                    if m.entry is entry or m.entry == entry:
                        continue
                    if m.start == 0 and m.end == len(term):
                        continue  # same term: reported as duplicate or conflict
                    out.append(
                        _finding(
                            "glossary-ambiguous-term",
                            file,
                            entry.row,
                            _(
                                "{l} term {t!r} contains {o!r} of another entry (row {r}); "
                                "the longest match wins"
                            ).format(l=lang, t=term, o=m.text, r=m.entry.row),
                            term,
                            lang,
                        )
                    )
    return out


def check_file(path: Path, glossary: Glossary) -> list[Finding]:
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    return check_glossary(glossary, str(path), raw)
