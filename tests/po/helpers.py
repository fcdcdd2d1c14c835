"""Helpers for catalog tests: entry blocks of a file, keyed by (msgctxt, msgid)."""

from __future__ import annotations

from toolkit.po.catalog import parse_catalog


def entry_blocks(data: bytes) -> dict[tuple[str | None, str], tuple[bytes, object]]:
    """Each active entry's exact lines in the file, with its polib entry."""
    cat = parse_catalog(data, "x.po")
    out = {}
    for entry, span in cat.active():
        block = "".join(cat.lines[span.start : span.end]).encode(cat.encoding)
        out[(entry.msgctxt, entry.msgid)] = (block, entry)
    return out
