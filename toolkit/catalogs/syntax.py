"""Placeholders and message syntax of each catalog format.

A *syntax* names the placeholder kinds of a format: ``xliff`` (inline
elements ``<x/> <g> <ph> <pc> <bpt> <ept> <it> <sc/> <ec/> <mrk>`` and
entities, opaque), ``json`` (i18next ``{{x}}`` and ``$t(key)``, ICU
MessageFormat ``{x}``/``{n, plural, ...}``/``select``, Chrome ``$NAME$``),
``properties`` (Java MessageFormat ``{0}``, ``{0,number}``, printf),
``android`` (printf ``%1$s``, ``<xliff:g>`` elements whole, markup),
``apple`` (printf with ``%@``) and ``yaml`` (Rails ``%{x}`` and ``%<x>s``,
Symfony ``%name%``, strftime ``%d``, ``{{ x }}``).

:func:`find` lists the placeholders of a text; :func:`pieces` cuts a text at
its *structure* (ICU plural/select syntax) so that only the words between
go to the engine, each with its placeholders masked as ``⟦N⟧``.

>>> find("{count, plural, one {# file} other {# files in {dir}}}", "json")
['{count, plural, one {', '#', '} other {', '#', '{dir}', '}}']
>>> find("Hello, {{name}}! $t(common.ok)", "json")
['{{name}}', '$t(common.ok)']
>>> find("Saved %1$s <xliff:g id='n'>%2$d</xliff:g> files", "android")
['%1$s', "<xliff:g id='n'>%2$d</xliff:g>"]
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.catalogs import plurals
from toolkit.po import placeholders

_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);"
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*/?>"
_XLIFF_WHOLE = r"<(ph|bpt|ept|it|xliff:g)\b[^>]*>.*?</\1\s*>"
_XLIFF = rf"{_XLIFF_WHOLE}|<(?:x|bx|ex|sc|ec|ph|cp)\b[^>]*/>|</?(?:g|pc|mrk|sub)\b[^>]*>|{_ENTITY}"

# ICU MessageFormat: the structure of plural/select arguments, then simple arguments
_SEL = r"(?:plural|selectordinal|select)"
ICU_OPEN = rf"\{{\s*[\w.]+\s*,\s*{_SEL}\s*,\s*(?:offset:\s*\d+\s*)?(?:=\d+|[\w-]+)\s*\{{"
ICU_NEXT = r"\}\s*(?:=\d+|[\w-]+)\s*\{"
ICU_CLOSE = r"\}\s*\}|\}"
ICU_ARG = r"\{\s*[\w.]+\s*(?:,\s*(?:number|date|time|spellout|ordinal|duration)[^{}]*)?\}"
_I18NEXT = r"\{\{[^{}]*\}\}|\$t\([^()]*\)|</?\d+>"
_CHROME = r"\$[A-Za-z_][A-Za-z0-9_]*\$"

_PATTERNS: dict[str, str] = {
    "xliff": _XLIFF,
    "json": f"{_I18NEXT}|{ICU_OPEN}|{ICU_NEXT}|{ICU_ARG}|{_CHROME}|{_ENTITY}|{_TAG}",
    "properties": rf"\{{\d+(?:\s*,[^{{}}]*)?\}}|{placeholders.PRINTF_GUESS}",
    "android": (
        rf"<xliff:g\b[^>]*>.*?</xliff:g\s*>|{placeholders.PRINTF}|{_TAG}|{_ENTITY}"
        r"|@(?:string|android:string)/\w+"
    ),
    "apple": (
        # no space flag: "100% and" is not a conversion
        r"%%|%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|q|z|t|j)?[@dDiuUxXoOfeEgGcCsSpaA]"
        rf"|{_TAG}|{_ENTITY}"
    ),
    "yaml": (
        r"%\{[^{}\s]+\}|%<\w+>[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]|%[A-Za-z_]\w+%"
        r"|%[-_0^#]?[A-Za-z]"
        r"|\{\{\s*[\w.]+\s*\}\}"
    ),
}
_COMPILED = {k: re.compile(v, re.DOTALL) for k, v in _PATTERNS.items()}
_STRUCTURE_RE = re.compile(rf"{ICU_OPEN}|{ICU_NEXT}")
_PLURAL_OPEN_RE = re.compile(
    r"\{\s*([\w.]+)\s*,\s*(plural|selectordinal)\s*,\s*(?:offset:\s*\d+\s*)?"
)
_BRANCH_RE = re.compile(r"\s*(=\d+|[\w-]+)\s*\{")


def is_icu(text: str) -> bool:
    return bool(_STRUCTURE_RE.search(text))


def _icu_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of an ICU message's structure: argument openings,
    branch changes, closings and ``#`` inside plural branches."""
    out: list[tuple[int, int, str]] = []
    depth: list[str] = []  # "plural" / "select" / "arg" per open brace
    pat = re.compile(rf"{ICU_OPEN}|{ICU_NEXT}|{ICU_ARG}|\{{\{{[^{{}}]*\}}\}}|\}}|#|'[{{}}#][^']*'")
    for m in pat.finditer(text):
        tok = m.group(0)
        if tok.startswith("'"):
            continue  # quoted literal
        if tok.startswith("{{"):
            continue
        if re.fullmatch(ICU_OPEN, tok):
            kind = "plural" if re.search(r"plural|selectordinal", tok) else "select"
            depth += [kind, kind]  # the argument's brace and its first branch's
        elif re.fullmatch(ICU_NEXT, tok):
            if not depth:
                continue
        elif tok == "}":
            if not depth:
                continue
            depth.pop()
        elif tok == "#":
            if not depth or depth[-1] != "plural":
                continue
        else:
            pass  # a simple argument
        out.append((m.start(), m.end(), tok))
    return out


def find(text: str, syntax: str) -> list[str]:
    """The placeholders of ``text`` in order (ICU structure included)."""
    if syntax == "json" and is_icu(text):
        return _merge_icu(text)
    return [m.group(0) for m in _COMPILED[syntax].finditer(text)]


def _merge_icu(text: str) -> list[str]:
    spans = _icu_tokens(text)
    # a branch's closing brace followed by the argument's closing brace reads "}}"
    merged: list[tuple[int, int, str]] = []
    for s, e, t in spans:
        if merged and t == "}" and merged[-1][2] == "}" and text[merged[-1][1] : s].strip() == "":
            ps, _pe, _pt = merged[-1]
            merged[-1] = (ps, e, text[ps:e])
        else:
            merged.append((s, e, t))
    taken = [(s, e) for s, e, _t in merged]
    others = [
        (m.start(), m.end(), m.group(0))
        for m in re.finditer(f"{_I18NEXT}|{_CHROME}|{_ENTITY}|{_TAG}", text)
        if not any(s <= m.start() < e for s, e in taken)
    ]
    return [t for _s, _e, t in sorted(merged + others)]


_XLIFF_G_TAG_RE = re.compile(r"</?xliff:g\b[^>]*>")


def multiset(text: str, syntax: str) -> Counter[str]:
    """The placeholders to compare. Android's ``<xliff:g>`` wrappers are
    dropped first (translators may omit them): what they hold is compared."""
    if syntax == "android":
        text = _XLIFF_G_TAG_RE.sub("", text)
    return Counter(_normalize(t, syntax) for t in find(text, syntax))


def _normalize(token: str, syntax: str) -> str:
    if syntax in ("android", "properties"):
        return placeholders.normalize(token)
    if syntax == "yaml" and re.fullmatch(r"%[-_0^#][A-Za-z]", token):
        return "%" + token[-1]  # strftime: %-d is %d without padding
    return re.sub(r"\s+", " ", token)


def mismatch(source: str, target: str, syntax: str) -> tuple[list[str], list[str]]:
    a = multiset(source, syntax)
    b = multiset(target, syntax)
    return sorted((a - b).elements()), sorted((b - a).elements())


def mask(text: str, syntax: str) -> tuple[str, list[str]]:
    """Every placeholder replaced by ``⟦N⟧``; the tokens in order."""
    tokens: list[str] = []
    if syntax == "json" and is_icu(text):
        out: list[str] = []
        pos = 0
        for tok in _merge_icu(text):
            i = text.index(tok, pos)
            out.append(text[pos:i] + f"⟦{len(tokens)}⟧")
            tokens.append(tok)
            pos = i + len(tok)
        out.append(text[pos:])
        return "".join(out), tokens

    def repl(m: re.Match[str]) -> str:
        tokens.append(m.group(0))
        return f"⟦{len(tokens) - 1}⟧"

    return _COMPILED[syntax].sub(repl, text), tokens


def pieces(text: str, syntax: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is_structure, piece): ICU plural/select syntax is
    structure, kept as is; the rest is words for the engine."""
    if syntax != "json" or not is_icu(text):
        return [(False, text)]
    out: list[tuple[bool, str]] = []
    pos = 0
    for s, e, tok in _icu_tokens(text):
        if tok == "#" or re.fullmatch(ICU_ARG, tok):
            continue
        if s > pos:
            out.append((False, text[pos:s]))
        out.append((True, tok))
        pos = e
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def icu_plurals(text: str) -> list[tuple[str, list[str], int, int]]:
    """For each ICU plural argument: (variable, its branch selectors, start,
    end of the argument's text)."""
    out: list[tuple[str, list[str], int, int]] = []
    for m in _PLURAL_OPEN_RE.finditer(text):
        pos = m.end()
        branches: list[str] = []
        while True:
            b = _BRANCH_RE.match(text, pos)
            if not b:
                break
            branches.append(b.group(1))
            end = _matching(text, b.end() - 1)
            if end < 0:
                return out
            pos = end + 1
        close = text.find("}", pos)
        out.append((m.group(1), branches, m.start(), close + 1 if close >= 0 else len(text)))
    return out


def _matching(text: str, open_at: int) -> int:
    depth = 0
    i = open_at
    while i < len(text):
        c = text[i]
        if c == "'" and i + 1 < len(text) and text[i + 1] in "{}#":
            j = text.find("'", i + 1)
            i = j if j > 0 else i
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def expand_icu_plurals(text: str, lang: str | None) -> str:
    """``text`` with each ICU plural argument given the categories ``lang``
    needs and lacks, each a copy of the ``other`` branch."""
    need = plurals.categories(lang)
    for var, branches, start, _end in reversed(icu_plurals(text)):
        missing = [c for c in need if c not in branches]
        if not missing or "other" not in branches:
            continue
        # find the "other" branch text
        m = _PLURAL_OPEN_RE.match(text, start)
        assert m is not None
        pos = m.end()
        other = None
        insert_at = None
        while True:
            b = _BRANCH_RE.match(text, pos)
            if not b:
                break
            end = _matching(text, b.end() - 1)
            if b.group(1) == "other":
                other = text[b.end() - 1 : end + 1]
                insert_at = b.start()
            pos = end + 1
        if other is None or insert_at is None:
            continue
        add = "".join(f" {c} {other}" for c in missing)
        text = text[:insert_at] + add + text[insert_at:]
        del var
    return text
