"""Glossary checks over texts: what the document and catalog audits share.

* :func:`term_check` builds the ``po audit`` glossary callable: a source term
  in the msgid needs its target term (any variant or abbreviation, any
  inflection) in the msgstr.
* :func:`occurrences` finds every spelling of every entry in a text: the
  :class:`~toolkit.glossary.match.Matcher`'s matches plus dotted or spaced
  abbreviations ("O.S.C.E.", "U. N.") that normalise to a listed one.
* :func:`dnt_alterations` finds do-not-translate terms written with another
  case or other spacing ("amnesty international", "Amnesty-International").
* :func:`target_terms` lists the spellings a translation may use for an entry.

Nothing here prints or decides severities; the audit's document and catalog
checks (:mod:`toolkit.audit.documents`, :mod:`toolkit.audit.catalogs`) turn the
results into findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from toolkit.glossary.model import Entry, Glossary
from toolkit.i18n import _

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐЎ"
# Two or more capitals each followed by a dot ("U.N.", "O. S. C. E."), or
# capitals separated by single spaces are not taken: "A B C" is too often a list.
_DOTTED = re.compile(rf"(?<![\w.])(?:[{_UPPER}]\.[ \u00a0]?)+[{_UPPER}](?:\.|(?![\w]))")
_GAP = r"[\s\-\u2010\u2011.]*"  # what may stand between the words of a dnt term
_SEPARATORS = re.compile(r"[\s.\u00a0]+")


def squeeze(abbr: str) -> str:
    """``"O. S. C. E."`` -> ``"OSCE"``: an abbreviation without dots and spaces."""
    return _SEPARATORS.sub("", abbr)


def spelling_key(text: str) -> str:
    """How a spelling is compared: spaces collapsed, a final dot dropped."""
    return " ".join(text.split()).rstrip(".") or text


@dataclass(frozen=True)
class Occurrence:
    """One spelling of a glossary entry in a text: ``text[start:end]``."""

    start: int
    end: int
    entry: Entry
    term: str  # the glossary spelling it stands for
    text: str  # as written
    abbr: bool


def target_terms(entry: Entry, lang: str) -> tuple[str, ...]:
    """Every acceptable spelling of ``entry`` in ``lang`` (a dnt entry: all of them)."""
    terms = entry.variants(lang) + entry.abbr_variants(lang)
    if not terms and entry.dnt:
        out: list[str] = []
        for _code, values in entry.terms + entry.abbrs:
            out.extend(v for v in values if v not in out)
        return tuple(out)
    return terms


@lru_cache(maxsize=32)
def _squeezed_abbrs(key: _Key, lang: str) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for entry in key.entries:
        for abbr in entry.abbr_variants(lang):
            squeezed = squeeze(abbr)
            if len(squeezed) >= 2:
                out.setdefault(squeezed, []).append(entry)
    return out


class _Key:
    """Hashes a glossary by its digest, so caches follow its content."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.digest = glossary.digest()

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.digest == self.digest

    @property
    def entries(self) -> list[Entry]:
        return self.glossary.entries


class Prepared:
    """A glossary ready for one language: matcher, abbreviation index and dnt
    pattern, built once (see :func:`prepare`) and reused for every text."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        from toolkit.glossary.match import matcher_for

        key = _Key(glossary)
        self.glossary = glossary
        self.lang = lang
        self.matcher = matcher_for(glossary, lang)
        self.abbrs = _squeezed_abbrs(key, lang)
        self.dnt, self.dnt_terms = _dnt_pattern(key)


_PREPARED: dict[tuple[str, str], Prepared] = {}


def prepare(glossary: Glossary, lang: str) -> Prepared:
    """The cached :class:`Prepared` form of ``glossary`` for ``lang``."""
    key = (glossary.digest(), lang)
    found = _PREPARED.get(key)
    if found is None or found.glossary is not glossary:
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        found = _PREPARED[key] = Prepared(glossary, lang)
    return found


def occurrences(prepared: Prepared, text: str) -> list[Occurrence]:
    """Every spelling of every entry of the glossary in ``text`` (in ``prepared.lang``)."""
    out: list[Occurrence] = []
    taken: list[tuple[int, int]] = []
    for m in prepared.matcher.find(text):
        out.append(Occurrence(m.start, m.end, m.entry, m.term, m.text, m.abbr))
        taken.append((m.start, m.end))
    if "." in text and prepared.abbrs:
        for dm in _DOTTED.finditer(text):
            start, end = dm.start(), dm.end()
            if any(a < end and start < b for a, b in taken):
                continue
            named = {o.entry for o in out if not o.abbr}
            for entry in prepared.abbrs.get(squeeze(dm.group()), ()):
                if entry.needs_context(prepared.lang) and entry not in named:
                    continue
                abbr = entry.abbr(prepared.lang) or ""
                out.append(Occurrence(start, end, entry, abbr, dm.group(), True))
                break
    out.sort(key=lambda o: o.start)
    return out


_QUOTES = {"'": "'", '"': '"', "`": "`", "«": "»", "“": "”", "‘": "’", "„": "“"}


def quoted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all of a quoted literal (``'United Nations'``)."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return bool(before) and _QUOTES.get(before) == after


def term_check(glossary: Glossary, source: str, target: str) -> Callable[[str, str], list[str]]:
    """The ``po audit`` glossary callable for msgids in ``source`` and msgstrs in ``target``.

    Returns one message per entry whose source term is in the msgid and none
    of whose target spellings is in the msgstr. A term that is all of a quoted
    literal of the msgid (``en='United Nations'``, an example of input) and
    stays as written in the msgstr is not a violation.
    """
    from toolkit.glossary.match import matcher_for

    def check(msgid: str, msgstr: str) -> list[str]:
        found = matcher_for(glossary, source).find(msgid)
        if not found:
            return []
        present = {m.entry for m in matcher_for(glossary, target).find(msgstr)}
        messages: list[str] = []
        seen: set[Entry] = set()
        for m in found:
            if m.entry in seen or m.entry in present:
                continue
            if quoted(msgid, m.start, m.end) and m.text in msgstr:
                continue  # a quoted example or literal ("en='United Nations'"), kept as written
            seen.add(m.entry)
            wanted = target_terms(m.entry, target)
            if not wanted:
                continue
            messages.append(
                _("glossary: {term!r} should be translated as {wanted}").format(
                    term=m.text, wanted=" / ".join(repr(w) for w in wanted[:3])
                )
            )
        return messages

    return check


@dataclass(frozen=True)
class Alteration:
    start: int
    end: int
    entry: Entry
    term: str
    text: str


@lru_cache(maxsize=16)
def _dnt_pattern(key: _Key) -> tuple[re.Pattern[str] | None, tuple[tuple[Entry, str], ...]]:
    terms: list[tuple[Entry, str]] = []
    for entry in key.entries:
        if not entry.dnt:
            continue
        for _code, values in entry.terms + entry.abbrs:
            for value in values:
                if len(value.strip()) >= 2 and (entry, value) not in terms:
                    terms.append((entry, value))
    if not terms:
        return None, ()
    alternatives = []
    for i, (_entry, value) in enumerate(terms):
        # the term's letters, with any spaces, hyphens or dots between its words
        # and none required where it has none ("Amnesty International",
        # "AmnestyInternational", "Amnesty-International")
        parts = [re.escape(p) for p in re.split(r"[\s\-\u2010\u2011.]+", value.strip()) if p]
        alternatives.append(f"(?P<t{i}>{_GAP.join(parts)})")
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)
    return pattern, tuple(terms)


def dnt_alterations(prepared: Prepared, text: str) -> list[Alteration]:
    """Do-not-translate terms in ``text`` written differently from every listed spelling.

    A one-word term written all in lower case is left alone: that is usually
    the common word ("apple"), or a domain name.
    """
    pattern, terms = prepared.dnt, prepared.dnt_terms
    if pattern is None:
        return []
    out: list[Alteration] = []
    for m in pattern.finditer(text):
        index = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        entry, term = terms[index]
        found = m.group()
        if any(found == v for _c, values in entry.terms + entry.abbrs for v in values):
            continue
        if " " not in term.strip() and found.islower():
            continue
        out.append(Alteration(m.start(), m.end(), entry, term, found))
    return out
