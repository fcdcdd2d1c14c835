"""Russian or Ukrainian? Ask the dictionaries where statistics cannot tell.

Russian and Ukrainian share most letters, and on one or two words character
statistics are often wrong. pymorphy3's dictionaries (OpenCorpora for
Russian, LanguageTool's for Ukrainian) know the word forms of each language:
a word that one knows and the other does not decides ("Загрузка" is Russian,
"Завантаження" Ukrainian). Words both know ("тема", "мама") and words neither
knows (names, typos) decide nothing; capitalised words after the first are
names and are not asked. A form the Ukrainian dictionary marks as a
distortion (``Dist``, its mark for Russianisms such as "загрузка") counts as
unknown to it.

The analyzers are large: they are loaded on the first question, never at
import, and only when a Cyrillic ru/uk decision needs them.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

LANGS = ("ru", "uk")
_WORD_RE = re.compile(r"[а-яёіїєґʼ'’\-]+", re.IGNORECASE)
_lock = threading.Lock()
_analyzers: dict[str, Any] = {}


def _analyzer(lang: str) -> Any:
    """pymorphy3's analyzer for ``lang`` (None when the package or its dictionary is missing)."""
    with _lock:
        if lang not in _analyzers:
            try:
                import pymorphy3

                _analyzers[lang] = pymorphy3.MorphAnalyzer(lang=lang)
            except Exception:  # no pymorphy3, or no dictionary for the language
                _analyzers[lang] = None
        return _analyzers[lang]


@lru_cache(maxsize=65536)
def _known(word: str) -> tuple[bool, bool] | None:
    """Whether the ru and the uk dictionary know ``word`` (None: a dictionary is missing)."""
    ru, uk = _analyzer("ru"), _analyzer("uk")
    if ru is None or uk is None:
        return None
    return _in_dictionary(ru, word), _in_dictionary(uk, word)


def _in_dictionary(analyzer: Any, word: str) -> bool:
    """A dictionary form of ``word`` that the dictionary does not mark as a
    distortion (``Dist``: the Ukrainian dictionary lists Russianisms such as
    "загрузка" with that mark, so that they can be flagged) or an abbreviation
    (``Abbr``: which abbreviations each dictionary lists is chance; "вкл." is
    Ukrainian's only, "стр." Russian's only, and both languages write them)."""
    if not analyzer.word_is_known(word):
        return False
    return any(
        "Dist" not in p.tag
        and "Abbr" not in p.tag
        and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
        for p in analyzer.parse(word)
    )


def ru_or_uk(text: str) -> str | None:
    """``"ru"`` or ``"uk"`` when the dictionaries decide, else None.

    Each word known to one dictionary only is a vote; the language with the
    votes wins when the other has none (or at most a third as many, on longer
    text).

    >>> ru_or_uk("Загрузка..."), ru_or_uk("Завантаження..."), ru_or_uk("мама")
    ('ru', 'uk', None)
    """
    words = _WORD_RE.findall(text)
    votes = {"ru": 0, "uk": 0}
    for i, raw in enumerate(words):
        word = raw.strip("-'’ʼ")
        if len(word) < 2:
            continue
        if i > 0 and word[0].isupper():
            continue  # a name
        known = _known(word.lower().replace("’", "'").replace("ʼ", "'"))
        if known is None:
            return None
        in_ru, in_uk = known
        if in_ru and not in_uk:
            votes["ru"] += 1
        elif in_uk and not in_ru:
            votes["uk"] += 1
    ru, uk = votes["ru"], votes["uk"]
    if ru and ru > 3 * uk:
        return "ru"
    if uk and uk > 3 * ru:
        return "uk"
    return None
