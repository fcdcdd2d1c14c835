"""Find glossary terms in a text: one Aho-Corasick pass, plus Russian/Ukrainian lemmas.

Two automata are built once per (glossary, language):

* a **surface** automaton over normalised terms (NFC, casefold, ``ё`` -> ``е``).
  The text is normalised the same way, with a map back to original offsets, and
  scanned once. Case-sensitive terms (abbreviations by default, or an entry with
  ``case=sensitive``) are then checked against the original characters.
* a **lemma** automaton over the lemma sequences of the language's
  case-insensitive Cyrillic terms. pymorphy3 gives every term word's lexeme
  (:mod:`toolkit.glossary.lexemes`, kept on disk between runs, so the
  analyser is loaded only when the terms change): each inflected form maps to
  the word's lemma. A text's words are looked up in that map (a
  word that is no form of any term word stays as it is), and the lemma
  sequence is scanned once, so "Организации Договора о коллективной
  безопасности" (genitive) matches the nominative entry. Matching itself
  never calls the analyser.

Every candidate must sit on word boundaries: a letter, digit or a hyphen that
joins a word ("ОДКБ-шный") on either side rejects it. Among overlapping
candidates the longest wins, then exact over case-folded over lemma matches,
then the leftmost.

An entry marked ``context=required`` (an abbreviation that is also a common
word or code: ISO, EU, UN, GCC), or ``context=en`` for the languages where it
is, matches by its abbreviation only when its
full name is in the same text too: "ISO sensitivity" and "ISO 100" are not
the standards body, "the International Organization for Standardization
(ISO)" is.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from toolkit.glossary import lexemes
from toolkit.glossary.model import Entry, Glossary

LEMMA_LANGS = ("ru", "uk")
_HOW_RANK = {"exact": 0, "casefold": 1, "lemma": 2}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+(?:['\-\u2010\u2011]\w+)*")
_HYPHENS = "-\u2010\u2011"


@dataclass(frozen=True)
class Match:
    """A glossary term found in a text: ``text[start:end]``."""

    start: int
    end: int
    entry: Entry
    lang: str
    term: str  # the glossary spelling that matched
    how: str  # "exact" | "casefold" | "lemma"
    abbr: bool = False  # the term is one of the entry's abbreviations
    text: str = ""  # the characters of the text that matched


@dataclass(frozen=True)
class Rejected:
    """A candidate that was not accepted, and why (``show`` reports these)."""

    start: int
    end: int
    entry: Entry
    term: str
    reason: str  # "inside-word" | "hyphen-compound" | "case" | "overlap" | "context"
    text: str = ""


_SPACES = "\t\n\r\x0b\x0c\x85\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
# One character for one character, so offsets are kept: apostrophes, hyphens,
# every kind of space, and ё/е (Russian texts use both).
_SAME = str.maketrans(
    {
        **{ch: " " for ch in _SPACES},
        "\u2019": "'",
        "\u02bc": "'",
        "\u2018": "'",
        "\u2010": "-",
        "\u2011": "-",
        "ё": "е",
    }
)
_SAME_CASE_KEPT = str.maketrans({**_SAME, ord("Ё"): "Е"})
# Invisible format characters that web text carries inside and around words:
# soft hyphen, zero-width space/joiners, word joiner, BOM, and the bidi marks,
# embeddings and isolates. They never decide whether a term is there.
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
)
_DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))


def _collapse(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def fold(text: str) -> str:
    """The form terms and texts are compared in: NFC, casefold, ё = е, one kind of
    apostrophe, hyphen and space, and runs of spaces collapsed."""
    text = text.translate(_DROP_INVISIBLE)
    return _collapse(unicodedata.normalize("NFC", text).casefold().translate(_SAME))


def fold_case_kept(text: str) -> str:
    text = text.translate(_DROP_INVISIBLE)
    return _collapse(unicodedata.normalize("NFC", text).translate(_SAME_CASE_KEPT))


def normalize(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Fold ``text`` keeping offsets: ``(norm, starts, ends)``.

    ``starts[i]``/``ends[i]`` are the original offsets of the characters that
    produced ``norm[i]``; both are None when the mapping is the identity.
    Invisible format characters (soft hyphen, zero-width joiners, bidi marks)
    produce nothing, so ``ОБ\u200dСЕ`` matches ``ОБСЕ`` and the match spans them.
    """
    if unicodedata.is_normalized("NFC", text) and _INVISIBLE.isdisjoint(text):
        folded = text.casefold().translate(_SAME)
        if len(folded) == len(text) and "  " not in folded:
            return folded, None, None
    norm: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        if text[i] in _INVISIBLE:
            i = j
            continue
        piece = unicodedata.normalize("NFC", text[i:j]).casefold().translate(_SAME)
        if piece == " " and norm and norm[-1] == " ":
            ends[-1] = j  # a run of spaces counts as one
        else:
            for ch in piece:
                norm.append(ch)
                starts.append(i)
                ends.append(j)
        i = j
    return "".join(norm), starts, ends


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def boundary_problem(text: str, start: int, end: int) -> str | None:
    """Why ``text[start:end]`` is not a whole word (None when it is)."""
    if start > 0 and _is_word_char(text[start]):
        prev = text[start - 1]
        if _is_word_char(prev):
            return "inside-word"
        if prev in _HYPHENS and start > 1 and _is_word_char(text[start - 2]):
            return "hyphen-compound"
    if end < len(text) and end > 0 and _is_word_char(text[end - 1]):
        nxt = text[end]
        if _is_word_char(nxt):
            return "inside-word"
        if nxt in _HYPHENS and end + 1 < len(text) and _is_word_char(text[end + 1]):
            return "hyphen-compound"
    return None


# ----------------------------------------------------------------------------- matcher


class Matcher:
    """All terms of one language of a glossary, ready to be found in texts."""

    def __init__(self, glossary: Glossary, lang: str, *, lemmas: bool | None = None) -> None:
        import ahocorasick

        self.glossary = glossary
        self.lang = lang
        self._surface = ahocorasick.Automaton()
        self._lemma = ahocorasick.Automaton()
        keys: dict[str, list[tuple[Entry, str, bool, bool]]] = {}
        lemma_terms: list[tuple[Entry, str, bool]] = []
        use_lemmas = lang in LEMMA_LANGS if lemmas is None else lemmas
        for entry in glossary.entries:
            names = list(entry.variants(lang))
            abbrs = list(entry.abbr_variants(lang))
            if entry.dnt and not names and not abbrs:
                for _code, values in entry.terms:
                    names.extend(v for v in values if v not in names)
                for _code, values in entry.abbrs:
                    abbrs.extend(v for v in values if v not in abbrs)
            for term, is_abbr in [(t, False) for t in names] + [(t, True) for t in abbrs]:
                sensitive = self._sensitive(entry, term, is_abbr)
                key = fold(term.strip())
                if not key:
                    continue
                keys.setdefault(key, []).append((entry, term, sensitive, is_abbr))
                if use_lemmas and not sensitive and _CYRILLIC.search(term):
                    lemma_terms.append((entry, term, is_abbr))
        for key, surface in keys.items():
            self._surface.add_word(key, (len(key), surface))
        self.size = len(keys)
        # Every inflected form of every term word, mapped to that word's lemma
        # (from pymorphy3 lexemes, built once). Text words are looked up here:
        # matching never calls the morphological analyser.
        self._forms: dict[str, str] = {}
        self._term_lemma: dict[str, str] = {}
        lemma_keys: dict[str, list[tuple[Entry, str, bool, int]]] = {}
        term_words = [_WORD.findall(fold(term)) for _entry, term, _abbr in lemma_terms]
        table = (
            lexemes.table(lang, [w for ws in term_words for w in ws if _CYRILLIC.search(w)])
            if lemma_terms
            else None
        )
        if table is not None:
            for (entry, term, is_abbr), words in zip(lemma_terms, term_words, strict=True):
                if not words:
                    continue
                lemmas_ = [self._add_word(w, table) for w in words]
                key = " " + " ".join(lemmas_) + " "
                lemma_keys.setdefault(key, []).append((entry, term, is_abbr, len(words)))
            for key, lemma in lemma_keys.items():
                self._lemma.add_word(key, (len(key), lemma))
        self.has_lemmas = bool(lemma_keys)
        if keys:
            self._surface.make_automaton()
        if lemma_keys:
            self._lemma.make_automaton()

    def _add_word(self, word: str, table: dict[str, tuple[str, list[str]]]) -> str:
        """Register a term word's forms (from the lexeme table); return its lemma."""
        found = self._term_lemma.get(word)
        if found is not None:
            return found
        lemma, forms = table.get(word, (word, [word]))
        for form in forms:
            self._forms.setdefault(form, lemma)
        self._forms[word] = lemma
        self._term_lemma[word] = lemma
        return lemma

    @staticmethod
    def _sensitive(entry: Entry, term: str, is_abbr: bool) -> bool:
        if entry.case == "sensitive":
            return True
        if entry.case == "insensitive":
            return False
        # Abbreviations, and all-capital single tokens, are matched as written.
        letters = [c for c in term if c.isalpha()]
        return is_abbr or (
            " " not in term.strip() and len(letters) > 1 and all(c.isupper() for c in letters)
        )

    # -- public

    def find(self, text: str) -> list[Match]:
        """Every glossary term in ``text``: longest first, no overlaps, sorted by offset."""
        return self.explain(text)[0]

    def candidates(self, text: str) -> list[Match]:
        """Every surface candidate on word boundaries, overlapping ones included."""
        out: list[Match] = []
        if text and self.size:
            norm, starts, ends = normalize(text)
            self._surface_pass(_Text(text, norm, starts, ends), out, [])
        return out

    def explain(self, text: str) -> tuple[list[Match], list[Rejected]]:
        """Matches, plus the candidates that were rejected and why."""
        candidates: list[Match] = []
        rejected: list[Rejected] = []
        if not text or (self.size == 0 and not self.has_lemmas):
            return [], []
        norm, starts, ends = normalize(text)
        source = _Text(text, norm, starts, ends)
        if self.size:
            self._surface_pass(source, candidates, rejected)
        if self.has_lemmas and _CYRILLIC.search(norm):
            self._lemma_pass(source, candidates)
        return self._in_context(self._select(candidates, rejected), rejected), rejected

    def _in_context(self, found: list[Match], rejected: list[Rejected]) -> list[Match]:
        """Drop the abbreviations of entries that need context (``context=required``
        or ``context=en``) whose full name is not in the same text ("ISO 100",
        "ISO sensitivity", an "EU plug")."""
        if not any(m.abbr and m.entry.context for m in found):
            return found
        named = {m.entry for m in found if not m.abbr}
        kept = []
        for m in found:
            if m.abbr and m.entry.needs_context(self.lang) and m.entry not in named:
                rejected.append(Rejected(m.start, m.end, m.entry, m.term, "context", m.text))
            else:
                kept.append(m)
        return kept

    # -- passes

    def _surface_pass(self, source: _Text, out: list[Match], rejected: list[Rejected]) -> None:
        text, norm, starts, ends = source
        for end_idx, (length, values) in self._surface.iter(norm):
            nstart = end_idx - length + 1
            if starts is None or ends is None:
                start, end = nstart, end_idx + 1
            else:
                # a match must begin and end on whole characters of the original
                if nstart > 0 and starts[nstart - 1] == starts[nstart]:
                    continue
                if end_idx + 1 < len(ends) and ends[end_idx + 1] == ends[end_idx]:
                    continue
                start, end = starts[nstart], ends[end_idx]
            found = text[start:end]
            problem = boundary_problem(text, start, end)
            for entry, term, sensitive, is_abbr in values:
                if problem:
                    rejected.append(Rejected(start, end, entry, term, problem, found))
                    continue
                if unicodedata.normalize("NFC", found) == unicodedata.normalize("NFC", term):
                    how = "exact"
                elif sensitive:
                    if fold_case_kept(found) != fold_case_kept(term):
                        rejected.append(Rejected(start, end, entry, term, "case", found))
                        continue
                    how = "casefold"
                else:
                    how = "casefold"
                out.append(Match(start, end, entry, self.lang, term, how, is_abbr, found))
                break

    def _lemma_pass(self, source: _Text, out: list[Match]) -> None:
        text, norm, starts, ends = source
        words = list(_WORD.finditer(norm))
        if not words:
            return
        parts: list[str] = [" "]
        offset_to_word: dict[int, int] = {}
        pos = 0
        forms = self._forms
        for index, m in enumerate(words):
            word = m.group()
            lemma = forms.get(word, word)
            offset_to_word[pos] = index
            parts.append(lemma)
            parts.append(" ")
            pos += len(lemma) + 1
        lemma_text = "".join(parts)
        for end_idx, (length, values) in self._lemma.iter(lemma_text):
            first = offset_to_word.get(end_idx - length + 1)
            if first is None:
                continue
            for entry, term, is_abbr, count in values:
                last = first + count - 1
                if last >= len(words):
                    continue
                if any(
                    norm[words[k].end() : words[k + 1].start()].strip() for k in range(first, last)
                ):
                    continue  # punctuation between the words: not one name
                nstart, nend = words[first].start(), words[last].end()
                if starts is None or ends is None:
                    start, end = nstart, nend
                else:
                    start, end = starts[nstart], ends[nend - 1]
                out.append(
                    Match(start, end, entry, self.lang, term, "lemma", is_abbr, text[start:end])
                )
                break

    @staticmethod
    def _select(candidates: list[Match], rejected: list[Rejected]) -> list[Match]:
        candidates.sort(key=lambda m: (m.start - m.end, _HOW_RANK[m.how], m.start))
        taken_starts: list[int] = []
        taken: list[Match] = []
        for m in candidates:
            i = bisect.bisect_right(taken_starts, m.start)
            clash = (i > 0 and taken[i - 1].end > m.start) or (
                i < len(taken) and taken[i].start < m.end
            )
            if clash:
                if not any(
                    t.start == m.start and t.end == m.end and t.entry == m.entry for t in taken
                ):
                    rejected.append(Rejected(m.start, m.end, m.entry, m.term, "overlap", m.text))
                continue
            taken_starts.insert(i, m.start)
            taken.insert(i, m)
        return taken


class _Text(NamedTuple):
    """A text and its normalised form, with the maps back (None: same offsets)."""

    text: str
    norm: str
    starts: list[int] | None
    ends: list[int] | None


_MATCHERS: dict[tuple[str, str], Matcher] = {}


def matcher_for(glossary: Glossary, lang: str) -> Matcher:
    """A cached :class:`Matcher` for the glossary's current content."""
    key = (glossary.digest(), lang)
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        found = _MATCHERS[key] = Matcher(glossary, lang)
    return found
