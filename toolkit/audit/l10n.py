"""Checks of localization catalogs of every format but ``.po`` (XLIFF, JSON,
``.properties``...), over the one catalog model (:mod:`toolkit.catalogs`).

Each check runs over the paired units of one catalog and points at the
unit's value (line and column) in the target file; a key missing from a
monolingual target file is reported at its place in the source file.
Untranslated units, placeholder mismatches and missing plural categories
are errors (users see the source language or the program breaks); units
waiting for review and values over their maximum length are warnings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.audit.catalogs import detected_language, mismatch_detail, naturally_identical
from toolkit.audit.checks import Context, Issue, run
from toolkit.audit.pairs import keep_terms
from toolkit.audit.qa import needs_no_translation
from toolkit.catalogs import Catalog, State, is_untranslated, open_catalog, plurals, syntax
from toolkit.catalogs.model import Unit
from toolkit.findings import CATALOG, Finding, Rule, Severity
from toolkit.glossary.model import Glossary
from toolkit.i18n import _


def _issue(cat: Catalog, unit: Unit, message: str, text: str) -> Issue:
    """An issue at the unit's value; a key missing from the target, at its source line."""
    missing = unit.span is None and not cat.bilingual and not cat.created
    return Issue(
        message,
        text,
        line=unit.line,
        column=unit.column,
        file=cat.source_path if missing else None,
        lang=cat.target_language,
    )


def _untranslated(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    for unit in cat.units:
        if not is_untranslated(unit, cat.bilingual):
            continue
        if unit.plural and unit.span is None and not cat.bilingual:
            continue  # reported as a missing plural category
        if unit.target is None and not cat.bilingual:
            message = _("untranslated: {key} is missing from {path}").format(
                key=unit.key, path=cat.path
            )
        elif unit.target and unit.target == unit.source:
            if naturally_identical(unit.source) or needs_no_translation(
                unit.source, keep_terms(ctx), cat.target_language
            ):
                continue  # CPU, PNG, 100%, MB/s, GitHub: nothing to translate
            message = _("untranslated: {key} is the same as the source").format(key=unit.key)
        else:
            message = _("untranslated: {key}").format(key=unit.key)
        yield _issue(cat, unit, message, unit.source)


def _review(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    for unit in cat.units:
        if unit.state is State.review and unit.target:
            yield _issue(
                cat,
                unit,
                _("{key}: the translation waits for review").format(key=unit.key),
                unit.target,
            )


def _placeholders(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    kind = cat.store.syntax
    group_sources: dict[str, list[str]] = {}
    for unit in cat.units:
        if unit.group is not None:
            group_sources.setdefault(unit.group, []).append(unit.source)
    for unit in cat.units:
        if is_untranslated(unit, cat.bilingual) or unit.target is None:
            continue
        sources = list(dict.fromkeys(group_sources.get(unit.group or "", []) or [unit.source]))
        results = [syntax.mismatch(src, unit.target, kind) for src in sources]
        if syntax.is_icu(unit.source) and kind == "json":
            results = [_icu_mismatch(unit.source, unit.target)]
        detail = mismatch_detail(results)
        if detail:
            message = _("{key}: placeholders differ from the source").format(key=unit.key)
            yield _issue(cat, unit, message + ": " + detail, unit.target)


def _icu_mismatch(source: str, target: str) -> tuple[list[str], list[str]]:
    """Placeholders of an ICU message, the plural branches aside (their
    number follows the language): simple arguments and ``#`` as sets."""
    a = {t for t in syntax.find(source, "json") if not t.startswith("}")}
    b = {t for t in syntax.find(target, "json") if not t.startswith("}")}
    a = {t for t in a if "plural" not in t and "select" not in t}
    b = {t for t in b if "plural" not in t and "select" not in t}
    return sorted(a - b), sorted(b - a)


def _plural_missing(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    need = plurals.categories(cat.target_language)
    for unit in cat.units:
        if unit.plural and unit.span is None and not cat.bilingual:
            yield _issue(
                cat,
                unit,
                _("{key}: the plural category {cat} is missing ({lang} needs {need})").format(
                    key=unit.group, cat=unit.plural, lang=cat.target_language, need=", ".join(need)
                ),
                unit.source,
            )
        elif unit.target and syntax.is_icu(unit.target) and cat.store.syntax == "json":
            for var, branches, _s, _e in syntax.icu_plurals(unit.target):
                lacking = [c for c in need if c not in branches]
                if lacking:
                    yield _issue(
                        cat,
                        unit,
                        _("{key}: the plural of {{{var}}} lacks {cats} ({lang})").format(
                            key=unit.key,
                            var=var,
                            cats=", ".join(lacking),
                            lang=cat.target_language,
                        ),
                        unit.target,
                    )


def _glossary(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    assert ctx.term_check is not None
    for unit in cat.units:
        if is_untranslated(unit, cat.bilingual) or not unit.target:
            continue
        for message in ctx.term_check(unit.source, unit.target):
            yield _issue(cat, unit, f"{unit.key}: {message}", unit.target)


def _wrong_language(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    assert ctx.guess_language is not None
    want = plurals.base(cat.target_language)
    for unit in cat.units:
        if is_untranslated(unit, cat.bilingual) or not unit.target or unit.target == unit.source:
            continue
        masked, _tokens = syntax.mask(unit.target, cat.store.syntax)  # the format's own
        found = ctx.guess_language(re.sub(r"⟦\d+⟧", " ", masked))
        if found and plurals.base(found) != want:
            yield _issue(
                cat,
                unit,
                _("{key}: the translation looks like {found}, the catalog is {lang}").format(
                    key=unit.key, found=found, lang=cat.target_language
                ),
                unit.target,
            )


def _max_length(ctx: Context) -> Iterator[Issue]:
    cat = ctx.units
    assert cat is not None
    for unit in cat.units:
        if unit.max_length is not None and unit.target and len(unit.target) > unit.max_length:
            yield _issue(
                cat,
                unit,
                _("{key}: {n} characters, the maximum is {max}").format(
                    key=unit.key, n=len(unit.target), max=unit.max_length
                ),
                unit.target,
            )


RULES: tuple[Rule, ...] = (
    Rule(
        "catalog-untranslated",
        Severity.ERROR,
        _("A catalog unit with no translation (missing, empty, or the source unchanged)."),
        CATALOG,
        _untranslated,
        needs=("units",),
    ),
    Rule(
        "catalog-review",
        Severity.WARNING,
        _("A catalog unit whose translation waits for review."),
        CATALOG,
        _review,
        needs=("units",),
    ),
    Rule(
        "catalog-placeholder",
        Severity.ERROR,
        _("A translation whose placeholders differ from the source's."),
        CATALOG,
        _placeholders,
        needs=("units",),
    ),
    Rule(
        "catalog-plural-missing",
        Severity.ERROR,
        _("A plural message without a category the target language needs."),
        CATALOG,
        _plural_missing,
        needs=("units",),
    ),
    Rule(
        "catalog-glossary",
        Severity.WARNING,
        _("A glossary term of the source not translated as the glossary says."),
        CATALOG,
        _glossary,
        needs=("units", "term_check"),
    ),
    Rule(
        "catalog-wrong-language",
        Severity.WARNING,
        _("A translation that is not in the catalog's language."),
        CATALOG,
        _wrong_language,
        needs=("units", "guess_language"),
    ),
    Rule(
        "catalog-max-length",
        Severity.WARNING,
        _("A translation longer than the unit's maximum length."),
        CATALOG,
        _max_length,
        needs=("units",),
    ),
)


@dataclass
class UnitAudit:
    path: str
    format: str
    target: str
    counts: dict[str, int]
    findings: list[Finding] = field(default_factory=list)


def audit_units(
    path: str | Path,
    *,
    source: str | Path | None = None,
    source_language: str = "en",
    target_language: str | None = None,
    terms: Glossary | None = None,
) -> UnitAudit:
    """Run the unit checks over one catalog; prints nothing. ``terms`` enables
    the glossary check (sources in ``source_language``, matched inflection-aware)."""
    cat = open_catalog(
        path, source=source, source_language=source_language, target_language=target_language
    )
    ctx = Context(str(path), units=cat, language=cat.target_language)
    # tolmach's detector, as po audit uses it (placeholders and markup removed first)
    ctx.guess_language = functools.partial(detected_language, expected=cat.target_language)
    if terms is not None:
        from toolkit.glossary.terms import term_check

        target = plurals.base(cat.target_language)
        ctx.term_check = term_check(terms, plurals.base(cat.source_language), target)
    ctx.glossary = terms
    from toolkit.audit import suppress
    from toolkit.audit.pairs import RULES as QA_RULES

    marks = {}
    for unit in cat.units:
        rules = suppress.ignored_rules(unit.notes)
        if rules:
            marks[unit.line] = rules
    silenced = suppress.by_line(marks, suppress.project_disabled())
    findings, _dropped = run(ctx, (*RULES, *QA_RULES), silenced)
    counts = {"translated": 0, "review": 0, "untranslated": 0}
    for unit in cat.units:
        natural = unit.target == unit.source and naturally_identical(unit.source)
        if is_untranslated(unit, cat.bilingual) and not natural:
            counts["untranslated"] += 1
        elif unit.state is State.review:
            counts["review"] += 1
        else:
            counts["translated"] += 1
    counts["total"] = len(cat.units)
    return UnitAudit(str(path), cat.format, cat.target_language, counts, findings)
