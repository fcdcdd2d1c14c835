"""Translation quality checks over one source/translation pair, for every catalog format.

Each check is a pure function ``check(pair) -> list of messages`` over a
:class:`Pair` (the source, the translation, the target language, the
entry's flags and format), so the same check runs over ``.po`` entries and
over the units of XLIFF, JSON, ``.properties``... (:mod:`toolkit.audit.catalogs`
and :mod:`toolkit.audit.l10n` register them as rules, one id each).

They are built to find what a reviewer finds and not what a reviewer would
reject (pofilter's false alarms):

* an angle-bracketed placeholder for the user (``<option>``, ``<command>``)
  is not a tag: a tag is real when it closes, is closed in the same text,
  self-closes, has ``name=value`` attributes or is ``<br>``;
* typographic quotes (« » „ “ ‹ ›) are quotes, never brackets, and full-width
  CJK brackets are brackets;
* end punctuation maps across scripts (``?`` = ``？`` = ``؟``, ``.`` = ``。``);
* numbers are compared as values, in any script's digits, grouping separators
  aside (``1,000`` = ``1 000``);
* a strftime date (``%b %d, %Y``) is not a printf format and may be reordered.

Nothing here prints or decides how a finding is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from toolkit.i18n import _
from toolkit.po import placeholders

CJK = ("ja", "zh", "ko", "yue")


def base(lang: str | None) -> str:
    """``pt_BR`` -> ``pt``; ``zh-Hans`` -> ``zh``."""
    return re.split(r"[_\-@.]", lang or "")[0].lower()


@dataclass(frozen=True)
class Pair:
    """One source text and its translation, as the checks see them.

    ``sources`` holds every source the translation may answer (a plural
    form answers the singular or the plural msgid); a check passes when it
    passes against any of them. ``syntax`` is the placeholder syntax of a
    non-PO format (None: gettext flags decide). ``accelerator`` is the
    accelerator marker the format or flags name ("" when none is known).
    """

    sources: tuple[str, ...]
    target: str
    lang: str = ""
    flags: tuple[str, ...] = ()
    syntax: str | None = None
    fuzzy: bool = False
    max_length: int | None = None
    accelerator: str = ""
    keep: tuple[str, ...] = field(default=())  # do-not-translate terms

    @property
    def source(self) -> str:
        return self.sources[-1]


# ----------------------------------------------------------------- masking


_URL = (
    r"(?:https?|ftp|file)://[^\s<>\"'«»“”]+[^\s<>\"'«»“”.,;:!?)\]]|www\.[\w.-]+\.[a-z]{2,}(?:/\S*)?"
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
_PATH = r"(?<![\w.:/<>])(?:~|\$\w+|\.\.?)?(?:/[\w.+@-]+){2,}/?|(?<![\w/])[A-Za-z]:\\[\w\\.-]+"
_URL_RE = re.compile(_URL)
_EMAIL_RE = re.compile(_EMAIL)
_PATH_RE = re.compile(_PATH)


def _placeholders(text: str, pair: Pair) -> list[str]:
    if pair.syntax is not None:
        from toolkit.catalogs import syntax

        return syntax.find(text, pair.syntax)
    flags = [f for f in pair.flags if f != "fuzzy"]
    return placeholders.find(text, flags, markup=False)


def mask(text: str, pair: Pair, *, urls: bool = True, blank: str = " ") -> str:
    """The text with placeholders (and URLs, e-mails and paths) replaced by ``blank``."""
    for token in sorted(set(_placeholders(text, pair)), key=len, reverse=True):
        if token:
            text = text.replace(token, blank)
    if urls:
        for rx in (_URL_RE, _EMAIL_RE, _PATH_RE):
            text = rx.sub(" ", text)
    return text


def _passes(pair: Pair, check: Callable[[str], list[str]]) -> list[str]:
    """Run ``check(source)`` for each source; nothing when any passes."""
    results = [check(src) for src in pair.sources]
    if any(not r for r in results):
        return []
    return results[-1]


# ----------------------------------------------------------------- options


_OPTION_RE = re.compile(r"(?:(?<=[\s\[(|,=\"'`«„“])|^)(--?[A-Za-z][\w-]*)(?![\w/])")


def _options(text: str) -> Counter[str]:
    found = Counter(m.group(1) for m in _OPTION_RE.finditer(text))
    # a hyphenated word after a space ("non -free") is not an option: a short
    # option has one letter, or is all lower-case ASCII after one dash
    return Counter(
        {
            o: n
            for o, n in found.items()
            if o.startswith("--") or len(o) == 2 or (o[1:].isascii() and o[1:].islower())
        }
    )


def check_options(pair: Pair) -> list[str]:
    """Command-line options (``--help``, ``-v``) must stay as written."""

    def one(src: str) -> list[str]:
        want = _options(mask(src, pair, urls=True))
        if not want:
            return []
        have = _options(mask(pair.target, pair, urls=True))
        missing = sorted((want - have).elements())
        if not missing:
            return []
        return [_("command-line option changed or missing: {o}").format(o=" ".join(missing))]

    return _passes(pair, one)


# ----------------------------------------------------------------- brackets, quotes


_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "｛": "{", "｝": "}"})
_BRACKETS = (("(", ")"), ("[", "]"), ("{", "}"))
_LIST_ITEM = re.compile(r"(?m)^\s*(?:\d+|[a-zA-Z])\)")
_SMILEY = re.compile(r"[:;]-?[()]")
# plural and gender markers: file(s), байт(а), автора(ов), предупреждение(-ий), (de)install;
# the symbols (C), (R), (TM), which a translation may write © ® ™
_MARKER = re.compile(r"(?<=\w)\(-?\w{1,3}\)|\(\w{1,3}\)(?=\w)|\((?:[CcRr]|TM)\)")


def _bracket_counts(text: str) -> Counter[str]:
    text = text.translate(_FULLWIDTH)
    text = _MARKER.sub("", _SMILEY.sub(" ", _LIST_ITEM.sub(" ", text)))
    return Counter(c for c in text if c in "()[]{}")


def _quote_problem(text: str, lang: str) -> str | None:
    """An unbalanced pair of typographic quotes in ``text``, or None."""
    pairs = [("«", "»"), ("‹", "›")]
    if text.count("„"):
        # German, Ukrainian, Russian inner quotes: „…“ (or „…” in Polish, Hungarian)
        if text.count("„") != text.count("“") + text.count("”"):
            return "„ “"
    elif text.count("“") != text.count("”"):
        return "“ ”"
    if base(lang) in ("de", "da", "cs", "sk", "hr", "sl") and "»" in text and "«" in text:
        pairs = [("»", "«"), ("›", "‹")]  # »…« in German books, Danish, Czech
    for a, b in pairs:
        if text.count(a) != text.count(b):
            return f"{a} {b}"
    return None


def check_brackets(pair: Pair) -> list[str]:
    """Brackets and parentheses keep their number; typographic quotes are balanced."""

    def one(src: str) -> list[str]:
        a = _bracket_counts(mask(src, pair))
        b = _bracket_counts(mask(pair.target, pair))
        out = []
        for left, right in _BRACKETS:
            # a translator may add a balanced gloss "(fuzzy)"; losing one, or
            # leaving one open, is what a reader trips over
            lost = b[left] < a[left] or b[right] < a[right]
            opened = a[left] == a[right] and b[left] != b[right]
            if lost or opened:
                out.append(
                    _("brackets {pair}: {a} in the source, {b} in the translation").format(
                        pair=left + right, a=a[left] + a[right], b=b[left] + b[right]
                    )
                )
        quotes = _quote_problem(pair.target, pair.lang)
        if quotes and not _quote_problem(src, "en"):
            out.append(_("unbalanced quotes {q} in the translation").format(q=quotes))
        return out

    return _passes(pair, one)


# ----------------------------------------------------------------- URLs, e-mails, paths


def check_urls(pair: Pair) -> list[str]:
    """URLs, e-mail addresses and file paths stay unchanged."""

    def one(src: str) -> list[str]:
        out = []
        masked_src = mask(src, pair, urls=False)
        for label, rx in (
            (_("URL"), _URL_RE),
            (_("e-mail address"), _EMAIL_RE),
            (_("file path"), _PATH_RE),
        ):
            for token in dict.fromkeys(m.group().rstrip(".,;:") for m in rx.finditer(masked_src)):
                if token and token not in pair.target:
                    out.append(_("{what} changed or missing: {t}").format(what=label, t=token))
            masked_src = rx.sub(" ", masked_src)
        return out

    return _passes(pair, one)


# ----------------------------------------------------------------- numbers


_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?(?![\w])")


def ascii_digits(text: str) -> str:
    """Every script's decimal digits as ASCII (``٣`` -> ``3``, ``３`` -> ``3``)."""
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def _numbers(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for m in _NUMBER_RE.finditer(ascii_digits(text)):
        value = re.sub(r"[\u00a0\u202f ]", "", m.group())
        digits = re.sub(r"[.,]", "", value)
        out[digits.lstrip("0") or "0"] += 1
    return out


_NAMED_NUMBER_RE = re.compile(r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z][A-Za-z\d]*\d\b")


def check_numbers(pair: Pair) -> list[str]:
    """Numbers of the source appear in the translation (in any digits, any grouping),
    and names with numbers (``NAT64``, ``IPv6``) as written."""

    def one(src: str) -> list[str]:
        masked = mask(src, pair)
        want = _numbers(masked)
        have = _numbers(mask(pair.target, pair))
        # small numbers are often words: "1 file" (один файл), "4 column" (четырёхстолбцовый)
        missing = [n for n in sorted(set(want) - set(have)) if len(n) > 1]
        missing += [
            name
            for name in dict.fromkeys(_NAMED_NUMBER_RE.findall(masked))
            if name not in pair.target
        ]
        if not missing:
            return []
        return [_("number missing from the translation: {n}").format(n=" ".join(missing))]

    return _passes(pair, one)


# ----------------------------------------------------------------- XML/HTML tags


_ANY_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
# void elements that mean something without attributes (<img>, <link> need them)
_VOID = frozenset({"br", "hr", "wbr"})
_TRANSLATABLE_ATTRS = frozenset({"title", "alt", "placeholder", "aria-label", "label", "summary"})
_ATTR_RE = re.compile(r"([\w:.-]+)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")


def real_tags(text: str) -> list[str]:
    """The XML/HTML tags of ``text``, placeholders such as ``<option>`` left out.

    A tag is real when it is a closing tag, self-closes, carries attributes
    (``name=value``), is ``<br>``, ``<hr>`` or ``<wbr>``, or is an opening tag
    closed in the same text.
    Attribute values a translator may translate (``title``, ``alt``) are
    left out of the tag's identity.

    >>> real_tags("Usage: <b>%s</b> [<option>...] <command>")
    ['<b>', '</b>']
    """
    matches = list(_ANY_TAG.finditer(text))
    closed = {m.group(2).lower() for m in matches if m.group(1)}
    out = []
    for m in matches:
        slash, name, attrs, selfclose = m.groups()
        lname = name.lower()
        # "<dpkg-deb --info pipe>", "<IPv6 address>": words, not attributes
        attributed = "=" in attrs
        real = bool(slash or selfclose or attributed or lname in _VOID or lname in closed)
        if not real:
            continue
        kept = []
        for am in _ATTR_RE.finditer(attrs):
            key = am.group(1).lower()
            kept.append(key if key in _TRANSLATABLE_ATTRS else am.group(0).replace("'", '"'))
        inner = " ".join([name, *kept])
        out.append(f"<{slash}{inner}{'/' if selfclose else ''}>")
    return out


def check_tags(pair: Pair) -> list[str]:
    """The same real XML/HTML tags, as many times (user placeholders like ``<file>`` aside)."""

    def one(src: str) -> list[str]:
        want = Counter(real_tags(src))
        have = Counter(real_tags(pair.target))
        if want == have:
            return []
        parts = []
        missing, extra = sorted((want - have).elements()), sorted((have - want).elements())
        if missing:
            parts.append(_("missing") + " " + " ".join(missing))
        if extra:
            parts.append(_("unexpected") + " " + " ".join(extra))
        return [_("tags differ from the source") + ": " + "; ".join(parts)]

    if pair.syntax == "xliff":
        return []  # inline elements are placeholders there: catalog-placeholder compares them
    return _passes(pair, one)


# ----------------------------------------------------------------- escapes, newlines


def _edge_newlines(text: str) -> tuple[int, int]:
    lead = len(text) - len(text.lstrip("\n"))
    trail = len(text) - len(text.rstrip("\n"))
    return lead, trail


def check_newlines(pair: Pair) -> list[str]:
    """Leading and trailing newlines, tabs and backslashes as in the source."""

    def one(src: str) -> list[str]:
        out = []
        if _edge_newlines(src) != _edge_newlines(pair.target):
            (a1, a2), (b1, b2) = _edge_newlines(src), _edge_newlines(pair.target)
            out.append(
                _("newlines at the start/end: {a} in the source, {b} in the translation").format(
                    a=f"{a1}/{a2}", b=f"{b1}/{b2}"
                )
            )
        for char, name in (("\t", "\\t"), ("\\", "\\\\"), ("\r", "\\r")):
            if src.count(char) != pair.target.count(char):
                out.append(
                    _("{e}: {a} in the source, {b} in the translation").format(
                        e=name, a=src.count(char), b=pair.target.count(char)
                    )
                )
        return out

    return _passes(pair, one)


# ----------------------------------------------------------------- whitespace


def _edges(text: str) -> tuple[str, str]:
    stripped = text.strip(" \t\u00a0")
    lead = text[: len(text) - len(text.lstrip(" \t\u00a0"))]
    trail = text[len(text.rstrip(" \t\u00a0")) :] if stripped else ""
    return lead, trail


def check_whitespace(pair: Pair) -> list[str]:
    """Leading and trailing spaces as in the source (CJK drops the space after 。)."""

    def one(src: str) -> list[str]:
        (a1, a2), (b1, b2) = _edges(src.strip("\n")), _edges(pair.target.strip("\n"))
        out = []
        if a1.replace("\u00a0", " ") != b1.replace("\u00a0", " "):
            out.append(_("leading whitespace differs from the source"))
        if a2.replace("\u00a0", " ") != b2.replace("\u00a0", " "):
            cjk_stop = base(pair.lang) in CJK and pair.target.rstrip()[-1:] in "。！？：、"
            if not (cjk_stop and not b2):
                out.append(_("trailing whitespace differs from the source"))
        return out

    return _passes(pair, one)


# ----------------------------------------------------------------- end punctuation


_CLOSERS = " \t\n\u00a0\"'»«“”„’)]}>›‹」』】）"
# what each final mark of the source may become, by language
_EQUIV: dict[str, tuple[str, ...]] = {
    ".": (".", "。", "．", "।", "۔", "။"),
    "!": ("!", "！", "¡"),
    "?": ("?", "？", "؟", ";", "՞", "¿"),
    ":": (":", "：", "︰"),
    ";": (";", "；", "؛"),
    "…": ("…", "...", "。。。", "……", "⋯"),
    ",": (",", "，", "、", "،"),
}
_MARKS = "".join(sorted({m[0] for v in _EQUIV.values() for m in v} | set(_EQUIV)))
_ABBREV_END = re.compile(r"(?:^|\s|\.)[^\W\d_]{1,4}\.$")


def _final_mark(text: str) -> str:
    """The final punctuation of ``text`` ("" when it ends with no mark), closers
    skipped; a quoted mark (``«;»``) is not the text's."""
    stripped = text.rstrip(_CLOSERS)
    if len(stripped) < len(text) and stripped[-2:-1] in "«\"'“„‹‘`":
        return ""
    text = stripped
    for mark in ("...", "。。。", "……"):
        if text.endswith(mark):
            return "…"
    last = text[-1:]
    return last if last and last in _MARKS else ""


def _same_mark(a: str, b: str, lang: str) -> bool:
    if a == b:
        return True
    if a == "…":
        return b in ("…", ".")
    if b in _EQUIV.get(a, ()):
        return b != ";" or base(lang) == "el"  # the Greek question mark
    # Thai-script languages end sentences with a space
    return a == "." and b == "" and base(lang) in ("th", "lo", "km", "my")


_SUGGESTION = re.compile(
    r"\b(?:perhaps|maybe|try|consider|missing|did you mean)\b[^.!?]*\?\W*$", re.I
)


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _as_word(text: str, pair: Pair) -> str:
    for token in sorted(set(_placeholders(text, pair)), key=len, reverse=True):
        if token:
            text = text.replace(token, "0")
    return _URL_RE.sub("0", text)


def _is_block(text: str) -> bool:
    """A help block or a table: three lines or more, or an indented last line."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 3 or (len(lines) > 1 and lines[-1].startswith("  "))


def check_end_punctuation(pair: Pair) -> list[str]:
    """The final punctuation mark corresponds to the source's, in the target script."""

    lang = base(pair.lang)

    def one(src: str) -> list[str]:
        # a placeholder is a word: "(current status '%s')" ends with no mark
        s = _as_word(src, pair).rstrip()
        t = _as_word(pair.target, pair).rstrip()
        if not s or not t or _is_block(src):
            return []
        a, b = _final_mark(s), _final_mark(t)
        spaced = b and b != "…" and t.rstrip(_CLOSERS)[-2:-1].isspace()
        if spaced and lang != "fr" and not s.rstrip(_CLOSERS)[-2:-1].isspace():
            return [_("a space before the final {b}").format(b=repr(b))]
        before = t.rstrip(_CLOSERS)[:-1].rstrip(_CLOSERS)[-1:]  # 显示". -> 示
        if lang in ("zh", "yue") and b and b in ".!?" and _CJK_CHAR.match(before):
            return [_("a half-width {b} after Chinese text").format(b=repr(b))]
        if _same_mark(a, b, pair.lang):
            return []
        if a == "?" and _SUGGESTION.search(s):
            return []  # "(try dpkg-split?)" may become "(возможно, поможет dpkg-split)"
        if lang == "ja" and b == "" and (a == "." or (a == "?" and t.endswith("か"))):
            return []  # Japanese labels end without 。, questions with か
        short = re.fullmatch(r"[^\W\d_]{1,5}", s.strip()) and re.fullmatch(r"\w+\.", t.strip())
        if a == "" and b == "." and (short or _ABBREV_END.search(t.rstrip(_CLOSERS))):
            return []  # "… и т. д.", "abbr" -> "сокр.": an abbreviation, not a full stop
        if a in (":",) and b == "" and t.rstrip(_CLOSERS) != t:
            return []
        return [
            _("the source ends with {a}, the translation with {b}").format(
                a=repr(a) if a else _("no mark"), b=repr(b) if b else _("no mark")
            )
        ]

    return _passes(pair, one)


# ----------------------------------------------------------------- repeated words


_REPEAT_RE = re.compile(r"(?<![\w-])([^\W\d_]+)(\s+)\1(?![\w-])", re.IGNORECASE)
_REDUPLICATED = frozenset({"so", "very", "bye", "ha", "no", "da", "ну", "так", "да", "нет", "ой"})


def check_repeated_words(pair: Pair) -> list[str]:
    """A word written twice in a row ("the the"), unless the source does it too."""
    out = []
    for m in _REPEAT_RE.finditer(mask(pair.target, pair, blank=" § ")):
        word = m.group(1)
        second = m.group(0)[len(word) + len(m.group(2)) :]
        if word[1:] != second[1:] or word.casefold() in _REDUPLICATED:
            continue  # "OCTETS octets": a metavariable and a word, not a repeat
        if any(
            re.search(rf"\b{re.escape(word)}\s+{re.escape(word)}\b", s, re.I) for s in pair.sources
        ):
            continue
        out.append(_("repeated word: {w}").format(w=f"{word} {word}"))
    return out


# ----------------------------------------------------------------- accelerators


_ACCEL_FLAGS = {
    "accelerator-underscore": "_",
    "accelerator-ampersand": "&",
    "accelerator-tilde": "~",
}


def _accelerators(text: str, marker: str, *, inside: bool = False, names: str = "") -> list[str]:
    """The letters ``marker`` marks in ``text``. In a source the marker must start
    a word (``snake_case`` is a name); in a translation it may sit inside one
    (``О_тменить``), except in a name the source writes too."""
    if marker == "&":
        text = re.sub(r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);|&&", " ", text)
    esc = re.escape(marker)
    if inside:
        kept = [w for w in text.split() if marker in w and w.strip(".,:;!?()") in names]
        for w in kept:
            text = text.replace(w, " ")
        return re.findall(rf"(?<!{esc}){esc}([^\W_])", text)
    # the marker right before a letter, not inside a word (snake_case) nor doubled
    return re.findall(rf"(?<![\w{esc}]){esc}([^\W_])", text)


def accelerator_of(
    flags: tuple[str, ...] | list[str], syntax: str | None, sources: tuple[str, ...]
) -> str:
    """The accelerator marker of an entry: from its flags, else from its format."""
    for flag in flags:
        if flag in _ACCEL_FLAGS:
            return _ACCEL_FLAGS[flag]
        if flag.startswith("accelerator:"):
            return flag.split(":", 1)[1].strip()[:1]
    if syntax in ("android", "json", "yaml", "apple", "xliff"):
        return ""
    # gettext catalogs: GTK/GNOME write "_File", Qt/KDE and Windows "&File"
    for marker in ("_", "&"):
        if any(len(_accelerators(s, marker)) == 1 for s in sources):
            return marker
    return ""


def check_accelerators(pair: Pair) -> list[str]:
    """One keyboard accelerator (``_File``, ``&Open``) in the source, one in the translation."""
    marker = pair.accelerator
    if not marker:
        return []

    def one(src: str) -> list[str]:
        want = _accelerators(mask(src, pair), marker)
        if len(want) != 1:
            return []
        if any(name in pair.target for name in re.findall(rf"{re.escape(marker)}\w+", src)):
            return []  # "_private", "&nbsp": a name the translation keeps, not an accelerator
        have = _accelerators(mask(pair.target, pair), marker, inside=True, names=src)
        if len(have) == 1:
            return []
        return [
            _("the source has the accelerator {a}, the translation {n}").format(
                a=marker + want[0], n=len(have)
            )
        ]

    return _passes(pair, one)


# ----------------------------------------------------------------- length


def max_length_of(flags: tuple[str, ...] | list[str]) -> int | None:
    """The ``max-length:N`` flag (Weblate's), or None."""
    for flag in flags:
        m = re.fullmatch(r"max-length:\s*(\d+)", flag)
        if m:
            return int(m.group(1))
    return None


def check_length(pair: Pair) -> list[str]:
    """A translation over its ``max-length`` flag, or far longer or shorter than the source."""
    if pair.max_length is not None:
        if len(pair.target) > pair.max_length:
            return [
                _("{n} characters, the maximum is {max}").format(
                    n=len(pair.target), max=pair.max_length
                )
            ]
        return []

    def one(src: str) -> list[str]:
        a, b = len(src.strip()), len(pair.target.strip())
        dense = base(pair.lang) in CJK
        longest, shortest = (2.0, 8.0) if dense else (3.0, 3.5)
        if a >= 10 and b > longest * a + 20:
            return [_("the translation is {r:.1f} times as long as the source").format(r=b / a)]
        if a >= 30 and b * shortest < a:
            return [_("the translation is {r:.1f} times as short as the source").format(r=a / b)]
        return []

    return _passes(pair, one)


# ----------------------------------------------------------------- ICU MessageFormat


def icu_error(text: str) -> str | None:
    """Why ``text`` is not a valid ICU MessageFormat pattern (None when it is).

    Apostrophes quote (``'{'``), braces must balance, and every
    ``plural``/``select``/``selectordinal`` argument needs an ``other`` branch.

    >>> icu_error("{n, plural, one {# file} other {# files}}") is None
    True
    >>> icu_error("{n, plural, one {# file}}")
    "the argument 'n' has no 'other' branch"
    """
    depth = 0
    i, n = 0, len(text)
    stack: list[int] = []
    while i < n:
        c = text[i]
        if c == "'" and i + 1 < n and (text[i + 1] in "{}#|" or text[i + 1] == "'"):
            if text[i + 1] == "'":
                i += 2
                continue
            close = text.find("'", i + 1)
            i = n if close < 0 else close + 1
            continue
        if c == "{":
            depth += 1
            stack.append(i)
        elif c == "}":
            depth -= 1
            if depth < 0:
                return _("a '}' closes nothing")
            start = stack.pop()
            problem = _icu_argument(text, start, i)
            if problem:
                return problem
        i += 1
    if depth:
        return _("{n} unclosed '{{'").format(n=depth)
    return None


_ICU_HEAD = re.compile(r"\{\s*([\w.]+)\s*,\s*(plural|selectordinal|select)\s*,")


def _icu_argument(text: str, start: int, end: int) -> str | None:
    m = _ICU_HEAD.match(text, start)
    if not m or m.end() > end:
        return None
    body = text[m.end() : end]
    # top-level branch keys of the body
    keys = []
    depth = 0
    word = ""
    for c in body:
        if c == "{":
            if depth == 0 and word.strip():
                keys.append(word.strip().split()[-1])
            depth += 1
            word = ""
        elif c == "}":
            depth -= 1
            word = ""
        elif depth == 0:
            word += c
    if "other" not in keys:
        return _("the argument {a!r} has no 'other' branch").format(a=m.group(1))
    return None


def check_icu(pair: Pair) -> list[str]:
    """A translation of an ICU MessageFormat message (a JSON catalog's, or any
    with plural/select) must parse as one."""
    from toolkit.catalogs import syntax

    icu = any(syntax.is_icu(s) or (pair.syntax == "json" and "{" in s) for s in pair.sources)
    if not icu or icu_error(pair.source):
        return []
    problem = icu_error(pair.target)
    return [_("invalid ICU MessageFormat: {p}").format(p=problem)] if problem else []


# ----------------------------------------------------------------- fuzzy placeholders


def check_fuzzy_placeholders(pair: Pair) -> list[str]:
    """A fuzzy translation whose printf or brace placeholders differ from the source's."""
    if not pair.fuzzy or not pair.target:
        return []
    flags = [f for f in pair.flags if f != "fuzzy"]

    def one(src: str) -> list[str]:
        missing, extra = placeholders.mismatch(src, pair.target, flags, markup=False)
        if not missing and not extra:
            return []
        parts = []
        if missing:
            parts.append(_("missing") + " " + " ".join(missing))
        if extra:
            parts.append(_("unexpected") + " " + " ".join(extra))
        return [_("fuzzy entry: placeholders differ from the source") + ": " + "; ".join(parts)]

    return _passes(pair, one)


# ----------------------------------------------------------------- unchanged


_UNITS_TEXT = """
b kb mb gb tb pb kib mib gib tib bit bits bps kbps mbps gbps hz khz mhz ghz
ms s min h px pt em rem dpi ppi fps mm cm m km kg g mg ml l v w kw mah db
rgb rgba hsl cmyk ok id url uri api cpu gpu ram rom usb iso utc gmt am pm
stdin stdout stderr fd pid uid gid tty copyright c
"""
_UNIT_WORDS = frozenset(_UNITS_TEXT.split())
_LATIN_TEXT = """
af ca cs cy da de en eo es et eu fi fr ga gl hr hu id is it lt lv ms mt nb nl nn no
pl pt ro sk sl sq sv sw tr vi
"""
_LATIN_SCRIPT = frozenset(_LATIN_TEXT.split())
_COPYRIGHT_RE = re.compile(r"\s*(?:copyright\b|©|\(c\)\s*\d)", re.IGNORECASE)
_CODE_RE = re.compile(
    r"^[\W\d_]*(?:[A-Z0-9][A-Z0-9._+-]*|\w*\d\w*|\.[\w]+|[\w.-]+\.\w{1,4})[\W\d_]*$"
)
_CAMEL_RE = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z0-9]+)+$|^[a-z]+[A-Z]\w*$")


def needs_no_translation(text: str, keep: tuple[str, ...] = (), lang: str = "") -> bool:
    """Texts a translation may copy: units (``MB/s``), codes (``UTF-8``,
    ``.tar.gz``), brand names in CamelCase (``LibreOffice``), do-not-translate
    terms, and texts with no letters once they are removed.

    >>> needs_no_translation("%d MB/s"), needs_no_translation("GitHub")
    (True, True)
    >>> needs_no_translation("Open file")
    False
    """
    if _COPYRIGHT_RE.match(text):
        return True  # a copyright line: names and years
    rest = text
    for term in sorted(keep, key=len, reverse=True):
        if term and term in rest:
            rest = rest.replace(term, " ")
    rest = re.sub(r"%[-+ #0-9.$]*[A-Za-z]|\{[^{}]*\}|<[^<>]*>|&\w+;", " ", rest)
    rest = _URL_RE.sub(" ", _EMAIL_RE.sub(" ", rest))
    words = re.findall(r"[^\s/,:;()\[\]=|]+", rest)
    lettered = [w for w in words if re.search(r"[^\W\d_]", w)]
    if len(lettered) == 1 and lang and base(lang) in _LATIN_SCRIPT and lettered[0].isascii():
        return True  # Modem, Scanner, Route, Port: one word shared by Latin-script languages
    for word in words:
        core = word.strip(".!?…'\"«»“”")
        if not re.search(r"[^\W\d_]", core):
            continue
        if core.casefold() in _UNIT_WORDS or _CODE_RE.match(core) or _CAMEL_RE.match(core):
            continue
        return False
    return True
