"""One language-code type for every entry: the CLI, the Python API, documents.

A :class:`Language` is a ``str`` subclass holding the code an Argos package
uses (``en``, ``ru``, ``uk``, ``pt``, ``zh``, ``zt``, ``nb``), so it passes
unchanged to engines, the memory and the glossary. It is decided once, at the
entry, by :meth:`Language.parse`, which accepts the forms users type:

>>> Language.parse("EN")
'en'
>>> Language.parse("en-US"), Language.parse("pt_BR"), Language.parse("ru-RU")
('en', 'pt', 'ru')
>>> Language.parse("zh-Hans"), Language.parse("zh-TW"), Language.parse("zh_Hant_HK")
('zh', 'zt', 'zt')
>>> Language.parse("no"), Language.parse("iw")
('nb', 'he')

The known set is every ISO 639-1 code, plus Argos' own codes ``zt``
(Chinese, traditional script) and ``pb`` (Portuguese, Brazil). Region and
script subtags are dropped except where Argos has a package of its own
(traditional Chinese); ``pt-BR`` maps to ``pt`` because that is the package
users have, and ``pb`` is taken as written. Legacy codes map to today's:
``iw`` → ``he``, ``in`` → ``id``, ``ji`` → ``yi``, ``jw`` → ``jv``, and
Norwegian ``no``/``nn`` → ``nb``, the code of Argos' Norwegian package.

Anything else is one :class:`~toolkit.errors.UsageError` line (exit 2), the
same in every command:

>>> Language.parse("english")  # doctest: +ELLIPSIS
Traceback (most recent call last):
toolkit.errors.UsageError: unknown language code 'english'; use an ISO 639-1 code (en, ru, ...

This module imports nothing but the error tree and i18n: it sits on the ground
floor, under detection, glossaries, engines and the CLI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.errors import UsageError
from toolkit.i18n import _

__all__ = ["ARGOS_CODES", "ISO_639_1", "Language", "parse_languages"]

# ISO 639-1: the two-letter column of ISO 639-2 (Library of Congress), 184 codes.
_ISO_639_1_TEXT = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1: frozenset[str] = frozenset(_ISO_639_1_TEXT.split())
# Codes Argos packages use that are not ISO 639-1.
ARGOS_CODES: frozenset[str] = frozenset({"zt", "pb"})
# Codes that are spelled differently in Argos (or are retired ISO codes).
_ALIASES: dict[str, str] = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "no": "nb",
    "nn": "nb",
}
# Subtags that select Argos' traditional-Chinese package.
_TRADITIONAL = frozenset({"hant", "tw", "hk", "mo"})
# The examples the error line names, most used first.
_EXAMPLES = ("en", "ru", "uk", "be", "de", "fr", "es", "it", "pl", "pt", "zh", "ja")
_SPLIT_RE = re.compile(r"[-_.@\s]+")


class Language(str):
    """A language code as Argos packages spell it; build it with :meth:`parse`.

    It is a ``str`` with the plain ``str`` repr, so it can be used anywhere a
    code is expected (and keys, JSON and reprs stay what they were).

    >>> lang = Language.parse("Uk_UA")
    >>> lang, lang == "uk", isinstance(lang, Language), Language("EN")
    ('uk', True, True, 'en')
    """

    __slots__ = ()

    def __new__(cls, text: str) -> Language:
        """``Language("EN")`` is :meth:`parse`: no unchecked code can be built."""
        return cls.parse(text)

    @classmethod
    def parse(cls, text: str) -> Language:
        """The code for ``text`` (``EN``, ``en-US``, ``pt_BR``, ``zh-Hant``).

        Raises :class:`~toolkit.errors.UsageError` (exit 2) for anything else.
        """
        found = cls.lookup(text)
        if found is None:
            raise UsageError(
                _(
                    "unknown language code {code!r}; use an ISO 639-1 code ({examples}, ...) "
                    "or Argos' zt (Chinese, traditional) or pb (Portuguese, Brazil)"
                ).format(code=str(text), examples=", ".join(_EXAMPLES))
            )
        return found

    @classmethod
    def lookup(cls, text: str | None) -> Language | None:
        """Like :meth:`parse`, but None for an empty or unknown code.

        For codes that documents declare (HTML ``lang``, PO ``Language``),
        where an odd value must not stop the run.

        >>> Language.lookup("en-GB"), Language.lookup("klingon"), Language.lookup("")
        ('en', None, None)
        """
        if isinstance(text, Language):
            return text
        if not text:
            return None
        parts = [p for p in _SPLIT_RE.split(str(text).strip().lower()) if p]
        if not parts:
            return None
        base = _ALIASES.get(parts[0], parts[0])
        if base == "zh" and any(p in _TRADITIONAL for p in parts[1:]):
            base = "zt"
        if base in ISO_639_1 or base in ARGOS_CODES:
            return str.__new__(cls, base)  # the one place a Language is made
        return None

    @property
    def code(self) -> str:
        """The plain ``str`` code."""
        return str(self)


def parse_languages(value: str | Iterable[str]) -> tuple[Language, ...]:
    """A candidate list (``"en, RU,uk"`` or a sequence), parsed, without repeats.

    >>> parse_languages("en, RU,uk,en-US")
    ('en', 'ru', 'uk')

    An empty list is a :class:`~toolkit.errors.UsageError`.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    langs: list[Language] = []
    for item in items:
        if not str(item).strip():
            continue
        code = Language.parse(item)
        if code not in langs:
            langs.append(code)
    if not langs:
        raise UsageError(_("--languages needs at least one language code"))
    return tuple(langs)
