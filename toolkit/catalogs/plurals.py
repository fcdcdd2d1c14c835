"""CLDR plural categories of the languages tolmach meets most (CLDR 44).

Cardinal categories, as ``Intl.PluralRules(lang).resolvedOptions()``,
i18next's ``_one/_few/...`` suffixes, Android ``<item quantity>`` and Rails'
nested keys use them. A language not in the table gets ``one, other``.

>>> categories("ru")
('one', 'few', 'many', 'other')
>>> categories("pt-BR")
('one', 'many', 'other')
"""

from __future__ import annotations

ORDER = ("zero", "one", "two", "few", "many", "other")

_TABLE: dict[str, tuple[str, ...]] = {}


def _add(cats: str, langs: str) -> None:
    for lang in langs.split():
        _TABLE[lang] = tuple(cats.split())


_add("other", "ja zh ko vi th id ms lo my km yo ig su jv")
_add(
    "one other",
    "en de nl sv da nb nn no fi et el hu tr bg ka hi bn af eu gl az kk ky uz mn sq ur ta te "
    "ml kn mr gu pa ne si sw zu xh fy lb rm ps so am fa hy is mk fil",
)
_add("one many other", "fr es it pt ca")
_add("one few many other", "ru uk be pl cs sk lt")
_add("one few other", "ro hr sr bs mo")
_add("zero one other", "lv")
_add("one two few other", "sl")
_add("one two other", "he iw")
_add("zero one two few many other", "ar cy")
_add("one two few many other", "ga mt")

KNOWN = frozenset(ORDER)


def base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def categories(lang: str | None) -> tuple[str, ...]:
    """The cardinal plural categories ``lang`` needs, in CLDR order."""
    if not lang:
        return ("one", "other")
    return _TABLE.get(base(lang), ("one", "other"))


def source_category(category: str, source_categories: tuple[str, ...] | list[str]) -> str:
    """Which source form a target category is translated from: the same one when
    the source has it, else ``other`` (``few``/``many`` come from the plural)."""
    if category in source_categories:
        return category
    return "other" if "other" in source_categories else list(source_categories)[-1]


def is_known(lang: str) -> bool:
    """True for a language code of the table (names like ``app`` are not)."""
    return base(lang) in _TABLE
