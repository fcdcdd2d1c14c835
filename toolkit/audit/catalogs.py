"""Catalog checks (``audit`` and ``po audit`` over ``.po`` files), and per-catalog counts.

Each check is a small function over one entry, ``(ctx, entry) -> (message,
text)`` pairs, made a rule check by :func:`per_entry` and listed in
:data:`RULES` with a static id, severity and description. The glossary and
language checks take their dependency from the context (a callable), so other
detectors plug in without changing this module. As babel's checkers, this
module depends on the catalog model (:mod:`toolkit.po.catalog`), never the
reverse.

Severities, chosen for CI: an untranslated entry, a placeholder mismatch and
a wrong plural count are errors (users see English or the program breaks);
fuzzy, unchanged, glossary and wrong-language entries are warnings (a person
must look, but the catalog works).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.audit import qa, suppress
from toolkit.audit.checks import Context, GlossaryCheck, Issue, LanguageGuess, run
from toolkit.findings import CATALOG, Finding, Rule, Severity
from toolkit.glossary.model import Glossary
from toolkit.i18n import _
from toolkit.languages import Language
from toolkit.po import placeholders
from toolkit.po.catalog import Catalog, Message, load_catalog

_URL_RE = re.compile(r"(?:https?|ftp|file)://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_WORD_RE = re.compile(r"\S+")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORDS_RE = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")


def _strip_code(text: str, flags: Sequence[str] = ()) -> str:
    """The text without placeholders, tags, URLs and e-mail addresses."""
    text = _URL_RE.sub(" ", text)
    masked, _tokens = placeholders.mask(text, flags, markup=True)
    return placeholders.SENTINEL_RE.sub(" ", masked)


def detected_language(
    text: str, expected: str, languages: Sequence[str] | None = None
) -> str | None:
    """The language of a msgstr when it is clearly not ``expected``; None when it
    looks fine or cannot be told. Backed by :func:`toolkit.detect.detect_text`
    (placeholders, markup and URLs removed first).

    >>> detected_language("Delete the file now", "ru")
    'en'
    >>> detected_language("Видалити всі файли", "ru")
    'uk'
    >>> detected_language("Удалить файл", "ru") is None
    True
    """
    from toolkit import detect

    base = detect.normalize_lang(expected) or expected
    plain = _strip_code(text)
    if not _LETTER_RE.search(plain):
        return None
    langs = tuple(languages) if languages is not None else detect.DEFAULT_LANGUAGES
    if base not in langs:
        langs = (base, *langs)
    script = detect.script_of_lang(base)
    # Product names, options and file names stay in Latin inside a Russian
    # msgstr ("Кэш DNS", "создать Makefile"): judge the words in the
    # catalog's own script, and the whole text only when there are none.
    own = [w for w in _WORDS_RE.findall(plain) if detect.script_of_text(w) == script]
    if own:
        guess = detect.detect_text(" ".join(own), languages=langs, expect=base)
        same_script = guess.lang is not None and detect.script_of_lang(guess.lang) == script
        if guess.lang != base and same_script and guess.confidence >= 0.8:
            return guess.lang
        return None
    guess = detect.detect_text(plain, languages=langs, expect=base)
    if guess.lang is None or guess.lang == base:
        return None
    return guess.lang


def _texts(entry: Message) -> list[str]:
    if entry.msgid_plural:
        return [v for _k, v in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def is_translated(entry: Message) -> bool:
    """As msgfmt counts: not fuzzy and every msgstr form non-empty."""
    if "fuzzy" in entry.flags:
        return False
    texts = _texts(entry)
    return bool(texts) and all(texts)


def is_fuzzy(entry: Message) -> bool:
    return "fuzzy" in entry.flags and any(_texts(entry))


def naturally_identical(text: str, flags: Sequence[str] = ()) -> bool:
    """Strings that need no translation: numbers, URLs, format-only strings,
    symbols, and single all-capital or digit-bearing tokens (``CPU``, ``UTF-8``)."""
    rest = re.sub(r"%[A-Za-z]", " ", _strip_code(text, flags))
    if not _LETTER_RE.search(rest):
        return True
    words = rest.split()
    if len(words) == 1:
        w = words[0]
        return w.upper() == w or any(c.isdigit() for c in w)
    return False


EntryCheck = Callable[[Context, Message], Iterable[tuple[str, str]]]


def per_entry(check: EntryCheck) -> Callable[[Context], Iterator[Issue]]:
    """A rule check from an entry check: run it over every active entry of
    the catalog; each finding points at the entry's msgctxt or msgid line."""

    @functools.wraps(check)
    def run_entries(ctx: Context) -> Iterator[Issue]:
        assert ctx.catalog is not None
        for entry, span in ctx.catalog.active():
            for message, text in check(ctx, entry):
                yield Issue(message, text, line=span.first_keyword + 1, lang=ctx.catalog.language)

    return run_entries


def _untranslated(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if not is_translated(entry) and not is_fuzzy(entry):
        yield _("untranslated entry"), entry.msgid


def _fuzzy(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if is_fuzzy(entry):
        yield _("fuzzy entry: a translation waits for review"), entry.msgid


def _unchanged(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if not is_translated(entry):
        return
    msgid = entry.msgid
    first = _texts(entry)[0]
    if first == msgid and not naturally_identical(msgid, entry.flags):
        from toolkit.audit.pairs import keep_terms

        if not qa.needs_no_translation(msgid, keep_terms(ctx), ctx.language or ""):
            yield _("msgstr is the same as msgid"), msgid


def _pair_sources(entry: Message) -> list[tuple[list[str], str]]:
    """(acceptable sources, translation) for each msgstr form."""
    if entry.msgid_plural:
        both = [entry.msgid, entry.msgid_plural]
        return [(both, v) for _k, v in sorted(entry.msgstr_plural.items())]
    return [([entry.msgid], entry.msgstr)]


def _placeholder(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if not is_translated(entry):
        return
    flags = [f for f in entry.flags if f != "fuzzy"]
    for sources, text in _pair_sources(entry):
        detail = mismatch_detail([placeholders.mismatch(src, text, flags) for src in sources])
        if detail:
            yield _("placeholders differ from the source") + ": " + detail, text
            return


def mismatch_detail(results: Sequence[tuple[list[str], list[str]]]) -> str | None:
    """What differs (missing and unexpected placeholders) when none of the
    ``(missing, extra)`` comparisons with the possible sources is clean."""
    if any(not missing and not extra for missing, extra in results):
        return None
    missing, extra = results[-1]
    parts = []
    if missing:
        parts.append(_("missing") + " " + " ".join(missing))
    if extra:
        parts.append(_("unexpected") + " " + " ".join(extra))
    return "; ".join(parts)


def _plural_count(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    assert ctx.catalog is not None
    pf = ctx.catalog.plural_forms
    if not entry.msgid_plural or pf is None or not any(_texts(entry)):
        return
    have = len(entry.msgstr_plural)
    if have != pf.nplurals:
        yield (
            _("plural entry has {have} forms, Plural-Forms asks for {want}").format(
                have=have, want=pf.nplurals
            ),
            entry.msgid,
        )


def _glossary(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if ctx.term_check is None or not is_translated(entry):
        return
    for sources, text in _pair_sources(entry):
        for message in ctx.term_check(sources[-1] if len(sources) > 1 else sources[0], text):
            yield message, text


def _wrong_language(ctx: Context, entry: Message) -> Iterator[tuple[str, str]]:
    if ctx.guess_language is None or not ctx.language or not is_translated(entry):
        return
    for sources, text in _pair_sources(entry):
        if text in sources:
            continue  # reported as unchanged
        words = {w.casefold() for w in _WORDS_RE.findall(_strip_code(text, entry.flags))}
        if words <= {w.casefold() for s in sources for w in _WORDS_RE.findall(s)}:
            continue  # only names the source writes too ("FIFO", "tolmach audit")
        found = ctx.guess_language(text)
        if found and Language.lookup(found) != Language.lookup(ctx.language):
            yield (
                _("msgstr looks like {found}, the catalog is {lang}").format(
                    found=found, lang=ctx.language
                ),
                text,
            )
            return


RULES: tuple[Rule, ...] = (
    Rule(
        "po-untranslated",
        Severity.ERROR,
        _("A catalog entry with no translation."),
        CATALOG,
        per_entry(_untranslated),
        needs=("catalog",),
    ),
    Rule(
        "po-fuzzy",
        Severity.WARNING,
        _("A fuzzy catalog entry: its translation waits for review."),
        CATALOG,
        per_entry(_fuzzy),
        needs=("catalog",),
    ),
    Rule(
        "po-unchanged",
        Severity.WARNING,
        _("A msgstr that is the same as its msgid."),
        CATALOG,
        per_entry(_unchanged),
        needs=("catalog",),
    ),
    Rule(
        "po-placeholder",
        Severity.ERROR,
        _("A msgstr whose placeholders differ from the msgid's."),
        CATALOG,
        per_entry(_placeholder),
        needs=("catalog",),
    ),
    Rule(
        "po-plural-count",
        Severity.ERROR,
        _("A plural entry with another number of forms than Plural-Forms asks for."),
        CATALOG,
        per_entry(_plural_count),
        needs=("catalog",),
    ),
    Rule(
        "po-glossary",
        Severity.WARNING,
        _("A glossary term of the msgid not translated as the glossary says."),
        CATALOG,
        per_entry(_glossary),
        needs=("catalog", "term_check"),
    ),
    Rule(
        "po-wrong-language",
        Severity.WARNING,
        _("A msgstr that is not in the catalog's language."),
        CATALOG,
        per_entry(_wrong_language),
        needs=("catalog", "guess_language"),
    ),
)


@dataclass
class Counts:
    """Per-catalog counts, as pocount gives them (entries and source words)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    def to_dict(self) -> dict[str, int]:
        d = dict(self.__dict__)
        d["total"] = self.total
        return d


def _words(entry: Message) -> int:
    n = len(_WORD_RE.findall(entry.msgid))
    if entry.msgid_plural:
        n += len(_WORD_RE.findall(entry.msgid_plural))
    return n


def count(catalog: Catalog) -> Counts:
    c = Counts()
    for entry, span in zip(catalog.entries, catalog.spans, strict=True):
        if span.obsolete:
            c.obsolete += 1
            continue
        words = _words(entry)
        if is_translated(entry):
            c.translated += 1
            c.translated_words += words
        elif is_fuzzy(entry):
            c.fuzzy += 1
            c.fuzzy_words += words
        else:
            c.untranslated += 1
            c.untranslated_words += words
    return c


@dataclass
class CatalogAudit:
    path: str
    counts: Counts
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0  # findings dropped by inline markers
    language: str | None = None  # the language the catalog was checked against


def catalog_suppressor(catalog: Catalog) -> suppress.Suppressor:
    """What silences findings in a ``.po`` catalog: ``tolmach: ignore-file`` in a
    comment line, an entry's comments (``# tolmach: ignore [rule...]``), and the
    rules the project disables (:mod:`toolkit.audit.suppress`)."""
    disabled = suppress.project_disabled()
    comments = [
        line
        for line in catalog.text.splitlines()
        if line.startswith("#") and not line.startswith(("#~", "#|", "#:", "#,"))
    ]
    if suppress.is_file_marked(comments):
        return suppress.everything
    marks: dict[int, frozenset[str]] = {}
    for entry, span in catalog.active():
        notes = [getattr(entry, "tcomment", "") or "", getattr(entry, "comment", "") or ""]
        rules = suppress.ignored_rules(notes)
        if rules:
            marks[span.first_keyword + 1] = rules
    return suppress.by_line(marks, disabled)


def audit_catalog(
    path: str | Path,
    *,
    rules: Iterable[str] | None = None,
    glossary: GlossaryCheck | None = None,
    guess_language: LanguageGuess | None = None,
    language: str | None = None,
    terms: Glossary | None = None,
    source_language: str = "en",
) -> CatalogAudit:
    """Run the catalog checks over one catalog; returns the findings and counts.
    Prints nothing. Findings on lines marked ``tolmach: ignore`` (and the whole
    catalog with ``tolmach: ignore-file``) are dropped and counted.

    ``rules`` selects catalog rule ids (default: all). ``glossary(source,
    translation)`` returns one message per violated term; without it the
    glossary check does not run. ``terms`` is the other way to give it: a
    :class:`~toolkit.glossary.Glossary`, matched inflection-aware (msgids in
    ``source_language``, msgstrs in the catalog's language).
    ``guess_language(text)`` returns a language code or None; without it
    :func:`detected_language` (tolmach's detector) is used for the catalog's
    language, ``language`` when given, else its ``Language`` header.
    """
    catalog = load_catalog(path)
    lang = language or catalog.language
    if glossary is None and terms is not None and lang:
        from toolkit.glossary.terms import term_check

        target = Language.lookup(lang) or lang
        glossary = term_check(terms, source_language, target)
    if guess_language is None and lang:
        guess_language = functools.partial(detected_language, expected=lang)
    ctx = Context(
        str(path),
        catalog=catalog,
        language=lang,
        term_check=glossary,
        guess_language=guess_language,
    )
    ctx.glossary = terms
    from toolkit.audit.pairs import RULES as QA_RULES

    wanted = None if rules is None else set(rules)
    selected = [r for r in (*RULES, *QA_RULES) if wanted is None or r.id in wanted]
    findings, dropped = run(ctx, selected, catalog_suppressor(catalog))
    return CatalogAudit(str(path), count(catalog), findings, dropped, lang)
