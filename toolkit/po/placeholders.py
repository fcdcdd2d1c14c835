"""Placeholders in catalog strings: find them, mask them for the engine, verify them.

Kinds: printf (``%s %d %1$s %-5.2f %lu %%``), python-format (``%(name)s``),
brace (``{name} {0} {} {0:>5}``) and, in markup strings, HTML/XML tags and
entities. The entry's flags choose the kinds (``c-format``, ``python-format``,
``python-brace-format`` and their ``no-`` forms); an entry without format
flags gets a careful guess (printf without the space flag, which would read
"100% sure" as a conversion).

Masking replaces each placeholder with an opaque sentinel ``⟦N⟧`` that
survives SentencePiece (DESIGN.md facts); :func:`unmask` puts them back and
fails when a sentinel was lost, duplicated or invented.

>>> find("Copied %d of %(total)s to {path}", ())
['%d', '%(total)s', '{path}']
>>> masked, tokens = mask("Delete %s?", ())
>>> masked, unmask(masked.replace("Delete", "Удалить"), tokens)
('Delete ⟦0⟧?', 'Удалить %s?')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from toolkit.i18n import _

_LEN = r"(?:hh|h|ll|l|L|q|j|z|Z|t|I64|I32|I)?"
_CONV = r"[diouxXeEfFgGaAcspnmCS]"
_WIDTH = r"(?:\d+|\*(?:\d+\$)?)?"
_PREC = r"(?:\.(?:\d+|\*(?:\d+\$)?)?)?"
PRINTF = rf"%%|%(?:\d+\$)?[-+ #0']*{_WIDTH}{_PREC}{_LEN}{_CONV}|%<PRI[diouxX]\w*>"
PRINTF_GUESS = rf"%%|%(?:\d+\$)?[-+#0']*{_WIDTH}{_PREC}{_LEN}{_CONV}(?![A-Za-z])"
PYTHON = r"%\([^()\s]+\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
PYTHON_SIMPLE = r"%%|%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]"
BRACE = (
    r"\{\{|\}\}|\{[A-Za-z_0-9][A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"
    r"|\{(?:![rsa])?(?::[^{}\s]*)?\}"
)
TAG = (
    r"</?[A-Za-z][A-Za-z0-9:_.-]*(?:\s+[^<>]*?)?\s*/?>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);"
)

_MARKUP_RE = re.compile(
    r"</[A-Za-z][\w:.-]*\s*>|<[A-Za-z][\w:.-]*[^<>]*/>|<[A-Za-z][\w:.-]*\s+[\w:-]+\s*="
)
SENTINEL_RE = re.compile(r"⟦(\d+)⟧")

_PRINTF_FLAGS = ("c-format", "objc-format", "php-format", "gcc-internal-format", "qt-format")


def is_markup(text: str) -> bool:
    """True when ``text`` carries real markup (a closing, self-closing or attributed tag)."""
    return bool(_MARKUP_RE.search(text))


def _pattern(flags: Iterable[str], markup: bool) -> re.Pattern[str]:
    flags = set(flags)
    parts: list[str] = []
    explicit = any(f.endswith("-format") and not f.startswith("no-") for f in flags)
    if explicit:
        if "python-format" in flags:
            parts += [PYTHON, PYTHON_SIMPLE]
        if flags & set(_PRINTF_FLAGS):
            parts.append(PRINTF)
        if "python-brace-format" in flags or "c#-format" in flags:
            parts.append(BRACE)
    else:
        if "no-python-format" not in flags:
            parts.append(PYTHON)
        if "no-c-format" not in flags:
            parts.append(PRINTF_GUESS)
        if "no-python-brace-format" not in flags:
            parts.append(BRACE)
    if markup:
        parts.append(TAG)
    return _compiled("|".join(f"(?:{p})" for p in parts) if parts else r"(?!x)x")


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern not in _CACHE:
        _CACHE[pattern] = re.compile(pattern)
    return _CACHE[pattern]


def find(text: str, flags: Iterable[str] = (), *, markup: bool | None = None) -> list[str]:
    """The placeholders in ``text``, in order."""
    if markup is None:
        markup = is_markup(text)
    return _pattern(flags, markup).findall(text)


_PRINTF_PARTS_RE = re.compile(rf"^%(?:\d+\$)?[-+ #0']*{_WIDTH}{_PREC}({_LEN}{_CONV})$")


def normalize(token: str) -> str:
    """Compare printf conversions by argument type, as msgfmt does: position,
    flags, width and precision may differ (``%2$.50s`` ~ ``%s``)."""
    m = _PRINTF_PARTS_RE.match(token)
    return "%" + m.group(1) if m else token


def multiset(text: str, flags: Iterable[str] = (), *, markup: bool | None = None) -> Counter[str]:
    return Counter(normalize(t) for t in find(text, flags, markup=markup))


_STRFTIME_RE = re.compile(r"%[-_0^#]?[aAbBhHIklMpPSyYZzejTRFDrcxXuVGgUWC]")


def is_strftime(text: str, flags: Iterable[str] = ()) -> bool:
    """A date or time format (``%b %d, %Y``, ``%a, %l:%M %p``) in an entry without
    a printf flag: its directives are reordered and replaced as the language
    writes dates, and msgfmt does not compare them."""
    flags = set(flags)
    if any(f in flags for f in _PRINTF_FLAGS) or "python-format" in flags:
        return False
    directives = _STRFTIME_RE.findall(text)
    return bool(directives) and any(d[-1] not in "diouxXeEfFgGaAcspnmCS" for d in directives)


def mismatch(
    source: str, target: str, flags: Iterable[str] = (), *, markup: bool | None = None
) -> tuple[list[str], list[str]]:
    """(missing from target, extra in target) placeholders, as multisets. A
    strftime format (:func:`is_strftime`) has no printf placeholders to compare."""
    if markup is None:
        markup = is_markup(source)
    flags = list(flags)
    if is_strftime(source, flags):
        flags.append("no-c-format")
    a = multiset(source, flags, markup=markup)
    b = multiset(target, flags, markup=markup)
    return sorted((a - b).elements()), sorted((b - a).elements())


def mask(
    text: str, flags: Iterable[str] = (), *, markup: bool | None = None
) -> tuple[str, list[str]]:
    """Replace every placeholder with ``⟦N⟧``; return the masked text and the tokens."""
    if markup is None:
        markup = is_markup(text)
    tokens: list[str] = []

    def repl(m: re.Match[str]) -> str:
        tokens.append(m.group(0))
        return f"⟦{len(tokens) - 1}⟧"

    return _pattern(flags, markup).sub(repl, text), tokens


class PlaceholderLost(ValueError):
    """The engine lost, duplicated or invented a sentinel."""


def unmask(text: str, tokens: list[str]) -> str:
    """Put the tokens back; every sentinel must appear exactly once."""
    found = [int(m.group(1)) for m in SENTINEL_RE.finditer(text)]
    counts = Counter(found)
    missing = [tokens[i] for i in range(len(tokens)) if counts[i] == 0]
    if missing:
        raise PlaceholderLost(_("the engine lost placeholders") + ": " + " ".join(missing))
    extra = [i for i, c in counts.items() if c > 1 or i >= len(tokens)]
    if extra:
        raise PlaceholderLost(_("the engine duplicated or invented a placeholder"))
    out = SENTINEL_RE.sub(lambda m: tokens[int(m.group(1))], text)
    if "⟦" in out or "⟧" in out:
        raise PlaceholderLost(_("the engine mangled a placeholder"))
    return out


_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass
class Piece:
    """One line of a source string, prepared for the engine: its leading and
    trailing whitespace kept aside and its placeholders masked. ``masked`` is
    None when nothing in it is worth translating (no letters outside
    placeholders): the piece is copied as is."""

    lead: str
    core: str
    trail: str
    masked: str | None
    tokens: list[str]

    def assemble(self, table: Mapping[str, str], escape: Callable[[str], str] = str) -> str:
        """The piece with ``table``'s translation of its masked core, unmasked."""
        if self.masked is None:
            return self.lead + self.core + self.trail
        core = unmask(escape(table[self.masked]), self.tokens).strip()
        if not core:
            raise PlaceholderLost(_("the engine returned an empty translation"))
        return self.lead + core + self.trail


def split_line(raw: str, mask_core: Callable[[str], tuple[str, list[str]]], nl: str = "") -> Piece:
    """``raw`` (one line, ``nl`` its line break if any) as a :class:`Piece`
    whose core is masked by ``mask_core``."""
    core = raw.strip()
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = (raw[len(raw.rstrip()) :] if core else "") + nl
    masked, tokens = mask_core(core)
    if not _LETTER_RE.search(SENTINEL_RE.sub("", masked)):
        return Piece(lead, core, trail, None, [])
    return Piece(lead, core, trail, masked, tokens)
