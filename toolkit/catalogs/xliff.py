"""XLIFF 1.2 and 2.x: bilingual catalogs, source and target in one file.

1.2: ``<file source-language target-language>``, ``<trans-unit id>`` with
``<source>``, ``<target state>``, ``<note>``, ``maxwidth``; ``translate="no"``
units are skipped. 2.x: ``<xliff srcLang trgLang>``, ``<unit id>`` with one
``<segment state>`` or more (``<ignorable>`` skipped), ``<notes>``. Source and
target are the elements' inner XML: inline elements (``<x/> <g> <ph> <pc>
...``) and entities stay markup, treated as placeholders.

A filled 1.2 target is written with ``state="needs-review-translation"``
(``translated`` without review marking); a 2.x segment gets
``state="translated"``. A missing ``<target>`` is inserted after its
``<source>`` with the source's indentation.
"""

from __future__ import annotations

from toolkit.catalogs.model import Edit, State, Store, Unit
from toolkit.catalogs.xmlscan import Element, read_store, set_attr
from toolkit.errors import InputError
from toolkit.i18n import _

EXTENSIONS = (".xlf", ".xliff")

_STATES_12 = {
    "new": State.untranslated,
    "needs-translation": State.untranslated,
    "needs-adaptation": State.review,
    "needs-l10n": State.review,
    "needs-review-adaptation": State.review,
    "needs-review-l10n": State.review,
    "needs-review-translation": State.review,
    "translated": State.translated,
    "final": State.translated,
    "signed-off": State.translated,
}


def parse(data: bytes, path: str) -> Store:
    store = read_store(data, path, "xliff", "xliff", _("not an XLIFF file: the root element is"))
    root = store.extra["root"]
    assert isinstance(root, Element)
    version = root.attrs.get("version", "")
    store.bilingual = True
    store.extra["version"] = version
    if version.startswith("2"):
        store.source_language = root.attrs.get("srcLang")
        store.target_language = root.attrs.get("trgLang")
        _units_2(store, root)
    elif version.startswith("1"):
        first = root.find("file")
        if first is not None:
            store.source_language = first.attrs.get("source-language")
            store.target_language = first.attrs.get("target-language")
        _units_12(store, root)
    else:
        raise InputError(_("unsupported XLIFF version") + f" {version!r}", path=path)
    return store


def _unit(store: Store, key: str, source: Element, target: Element | None, where: Element) -> Unit:
    text = store.text
    src = source.content(text)
    tgt = target.content(text) if target is not None else None
    at = target.tag_end if target is not None else source.tag_end
    line, col = store.position(at)
    unit = Unit(key, src, tgt, line=line, column=col, where=where)
    if target is not None:
        unit.span = (target.tag_end, target.content_end)
    return unit


def _units_12(store: Store, root: Element) -> None:
    for file_el in root.findall("file"):
        for tu in file_el.iter("trans-unit"):
            if tu.attrs.get("translate") == "no":
                continue
            source = tu.find("source")
            if source is None:
                continue
            target = tu.find("target")
            unit = _unit(store, tu.attrs.get("id", ""), source, target, tu)
            unit.context = tu.attrs.get("resname", "")
            unit.notes = [n.content(store.text) for n in tu.findall("note")]
            if tu.attrs.get("maxwidth", "").isdigit():
                unit.max_length = int(tu.attrs["maxwidth"])
            state = target.attrs.get("state") if target is not None else None
            if not unit.target:
                unit.state = State.untranslated
            else:
                unit.state = _STATES_12.get(state or "translated", State.translated)
                if tu.attrs.get("approved") == "no" and state is None:
                    unit.state = State.review
            store.units.append(unit)


def _units_2(store: Store, root: Element) -> None:
    for file_el in root.findall("file"):
        for u in file_el.iter("unit"):
            if u.attrs.get("translate") == "no":
                continue
            segments = u.findall("segment")
            notes_el = u.find("notes")
            notes = (
                [n.content(store.text) for n in notes_el.findall("note")]
                if notes_el is not None
                else []
            )
            for n, seg in enumerate(segments):
                source = seg.find("source")
                if source is None:
                    continue
                key = u.attrs.get("id", "")
                if len(segments) > 1:
                    key += "::" + seg.attrs.get("id", str(n + 1))  # as translate-toolkit
                unit = _unit(store, key, source, seg.find("target"), seg)
                unit.context = u.attrs.get("name", "")
                unit.notes = notes
                state = seg.attrs.get("state")
                if not unit.target:
                    unit.state = State.untranslated
                elif state == "initial":
                    unit.state = State.review
                else:
                    unit.state = State.translated
                store.units.append(unit)


def write(store: Store, fills: list[tuple[Unit, str]], *, review: bool = True) -> list[Edit]:
    """Edits that give each unit its new target (inner XML)."""
    return [e for unit, value in fills for e in edits(store, unit, value, review=review)]


def edits(store: Store, unit: Unit, value: str, *, review: bool = True) -> list[Edit]:
    """The edits that give ``unit`` the target ``value`` (inner XML)."""
    text = store.text
    el = unit.where
    assert isinstance(el, Element)
    out: list[Edit] = []
    v2 = str(store.extra.get("version", "")).startswith("2")
    state = "translated" if v2 else ("needs-review-translation" if review else "translated")
    target = el.find("target")
    if target is not None and target.content_end > target.tag_end:
        out.append(Edit(target.tag_end, target.content_end, value))
        if not v2:
            out.append(Edit(*set_attr(text, target, "state", state)))
    elif target is not None:  # <target/> or <target></target>
        tag = text[target.start : target.tag_end]
        name = target.name
        if tag.endswith("/>"):
            opening = (
                tag[:-2].rstrip()
                + (f' state="{state}"' if not v2 and "state=" not in tag else "")
                + ">"
            )
            out.append(Edit(target.start, target.end, f"{opening}{value}</{name}>"))
        else:
            if not v2:
                out.append(Edit(*set_attr(text, target, "state", state)))
            out.append(Edit(target.tag_end, target.content_end, value))
    else:
        source = el.find("source")
        assert source is not None
        name = source.name[: -len("source")] + "target"
        gap_start = text.rfind(">", 0, source.start) + 1
        gap = text[gap_start : source.start]
        indent = gap if gap.strip() == "" else ""
        attr = "" if v2 else f' state="{state}"'
        out.append(Edit(source.end, source.end, f"{indent}<{name}{attr}>{value}</{name}>"))
    if v2:
        out.append(Edit(*set_attr(text, el, "state", state)))
    return out
