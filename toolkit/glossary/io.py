"""Reading and writing glossaries: the native TSV store and exchange formats.

Native TSV (the files in ``glossaries/``): a header row naming the columns,
then one row per concept. Columns: one per language code (``en``, ``ru``...),
``abbr:<lang>``, ``dnt``, ``case``, ``domain``, ``context``, ``note``
(``context`` = ``required``, or the languages it concerns such as ``en``: the
entry's abbreviations in those languages count only beside its full name, see
:mod:`toolkit.glossary.match`). Alternative spellings
share a cell, separated by `` | `` (the first is preferred). Lines starting
with ``#`` before the header are comments and are kept.

Exchange formats:

* ``tsv`` / ``csv``: two columns, source and target, no header (DeepL, Google).
  A TSV or CSV whose first row names language codes is read as a multilingual
  table instead (native TSV, or Amazon Translate's CSV).
* ``amazon-csv``: Amazon Translate custom terminology, a header row of language
  codes then one row per term.
* ``tbx``: TBX-Basic (TBX 2008 ``martif``; TBX v3 ``conceptEntry`` is read too),
  parsed with defusedxml so entity expansion and external references are refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError, UsageError
from toolkit.files import xml_errors
from toolkit.glossary.model import VARIANT_SEP, Entry, Glossary, split_variants
from toolkit.i18n import _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

FORMATS = ("tsv", "csv", "amazon-csv", "tbx")
META_COLUMNS = ("dnt", "case", "domain", "context", "note")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_TRUE = {"1", "yes", "true", "y", "x", "dnt"}


def is_lang_code(value: str) -> bool:
    value = value.strip()
    return value not in META_COLUMNS and bool(_LANG_RE.match(value))


def _is_header(cells: Sequence[str]) -> bool:
    cells = [c.strip() for c in cells if c.strip()]
    return bool(cells) and all(
        is_lang_code(c) or c in META_COLUMNS or c.startswith("abbr:") or c == "description"
        for c in cells
    )


# ----------------------------------------------------------------------------- native TSV


def parse_tsv(text: str, *, name: str = "", path: str | None = None) -> Glossary:
    """Parse a native glossary TSV. Raises :class:`InputError` with the line on bad rows."""
    lines = text.splitlines()
    header: list[str] | None = None
    entries: list[Entry] = []
    for number, line in enumerate(lines, start=1):
        if header is None:
            if not line.strip() or line.startswith("#"):
                continue
            header = [c.strip() for c in line.split("\t")]
            if not _is_header(header):
                raise InputError(
                    _("the first row must name the columns (en, ru, abbr:en, dnt, note...)"),
                    path=path,
                    line=number,
                )
            if len(set(header)) != len(header):
                raise InputError(_("a column is named twice"), path=path, line=number)
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise InputError(
                _("row has {n} cells but the header names {m} columns").format(
                    n=len(cells), m=len(header)
                ),
                path=path,
                line=number,
            )
        cells += [""] * (len(header) - len(cells))
        entries.append(_row_to_entry(header, cells, name, number, path))
    if header is None:
        return Glossary(entries=[], languages=[], name=name)
    languages = [c for c in header if is_lang_code(c)]
    return Glossary(entries=entries, languages=languages, name=name)


def _row_to_entry(
    header: Sequence[str], cells: Sequence[str], name: str, number: int, path: str | None
) -> Entry:
    terms: dict[str, tuple[str, ...]] = {}
    abbrs: dict[str, tuple[str, ...]] = {}
    dnt = False
    case = domain = note = context = ""
    for column, raw in zip(header, cells, strict=False):
        # Keep the raw cell for terms: `check` reports stray whitespace, so the
        # parser only strips around the variant separator.
        if column.startswith("abbr:"):
            abbrs[column[5:]] = split_variants(raw)
        elif column == "dnt":
            dnt = raw.strip().lower() in _TRUE
        elif column == "case":
            case = raw.strip().lower()
            if case not in ("", "sensitive", "insensitive"):
                raise InputError(
                    _("case must be 'sensitive', 'insensitive' or empty, not {v!r}").format(v=raw),
                    path=path,
                    line=number,
                )
        elif column == "domain":
            domain = raw.strip()
        elif column == "context":
            context = raw.strip()
            codes = [c.strip() for c in context.split(",")]
            if context and context != "required" and not all(is_lang_code(c) for c in codes):
                raise InputError(
                    _(
                        "context must be 'required', language codes (en, de) or empty, not {v!r}"
                    ).format(v=raw),
                    path=path,
                    line=number,
                )
            context = ",".join(codes) if context != "required" else context
        elif column == "note" or column == "description":
            note = raw.strip()
        else:
            terms[column] = split_variants(raw)
    return Entry.make(
        terms,
        abbrs,
        dnt=dnt,
        case=case,
        domain=domain,
        note=note,
        context=context,
        source=name,
        row=number,
    )


def _check_cell(value: str) -> str:
    if "\t" in value or "\n" in value or "\r" in value:
        raise InputError(_("a term cannot contain a tab or a line break: {v!r}").format(v=value))
    return value


def dump_tsv(glossary: Glossary, *, comments: Sequence[str] = ()) -> str:
    """Render a glossary as native TSV: stable columns, stable row order, no trailing spaces."""
    langs = list(glossary.languages)
    abbr_langs = [lang for lang in langs if any(e.abbr_variants(lang) for e in glossary.entries)]
    extra_abbr = sorted(
        {lang for e in glossary.entries for lang, _v in e.abbrs} - set(abbr_langs) - set(langs)
    )
    abbr_langs += extra_abbr
    metas = [
        ("dnt", any(e.dnt for e in glossary.entries)),
        ("case", any(e.case for e in glossary.entries)),
        ("domain", any(e.domain for e in glossary.entries)),
        ("context", any(e.context for e in glossary.entries)),
        ("note", any(e.note for e in glossary.entries)),
    ]
    header = langs + [f"abbr:{lang}" for lang in abbr_langs] + [m for m, used in metas if used]
    out = [c.rstrip() for c in comments]
    out.append("\t".join(header))
    for entry in glossary.sorted_entries():
        row: list[str] = []
        for lang in langs:
            row.append(VARIANT_SEP.join(_check_cell(v) for v in entry.variants(lang)))
        for lang in abbr_langs:
            row.append(VARIANT_SEP.join(_check_cell(v) for v in entry.abbr_variants(lang)))
        for meta, used in metas:
            if not used:
                continue
            if meta == "dnt":
                row.append("1" if entry.dnt else "")
            else:
                row.append(_check_cell(str(getattr(entry, meta))))
        out.append("\t".join(row).rstrip())
    return "\n".join(out) + "\n"


def leading_comments(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(line)
        elif line.strip():
            break
    return out


# ----------------------------------------------------------------------------- two-column / Amazon


# Cells a spreadsheet would run as a formula (OWASP, "CSV Injection"): CSV export
# prefixes them with a single quote, CSV import takes it off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """``=SUM(A1)`` -> ``'=SUM(A1)``: shown as text, never run, by a spreadsheet."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _read_rows(text: str, delimiter: str, path: str | None) -> list[list[str]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        if delimiter == "\t":
            rows = [line.split("\t") for line in text.splitlines()]
        else:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InputError(_("malformed CSV: {e}").format(e=exc), path=path) from None
    if delimiter != "\t":
        rows = [[_unneutralise(c) for c in r] for r in rows]
    return [r for r in rows if any(c.strip() for c in r)]


def parse_table(
    text: str,
    *,
    delimiter: str,
    source: str | None,
    target: str | None,
    name: str = "",
    path: str | None = None,
) -> Glossary:
    """Two-column source/target rows, or a table whose header names language codes."""
    rows = _read_rows(text, delimiter, path)
    if not rows:
        return Glossary(name=name)
    if _is_header(rows[0]):
        if delimiter == "\t":
            return parse_tsv(text, name=name, path=path)
        return _parse_multilingual(rows, name=name, path=path)
    if not source or not target:
        raise UsageError(
            _("a two-column file has no header: say its languages with --from and --to")
        )
    by_target: dict[str, list[str]] = {}
    order: list[str] = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise InputError(
                _("expected 2 columns (source, target), found {n}").format(n=len(row)),
                path=path,
                line=number,
            )
        src, tgt = row[0].strip(), row[1].strip()
        if not src or not tgt:
            raise InputError(_("empty source or target term"), path=path, line=number)
        _no_separator(src, path, number)
        _no_separator(tgt, path, number)
        if tgt not in by_target:
            by_target[tgt] = []
            order.append(tgt)
        if src not in by_target[tgt]:
            by_target[tgt].append(src)
    entries = [Entry.make({source: by_target[t], target: [t]}, source=name) for t in order]
    return Glossary(entries=entries, languages=[source, target], name=name)


def _parse_multilingual(rows: list[list[str]], *, name: str, path: str | None) -> Glossary:
    header = [c.strip() for c in rows[0]]
    if len(set(header)) != len(header):
        twice = next(c for c in header if header.count(c) > 1)
        raise InputError(_("a column is named twice: {c!r}").format(c=twice), path=path, line=1)
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > len(header):
            raise InputError(
                _("row has {n} cells but the header names {m} columns").format(
                    n=len(row), m=len(header)
                ),
                path=path,
                line=number,
            )
        row = row + [""] * (len(header) - len(row))
        entries.append(_row_to_entry(header, row, name, number, path))
    return Glossary(entries=entries, languages=[c for c in header if is_lang_code(c)], name=name)


def _pair(glossary: Glossary, source: str | None, target: str | None) -> tuple[str, str]:
    langs = glossary.languages
    source = source or (langs[0] if langs else None)
    target = target or next((lang for lang in langs if lang != source), None)
    if not source or not target:
        raise UsageError(_("say the languages to export with --from and --to"))
    return source, target


def dump_table(
    glossary: Glossary, *, delimiter: str, source: str | None, target: str | None
) -> str:
    """Two columns, no header: every source spelling (and abbreviation) -> preferred target."""
    source, target = _pair(glossary, source, target)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    seen: set[str] = set()
    for entry in glossary.sorted_entries():
        tgt = entry.term(target)
        if entry.dnt and not tgt:
            tgt = entry.term(source)
        if not tgt:
            continue
        pairs = [(v, tgt) for v in entry.variants(source)]
        tgt_abbr = entry.abbr(target) or tgt
        pairs += [(a, tgt_abbr) for a in entry.abbr_variants(source)]
        for src, dst in pairs:
            if src in seen:
                continue
            seen.add(src)
            if delimiter == "\t":
                buf.write(f"{_check_cell(src)}\t{_check_cell(dst)}\n")
            else:
                writer.writerow([neutralise(src), neutralise(dst)])
    return buf.getvalue()


def dump_amazon_csv(glossary: Glossary) -> str:
    """Amazon Translate CSV: header of language codes, one row per term.

    Preferred terms come in one row per entry; abbreviations get a row of their
    own (Amazon has no abbreviation field)."""
    langs = list(glossary.languages)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(langs)
    for entry in glossary.sorted_entries():
        if any(entry.variants(lang) for lang in langs):
            writer.writerow([neutralise((entry.variants(lang) or ("",))[0]) for lang in langs])
        if entry.abbrs:
            writer.writerow([neutralise(entry.abbr(lang) or "") for lang in langs])
    return buf.getvalue()


# ----------------------------------------------------------------------------- TBX


def _local(tag: object) -> str:
    tag = str(tag)
    return tag.rsplit("}", 1)[-1]


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_tbx(data: bytes, *, name: str = "", path: str | None = None) -> Glossary:
    """Read TBX-Basic safely: DTD entities and external references are refused."""
    from xml.etree.ElementTree import TreeBuilder

    import defusedxml
    from defusedxml import ElementTree as SafeET

    class Parser(SafeET.DefusedXMLParser):
        """A DOCTYPE is allowed only without an external identifier."""

        def defused_start_doctype_decl(
            self, name: str, sysid: str | None, pubid: str | None, internal: bool
        ) -> None:
            if sysid or pubid:
                raise defusedxml.ExternalReferenceForbidden(name, None, sysid, pubid)

    external = _(
        "TBX refers to an external resource (a DOCTYPE with SYSTEM or PUBLIC); "
        "refused: remove the DOCTYPE line"
    )
    with xml_errors("TBX", path, external):
        parser = Parser(
            target=TreeBuilder(),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        parser.feed(data)
        root = parser.close()
    if _local(root.tag) not in ("martif", "tbx"):
        raise InputError(
            _("not a TBX file (root element is <{t}>)").format(t=_local(root.tag)), path=path
        )
    entries: list[Entry] = []
    languages: list[str] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        terms: dict[str, list[str]] = {}
        abbrs: dict[str, list[str]] = {}
        meta = {"dnt": False, "case": "", "domain": "", "note": "", "context": ""}
        for child in concept:
            kind = _local(child.tag)
            if kind in ("langSet", "langSec"):
                lang = _tbx_lang(child.get(_XML_LANG) or child.get("lang") or "", path)
                if lang not in languages:
                    languages.append(lang)
                for holder in child:
                    if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                        continue
                    term = ""
                    is_abbr = False
                    for node in holder.iter():
                        t = _local(node.tag)
                        if t == "term":
                            term = "".join(node.itertext()).strip()
                        elif t == "termNote" and node.get("type") == "termType":
                            value = (node.text or "").strip()
                            is_abbr = value in (
                                "abbreviation",
                                "acronym",
                                "shortForm",
                                "initialism",
                            )
                    if term:
                        _no_separator(term, path)
                        (abbrs if is_abbr else terms).setdefault(lang, []).append(term)
            else:
                _read_meta(child, meta)
        if terms or abbrs:
            entries.append(
                Entry.make(
                    terms,
                    abbrs,
                    dnt=bool(meta["dnt"]),
                    case=str(meta["case"]),
                    domain=str(meta["domain"]),
                    note=str(meta["note"]),
                    context=str(meta["context"]),
                    source=name,
                )
            )
    return Glossary(entries=entries, languages=languages, name=name)


def _tbx_lang(value: str, path: str | None) -> str:
    """A langSet's xml:lang as a glossary column: a language code, nothing else
    (not ``abbr:en``, ``dnt``, ``note``, a tab or garbage, which would make a
    glossary every later command refuses)."""
    if not value:
        raise InputError(_("a langSet has no xml:lang"), path=path)
    for candidate in (value, value.lower()):
        if is_lang_code(candidate) and candidate == candidate.strip():
            return candidate
    raise InputError(
        _("xml:lang {v!r} is not a language code (such as en, ru, pt-BR)").format(v=value),
        path=path,
    )


def _no_separator(term: str, path: str | None, line: int | None = None) -> str:
    """A term from an exchange file: ``|`` separates spelling variants in the
    native glossary, so a term cannot contain it (it would come back as two)."""
    if VARIANT_SEP.strip() in term:
        raise InputError(
            _("a term cannot contain '|' (it separates spelling variants): {t!r}").format(t=term),
            path=path,
            line=line,
        )
    return term


def _read_meta(node: Element, meta: dict[str, object]) -> None:
    for item in node.iter():
        t = _local(item.tag)
        kind = item.get("type", "")
        text = "".join(item.itertext()).strip()
        if t == "descrip" and kind == "subjectField":
            meta["domain"] = text
        elif t == "note":
            meta["note"] = text
        elif kind == "x-tolmach-dnt":
            meta["dnt"] = text.lower() in _TRUE
        elif kind == "x-tolmach-case":
            meta["case"] = text
        elif kind == "x-tolmach-context":
            meta["context"] = text


def dump_tbx(glossary: Glossary) -> str:
    """TBX-Basic (TBX 2008 ``martif``), one ``termEntry`` per concept."""
    from xml.sax.saxutils import escape, quoteattr

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<martif type="TBX-Basic" xml:lang="en">',
        "  <martifHeader><fileDesc><sourceDesc><p>tolmach glossary"
        f" {escape(glossary.name)}</p></sourceDesc></fileDesc></martifHeader>",
        "  <text>",
        "    <body>",
    ]
    for number, entry in enumerate(glossary.sorted_entries(), start=1):
        out.append(f'      <termEntry id="c{number}">')
        if entry.domain:
            out.append(f'        <descrip type="subjectField">{escape(entry.domain)}</descrip>')
        if entry.note:
            out.append(f"        <note>{escape(entry.note)}</note>")
        if entry.dnt:
            out.append('        <admin type="x-tolmach-dnt">yes</admin>')
        if entry.case:
            out.append(f'        <admin type="x-tolmach-case">{escape(entry.case)}</admin>')
        if entry.context:
            out.append(f'        <admin type="x-tolmach-context">{escape(entry.context)}</admin>')
        for lang in entry.languages:
            out.append(f"        <langSet xml:lang={quoteattr(lang)}>")
            for term in entry.variants(lang):
                out.append(f"          <tig><term>{escape(term)}</term>")
                out.append('            <termNote type="termType">fullForm</termNote></tig>')
            for term in entry.abbr_variants(lang):
                out.append(f"          <tig><term>{escape(term)}</term>")
                out.append('            <termNote type="termType">abbreviation</termNote></tig>')
            out.append("        </langSet>")
        out.append("      </termEntry>")
    out += ["    </body>", "  </text>", "</martif>", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------- dispatch


def guess_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    return "tsv"


def read_exchange(
    data: bytes,
    fmt: str,
    *,
    source: str | None = None,
    target: str | None = None,
    name: str = "",
    path: str | None = None,
) -> Glossary:
    """Parse ``data`` (bytes of a file) in exchange format ``fmt``."""
    if fmt == "tbx":
        return parse_tbx(data, name=name, path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("glossary files must be UTF-8"), path=path) from None
    if "\x00" in text:
        raise InputError(_("binary data, not a glossary"), path=path)
    if fmt == "tsv":
        return parse_table(text, delimiter="\t", source=source, target=target, name=name, path=path)
    if fmt == "csv":
        return parse_table(text, delimiter=",", source=source, target=target, name=name, path=path)
    if fmt == "amazon-csv":
        rows = _read_rows(text, ",", path)
        if not rows or not _is_header(rows[0]):
            raise InputError(
                _("Amazon Translate CSV needs a header row of language codes"), path=path
            )
        return _parse_multilingual(rows, name=name, path=path)
    raise UsageError(
        _("unknown glossary format {f!r}; choose {c}").format(f=fmt, c=", ".join(FORMATS))
    )


def write_exchange(
    glossary: Glossary, fmt: str, *, source: str | None = None, target: str | None = None
) -> str:
    if fmt == "tbx":
        return dump_tbx(glossary)
    if fmt == "amazon-csv":
        return dump_amazon_csv(glossary)
    if fmt == "tsv":
        return dump_table(glossary, delimiter="\t", source=source, target=target)
    if fmt == "csv":
        return dump_table(glossary, delimiter=",", source=source, target=target)
    if fmt in ("native", "tolmach"):
        return dump_tsv(glossary)
    raise UsageError(
        _("unknown glossary format {f!r}; choose {c}").format(f=fmt, c=", ".join(FORMATS))
    )
