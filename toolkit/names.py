"""Runs of text that are not language: names, codes, template code, labels.

A page in one language carries words of another that nobody should translate:
brand and product names ("Facebook", "Pew Research Center", "MK.RU"),
acronyms and codes ("LOL", "USD", "RFC", "Eng", "U+0000"), template code left
in the page (``{{ title }}``, ``{% if %}``, ``${name}``, ``date | date :
'd MMMM yyyy'``, ``$Date$``, ``%1$d``), labels kept in their original form
("E-mail:") and lone characters ("Δ", "щ" in a list of letters). The
detector still names their language; :func:`kind_of` says what they are so
that they are reported apart (a fragment ``kind``), never as untranslated text.

The rules are general shapes, with no list of names: a name is a run of
capitalised words (or acronyms and numbers) without the function words of a
sentence; a code is an acronym, a short capitalised code or a code point; a
domain is a dotted name with a final label of two or more letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.wordlists import AUTONYMS, AUTONYMS_IN_MENUS, ENGLISH, LANGUAGE_NAMES

NAME = "name"
CODE = "code"
TEMPLATE = "template"
LABEL = "label"
URL = "url"
SYMBOL = "symbol"

KINDS = frozenset({NAME, CODE, TEMPLATE, LABEL, URL, SYMBOL})

_WORD_RE = re.compile(r"[^\W_]+(?:['’ʼ\-.+][^\W_]+)*")
_LETTER_RE = re.compile(r"[^\W\d_]")

_TEMPLATE_RE = re.compile(
    r"""(?x)
    \{\{ | \}\} | \{% | %\} | \$\{ | <% | %>          # {{ }}, {% %}, ${ }, <% %>
    | \$[A-Za-z]\w*\$ | (?:^|\s)[A-Za-z]\w*\$(?=\s|$)  # $Date$ (RCS), or its half
    | %(?:\d+\\?\$)?[-+\x20\#0]*\d*(?:\.\d+)?[sdifuxXeEgGc@](?!\w)  # printf %s %1$d
    | \{\d+\} | \{[a-z_]\w*\}                          # {0} {name}
    | [\w.\]\)]\s*\|\s*[a-z]\w*(?:\s*:\s*['"]|\s*$)    # Angular / Jinja filter: x | date : '...'
    """
)
# A code point, hex bytes, a version-like token
_CODEPOINT_RE = re.compile(r"(?i)\bU\+[0-9a-f]{4,6}\b")
_HEX_BYTES_RE = re.compile(r"^(?:[0-9A-F]{2}\s+){1,}[0-9A-F]{2}$")
# xml:lang, text/html, charset=utf-8: a name with a colon, slash or equals sign inside
_MARKUP_RE = re.compile(r"[^\W_]:[^\W\d_]|[^\W_]/[^\W\d_]|[^\W_]=[^\W_]")
_DOMAIN_RE = re.compile(r"^(?:[^\W_][\w-]*\.)+[^\W\d_]{2,}$")
# a reference in a citation: "vol. 1", "no.1", "pp. 12-15" (its number may
# follow the run: "GNU, vol. 1 no." before "1 [1]")
_CITATION_RE = re.compile(r"(?i)\b(?:vol|no|nr|pp?|ch|ed|art|fig|sec)\.\s?\d+(?:[-–]\d+)?")
_CITATION_END_RE = re.compile(r"(?i)\b(?:vol|no|nr|pp?|ch|ed|art|fig|sec)\.$")
_LABEL_RE = re.compile(r"^[^\W\d_]+(?:[-‐][^\W\d_]+)?\s*:$")

# Words that make a run a sentence rather than a name. English's are many
# (a Latin name on a page in another script is most often English); the
# others guard names in those languages. Lower-case only: "The" opening a
# title ("The Open Source Initiative") is part of the name.
_SENTENCE_WORDS_TEXT = (
    "the of and to is are was were be been that this these those for with as by from at "
    "or not have has had it its which who what when how why you your we our they their "
    "he she his her can will would should could may might must do does did if then than "
    "there here about into over under after before between also only just very more most "
    "such no yes all any some each other our an a in on up out so but because while "
    # de fr es it pl
    "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch "
    "le la les et des est une un du que dans pour qui pas sur au avec il sont ce "
    "el los las y en es del una por con para se su al lo como más "
    "il che di è della per non sono gli nel alla "
    "w na z się nie do że to jest jak po od przez są dla oraz ale czy"
)
_SENTENCE_WORDS = frozenset(_SENTENCE_WORDS_TEXT.split())


def _is_capitalised(word: str) -> bool:
    first = next((ch for ch in word if ch.isalpha()), "")
    return bool(first) and first.isupper()


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_initial(word: str) -> bool:
    """One capital letter ("D", "K" in "NFD, NFKD"); not a letter of a caseless script."""
    return len(word) == 1 and word.isupper()


def is_name(text: str) -> bool:
    """Capitalised words, acronyms and numbers without the words of a sentence.

    >>> is_name("Pew Research Center"), is_name("Alfonso Cuarón"), is_name("the best of all")
    (True, True, False)
    >>> is_name("Creative Commons Attribution 4.0 International license")
    True
    """
    words = _WORD_RE.findall(text)
    if not words:
        return False
    lower = 0
    for i, word in enumerate(words):
        if not _LETTER_RE.search(word):
            continue  # a number
        if _is_acronym(word):
            continue  # "PO Box", "IT": an acronym is no function word
        if word.lower() in _SENTENCE_WORDS and not (i == 0 and _is_capitalised(word)):
            return False
        if not _is_capitalised(word):
            lower += 1
    # a name may hold one lower-case common word ("Creative Commons ... license")
    return lower == 0 or (lower == 1 and len(words) >= 3)


# whole template constructs: their words are code, not prose
_TEMPLATE_BLOCK_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{.*?\}|<%.*?%>", re.S)
_PROSE_TOKENS = 5  # a run of this many words or more between spaces ...
_PROSE_SHARE = 0.6  # ... this share of them plain words (letters only, no acronym) ...
_PROSE_LOWER = 2  # ... and this many of those in lower case, is prose
_PLAIN_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")
_TOKEN_EDGES = "\"'«»“”„‘’()[].,;:!?…"


def _is_prose(text: str) -> bool:
    """A sentence, whatever names, placeholders or markup it holds: "Атрибут
    lang (или иногда атрибут xml:lang) указывает язык", "Hello {name}, welcome
    back to the site", "Стандарт Си++ (ИСО)* и [Икс]{2}$ обсуждали вчера в
    Вене." Its words are to be translated, so it is never a code or template.
    Code has few plain words between its spaces: "Content-Type: text/html;
    charset=utf-8", "{{ date | date : 'd MMMM yyyy' }}", "Page %1$d of %2$d"
    are not prose."""
    tokens = _CITATION_RE.sub(" ", _TEMPLATE_BLOCK_RE.sub(" ", text)).split()
    if len(tokens) < _PROSE_TOKENS:
        return False
    plain = lower = 0
    for token in tokens:
        word = token.strip(_TOKEN_EDGES)
        if not _PLAIN_WORD_RE.fullmatch(word) or (len(word) > 1 and word.isupper()):
            continue
        plain += 1
        lower += word.islower()
    return plain >= _PROSE_SHARE * len(tokens) and lower >= _PROSE_LOWER


def kind_of(text: str, before: str = "", after: str = "") -> str | None:
    """What a foreign-looking run is when it is not language text, else None.

    ``before`` and ``after`` are the characters around the run in its
    segment: a run glued to a dot or a slash is part of a domain or a path.
    A sentence is none of these, whatever placeholders, markup or citations it
    holds (see :func:`_is_prose`).

    >>> kind_of("Facebook"), kind_of("USD"), kind_of("date | date : 'd MMMM yyyy'")
    ('name', 'code', 'template')
    >>> kind_of("E-mail:"), kind_of("MK.RU"), kind_of("Δ")
    ('label', 'url', 'symbol')
    >>> kind_of("Ceci est une phrase en français.") is None
    True
    """
    stripped = text.strip()
    if not stripped or _is_prose(stripped):
        return None
    if _TEMPLATE_RE.search(stripped):
        return TEMPLATE
    glued = before[-1:] in (".", "/", "@") or after[:1] in (".", "/", "@")
    if (
        glued
        and (after[:1] != "." or after[1:2].isalnum())
        and len(_WORD_RE.findall(stripped)) == 1
    ):
        return URL  # glued to a dot or slash: part of a domain, path or address ("例.jp")
    core = stripped.strip("\"'«»“”„‘’()[]<>.,;!?…")
    if _DOMAIN_RE.match(core) and " " not in core:
        return URL
    letters = _LETTER_RE.findall(core)
    if len(letters) <= 1:
        # a lone character shown as an example ("Δ", "the Cyrillic character
        # щ."); not a one-letter word among words of its own alphabet
        near = _LETTER_RE.findall(before + after)
        if letters and any(ch.isascii() == letters[0].isascii() for ch in near):
            return None
        return SYMBOL
    if _LABEL_RE.match(stripped) and len(letters) <= 12:
        return LABEL
    if _CODEPOINT_RE.search(core) or _HEX_BYTES_RE.match(core) or _MARKUP_RE.search(core):
        return CODE
    cited = _CITATION_RE.sub(" ", stripped)
    if cited != stripped:  # "GNU, vol. 1 no.": a citation of a name or code
        rest = _CITATION_END_RE.sub(" ", cited.strip()).strip(" ,;.:()[]")
        if not _LETTER_RE.search(rest) or kind_of(rest) in (CODE, NAME):
            return CODE
    words = _WORD_RE.findall(core)
    if not words:
        return None
    if all(_is_acronym(w) or not _LETTER_RE.search(w) or _is_initial(w) for w in words):
        return CODE
    if len(words) == 1 and len(letters) == 3 and _is_capitalised(core):
        return CODE  # "Eng", "Deu": a language or currency code in title case
    if is_name(core):
        return NAME
    return None


def common_words(words: list[str]) -> list[str]:
    """``words`` of a sentence without its names: acronyms, capitalised words
    after the first, and the first unless it is a function word ("The").

    What is left decides the sentence's language: "Mimi Sheraton's "The
    German Cookbook" is America's classic guide to German cuisine." is English
    by "is classic guide to cuisine", whatever language the names look like.

    >>> common_words("Alfonso Cuarón directed the film".split())
    ['directed', 'the', 'film']
    """
    kept: list[str] = []
    for i, word in enumerate(words):
        if _is_acronym(word):
            continue
        if _is_capitalised(word):
            if i > 0:
                continue
            if word.lower() not in _SENTENCE_WORDS:
                continue  # "Frühburgunder wine ...": a first word may be a name too
        kept.append(word)
    return kept


def names_hold(words: list[str], alphabet: frozenset[str]) -> bool:
    """The words with letters outside ``alphabet`` are all names (capitalised,
    not the first word), and at least two words that are not names remain:
    "were Pérez Rodríguez and his mother's" is not ruled out of English by
    its accents."""
    if len(common_words(words)) < 2:
        return False
    return all(
        i > 0 and _is_capitalised(w)
        for i, w in enumerate(words)
        if not {ch for ch in w.lower() if ch.isalpha()} <= alphabet
    )


_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _english_word(word: str) -> bool:
    """A common English word, or a regular inflection of one ("policies", "noted")."""
    w = word.lower()
    if w in ENGLISH:
        return True
    stems: list[str] = []
    if w.endswith("ies"):
        stems.append(w[:-3] + "y")
    if w.endswith("es"):
        stems.append(w[:-2])
    if w.endswith("s"):
        stems.append(w[:-1])
    if w.endswith("ed"):
        stems += [w[:-2], w[:-1]]
    if w.endswith("ing"):
        stems += [w[:-3], w[:-3] + "e"]
    return any(len(stem) >= 3 and stem in ENGLISH for stem in stems)


def is_english_text(text: str) -> bool:
    """Every word of ``text`` is a common English word: untranslated English
    ("Contact Us", "Strategic Plan", "Read more", "Donate"), not a name.

    A name has a word no common-word list holds ("Pew Research Center",
    "Facebook", "Reuters") or an acronym ("BBC News"). Brands that are common
    words ("Windows") are taken for text.

    >>> is_english_text("Strategic Plan"), is_english_text("Pew Research Center")
    (True, False)
    """
    words = _WORD_RE.findall(text)
    if not words or not text.isascii():
        return False
    seen = 0
    for word in words:
        if not _LETTER_RE.search(word):
            continue  # a number
        if _is_acronym(word) or not all(_english_word(p) for p in re.split(r"[-'’.+]", word) if p):
            return False
        seen += 1
    return seen > 0


@lru_cache(maxsize=2)
def _autonyms(menu: bool) -> dict[str, str]:
    table = {**AUTONYMS, **AUTONYMS_IN_MENUS} if menu else AUTONYMS
    return {" ".join(_LETTERS_RE.findall(name)): code for name, code in table.items()}


def autonym(text: str, menu: bool = False) -> str | None:
    """The language whose own name ``text`` is ("Deutsch", "svenska",
    "Русский", "srpski (latinica)"), else None. A name followed by one or
    two words is one too ("Português Brasileiro"). Names that are English
    words too ("Esperanto", "Indonesia") count only in a language ``menu``.

    >>> autonym("Deutsch"), autonym("Русский"), autonym("Português Brasileiro"), autonym("Read")
    ('de', 'ru', 'pt', None)
    """
    words = _LETTERS_RE.findall(text.casefold())
    if not words or len(words) > 3:
        return None
    table = _autonyms(menu)
    code = table.get(" ".join(words))
    if code is None and len(words) > 1 and " " not in words[0]:
        code = table.get(words[0])
    return code


def names_a_language_in(text: str, lang: str) -> bool:
    """Is ``text`` the name of a language written in ``lang`` ("German",
    "French" in English; "немецкий" in Russian)? A language menu names
    languages in their own language or in the page's.

    >>> names_a_language_in("German", "en"), names_a_language_in("Deutsch", "en")
    (True, False)
    """
    return " ".join(_LETTERS_RE.findall(text.casefold())) in LANGUAGE_NAMES.get(lang, ())


def in_template(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` inside template syntax (``{{ title }}``,
    ``{% block %}``, ``${name}``)? The three characters either side decide."""
    return bool(_TEMPLATE_RE.search(text[max(0, start - 3) : end + 3]))
