"""Language detection: which language is each run of text in a document?

The detector works in layers, cheapest and most decisive first:

1. **Not language at all.** Text without letters ("0", "12:30", "©"), URLs,
   e-mail addresses and code-like tokens get ``lang=None`` and are never
   foreign.
2. **Script.** Letters are counted by script. Only candidate languages
   written in the text's main script stay in the race, so Cyrillic in an
   English document is decisive, and a script with one candidate decides
   outright (detector ``"script"``).
3. **Alphabets.** A language is ruled out when the text uses a letter its
   alphabet lacks (``ї`` rules out Russian, ``ы`` rules out Ukrainian, ``ß``
   rules out French). One survivor decides (detector ``"rule"``). A script
   no candidate writes is ``und`` ("日本語" among the default candidates).
4. **Dictionaries.** Up to three Cyrillic words where Russian and Ukrainian
   both survive are decided by pymorphy3's dictionaries when one knows a word
   and the other does not ("Загрузка..." on a Ukrainian page is Russian,
   detector ``"dictionary"``, see :mod:`toolkit.dictionary`).
5. **Expectation.** Short text (one or two words) in the expected language's
   script counts as the expected language unless the alphabet rules that
   language out: "Chats", "Menu" and "loader" in an English document are
   English. Three to six words need strong statistical evidence to be called
   foreign (top language >= 0.9, expected < 0.05); longer text needs the top
   language at >= 0.6. Names do not change a sentence's language: its other
   words are judged ("Alfonso Cuarón directed the film" is English).
6. **Statistics.** lingua (it wins on short text, see ``bench/langid.py``), or
   seeded langdetect when lingua is not installed. Models load on the first
   text that needs them and stay loaded: a short text loads the high accuracy
   models of the languages still in the race only, a long one the small
   trigram models, and a short text is first asked of the trigram models,
   which settle it when they are sure (see "statistical back ends" below).
   Text the script or alphabet decides loads no model at all. A Latin sentence
   of eight words or more that the best candidate does not hold (lingua
   unsure, and its own function words or alphabet missing) is ``und`` when
   langdetect, over all its languages, surely names another language
   (Portuguese among the default candidates).

In a document (:func:`fragments`), a run in another language that is a name,
brand, code, template code or label (:mod:`toolkit.names`) gets a fragment
``kind`` and is never foreign; languages' own names in a language menu name
their language (detector ``"autonym"``).

Results are cached per ``(text, candidates, expectation)`` for texts up to 200
characters.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit import languages as languages_mod
from toolkit import names
from toolkit.document import Document, Fragment, Segment
from toolkit.i18n import _
from toolkit.languages import Language

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en",
    "ru",
    "uk",
    "be",
    "bg",
    "sr",
    "mk",
    "kk",
    "de",
    "fr",
    "es",
    "it",
    "pl",
)

UNDETERMINED = "und"  # ISO 639-2: language text in no candidate language
DEFAULT_MAX_BYTES = 20_000_000  # detect_file refuses larger files (bounded memory)

# Script of each language tolmach knows by name. Anything lingua supports can
# be a candidate; unknown codes are treated as Latin-script languages.
_CYRILLIC_LANGS = {"ru", "uk", "be", "bg", "sr", "mk", "kk", "mn", "tg", "ky", "tt", "ba"}
_OTHER_SCRIPT_LANGS = {
    "el": "Grek",
    "ar": "Arab",
    "fa": "Arab",
    "ur": "Arab",
    "he": "Hebr",
    "zh": "Hani",
    "ja": "Kana",
    "ko": "Hang",
    "hy": "Armn",
    "ka": "Geor",
    "hi": "Deva",
    "mr": "Deva",
    "th": "Thai",
    "bn": "Beng",
}


def script_of_lang(lang: str) -> str:
    if lang in _CYRILLIC_LANGS:
        return "Cyrl"
    return _OTHER_SCRIPT_LANGS.get(lang, "Latn")


def script_of_text(text: str) -> str | None:
    """The script most of the letters of ``text`` are in (None without letters).

    >>> script_of_text("Кэш"), script_of_text("DNS"), script_of_text("12")
    ('Cyrl', 'Latn', None)
    """
    counts = Counter(_char_script(ch) for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else None


# Code point ranges [start, end) of the scripts tolmach tells apart (none overlap).
_SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "Latn": ((0, 0x250), (0x1E00, 0x1F00)),
    "Cyrl": ((0x400, 0x530), (0x1C80, 0x1C90), (0x2DE0, 0x2E00), (0xA640, 0xA6A0)),
    "Grek": ((0x370, 0x400), (0x1F00, 0x2000)),
    "Hebr": ((0x590, 0x600),),
    "Arab": ((0x600, 0x700), (0x750, 0x780), (0xFB50, 0xFE00)),
    "Armn": ((0x530, 0x590),),
    "Geor": ((0x10A0, 0x1100),),
    "Deva": ((0x900, 0x980),),
    "Beng": ((0x980, 0xA00),),
    "Thai": ((0xE00, 0xE80),),
    "Kana": ((0x3040, 0x3100),),
    "Hang": ((0xAC00, 0xD7B0), (0x1100, 0x1200)),
    "Hani": ((0x4E00, 0xA000), (0x3400, 0x4DC0), (0xF900, 0xFB00)),
}
_SCRIPT_TABLE = sorted(
    (lo, hi, script) for script, spans in _SCRIPT_RANGES.items() for lo, hi in spans
)
_SCRIPT_STARTS = [lo for lo, _hi, _script in _SCRIPT_TABLE]


def _char_script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250:  # the common case first
        return "Latn"
    i = bisect.bisect_right(_SCRIPT_STARTS, o) - 1
    _lo, hi, script = _SCRIPT_TABLE[i]
    return script if o < hi else "Other"


_CYR_BASE = set("абвгдежзийклмнопрстуфхцчшщъыьэюя")
_LAT_BASE = set("abcdefghijklmnopqrstuvwxyz")
# Lower-case letters each language's alphabet uses. A letter outside it rules
# the language out. English tolerates the accents of common loanwords
# (café, naïve, façade, über) so that they never count as strong evidence.
ALPHABETS: dict[str, frozenset[str]] = {
    "ru": frozenset(_CYR_BASE | {"ё"}),
    "uk": frozenset((_CYR_BASE - {"ъ", "ы", "э"}) | set("іїєґ")),
    "be": frozenset((_CYR_BASE - {"и", "щ", "ъ"}) | set("іўё")),
    "bg": frozenset((_CYR_BASE - {"ы", "э"}) | {"ѝ"}),
    "sr": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
    "kk": frozenset(_CYR_BASE | set("ёәғқңөұүһі")),
    "mn": frozenset(_CYR_BASE | set("ёөү")),
    "en": frozenset(_LAT_BASE | set("éèêëïîöüàâçñôæœ")),
    "de": frozenset(_LAT_BASE | set("äöüßéàè")),
    "fr": frozenset(_LAT_BASE | set("àâæçéèêëîïôœùûüÿ")),
    "es": frozenset(_LAT_BASE | set("áéíóúñü")),
    "it": frozenset(_LAT_BASE | set("àèéìíîòóù")),
    "pl": frozenset(_LAT_BASE | set("ąćęłńóśźż")),
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")
_NEUTRAL_RE = re.compile(
    r"""(?x)
    (?:[hH][tT][tT][pP][sS]?://|[fF][tT][pP]://|[wW][wW][wW]\.)[^\s<>"']+          # URL
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                 # e-mail
    | [\w.-]*[\\/][\w./\\-]*                       # path-ish
    | \w+(?:_\w+)+                                 # snake_case
    | [a-z]+[A-Z]\w*                               # camelCase
    | \w+\.(?:com|org|net|ru|ua|by|kz|io|html?|php|js|py|txt|md|json)\b  # domain / file
    """
)
# closing quotes after the full stop: English ” ’, German “ ‘, French/Russian », Danish « ›
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…;])[\"'»”“‘’›«)\]]*\s+")


@dataclass(frozen=True, slots=True)
class Guess:
    """The language of one text: ``lang`` is None when it is not language.

    ``kind`` is set by :func:`fragments` on a run in another language that is
    not text to translate (a name, code or template, see :mod:`toolkit.names`);
    :func:`detect_text` never sets it.
    """

    lang: str | None
    confidence: float
    detector: str
    kind: str | None = None


def normalize_lang(code: str | None) -> str | None:
    """A declared code, leniently: ``"en-US"`` → ``"en"``; empty or unknown → None.

    For codes documents declare (HTML ``lang``, PO ``Language``); codes a user
    gives go through :meth:`toolkit.languages.Language.parse`, which refuses
    unknown ones.
    """
    return Language.lookup(code)


def parse_languages(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Validate a candidate list (``"en,ru"`` or a sequence); None: the defaults."""
    if value is None:
        return DEFAULT_LANGUAGES
    return languages_mod.parse_languages(value)


# --- statistical back ends -------------------------------------------------
#
# lingua loads a language's n-gram models on the first text that needs them and
# keeps them for the rest of the process, shared by every detector built here
# (building one is cheap). What is loaded is therefore decided by which
# languages a text is asked about, and in which mode:
# - the low accuracy mode (trigrams only) needs about 2 MB and 0.01 s per
#   language; the high accuracy mode also loads the 1-, 2-, 4- and 5-gram
#   models, about 30 MB and 0.15 s per language (lingua 2.1, measured here).
#   Text of _LONG_TEXT characters or more uses the low accuracy mode, asked
#   about every candidate of its script (cheap, and the values the thresholds
#   below were set on). lingua itself uses trigrams only from 120 characters.
# - shorter text is asked about the languages still in the race only: those the
#   script and alphabet rules left (see _detect_cached).
# - short text in the expected language's script (_expected_holds), and short
#   text in another script (_foreign_script_settled), are first asked in the low
#   accuracy mode; the high accuracy models are loaded only when it is unsure.
# The script and alphabet rules decide before any model is asked.

_lock = threading.Lock()
_LONG_TEXT = 80  # characters from which lingua's trigram-only mode is used
# _expected_holds: the expected language's low-mode confidence that settles short
# text. On lingua's test set (300 items per language and kind, expected en, ru or
# de) 0.97 changed no decision of the high accuracy mode; "ranked first" changed 3
# in 35,100 (bench/langid.py measures the detector without an expectation).
_EXPECTED_LOW_CONFIDENCE = 0.97
# _foreign_script_settled: the low-mode confidence that settles which language a
# short text in another script than the expected language's is. On the same test
# set (expected en, ru or de) 1 - 1e-6 changed no decision; 0.9999 changed 2 single
# words, 0.99 twenty-odd words and word pairs.
_FOREIGN_LOW_CONFIDENCE = 0.999999


@lru_cache(maxsize=64)
def _lingua_detector(langs: frozenset[str], fast: bool = False) -> Any:
    """A lingua detector restricted to ``langs`` (None if lingua is missing).

    Building one loads nothing: lingua loads models when a text needs them.
    """
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError:
        return None
    languages = []
    for code in sorted(langs):
        try:
            languages.append(Language.from_iso_code_639_1(IsoCode639_1.from_str(code)))
        except Exception:  # a code lingua does not know
            continue
    if len(languages) < 2:
        return None
    builder = LanguageDetectorBuilder.from_languages(*languages)
    if fast:  # trigrams only: as accurate on long text, several times faster
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def _lingua_code(language: Any) -> str:
    return str(language.iso_code_639_1.name).lower()


def _stats_lingua(
    text: str, langs: frozenset[str], fast: bool | None = None
) -> list[tuple[str, float]] | None:
    """lingua's confidence values, best first; ``fast`` forces the mode (default: the
    low accuracy mode from :data:`_LONG_TEXT` characters on)."""
    detector = _lingua_detector(langs, len(text) >= _LONG_TEXT if fast is None else fast)
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(text)
    return [(_lingua_code(v.language), float(v.value)) for v in values]


@lru_cache(maxsize=1)
def _langdetect_factory() -> Any:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def stats_langdetect(text: str, langs: Sequence[str] | None = None) -> list[tuple[str, float]]:
    """Seeded langdetect probabilities, restricted to ``langs`` and renormalised."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    with _lock:
        try:
            detector = factory.create()
            detector.append(text)
            probs = detector.get_probabilities()
        except LangDetectException:
            return []
    out = [(normalize_lang(p.lang) or p.lang, float(p.prob)) for p in probs]
    if langs is not None:
        allowed = set(langs)
        out = [(code, p) for code, p in out if code in allowed]
        total = sum(p for _, p in out)
        if total > 0:
            out = [(code, p / total) for code, p in out]
    return out


def _statistics(
    text: str, langs: frozenset[str], fast: bool | None = None
) -> tuple[list[tuple[str, float]], str]:
    values = _stats_lingua(text, langs, fast=fast)
    if values is not None:
        return values, "lingua"
    return stats_langdetect(text, sorted(langs)), "langdetect"


# --- the detector ------------------------------------------------------------


_NON_LETTERS_RE = re.compile(r"[\W\d_]+")
_LATIN_RE = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u052f]")
# A cheap test for "might hold a _NEUTRAL_RE token": each of its alternatives
# needs one of these (a dot only counts before a known domain or file suffix).
_MAYBE_NEUTRAL_RE = re.compile(
    r"[/\\@_]|[a-z][A-Z]|[wW]{3}\.|\w\.(?:com|org|net|ru|ua|by|kz|io|html?|php|js|py|txt|md|json)\b"
)


def _letters(text: str) -> tuple[str, Counter[str]]:
    """Lower-case letters of ``text`` (URLs and code removed) and a count by script."""
    if _MAYBE_NEUTRAL_RE.search(text):
        text = _NEUTRAL_RE.sub(" ", text)
    letters = _NON_LETTERS_RE.sub("", text.lower())
    if letters and not letters.isalpha():  # \w also has "²", "ⅳ", combining marks
        letters = "".join(ch for ch in letters if ch.isalpha())
    latin = len(_LATIN_RE.findall(letters))
    cyrillic = len(_CYRILLIC_RE.findall(letters))
    if latin + cyrillic == len(letters):
        counts: Counter[str] = Counter()
        if latin:
            counts["Latn"] = latin
        if cyrillic:
            counts["Cyrl"] = cyrillic
        return letters, counts
    return letters, Counter(_char_script(ch) for ch in letters)


def detect_text(
    text: str,
    *,
    languages: Sequence[str] | None = None,
    expect: str | None = None,
) -> Guess:
    """Guess the language of one run of text.

    ``languages`` limits the candidates (default :data:`DEFAULT_LANGUAGES`);
    ``expect`` is the language the surrounding document is in: short text in
    its script counts as that language unless the alphabet rules it out.

    >>> detect_text("Заголовок открываемого материала", expect="en").lang
    'ru'
    >>> detect_text("Chats", expect="en").lang
    'en'
    >>> detect_text("12:30").lang is None
    True
    """
    langs = tuple(languages) if languages is not None else DEFAULT_LANGUAGES
    if len(text) > _CACHED_TEXT_CHARS:  # long text rarely repeats: keep the cache small
        return _detect_cached.__wrapped__(text, langs, normalize_lang(expect))
    return _detect_cached(text, langs, normalize_lang(expect))


# Results are cached for texts up to this many characters (UI strings, headings,
# short sentences repeat; paragraphs rarely do), so the cache holds at most about
# 65,536 x 200 characters however large the document.
_CACHED_TEXT_CHARS = 200


# Frequent short words of each language, minus those another language shares
# ("in", "la", "de", "die"): a sentence full of them is in that language.
_FUNCTION_WORD_LISTS = {
    # not "was", "an", "will", "also", "so", "am", "on": German or French words too
    "en": "the of and to is that for it with as are by be this from at or a have has "
    "not were which their they his her been would can there what about into than if "
    "you your but when we he she its who had more after other some such only over "
    "most because between during while these those them could should may many one "
    "two up out no do does did how just any each where",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch "
    "es wird wurde sind werden nach bei aus einer wie oder hat noch",
    "fr": "le la les et des est une un du que dans pour qui pas sur au avec il sont ce "
    "elle ont aux été cette mais par",
    "es": "el la los las y de que en es del una un por con para se su al lo como más fue "
    "pero sus le ha",
    "it": "il la che di è del della un una per non sono con gli le lo si da nel alla dei "
    "delle ha anche più",
    "pl": "w na z się nie do że to jest jak po od przez są dla oraz ale czy był",
    "ru": "и в не на что с по это как он к из у за от то же для о был она так его но",
    "uk": "і в не на що з до це як він у за від та для про але його її був які",
}
_FUNCTION_WORDS: dict[str, frozenset[str]] = {}
for _lang, _words in _FUNCTION_WORD_LISTS.items():
    _others = {
        w for other, ws in _FUNCTION_WORD_LISTS.items() if other != _lang for w in ws.split()
    }
    _FUNCTION_WORDS[_lang] = frozenset(set(_words.split()) - _others)


def _function_words_say(word_list: list[str], expect: str, survivors: list[str]) -> bool:
    """Does ``expect`` clearly own the function words of a sentence of 4+ words?

    At least a fifth of the words are its own function words, and no other
    candidate has a third as many: then the sentence is in the expected
    language and the statistical detector is not needed.
    """
    own = _FUNCTION_WORDS.get(expect)
    if not own:
        return False
    lowered = [w.lower() for w in word_list]
    hits = len([w for w in lowered if w in own])
    if hits * 5 < len(lowered):
        return False
    for other in survivors:
        theirs = _FUNCTION_WORDS.get(other)
        if other != expect and theirs and len([w for w in lowered if w in theirs]) * 3 >= hits:
            return False
    return True


def _candidate_holds(word_list: list[str], lang: str) -> bool:
    """Does ``lang`` hold a sentence: its own function words (see
    :func:`_function_words_hold`), and at most one word with a letter its
    alphabet lacks (a name: "Müller" in French)?"""
    if not _function_words_hold(word_list, lang):
        return False
    alphabet = ALPHABETS.get(lang)
    if alphabet is None:
        return True
    odd = sum(1 for w in word_list if not set(w.lower()) <= alphabet | _WORD_JOINERS)
    return odd <= 1


_WORD_JOINERS = frozenset("'’ʼ-")


def _function_words_hold(word_list: list[str], lang: str) -> bool:
    """Are two or more words, and a tenth of them, function words only ``lang`` uses?

    Text with them is in ``lang`` or a close kin, so the ``und`` rule need not
    ask langdetect over all its languages (a few milliseconds each): a
    Portuguese sentence has none of Spanish's ("el", "los", "pero", "y").
    """
    own = _FUNCTION_WORDS.get(lang)
    if not own:
        return False
    hits = sum(1 for w in word_list if w.lower() in own)
    return hits >= 2 and hits * 10 >= len(word_list)


def _names_only(word_list: list[str], expect: str) -> bool:
    """The letters that rule ``expect`` out sit in a few words of a longer text
    (names such as "Sámi" or "Asunción" in an English sentence)."""
    alphabet = ALPHABETS.get(expect)
    if alphabet is None or len(word_list) < 7:
        return False
    odd = sum(1 for w in word_list if not {ch for ch in w.lower() if ch.isalpha()} <= alphabet)
    return odd * 5 <= len(word_list)


def _unbacked_certainty(
    values: list[tuple[str, float]], own: set[str], survivors: Sequence[str]
) -> bool:
    """lingua is certain (1.0) of a language whose own letters the text lacks.

    lingua's rule filter answers 1.0 without statistics, and can be wrong:
    Ukrainian "Навіщо використовувати атрибут мови?" (a real W3C page) and
    "Гадаю, що це тобі відомо." (lingua's test set) come out Kazakh at 1.0
    although they use none of the letters only Kazakh has (ә ғ қ ң ө ұ ү һ,
    and ы э ъ ё against Ukrainian). Certainty stands when the text has a
    letter only the winner uses among the survivors, or when the winner has
    no such letters at all.
    """
    if not values or values[0][1] < 1.0:
        return False
    top = values[0][0]
    if top not in ALPHABETS:
        return False
    others: set[str] = set()
    for lang in survivors:
        if lang != top and lang in ALPHABETS:
            others |= ALPHABETS[lang]
    if not others:
        return False
    distinctive = ALPHABETS[top] - others
    return bool(distinctive) and not (distinctive & own)


def _lingua_by_word(text: str, langs: frozenset[str], limit: int = 8) -> list[tuple[str, float]]:
    """lingua's confidence averaged over the words of ``text``, best first."""
    words = _WORD_RE.findall(text)[:limit]
    totals: dict[str, float] = {}
    for word in words:
        for code, p in _stats_lingua(word, langs) or []:
            totals[code] = totals.get(code, 0.0) + p
    if not words or not totals:
        return []
    return sorted(((code, p / len(words)) for code, p in totals.items()), key=lambda kv: -kv[1])


def _second_opinion(text: str, survivors: Sequence[str], top: str) -> bool:
    """Does seeded langdetect also rank ``top`` first among ``survivors``?

    Asked only when lingua would overrule the expected language on short text,
    where it can be confident and wrong (see :func:`_unbacked_certainty` for
    one way). Two detectors must agree before short text in the expected
    script counts as foreign.
    No answer from langdetect (no usable features) leaves lingua's verdict.
    langdetect has no model for kk, be or sr, so short text in those
    languages without their own letters (which the alphabet rule catches
    first) stays in the expected language.
    """
    values = stats_langdetect(text, list(survivors))
    if not values:
        return True
    return max(values, key=lambda item: item[1])[0] == top


def _expected_holds(text: str, expect: str, race: frozenset[str]) -> float | None:
    """Short text in the expected language's script, asked in lingua's low accuracy
    mode first: when that gives ``expect`` at least :data:`_EXPECTED_LOW_CONFIDENCE`,
    the text stays in the expected language (that confidence is returned) and no
    high accuracy model is loaded for it. None: ask the full detector.
    (Long text is not asked: the full detector uses the low accuracy mode itself.)
    """
    values = _stats_lingua(text, race, fast=True)
    if not values:
        return None
    p = dict(values).get(expect, 0.0)
    return p if p >= _EXPECTED_LOW_CONFIDENCE else None


def _foreign_script_settled(text: str, race: frozenset[str]) -> list[tuple[str, float]] | None:
    """Short text in a script the expected language does not use is foreign whatever
    language it is; which one, lingua's low accuracy mode settles when it is all but
    certain (at least :data:`_FOREIGN_LOW_CONFIDENCE`), and no high accuracy model is
    loaded for it ("Заголовок открываемого материала" in an English page: Russian
    at 1.0 against Kazakh, the only other language its alphabet leaves). Long
    text is not asked: the full detector uses the low accuracy mode itself."""
    values = _stats_lingua(text, race, fast=True)
    if values and values[0][1] >= _FOREIGN_LOW_CONFIDENCE:
        return values
    return None


_DICTIONARY_WORDS = 3  # up to this many words, the ru/uk dictionaries overrule statistics
# From this many words, the certainty of a non-candidate makes text ``und``
# (see _outside_candidates); on shorter sentences it is surely wrong too often ("No, creo que
# no." pt, "Avec tous mes regrets." ca, "Yep, sagte sie nur." af).
_UND_WORDS = 8
# and only when lingua's best candidate has less confidence than this, or the
# text has letters no candidate's alphabet has
_UND_DOUBT = 0.9


def _dictionary_says(text: str) -> str | None:
    from toolkit import dictionary  # pymorphy3 loads on the first Cyrillic ru/uk question

    return dictionary.ru_or_uk(text)


# Latin-script languages lingua knows that are most often taken for one of the
# default candidates. The und rule asks lingua about them with the Latin
# candidates, in the low accuracy mode (trigram models, about 2 MB each, loaded
# on the first such question): a fraction of a millisecond a sentence, where
# langdetect over all its languages takes two.
_OUTSIDERS = frozenset({
    "pt", "ca", "nl", "af", "da", "sv", "nb", "is", "ro", "cs", "sk", "sl", "hr",
    "bs", "hu", "fi", "et", "lv", "lt", "tr", "id", "ms", "sq", "eu", "ga", "cy",
})  # fmt: skip


_SUSPECT = 0.5  # lingua's confidence in an outsider that has langdetect asked


def _outside_candidates(text: str, langs: Sequence[str]) -> bool:
    """Is the text surely in no candidate language? lingua, asked about the
    Latin-script candidates and :data:`_OUTSIDERS` in its low accuracy mode,
    must put an outsider first (a cheap filter: a fraction of a millisecond),
    and seeded langdetect, over all its languages, must then put a language
    that is not a candidate first with >= 0.9 (two milliseconds, asked that
    rarely): Portuguese among the default candidates is not Spanish but
    ``und``. Without lingua, langdetect alone decides."""
    latin = frozenset(c for c in langs if script_of_lang(c) == "Latn")
    values = _stats_lingua(text, latin | _OUTSIDERS, fast=True)
    if values:
        top, p = max(values, key=lambda item: item[1])
        if top in langs or p < _SUSPECT:
            return False
    values = stats_langdetect(text)
    if not values:
        return False
    top, p = max(values, key=lambda item: item[1])
    return p >= 0.9 and top not in langs


@lru_cache(maxsize=65536)
def _detect_cached(text: str, langs: tuple[str, ...], expect: str | None) -> Guess:
    letters, scripts = _letters(text)
    if not letters:
        return Guess(None, 1.0, "rule")
    script, count = scripts.most_common(1)[0]
    script_share = count / len(letters)
    candidates = [lang for lang in langs if script_of_lang(lang) == script]
    if not candidates:
        if script == "Hani" and scripts.get("Kana"):
            script = "Kana"  # kanji with kana: Japanese
        if expect and (
            script_of_lang(expect) == script or (expect == "ja" and script in ("Hani", "Kana"))
        ):
            return Guess(expect, round(0.9 * script_share, 3), "script")
        if script == "Other":
            return Guess(None, 0.5, "script")
        # no candidate writes this script: foreign, language unknown ("日本語", "हिंदी")
        return Guess(UNDETERMINED, round(0.9 * script_share, 3), "script")
    if len(candidates) == 1:
        return Guess(candidates[0], round(script_share, 3), "script")

    own = set(letters)
    if script_share < 1.0:
        own = {ch for ch in own if _char_script(ch) == script}
    survivors = [lang for lang in candidates if lang not in ALPHABETS or own <= ALPHABETS[lang]]
    unspelled = not survivors  # letters no candidate's alphabet has ("å", "ț")
    if not survivors:
        survivors = candidates
    word_list = _WORD_RE.findall(text)
    words = len(word_list)
    # long text: the trigram models of every candidate of the script, even when
    # the statistics are asked about the words around its names only (below)
    long = len(text) >= _LONG_TEXT
    if (
        expect in candidates
        and expect not in survivors
        and (_names_only(word_list, expect) or names.names_hold(word_list, ALPHABETS[expect]))
    ):
        survivors.append(expect)  # "Sámi", "Słania": a few names do not rule English out
    if len(survivors) == 1:
        return Guess(survivors[0], round(0.99 * script_share, 3), "rule")

    ru_uk = script == "Cyrl" and "ru" in survivors and "uk" in survivors
    if ru_uk and expect in ("ru", "uk") and words <= _DICTIONARY_WORDS:
        # "Загрузка..." on a Ukrainian page: short text is not simply the expected language
        said = _dictionary_says(text)
        if said is not None and said != expect:
            return Guess(said, 0.9, "dictionary")
    if expect in survivors and words <= 2:
        return Guess(expect, 0.9, "rule")
    if expect in survivors and words >= 3 and script == "Latn":
        # names do not change a sentence's language: judge the words around them
        common = names.common_words(word_list)
        if len(common) < words:
            if not common or (
                len(common) <= 2 and common[-1].lower() in _FUNCTION_WORDS.get(expect, ())
            ):
                return Guess(expect, 0.9, "rule")
            if len(common) >= 3 and _function_words_say(common, expect, survivors):
                return Guess(expect, 0.95, "rule")
            if len(common) >= 3:
                text, words = " ".join(common), len(common)  # statistics on the words around
    if expect in survivors and words >= 4 and _function_words_say(word_list, expect, survivors):
        return Guess(expect, 0.95, "rule")

    # The languages lingua is asked about: on short text (high accuracy models,
    # ~30 MB each) only those still in the race; on long text every candidate of
    # the script (trigram models, ~2 MB each).
    race = frozenset(candidates) if long else frozenset(survivors)
    if expect in survivors and not long:
        held = _expected_holds(text, expect, race)
        if held is not None:
            return Guess(expect, round(held, 3), "lingua")
    settled = None
    if expect is not None and script_of_lang(expect) != script and not long:
        settled = _foreign_script_settled(text, race)
    values, detector = (settled, "lingua") if settled else _statistics(text, race, long)
    if detector == "lingua" and _unbacked_certainty(values, own, survivors):
        # word by word over every candidate, as the threshold below was set on
        values = _lingua_by_word(text, frozenset(candidates)) or values
    if len(survivors) < len(candidates):
        allowed = set(survivors)
        values = [(code, p) for code, p in values if code in allowed]
        total = sum(p for _, p in values)
        if total > 0:
            values = [(code, p / total) for code, p in values]
    if not values:
        if expect in survivors:
            return Guess(expect, 0.5, "rule")
        return Guess(survivors[0], 0.0, detector)
    ranked = sorted(values, key=lambda item: -item[1])
    top, top_p = ranked[0]
    if ru_uk and top in ("ru", "uk") and words <= _DICTIONARY_WORDS and expect is None:
        said = _dictionary_says(text)
        if said is not None and said != top:
            return Guess(said, 0.9, "dictionary")
    if (
        top != expect
        and words >= _UND_WORDS
        and (top_p < _UND_DOUBT or unspelled)
        and script == "Latn"  # Cyrillic's kin split lingua, and its other languages are rare
        # its own function words and letters say the top candidate ("el", "los", "pero":
        # Spanish); a Portuguese "não", "amanhã" has letters Spanish lacks
        and not _candidate_holds(word_list, top)
        and _outside_candidates(text, langs)
    ):
        return Guess(UNDETERMINED, round(top_p, 3), detector)
    if expect in survivors and top != expect:
        expect_p = dict(values).get(expect, 0.0)
        # text in the expected language's script needs clear evidence to be foreign
        strong = top_p >= 0.9 and expect_p < 0.05 if words <= 6 else top_p >= 0.6
        if (
            strong
            and words <= 6
            and detector == "lingua"
            and not _second_opinion(text, survivors, top)
        ):
            strong = False
        if not strong:
            return Guess(expect, round(max(expect_p, 0.5), 3), "rule")
    return Guess(top, round(top_p, 3), detector)


# --- fragments in a document -------------------------------------------------


@dataclass
class Detection:
    """Every fragment of a document, in order, and the language expected."""

    expected: str
    fragments: list[Fragment]
    segment_expected: dict[int, str] = field(default_factory=dict)
    declared: str | None = None  # what the document's root declares (HTML lang, PO Language)

    def expected_for(self, fragment: Fragment) -> str:
        """The language expected for ``fragment`` (its segment's declared lang wins)."""
        return self.segment_expected.get(fragment.segment, self.expected)

    def is_foreign(self, fragment: Fragment) -> bool:
        """Language, and neither the document's language nor its segment's declared one.

        An element declared ``lang="ru"`` inside an English page may hold
        Russian (a language switcher) or English (its "– Russian" tooltip);
        neither is foreign. English inside it would be foreign in a page
        expected in German.
        """
        lang = fragment.lang
        if lang is None or fragment.kind is not None:  # not language, or a name or code
            return False
        return lang != self.expected and lang != self.expected_for(fragment)

    def foreign(self) -> list[Fragment]:
        """Fragments in a language other than the ones expected for their segment."""
        return [f for f in self.fragments if self.is_foreign(f)]


_OPENERS = "\"'«“„‘([¡¿"
_CLOSERS = "\"'»”’)].!?…:;,"


def _runs(text: str) -> list[tuple[int, int, str | None]]:
    """Split ``text`` into ``(start, end, script)`` runs of one script.

    Neutral tokens (URLs, code, numbers) never start a run; between two words
    of one script they stay inside it. A run with neutral tokens only gets
    script None.
    """
    neutral = (
        [(m.start(), m.end()) for m in _NEUTRAL_RE.finditer(text)]
        if _MAYBE_NEUTRAL_RE.search(text)
        else []
    )
    words: list[tuple[int, int, str | None]] = []
    ni = 0
    for m in _WORD_RE.finditer(text):
        while ni < len(neutral) and neutral[ni][1] <= m.start():
            ni += 1
        if ni < len(neutral) and neutral[ni][0] <= m.start() < neutral[ni][1]:
            continue
        word = m.group()
        if word.isascii():
            words.append((m.start(), m.end(), "Latn"))
            continue
        counts = Counter(_char_script(ch) for ch in word if ch.isalpha())
        if not counts:  # numeric characters that are not digits: "¾", "²"
            continue
        words.append((m.start(), m.end(), counts.most_common(1)[0][0]))
    runs: list[tuple[int, int, str | None]] = []
    for start, end, script in words:
        if runs and runs[-1][2] == script:
            runs[-1] = (runs[-1][0], end, script)
        else:
            runs.append((start, end, script))
    if not runs and neutral:
        runs.append((neutral[0][0], neutral[-1][1], None))
    # widen runs over adjacent quotes and closing punctuation
    widened: list[tuple[int, int, str | None]] = []
    for i, (start, end, script) in enumerate(runs):
        low = widened[-1][1] if widened else 0
        high = runs[i + 1][0] if i + 1 < len(runs) else len(text)
        while start > low and text[start - 1] in _OPENERS:
            start -= 1
        while end < high and text[end] in _CLOSERS:
            end += 1
        widened.append((start, end, script))
    return widened


_EMBEDDED_NAME_WORDS = 2  # a Latin run of at most this many words can be a name


def _embedded_latin_names(
    text: str, runs: list[tuple[int, int, str | None]], script: str
) -> tuple[list[tuple[int, int, str | None]], str]:
    """Fold short Latin runs into the surrounding text of a non-Latin ``script``.

    Names, acronyms and brands keep their Latin spelling inside Russian,
    Ukrainian, Greek or Chinese prose: "в таких браузерах как Firefox или
    Internet Explorer", "Руководством Веб Доступности W3C", "Язык в HTML и
    CSS". Split off, "UK" came out Polish and "HTML" German on a real W3C page.
    A Latin run of at most two words next to a run in ``script`` becomes part
    of it. Returns the new runs and a copy of ``text`` with those names blanked
    (same length), which is what the statistics should see: the words around
    the names decide the language.

    Longer Latin runs (an untranslated English sentence or heading) and Latin
    text on its own stay separate. When ``script`` is Latin (an English page),
    only a short Latin run with text of one other script on both sides is
    folded into it, so a Cyrillic word inside English is still found and the
    "– Russian" after a Russian link stays English.
    """
    if len(runs) < 2:
        return runs, text
    names: list[tuple[int, int]] = []
    marked: list[tuple[int, int, str | None]] = []
    for i, (start, end, run_script) in enumerate(runs):
        if run_script != "Latn" or len(_WORD_RE.findall(text[start:end])) > _EMBEDDED_NAME_WORDS:
            pass
        elif script != "Latn" and any(
            runs[j][2] == script for j in (i - 1, i + 1) if 0 <= j < len(runs)
        ):
            names.append((start, end))
            run_script = script
        elif 0 < i < len(runs) - 1 and runs[i - 1][2] == runs[i + 1][2] not in (None, "Latn"):
            # Inside a foreign sentence of an English page ("Компании Google и
            # Apple объявили"): a name between two runs of one other script.
            names.append((start, end))
            run_script = runs[i - 1][2]
        if marked and marked[-1][2] == run_script and run_script is not None:
            marked[-1] = (marked[-1][0], end, run_script)
        else:
            marked.append((start, end, run_script))
    if not names:
        return runs, text
    chars = list(text)
    for start, end in names:
        for k in range(start, end):
            if chars[k].isalnum():
                chars[k] = " "
    return marked, "".join(chars)


_INITIAL_RE = re.compile(r"(?:^|(?<=[\s(]))[^\W\d_]\.$")
# a short lower-case word before a full stop and a number: "vol. 1", "no. 5", "стр. 12"
# (not one letter: "Това е. 5 души.")
_NUMBERED_RE = re.compile(r"(?:^|(?<=[\s(,]))[^\W\d_]{2,3}$")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``. A full stop followed by a word in
    lower case ("см. ссылку", "e.g. this") does not end a sentence, nor does the
    one after an initial ("Джона Ф. Кеннеди"), a semicolon (it joins clauses of
    one sentence) or an abbreviation before a number ("GNU, vol. 1 no. 1")."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END_RE.finditer(text, start, end):
        if (m.end() < end and text[m.end()].islower()) or text[m.start() - 1] == ";":
            continue
        if _INITIAL_RE.search(text, max(start, m.start() - 3), m.start()):
            continue
        if m.end() < end and text[m.end()].isdigit():
            short = _NUMBERED_RE.search(text, max(start, m.start() - 5), m.start() - 1)
            if short and short.group().islower():
                continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_RUN_SAMPLE = 4096  # characters of a run its overall language is judged on


def _detect_run(
    text: str,
    start: int,
    end: int,
    langs: tuple[str, ...],
    expect: str | None,
    script: str | None = None,
) -> list[tuple[int, int, Guess]]:
    """Language spans of one single-script run, split at sentence boundaries.

    When the run is in the expected language's script, each sentence is
    detected with that expectation and the whole run is not detected first
    (it would only pick the expectation, and long mixed runs are the most
    expensive text to detect).
    """
    sentences = _sentences(text, start, end)
    same_script = expect is not None and script is not None and script_of_lang(expect) == script
    local: str | None
    if len(sentences) > 1 and same_script:
        assert expect is not None
        local = expect
        whole = Guess(expect, 0.9, "rule")  # stands in for sentences without letters
    else:
        # the language of a long run is clear from its beginning (a block may be long)
        whole = detect_text(text[start : min(end, start + _RUN_SAMPLE)], languages=langs,
                            expect=expect)  # fmt: skip
        if len(sentences) <= 1 or whole.lang is None:
            return [(start, end, whole)]
        local = expect
        if expect is None or script_of_lang(expect) != script_of_lang(whole.lang):
            local = whole.lang
    out: list[tuple[int, int, Guess]] = []
    for s, e in sentences:
        guess = detect_text(text[s:e], languages=langs, expect=local)
        if guess.lang is None:
            guess = Guess(local, whole.confidence, whole.detector)
        out.append((s, e, guess))  # one fragment per sentence
    return out


def _by_sentence(
    text: str, pieces: list[tuple[int, int, Guess]], expected: tuple[str, ...]
) -> list[tuple[int, int, Guess]]:
    """The language decided on the whole sentence.

    Runs of one script are detected on their own. From a sentence's first to its
    last foreign run, the text becomes one fragment when four fifths of its
    letters are in one foreign language: the names, numbers and short runs
    inside go with it ("Компания Apple Computer Inc. объявила"). A truly mixed
    sentence keeps its runs: the Russian clause inside an English sentence is
    found and translated alone, and the English around it is not sent through a
    Russian model, nor is the "– Russian" after a Russian tooltip. A foreign run
    that begins or ends its sentence takes the numbers and codes up to the
    sentence's edge ("... пропускной способностью в 600 Мбит/с."), and a name
    of one or two words right after it ("... из красной Audi TT.").
    """
    if not pieces:
        return pieces

    def foreign(guess: Guess) -> bool:  # names and codes are never foreign
        return guess.lang is not None and guess.kind is None and guess.lang not in expected

    out: list[tuple[int, int, Guess]] = []
    k = 0
    for s_start, s_end in _sentences(text, 0, len(text)):
        group: list[tuple[int, int, Guess]] = []
        while k < len(pieces) and pieces[k][0] < s_end:
            group.append(pieces[k])
            k += 1
        if not group:
            continue
        group = _merge_inside(text, group, foreign)
        group = _absorb_edge_names(text, group, foreign)
        first_start, first_end, first_guess = group[0]
        if foreign(first_guess) and s_start < first_start:
            group[0] = (s_start, first_end, first_guess)
        last_start, last_end, last_guess = group[-1]
        if foreign(last_guess) and last_end < s_end:
            group[-1] = (last_start, s_end, last_guess)
        out += group
    out += pieces[k:]
    return out


def _merge_inside(
    text: str, group: list[tuple[int, int, Guess]], foreign: Callable[[Guess], bool]
) -> list[tuple[int, int, Guess]]:
    """The pieces from a sentence's first to its last foreign piece become one when
    four fifths of their letters are in one foreign language."""
    where = [i for i, (_s, _e, g) in enumerate(group) if foreign(g)]
    if len(where) < 2:
        return group
    first, last = where[0], where[-1]
    letters: Counter[str | None] = Counter()
    for p_start, p_end, guess in group[first : last + 1]:
        letters[guess.lang] += sum(ch.isalpha() for ch in text[p_start:p_end])
    total = sum(letters.values())
    ranked = [(lang, n) for lang, n in letters.most_common() if lang is not None]
    ranked = [(lang, n) for lang, n in ranked if foreign(Guess(lang, 1.0, ""))]
    if not ranked or not total or ranked[0][1] * 5 < total * 4:
        return group
    lang = ranked[0][0]
    own = [g for _s, _e, g in group[first : last + 1] if g.lang == lang]
    merged = (group[first][0], group[last][1], Guess(lang, max(g.confidence for g in own),
                                                      own[0].detector))  # fmt: skip
    return [*group[:first], merged, *group[last + 1 :]]


def _absorb_edge_names(
    text: str, group: list[tuple[int, int, Guess]], foreign: Callable[[Guess], bool]
) -> list[tuple[int, int, Guess]]:
    """In a mixed sentence, a name of one or two words that ends the sentence
    right after its foreign part belongs to that part: "... водителя из красной
    Audi TT." (inside a sentence, names are folded by _embedded_latin_names)."""
    out = list(group)
    if len(out) >= 2:
        (a_start, a_end, a), (b_start, b_end, b) = out[-2], out[-1]
        name = text[b_start:b_end]
        # "красной Audi TT.", "о цунами (PTWC).", not "материала – Russian"
        first = name.lstrip("([\"'«“„")[:1]
        direct = not text[a_end:b_start].strip() and (first.isupper() or first.isdigit())
        words = len(_WORD_RE.findall(name))
        if foreign(a) and not foreign(b) and direct and words <= _EMBEDDED_NAME_WORDS:
            out[-2:] = [(a_start, b_end, a)]
    return out


def _without_opaque(seg: Segment) -> str:
    """The segment's text with opaque inline elements (code, ``translate="no"``)
    blanked: they are never translated, so they do not vote on the language, and
    around them the sentence reads like one with a name in it."""
    opaque = [(m.start, m.end) for m in seg.inline if m.role == "opaque" and m.end > m.start]
    if not opaque:
        return seg.text
    chars = list(seg.text)
    for start, end in opaque:
        for k in range(start, end):
            chars[k] = " "
    return "".join(chars)


def _majority(doc: Document, langs: tuple[str, ...], budget: int = 200_000) -> str | None:
    """The language with the most letters among the document's segments."""
    return _majority_of(doc.segments, langs, budget)


def _majority_of(
    segments: Iterable[Segment], langs: tuple[str, ...], budget: int = 200_000
) -> str | None:
    weights: Counter[str] = Counter()
    seen = 0
    for seg in segments:
        guess = detect_text(seg.text, languages=langs)
        if guess.lang is not None:
            n = sum(ch.isalpha() for ch in seg.text)
            weights[guess.lang] += n
            seen += n
        if seen > budget:
            break
    return weights.most_common(1)[0][0] if weights else None


def fragments(
    doc: Document,
    *,
    expect: str | None = None,
    languages: Sequence[str] | None = None,
) -> Detection:
    """Detect the language runs of every segment of ``doc``.

    The expected language is ``expect``, else the language the document
    declares (HTML ``lang``, PO ``Language``), else the majority language of
    its text. A segment's own declared language overrides it; ``expect``
    overrides the document's root declaration, which segments inherit.
    Runs in another language that are names, codes or template code (see
    :func:`toolkit.names.kind_of`) get a fragment ``kind`` and are not foreign.
    """
    langs = parse_languages(languages) if languages is not None else DEFAULT_LANGUAGES
    declared = normalize_lang(doc.lang)
    expected = (
        (Language.parse(expect) if expect else None)
        or declared
        or _majority(doc, langs)
        or (langs[0] if langs else "en")
    )
    result: list[Fragment] = []
    seg_expected: dict[int, str] = {}
    in_menu = _language_menu(doc, expected)
    english_near = _english_neighbourhood(doc, expected)
    listed = _foreign_list(doc, expected, langs)
    for position, seg in enumerate(doc.segments):
        seg_expect = normalize_lang(seg.lang) or expected
        if expect and seg_expect == declared:
            seg_expect = expected  # inherited from the root, which --expect overrides
        if seg_expect != expected:
            seg_expected[seg.index] = seg_expect
        text = seg.text
        # Latin words are names only where no expected language is Latin: in an
        # English page a lang="ru" tooltip's "– Russian" is English, not a name
        name_script = script_of_lang(seg_expect)
        if script_of_lang(expected) == "Latn":
            name_script = "Latn"
        seen = _without_opaque(seg)
        runs, detect_on = _embedded_latin_names(seen, _runs(seen), name_script)
        if not runs:
            stripped = text.strip()
            if not stripped:
                continue
            s = text.index(stripped[0])
            runs = [(s, s + len(stripped), None)]
        found: list[tuple[int, int, Guess]] = []
        for r_index, (r_start, r_end, script) in enumerate(runs):
            run_expect = seg_expect
            if script is None:
                pieces = [(r_start, r_end, Guess(None, 1.0, "rule"))]
            else:
                # the expectation that can apply to this script: the segment's
                # declared language, else the document's
                if script_of_lang(seg_expect) != script and script_of_lang(expected) == script:
                    run_expect = expected
                own = names.autonym(text[r_start:r_end], menu=position in in_menu)
                menu = None
                if own is None and position in in_menu and len(runs) == 1:
                    menu = _menu_item(text[r_start:r_end], run_expect)
                if position in listed and len(runs) == 1:
                    pieces = [(r_start, r_end, listed[position])]
                elif own is not None and (own == seg_expect or own != expected):
                    # a language's own name ("Deutsch", "svenska"): a language menu
                    pieces = [(r_start, r_end, Guess(own, 1.0, _AUTONYM))]
                elif menu is not None and menu.lang not in (None, run_expect, expected):
                    pieces = [(r_start, r_end, Guess(menu.lang, menu.confidence, _AUTONYM))]
                else:
                    pieces = _detect_run(detect_on, r_start, r_end, langs, run_expect, script)
            for p_start, p_end, guess in pieces:
                judged = guess.detector == _AUTONYM or position in listed
                if guess.lang not in (None, run_expect, expected) and not judged:
                    assert guess.lang is not None
                    embedded = 0 < r_index < len(runs) - 1 and (
                        runs[r_index - 1][2] == runs[r_index + 1][2] == script_of_lang(run_expect)
                    )
                    kind = _not_text(
                        text, p_start, p_end, script, run_expect, guess.lang, langs, embedded
                    )
                    english = _plain_english(text[p_start:p_end], script, run_expect)
                    if (
                        kind == names.NAME
                        and script == "Latn"
                        and position in english_near
                        and len(runs) == 1
                        and len(_WORD_RE.findall(text)) <= _MENU_WORDS
                    ):
                        # "Public Domain" between "Donate" and "Contact Us"
                        kind, english = None, True
                    if kind is None and english and "en" in langs:
                        guess = Guess("en", guess.confidence, guess.detector)
                    elif kind is not None:
                        guess = Guess(guess.lang, guess.confidence, guess.detector, kind)
                found.append((p_start, p_end, guess))
        for p_start, p_end, guess in _by_sentence(text, found, (expected, seg_expect)):
            offset = seg.raw_offset(p_start)
            line, column = doc.line_col(offset)
            end_offset = seg.raw_offset(p_end)
            end_line, end_column = doc.line_col(end_offset)
            result.append(
                Fragment(
                    segment=seg.index,
                    start=p_start,
                    end=p_end,
                    text=text[p_start:p_end],
                    lang=guess.lang,
                    confidence=guess.confidence,
                    detector=guess.detector,
                    offset=offset,
                    line=line,
                    column=column,
                    end_offset=end_offset,
                    end_line=end_line,
                    end_column=end_column,
                    kind=guess.kind,
                    part=doc.part_at(offset),
                )
            )
    return Detection(
        expected=expected, fragments=result, segment_expected=seg_expected, declared=declared
    )


_AUTONYM = "autonym"  # the detector of a language menu's items
_MENU_WORDS = 3  # a language menu's items are this short
_MENU_REACH = 3  # a language menu item looks this many segments either side
_MENU_NEIGHBOURS = 2  # and this many of them are languages' own names


def _language_menu(doc: Document, expected: str) -> set[int]:
    """Positions of the segments that stand in a language menu: short, with at
    least two of their six nearest neighbours the own name of another
    language ("Deutsch", "polski") that no ``lang`` declares. Their other items ("Bahasa Indonesia",
    "Lietuviškai") are no names and get no expectation either."""
    own = [
        names.autonym(seg.text) not in (None, expected, normalize_lang(seg.lang))
        for seg in doc.segments
    ]
    if sum(own) < _MENU_NEIGHBOURS:
        return set()
    out: set[int] = set()
    for i, seg in enumerate(doc.segments):
        near = sum(
            own[j]
            for j in range(i - _MENU_REACH, i + _MENU_REACH + 1)
            if 0 <= j < len(own) and j != i
        )
        if near >= _MENU_NEIGHBOURS and len(_WORD_RE.findall(seg.text)) <= _MENU_WORDS:
            out.add(i)
    return out


_ENGLISH_REACH = 2  # a navigation item looks this many segments either side for English


def _english_neighbourhood(doc: Document, expected: str) -> set[int]:
    """Positions of the segments, in a page of another script than Latin,
    with untranslated English ("Donate", "Contact Us") among the two
    segments before them and among the two after: a Latin name-like item
    between ("Public
    Domain", "Advocacy") is English text too, whatever a common-word list
    holds, when it is short (three words at most: not "Creative Commons
    Attribution 4.0 International license"). Brands listed together after a
    menu ("Facebook", "Twitter") have English on one side only and stay names."""
    if script_of_lang(expected) == "Latn":
        return set()
    english = [
        seg.text.strip().isascii()
        and normalize_lang(seg.lang) in (None, expected)
        and (names.is_english_text(seg.text) or _english_sentence(seg.text))
        and not names.in_template(seg.text, 0, len(seg.text))
        for seg in doc.segments
    ]
    if sum(english) < 2:
        return set()
    out: set[int] = set()
    for i in range(len(english)):
        before = any(english[max(0, i - _ENGLISH_REACH) : i])
        after = any(english[i + 1 : i + 1 + _ENGLISH_REACH])
        if before and after:
            out.add(i)
    return out


def _english_sentence(text: str) -> bool:
    """A sentence of three words or more that English function words hold ("Use the
    license for your own material.", "See the legal code"), whatever its nouns."""
    words = _WORD_RE.findall(text)
    return len(words) >= 3 and _function_words_say(words, "en", ["en"])


_LIST_ITEMS = 3  # a list of short items judged together has this many at least
_LIST_WORDS = 2  # words of each item at most
_LIST_SURE = 0.9  # lingua's and langdetect's confidence in the list's language


def _foreign_list(doc: Document, expected: str, langs: tuple[str, ...]) -> dict[int, Guess]:
    """Short items in a row on an English page ("Tu", "Organizza",
    "Contatti", "Gruppi": tabs without ``lang``), none of them a common
    English word, a name or code: one or two words each are too short to
    leave the page's language, but together lingua (without the expectation)
    and langdetect (over all its languages) both surely name another
    language. Returns each such item's position and guess."""
    if expected != "en":
        return {}
    items: list[int | None] = []
    for i, seg in enumerate(doc.segments):
        text = seg.text.strip()
        ok = (
            normalize_lang(seg.lang) in (None, expected)
            and 0 < len(_WORD_RE.findall(text)) <= _LIST_WORDS
            and script_of_text(text) == "Latn"
            and not names.is_english_text(text)
            and names.kind_of(text) in (None, names.NAME)
            and names.autonym(text) is None
        )
        items.append(i if ok else None)
    out: dict[int, Guess] = {}
    row: list[int] = []
    for item in [*items, None]:
        if item is not None:
            row.append(item)
            continue
        if len(row) >= _LIST_ITEMS:
            joint = " ".join(doc.segments[j].text.strip() for j in row)
            guess = detect_text(joint, languages=langs)
            other = stats_langdetect(joint)
            top, p = max(other, key=lambda item: item[1]) if other else ("", 0.0)
            sure = guess.confidence >= _LIST_SURE and p >= _LIST_SURE
            if sure and guess.lang not in (None, expected) and normalize_lang(top) == guess.lang:
                out.update(dict.fromkeys(row, Guess(guess.lang, guess.confidence, guess.detector)))
        row = []
    return out


def _menu_item(text: str, expect: str) -> Guess | None:
    """The language of an item among languages' own names, judged without the
    expectation and by langdetect over all its languages (lingua's candidates
    do not hold "Lietuviškai" or "Bahasa Indonesia"); None for the name of a
    language in the expected language ("Czech" in English) or, in English,
    common English words ("Descriptions")."""
    if names.names_a_language_in(text, expect) or (expect == "en" and names.is_english_text(text)):
        return None
    values = stats_langdetect(text)
    if not values:
        return None
    top, p = max(values, key=lambda item: item[1])
    return Guess(normalize_lang(top) or UNDETERMINED, round(p, 3), _AUTONYM)


def _not_text(
    text: str,
    start: int,
    end: int,
    script: str | None,
    expect: str,
    lang: str,
    langs: Sequence[str],
    embedded: bool = False,
) -> str | None:
    """The kind of a foreign-looking run that is a name, code or template, else None.

    Capitalised words count as a name when they are Latin in a page of
    another script (brands and names keep their Latin spelling) or, in the
    expected script, two words or more ("Alfonso Cuarón"). One capitalised
    word in the expected script ("Deutsch" in an English page's language
    menu) and capitalised words in a third script ("Русский" on an English
    page) are text, and so is one Latin word that both detectors put in
    the language it was found in ("Read" on a Russian page). Capitalised
    words ``embedded`` in a sentence of the expected script are a name even
    when they are common English words ("В Internet Services Manager,
    щелкните").
    """
    piece = text[start:end]
    kind = names.kind_of(piece, text[max(0, start - 2) : start], text[end : end + 2])
    if kind == names.NAME and embedded:
        return kind
    # "Contact Us", "Donate", "and", "Top": English left untranslated
    one_word = len(_WORD_RE.findall(piece)) == 1 and not piece.isupper()
    if (
        (kind in (None, names.NAME) or (kind == names.CODE and one_word))
        and _plain_english(piece, script, expect)
        and not names.in_template(text, start, end)
    ):
        return None
    if kind is None and script == "Latn" and script_of_lang(expect) != "Latn":
        words = _WORD_RE.findall(piece)
        if len(words) == 1 and words[0].isascii() and words[0].islower():
            return names.CODE  # "header", "indexer": an identifier in a page of another script
    if kind == names.NAME:
        words = _WORD_RE.findall(piece)
        if script == script_of_lang(expect):
            return kind if len(words) >= 2 else None
        if script != "Latn":
            return None
        if len(words) == 1 and _a_word_of(piece, lang, langs):
            return None  # "Read", "Search": a word both detectors put in one language
    return kind


def _plain_english(piece: str, script: str | None, expect: str) -> bool:
    """A Latin run in a page of another script whose words are all common
    English words (see :func:`toolkit.names.is_english_text`)."""
    return script == "Latn" and script_of_lang(expect) != "Latn" and names.is_english_text(piece)


def _a_word_of(word: str, lang: str, langs: Sequence[str]) -> bool:
    """Do lingua (restricted to the candidates of the word's script) and
    langdetect (over all its languages) both rank ``lang`` first for ``word``?
    Brand names ("Facebook", "Telegram", "LinkedIn") split them."""
    same = frozenset(c for c in langs if script_of_lang(c) == script_of_lang(lang))
    values, _detector = _statistics(word, same)
    if not values or max(values, key=lambda item: item[1])[0] != lang:
        return False
    other = stats_langdetect(word)
    return bool(other) and max(other, key=lambda item: item[1])[0] == lang


def detect_file(
    path: str | Path,
    *,
    format: str | None = None,
    expect: str | None = None,
    languages: Sequence[str] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> tuple[Document, Detection]:
    """Read, parse and detect one file.

    Files larger than ``max_bytes`` are refused before they are read (memory
    stays bounded); an empty or blank file is bad input.
    """
    from toolkit import files, formats
    from toolkit.errors import InputError

    raw = files.read_bytes(path, max_bytes=max_bytes)
    doc = formats.load(path, format, data=raw)
    if not doc.text.strip():
        raise InputError(_("empty file: nothing to detect"), path=str(path))
    return doc, fragments(doc, expect=expect, languages=languages)


@dataclass(frozen=True)
class DetectedBlock:
    """The detection of one block of a file: whole segments, in file order.

    ``doc`` is the block parsed on its own (its segments' offsets are local);
    the fragments of ``detection`` carry absolute positions: segment index,
    character offset and line as in the whole file. A file that is not streamed
    is one block with ``offset`` and ``first_segment`` 0.
    """

    doc: Document
    detection: Detection
    offset: int = 0  # characters of the file before the block
    first_segment: int = 0  # segments of the file before the block

    def segment_of(self, fragment: Fragment) -> Segment:
        return self.doc.segments[fragment.segment - self.first_segment]

    def end_of(self, fragment: Fragment) -> int:
        """Absolute character offset of the fragment's end."""
        return self.offset + self.segment_of(fragment).raw_offset(fragment.end)


def detect_blocks(
    path: str | Path,
    *,
    format: str | None = None,
    expect: str | None = None,
    languages: Sequence[str] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[DetectedBlock]:
    """Read, parse and detect one file, block by block where the format allows it.

    A format that declares ``STREAMABLE`` (plain text: one segment per line) is read
    in blocks of whole lines (:func:`toolkit.files.utf8_blocks`): memory is bounded
    by the block and the longest line, not by the file, and the fragments are the
    ones :func:`detect_file` finds. Other formats, and files that are not plain
    UTF-8, are one block. Bad input raises before any block is given out.
    """
    from toolkit import files, formats

    module = formats.for_path(path, format)
    reader = None
    if getattr(module, "STREAMABLE", False):
        files.check_size(path, max_bytes)
        reader = files.utf8_blocks(path, max_bytes=max_bytes)
    if reader is None:
        doc, detection = detect_file(
            path, format=format, expect=expect, languages=languages, max_bytes=max_bytes
        )
        yield DetectedBlock(doc, detection)
        return
    yield from _detect_stream(str(path), module.parse, reader, expect, languages)


def _detect_stream(
    path: str,
    parse: Callable[[str, str | None], Document],
    reader: Callable[[], Iterator[str]],
    expect: str | None,
    languages: Sequence[str] | None,
) -> Iterator[DetectedBlock]:
    from dataclasses import replace

    from toolkit.errors import InputError

    langs = parse_languages(languages) if languages is not None else DEFAULT_LANGUAGES
    expected = normalize_lang(expect)
    if expected is None:  # the majority of the file's first letters, as _majority reads them
        segments = (seg for block in reader() for seg in parse(block, path).segments)
        expected = _majority_of(segments, langs) or (langs[0] if langs else "en")
    offset = line = first_segment = 0
    blank = True
    for block in reader():
        doc = parse(block, path)
        if blank and block.strip():
            blank = False
        found = fragments(doc, expect=expected, languages=languages)
        shifted = [
            replace(
                f,
                segment=f.segment + first_segment,
                offset=f.offset + offset,
                line=f.line + line,
                end_offset=f.end_offset + offset if f.end_offset >= 0 else f.end_offset,
                end_line=f.end_line + line if f.end_line else f.end_line,
            )
            for f in found.fragments
        ]
        seg_expected = {i + first_segment: lang for i, lang in found.segment_expected.items()}
        yield DetectedBlock(
            doc,
            Detection(found.expected, shifted, seg_expected, found.declared),
            offset,
            first_segment,
        )
        offset += len(block)
        line += block.count("\n")
        first_segment += len(doc.segments)
    if blank:
        raise InputError(_("empty file: nothing to detect"), path=path)
