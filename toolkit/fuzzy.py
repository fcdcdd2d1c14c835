"""Fuzzy matching of translation-memory segments: tokens, similarity, safe patching.

**Similarity** (0-100) is a token-level edit ratio::

    score = 100 × (1 − (insertions + deletions) / (len(a) + len(b)))
          = 100 × 2·LCS(a, b) / (len(a) + len(b))

over the *normalised* token sequences ``a`` and ``b`` of the two source texts
(RapidFuzz's ``Indel.normalized_similarity``). Tokens are words (as written,
case kept), numbers, placeholders (printf ``%s %1$d``, python ``%(name)s``,
brace ``{0} {name}``, tolmach's ``⟦1⟧``), markup (tags and entities) and single
punctuation characters; whitespace is ignored. Normalisation replaces every
number by ``<num>``, every placeholder by ``<ph>`` and every tag or entity by
``<tag>``, so "Copied 5 files" and "Copied 12 files" score 100 and differ only
in a value that :func:`patch` can carry into the translation.

>>> similarity("Copied 5 files to the disk", "Copied 12 files to the disk")
100.0
>>> round(similarity("Delete the file", "Delete the folder"), 1)
66.7
>>> patch("Copied 12 files of %d", "Copied 5 files of %s", "Скопировано 5 файлов из %s")
'Скопировано 12 файлов из %d'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

NUM, PH, TAG, WORD, PUNCT = "num", "ph", "tag", "word", "punct"
SEP = "\x1f"  # joins normalised tokens where they are stored
_NORMAL = {NUM: "<num>", PH: "<ph>", TAG: "<tag>"}
_TOKEN_RE = re.compile(
    r"(?P<tag></?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);)"
    r"|(?P<ph>⟦\d+⟧|%\([^()\s]+\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
    r"|%(?:\d+\$)?[-+#0']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn](?![A-Za-z])"
    r"|%%|\{\{|\}\}|\{[A-Za-z_0-9][A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}|\{\})"
    r"|(?P<num>\d+(?:[.,:]\d+)*\b)"
    r"|(?P<word>[^\W_]+)"
    r"|(?P<punct>\S)"
)


class Token(NamedTuple):
    kind: str
    value: str
    start: int
    end: int

    @property
    def normal(self) -> str:
        return _NORMAL.get(self.kind, self.value)


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` with their kinds and character spans."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or PUNCT
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def normal(text: str) -> list[str]:
    """The normalised token sequence the similarity is computed on."""
    return [t.normal for t in tokens(text)]


def index_words(text: str) -> list[str]:
    """The distinct lower-cased words of ``text``: what the memory's index holds."""
    return analyse(text)[1]


def analyse(text: str) -> tuple[list[str], list[str]]:
    """:func:`normal` and :func:`index_words` of ``text`` in one pass."""
    norm: list[str] = []
    words: dict[str, None] = {}
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or PUNCT
        value = m.group()
        norm.append(_NORMAL.get(kind, value))
        if kind == WORD:
            words[value.lower()] = None
    return norm, list(words)


_indel: Callable[..., float] | None = None


def ratio(a: Sequence[str], b: Sequence[str]) -> float:
    """The similarity (0-100) of two normalised token sequences."""
    global _indel
    if _indel is None:
        from rapidfuzz.distance import Indel

        _indel = Indel.normalized_similarity
    if not a and not b:
        return 100.0
    return float(_indel(a, b)) * 100.0


def similarity(a: str, b: str) -> float:
    """The similarity (0-100) of two texts (see the module's docstring)."""
    return ratio(normal(a), normal(b))


def length_bounds(n: int, min_similarity: float) -> tuple[int, int]:
    """Token counts a segment may have and still reach ``min_similarity`` against a
    query of ``n`` tokens: 2·min(n, m)/(n + m) ≥ t bounds m."""
    t = max(min_similarity, 1.0) / 100.0
    return int(n * t / (2 - t)), int(n * (2 - t) / t) + 1


def missing_budget(n: int, min_similarity: float) -> int:
    """How many of a query's ``n`` tokens a segment may lack and still reach
    ``min_similarity``: LCS ≥ t·(n + m)/2 ≥ t·(n + LCS)/2 gives LCS ≥ t·n/(2 − t).
    Asking the index for the ``missing_budget + 1`` rarest query words therefore finds
    every such segment (prefix filtering)."""
    t = max(min_similarity, 1.0) / 100.0
    return max(0, n - int(-(-t * n // (2 - t))))


def _found(terms: Iterable[str], text: str) -> list[str]:
    """The terms that occur in ``text`` as whole words, longest first, none inside
    another found one, in order of appearance."""
    hits: list[tuple[str, int, int]] = []
    for term in sorted(terms, key=len, reverse=True):
        m = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text)
        if m and not any(a <= m.start() < b or a < m.end() <= b for _t, a, b in hits):
            hits.append((term, m.start(), m.end()))
    return [t for t, _a, _b in sorted(hits, key=lambda h: h[1])]


def patch_terms(query: str, source: str, target: str, terms: Mapping[str, str]) -> str | None:
    """:func:`patch`, after swapping glossary terms: ``terms`` maps a source-language
    term to its target-language term. Where ``query`` has term B where ``source``
    has term A (paired in order of appearance), A must occur once in ``source`` and
    its translation once in ``target``; both are replaced, then :func:`patch` must
    succeed on what is left.

    >>> patch_terms("Ministers of NATO met", "Ministers of OSCE met", "Министры ОБСЕ встретились",
    ...             {"OSCE": "ОБСЕ", "NATO": "НАТО"})
    'Министры НАТО встретились'
    """
    in_query, in_source = _found(terms, query), _found(terms, source)
    only_q = [t for t in in_query if t not in in_source]
    only_s = [t for t in in_source if t not in in_query]
    if not only_s or len(only_q) != len(only_s):
        return None
    for a, b in zip(only_s, only_q, strict=True):
        ta, tb = terms[a], terms[b]
        if source.count(a) != 1 or not ta or not tb or target.count(ta) != 1:
            return None
        source, target = source.replace(a, b), target.replace(ta, tb)
    return patch(query, source, target)


def patch(query: str, source: str, target: str) -> str | None:
    """``target`` (the translation of ``source``) changed to translate ``query``, or
    None when that cannot be done safely.

    Safe means: ``query`` and ``source`` have the same normalised tokens, so they
    differ only in numbers, placeholders and markup (and whitespace); each changed
    value maps to one new value, and occurs in ``target`` as often as in ``source``
    (so every occurrence is known to be the same value). Those occurrences are
    replaced; nothing else in ``target`` changes.
    """
    q, s = tokens(query), tokens(source)
    if [t.normal for t in q] != [t.normal for t in s]:
        return None
    mapping: dict[tuple[str, str], str] = {}
    for qt, st in zip(q, s, strict=True):
        if qt.kind not in _NORMAL:
            continue
        key = (st.kind, st.value)
        if mapping.setdefault(key, qt.value) != qt.value:
            return None  # one source value would become two
    changes = {k: v for k, v in mapping.items() if k[1] != v}
    if not changes:
        return target
    t = tokens(target)
    in_source = Counter((st.kind, st.value) for st in s)
    in_target = Counter((tt.kind, tt.value) for tt in t)
    for key in changes:
        if in_target[key] != in_source[key]:
            return None
    pieces: list[str] = []
    pos = 0
    for tt in t:
        new = changes.get((tt.kind, tt.value))
        if new is not None:
            pieces += [target[pos : tt.start], new]
            pos = tt.end
    pieces.append(target[pos:])
    return "".join(pieces)
