"""The translation quality rules (:mod:`toolkit.audit.qa`) over every catalog format.

One rule per check, one id for all formats: over a ``.po`` catalog the
check sees each translated or fuzzy entry (a plural form answers the
singular or the plural msgid), over the catalogs of :mod:`toolkit.catalogs`
each unit with a translation. Findings point at the entry's msgid line or
at the unit's value. ``qa-fuzzy-placeholder`` looks at fuzzy entries only;
the other checks look at translations in use (not fuzzy, not empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from toolkit.audit import qa
from toolkit.audit.checks import Context, Issue
from toolkit.findings import CATALOG, Rule, Severity
from toolkit.i18n import _

PairCheck = Callable[[qa.Pair], list[str]]
CREDITS = frozenset({"translator-credits", "translator_credits", "TRANSLATOR-CREDITS"})


def keep_terms(ctx: Context) -> tuple[str, ...]:
    """Do-not-translate spellings of the glossary (they may stay as written)."""
    if ctx.glossary is None:
        return ()
    out: list[str] = []
    for entry in ctx.glossary.entries:
        if entry.dnt:
            for _lang, values in entry.terms + entry.abbrs:
                out.extend(values)
    return tuple(out)


def po_pairs(ctx: Context, *, fuzzy: bool) -> Iterator[tuple[qa.Pair, Issue]]:
    """Each form of each entry as a pair, and where a finding about it points."""
    from toolkit.audit.catalogs import _pair_sources, is_fuzzy, is_translated

    catalog = ctx.catalog
    assert catalog is not None
    lang = ctx.language or catalog.language or ""
    keep = keep_terms(ctx)
    for entry, span in catalog.active():
        if entry.msgid in CREDITS:
            continue  # names and addresses of translators, not a translation
        if fuzzy != is_fuzzy(entry) or (not fuzzy and not is_translated(entry)):
            continue
        flags = tuple(entry.flags)
        for sources, text in _pair_sources(entry):
            if not text:
                continue
            pair = qa.Pair(
                tuple(sources),
                text,
                lang,
                flags,
                None,
                fuzzy,
                qa.max_length_of(flags),
                qa.accelerator_of(flags, None, tuple(sources)),
                keep,
            )
            yield pair, Issue("", text, line=span.first_keyword + 1, lang=lang)


def unit_pairs(ctx: Context) -> Iterator[tuple[qa.Pair, Issue]]:
    from toolkit.audit.l10n import _issue
    from toolkit.catalogs import State, is_untranslated

    cat = ctx.units
    assert cat is not None
    keep = keep_terms(ctx)
    groups: dict[str, list[str]] = {}
    for unit in cat.units:
        if unit.group is not None:
            groups.setdefault(unit.group, []).append(unit.source)
    for unit in cat.units:
        if unit.target is None or is_untranslated(unit, cat.bilingual):
            continue
        sources = tuple(dict.fromkeys(groups.get(unit.group or "", []) or [unit.source]))
        flags = tuple(unit.flags)
        pair = qa.Pair(
            sources,
            unit.target,
            cat.target_language,
            flags,
            cat.store.syntax,
            unit.state is State.review,
            None,  # catalog-max-length reports the unit's own limit
            qa.accelerator_of(flags, cat.store.syntax, sources),
            keep,
        )
        issue = _issue(cat, unit, "", unit.target)
        yield pair, issue


def rule_check(check: PairCheck, *, fuzzy: bool = False) -> Callable[[Context], Iterator[Issue]]:
    """A rule check from a pair check: every pair of the context's catalog."""

    def run_pairs(ctx: Context) -> Iterator[Issue]:
        if ctx.catalog is not None:
            found = po_pairs(ctx, fuzzy=fuzzy)
        elif ctx.units is not None and not fuzzy:
            found = unit_pairs(ctx)
        else:
            return
        for pair, where in found:
            for message in check(pair):
                yield Issue(
                    message,
                    where.text,
                    line=where.line,
                    column=where.column,
                    file=where.file,
                    lang=where.lang,
                )

    run_pairs.__name__ = check.__name__
    run_pairs.__doc__ = check.__doc__
    return run_pairs


def _rule(rule_id: str, severity: Severity, description: str, check: PairCheck, **kw: bool) -> Rule:
    return Rule(rule_id, severity, description, CATALOG, rule_check(check, **kw))


RULES: tuple[Rule, ...] = (
    _rule(
        "qa-options",
        Severity.WARNING,
        _("A command-line option of the source (--help, -v) changed or missing."),
        qa.check_options,
    ),
    _rule(
        "qa-brackets",
        Severity.WARNING,
        _("Brackets or parentheses lost or added, or typographic quotes unbalanced."),
        qa.check_brackets,
    ),
    _rule(
        "qa-urls",
        Severity.WARNING,
        _("A URL, e-mail address or file path of the source changed or missing."),
        qa.check_urls,
    ),
    _rule(
        "qa-numbers",
        Severity.WARNING,
        _("A number of the source missing from the translation."),
        qa.check_numbers,
    ),
    _rule(
        "qa-tags",
        Severity.ERROR,
        _("XML/HTML tags that differ from the source's (user placeholders like <file> aside)."),
        qa.check_tags,
    ),
    _rule(
        "qa-newlines",
        Severity.WARNING,
        _("Leading or trailing newlines, tabs or backslashes that differ from the source's."),
        qa.check_newlines,
    ),
    _rule(
        "qa-whitespace",
        Severity.WARNING,
        _("Leading or trailing spaces that differ from the source's."),
        qa.check_whitespace,
    ),
    _rule(
        "qa-end-punctuation",
        Severity.WARNING,
        _("A final punctuation mark that does not correspond to the source's."),
        qa.check_end_punctuation,
    ),
    _rule(
        "qa-repeated-word",
        Severity.WARNING,
        _("A word written twice in a row in the translation."),
        qa.check_repeated_words,
    ),
    _rule(
        "qa-accelerator",
        Severity.WARNING,
        _("A keyboard accelerator (_File, &Open) lost or doubled."),
        qa.check_accelerators,
    ),
    _rule(
        "qa-length",
        Severity.WARNING,
        _("A translation over its max-length flag, or far longer or shorter than the source."),
        qa.check_length,
    ),
    _rule(
        "qa-icu",
        Severity.ERROR,
        _("A translation of an ICU MessageFormat message that is not valid ICU."),
        qa.check_icu,
    ),
    _rule(
        "qa-fuzzy-placeholder",
        Severity.WARNING,
        _("A fuzzy entry whose printf or brace placeholders differ from the source's."),
        qa.check_fuzzy_placeholders,
        fuzzy=True,
    ),
)
