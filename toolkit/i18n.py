"""gettext for tolmach's own messages (domain ``tolmach``, catalogs in ``locales/``).

The language comes from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, as gettext
does. A compiled ``.mo`` is preferred; when only the ``.po`` exists (a source
checkout) it is loaded through polib. A missing catalog falls back to English
and never fails.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "tolmach"


def locales_dir() -> Path:
    """The folder holding ``<lang>/LC_MESSAGES/tolmach.{po,mo}``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "locales", here.parent / "locales"):
        if candidate.is_dir():
            return candidate
    return here.parent / "locales"


def _requested_languages() -> list[str]:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            langs: list[str] = []
            for item in value.split(":"):
                item = item.split(".")[0].split("@")[0]
                if item and item not in ("C", "POSIX"):
                    langs.append(item)
                    if "_" in item:
                        langs.append(item.split("_")[0])
            return langs
    return []


class _PoTranslations(gettext.NullTranslations):
    """Translations read from a .po file with polib (no compiled .mo needed)."""

    def __init__(self, po_path: Path) -> None:
        super().__init__()
        import polib

        self._catalog: dict[str, str] = {}
        self._plurals: dict[str, list[str]] = {}
        po = polib.pofile(str(po_path))
        for entry in po.translated_entries():
            if entry.msgid_plural:
                forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
                self._plurals[entry.msgid] = forms
            else:
                self._catalog[entry.msgid] = entry.msgstr
        self._info = {k.lower(): v for k, v in po.metadata.items()}  # as GNUTranslations.info()
        header = po.metadata.get("Plural-Forms", "")
        self._plural = (
            gettext.c2py(header.split("plural=", 1)[1].rstrip("; "))
            if ("plural=" in header)
            else (lambda n: int(n != 1))
        )

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        if not forms:
            return msgid1 if n == 1 else msgid2
        index = self._plural(n)
        return forms[index] if index < len(forms) else forms[-1]


@lru_cache(maxsize=1)
def translations() -> gettext.NullTranslations:
    base = locales_dir()
    for lang in _requested_languages():
        folder = base / lang / "LC_MESSAGES"
        mo = folder / f"{DOMAIN}.mo"
        po = folder / f"{DOMAIN}.po"
        try:
            if mo.is_file():
                with mo.open("rb") as fh:
                    return gettext.GNUTranslations(fh)
            if po.is_file():
                return _PoTranslations(po)
        except Exception:  # a broken catalog must never break the CLI
            continue
    return gettext.NullTranslations()


def _(message: str) -> str:
    """Translate a user-facing message."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)
