"""Document checks: untranslated fragments and glossary violations.

Each check is a small function in :data:`RULES` with a stable rule id and a
static severity. It takes the :class:`~toolkit.audit.checks.Context` of one document (the parsed
document, its language detection, the glossary and, when given, the source
it was translated from) and yields :class:`Issue` s; :func:`audit_document`
turns them into :class:`~toolkit.findings.Finding` s. Checks never
print.

Severities, chosen for CI:

* ``untranslated-fragment`` (error): text not in the expected language. A
  phrase or sentence (two words or more), or one word in another script
  ("Войти" in English prose), is an error; one word in the document's own
  script ("Straße") is only a warning: names and loanwords look like that.
* ``declared-language-mismatch`` (error): the document's root declares one
  language (``<html lang="ru">``) while its text is overwhelmingly in another.
* ``glossary-missing-term`` (error): given the source, a glossary term of the
  source whose target term is not in the translation.
* ``glossary-dnt-altered`` (warning): a do-not-translate term written with
  another case or spacing.
* ``glossary-inconsistent`` (warning): one concept spelled two ways in one
  document ("OSCE" and "O.S.C.E.", or two names of one entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit import detect
from toolkit.audit.checks import Context, Issue
from toolkit.document import Document, Fragment
from toolkit.findings import DOCUMENT, Rule, Severity
from toolkit.glossary import terms
from toolkit.glossary.model import Entry
from toolkit.i18n import _

_WORDS = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def foreign_spans(detection: detect.Detection) -> list[list[Fragment]]:
    """Foreign fragments, joined when only names, numbers or codes stand between
    them in one segment: "Автобус Scotturb № 403 совершает рейсы" is one
    Russian span, not two fragments around an English one-word name. Two foreign
    sentences side by side stay two spans: one finding per sentence."""
    groups: list[list[Fragment]] = []
    gap: list[Fragment] = []
    for frag in detection.fragments:
        if not detection.is_foreign(frag):
            gap.append(frag)
            continue
        if groups:
            last = groups[-1][-1]
            joinable = (
                bool(gap)
                and last.segment == frag.segment
                and all(g.lang is None or word_count(g.text) <= 2 for g in gap)
                and detect.script_of_lang(last.lang or "") == detect.script_of_lang(frag.lang or "")
            )
            if joinable:
                groups[-1].append(frag)
                gap = []
                continue
        groups.append([frag])
        gap = []
    return groups


def _untranslated(ctx: Context) -> Iterator[Issue]:
    detection, doc = ctx.detection, ctx.doc
    assert detection is not None
    assert doc is not None
    for group in foreign_spans(detection):
        first, last = group[0], group[-1]
        main = max(group, key=lambda f: (len(f.text), f.confidence))
        assert main.lang is not None
        text = doc.segments[first.segment].text[first.start : last.end]
        expected = detection.expected_for(first)
        other_script = detect.script_of_lang(main.lang) != detect.script_of_lang(expected)
        weak = word_count(text) < 2 and not other_script
        yield Issue(
            message=_(
                "text in {lang} (confidence {confidence:.2f}); the document is in {expected}"
            ).format(lang=main.lang, confidence=main.confidence, expected=expected),
            text=text,
            segment=first.segment,
            start=first.start,
            end=last.end,
            severity=Severity.WARNING if weak else None,
            lang=main.lang,
            confidence=main.confidence,
            fix=f"tolmach translate {ctx.path} --to {expected}",
        )


_MISMATCH_LETTERS = 200  # fewer letters of text: too little to contradict a declaration
_MISMATCH_SHARE = 0.8  # the other language's share of the letters


def _declared_mismatch(ctx: Context) -> Iterator[Issue]:
    """The document's root declares one language (``<html lang="ru">``) and
    its text is overwhelmingly in another: at least 200 letters, at least 80%
    of them in one other language, among the fragments that only inherit the
    root's declaration (an element's own ``lang`` is not the root's)."""
    detection, doc = ctx.detection, ctx.doc
    assert detection is not None
    assert doc is not None
    declared = detection.declared
    if declared is None:
        return
    letters: dict[str, int] = {}
    for frag in detection.fragments:
        if frag.lang is None or frag.kind is not None:
            continue
        seg = doc.segments[frag.segment]
        if detect.normalize_lang(seg.lang) not in (None, declared):
            continue  # under an element's own lang
        letters[frag.lang] = letters.get(frag.lang, 0) + sum(ch.isalpha() for ch in frag.text)
    total = sum(letters.values())
    if total < _MISMATCH_LETTERS:
        return
    lang, count = max(letters.items(), key=lambda kv: kv[1])
    if lang == declared or count < _MISMATCH_SHARE * total:
        return
    yield Issue(
        message=_(
            "the document declares {declared}, but {share:.0%} of its text is in {lang}"
        ).format(declared=declared, share=count / total, lang=lang),
        text=doc.lang or declared,
        lang=lang,
        confidence=round(count / total, 3),
    )


def _missing_term(ctx: Context) -> Iterator[Issue]:
    assert ctx.glossary is not None
    assert ctx.source is not None
    assert ctx.doc is not None
    glossary, source, target, doc = ctx.glossary, ctx.source, ctx.expected, ctx.doc
    if source.lang == target:
        return
    present = {occ.entry for _seg, occ in ctx.occurrences()}
    seen: set[Entry] = set()
    prepared = terms.prepare(glossary, source.lang)
    for seg in source.doc.segments:
        for occ in terms.occurrences(prepared, seg.text):
            entry = occ.entry
            if entry in seen or entry in present:
                continue
            seen.add(entry)
            wanted = terms.target_terms(entry, target)
            if not wanted:
                continue
            line, column = source.doc.line_col(seg.raw_offset(occ.start))
            message = _(
                "the source names {found!r} ({path}:{line}:{column}); "
                "the translation has none of: {wanted}"
            ).format(
                found=occ.text,
                path=source.path,
                line=line,
                column=column,
                wanted=", ".join(repr(w) for w in wanted[:4]),
            )
            near = _near_miss(doc, wanted[0])
            if near is not None:
                index, start, end = near
                text = doc.segments[index].text[start:end]
                yield Issue(message, text, index, start, end, fix=wanted[0])
            else:
                yield Issue(message, occ.text, fix=wanted[0])


def _content_words(text: str) -> list[str]:
    return [w.casefold() for w in _WORDS.findall(text) if len(w) >= 3]


def _near_miss(doc: Document, term: str) -> tuple[int, int, int] | None:
    """Where a translation wrote ``term``'s words in another shape (order, extra
    words): the shortest span holding every content word of a multi-word term."""
    wanted = _content_words(term)
    if len(wanted) < 2:
        return None
    need = set(wanted)
    limit = len(wanted) + 4
    best: tuple[int, int, int, int] | None = None
    for seg in doc.segments:
        words = list(_WORDS.finditer(seg.text))
        folded = [w.group().casefold() for w in words]
        for i, word in enumerate(folded):
            if word not in need:
                continue
            have: set[str] = set()
            for j in range(i, min(len(words), i + limit)):
                if folded[j] in need:
                    have.add(folded[j])
                if have == need:
                    span = words[j].end() - words[i].start()
                    if best is None or span < best[0]:
                        best = (span, seg.index, words[i].start(), words[j].end())
                    break
    return None if best is None else best[1:]


def _dnt_altered(ctx: Context) -> Iterator[Issue]:
    assert ctx.glossary is not None
    assert ctx.doc is not None
    prepared = terms.prepare(ctx.glossary, ctx.expected)
    for seg in ctx.doc.segments:
        for alt in terms.dnt_alterations(prepared, seg.text):
            yield Issue(
                _("{found!r} is a do-not-translate term; write it as {term!r}").format(
                    found=alt.text, term=alt.term
                ),
                alt.text,
                seg.index,
                alt.start,
                alt.end,
                fix=alt.term,
            )


def _inconsistent(ctx: Context) -> Iterator[Issue]:
    groups: dict[tuple[Entry, bool], list[tuple[int, terms.Occurrence]]] = {}
    for index, occ in ctx.occurrences():
        groups.setdefault((occ.entry, occ.abbr), []).append((index, occ))
    lang = ctx.expected
    for (entry, is_abbr), found in groups.items():
        spellings: dict[str, list[tuple[int, terms.Occurrence]]] = {}
        for index, occ in found:
            key = terms.spelling_key(occ.text) if is_abbr else occ.term
            spellings.setdefault(key, []).append((index, occ))
        if len(spellings) < 2:
            continue
        preferred = (entry.abbr(lang) if is_abbr else entry.term(lang)) or ""
        preferred_key = terms.spelling_key(preferred) if is_abbr else preferred
        if preferred_key in spellings:
            keep = preferred_key
        else:  # the most used spelling, the first one on a tie
            keep = max(spellings, key=lambda k: len(spellings[k]))
        shown = spellings[keep][0][1].text
        for key, items in spellings.items():
            if key == keep:
                continue
            for index, occ in items:
                yield Issue(
                    _(
                        "{found!r} and {other!r} both name {entry} in this document; "
                        "use one spelling"
                    ).format(found=occ.text, other=shown, entry=entry.label()),
                    occ.text,
                    index,
                    occ.start,
                    occ.end,
                    fix=preferred or shown,
                )


RULES: tuple[Rule, ...] = (
    Rule(
        "untranslated-fragment",
        Severity.ERROR,
        _("Text that is not in the document's expected language."),
        DOCUMENT,
        _untranslated,
        needs=("doc", "detection"),
    ),
    Rule(
        "declared-language-mismatch",
        Severity.ERROR,
        _("The language the document declares is not the language of its text."),
        DOCUMENT,
        _declared_mismatch,
        needs=("doc", "detection"),
    ),
    Rule(
        "glossary-missing-term",
        Severity.ERROR,
        _("A glossary term of the source whose target term is missing in the translation."),
        DOCUMENT,
        _missing_term,
        needs=("doc", "detection", "glossary", "source"),
    ),
    Rule(
        "glossary-dnt-altered",
        Severity.WARNING,
        _("A do-not-translate term written with another case or spacing."),
        DOCUMENT,
        _dnt_altered,
        needs=("doc", "detection", "glossary"),
    ),
    Rule(
        "glossary-inconsistent",
        Severity.WARNING,
        _("One glossary concept spelled in two ways in one document."),
        DOCUMENT,
        _inconsistent,
        needs=("doc", "detection", "glossary"),
    ),
    Rule(
        "glossary-no-source",
        Severity.WARNING,
        _("No source document at the same relative path: glossary terms not compared."),
        DOCUMENT,
    ),
)
