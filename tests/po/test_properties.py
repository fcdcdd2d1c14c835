"""Property tests: whatever polib writes, tolmach reads, reproduces and fills correctly."""

from __future__ import annotations

from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.engines.identity import IdentityEngine
from toolkit.po.catalog import parse_catalog, render_catalog
from toolkit.po.translate import translate_catalogs

pieces = st.sampled_from(
    [
        "word",
        "слово",
        " ",
        "  ",
        "\n",
        "\t",
        '"',
        "\\",
        "%s",
        "%d",
        "{0}",
        "<b>",
        "</b>",
        "x-y",
        "%%",
    ]
)
texts = st.lists(pieces, min_size=1, max_size=25).map("".join).filter(lambda s: s.strip() != "")
entries = st.lists(
    st.tuples(texts, st.booleans(), st.sampled_from([None, "menu"])),
    min_size=1,
    max_size=8,
    unique_by=lambda t: (t[2], t[0]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=entries, width=st.sampled_from([40, 76, 79, 0]))
def test_polib_output_round_trips_and_fills(tmp_path: Path, items: list, width: int) -> None:
    po = polib.POFile(wrapwidth=width or 10**6)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for msgid, translated, ctxt in items:
        po.append(
            polib.POEntry(msgid=msgid, msgstr=msgid.upper() if translated else "", msgctxt=ctxt)
        )
    path = tmp_path / "p.po"
    po.save(str(path))
    data = path.read_bytes()
    cat = parse_catalog(data, path)
    assert render_catalog(cat, {}) == data
    results, _stats = translate_catalogs([path], engine=IdentityEngine())
    out = polib.pofile(results[0].output.decode())
    for (msgid, translated, ctxt), entry in zip(items, out, strict=True):
        assert entry.msgid == msgid
        assert entry.msgctxt == ctxt
        if translated:
            assert entry.msgstr == msgid.upper()
            assert "fuzzy" not in entry.flags
        else:
            assert "fuzzy" in entry.flags
            # identity engine: the text comes back, whitespace and newlines kept
            assert entry.msgstr == msgid
