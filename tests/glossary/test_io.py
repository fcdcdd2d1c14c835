"""The native TSV store and the exchange formats, with round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.glossary.conftest import SAMPLE_TSV
from toolkit.errors import InputError, UsageError
from toolkit.glossary.io import (
    dump_tsv,
    leading_comments,
    parse_tbx,
    parse_tsv,
    read_exchange,
    write_exchange,
)
from toolkit.glossary.model import Entry, Glossary


def test_tsv_round_trip_is_byte_identical_when_sorted(sample: Glossary) -> None:
    text = dump_tsv(sample, comments=leading_comments(SAMPLE_TSV))
    again = parse_tsv(text)
    assert again.same_entries(sample)
    assert dump_tsv(again, comments=leading_comments(text)) == text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_tsv_variants_first_is_preferred(sample: Glossary) -> None:
    un = next(e for e in sample.entries if e.term("en") == "United Nations")
    assert un.abbr_variants("en") == ("UN", "U.N.")
    assert un.abbr("en") == "UN"


def test_tsv_rows_with_extra_cells_are_rejected_with_the_line() -> None:
    with pytest.raises(InputError) as info:
        parse_tsv("en\tru\nA\tБ\textra\n", path="g.tsv")
    assert info.value.line == 2
    assert "g.tsv:2:" in str(info.value)


def test_tsv_without_header_is_rejected() -> None:
    with pytest.raises(InputError):
        parse_tsv("United Nations\tООН\n")


def test_tsv_bad_case_value() -> None:
    with pytest.raises(InputError):
        parse_tsv("en\tcase\nA\tloud\n")


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_two_column_round_trip(fmt: str) -> None:
    g = Glossary(
        [
            Entry.make({"en": "United Nations", "ru": "Организация Объединённых Наций"}),
            Entry.make({"en": "Council, of Europe", "ru": 'Совет "Европы"'}),
            Entry.make({"en": ["European Union", "EU bloc"], "ru": "Европейский союз"}),
        ],
        ["en", "ru"],
    )
    text = write_exchange(g, fmt, source="en", target="ru")
    assert not text.splitlines()[0].startswith("en")  # no header: DeepL/Google style
    back = read_exchange(text.encode(), fmt, source="en", target="ru")
    assert back.same_entries(g)


def test_two_column_needs_languages() -> None:
    with pytest.raises(UsageError):
        read_exchange(b"a,b\n", "csv")


def test_two_column_with_three_cells_is_bad_input() -> None:
    with pytest.raises(InputError) as info:
        read_exchange(b"a,b\nc,d,e\n", "csv", source="en", target="ru")
    assert info.value.line == 2


def test_malformed_csv_is_bad_input() -> None:
    with pytest.raises(InputError):
        read_exchange(b'a,"b\n', "csv", source="en", target="ru")


def test_amazon_csv_round_trip(sample: Glossary) -> None:
    plain = Glossary(
        [
            Entry.make({"en": e.term("en") or "", "ru": e.variants("ru")})
            for e in sample.entries
            if e.variants("ru")
        ],
        ["en", "ru"],
    )
    text = write_exchange(plain, "amazon-csv")
    assert text.splitlines()[0] == "en,ru"
    back = read_exchange(text.encode(), "amazon-csv")
    assert back.same_entries(plain)


def test_amazon_csv_needs_a_language_header() -> None:
    with pytest.raises(InputError):
        read_exchange(b"United Nations,OON\n", "amazon-csv")


def test_tbx_round_trip_keeps_everything(sample: Glossary) -> None:
    rich = Glossary(
        [
            *sample.entries,
            Entry.make(
                {"en": "Apple"}, dnt=True, case="sensitive", domain="it", note="brand & <co>"
            ),
        ],
        list(sample.languages),
    )
    text = write_exchange(rich, "tbx")
    back = read_exchange(text.encode("utf-8"), "tbx")
    assert back.same_entries(rich)


def test_tbx_v3_concept_entries_are_read() -> None:
    data = """<?xml version="1.0"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dct" xml:lang="en">
 <text><body>
  <conceptEntry id="1">
   <langSec xml:lang="en"><termSec><term>Arctic Council</term></termSec></langSec>
   <langSec xml:lang="ru"><termSec><term>Арктический совет</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>""".encode()
    g = parse_tbx(data)
    assert [(e.term("en"), e.term("ru")) for e in g.entries] == [
        ("Arctic Council", "Арктический совет")
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="en">
<tig><term>&lol3;</term></tig></langSet></termEntry></body></text></martif>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE martif [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="en">
<tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_hostile_tbx_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        parse_tbx(data, path="evil.tbx")
    assert "refused" in str(info.value)
    assert "\n" not in str(info.value)


def test_malformed_tbx_is_bad_input() -> None:
    with pytest.raises(InputError):
        parse_tbx(b"<martif><text><body><termEntry>")
    with pytest.raises(InputError):
        parse_tbx(b"<html/>")


# ----------------------------------------------------------------------------- properties

_chars = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp", "Zs"), blacklist_characters="|\t\r\n\x85"
)
_word = st.text(_chars, min_size=1, max_size=8)
_term = st.lists(_word, min_size=1, max_size=3).map(" ".join)
_entry = st.builds(
    lambda en, ru, abbr, dnt, note: Entry.make(
        {"en": en, "ru": ru}, {"en": abbr} if abbr else None, dnt=dnt, note=note
    ),
    st.lists(_term, min_size=1, max_size=2),
    st.lists(_term, min_size=1, max_size=2),
    st.one_of(st.none(), _word),
    st.booleans(),
    st.one_of(st.just(""), _term),
)
_glossary = st.lists(_entry, max_size=6).map(lambda es: Glossary(es, ["en", "ru"]))


@settings(max_examples=60, deadline=None)
@given(_glossary)
def test_property_tsv_round_trip(g: Glossary) -> None:
    text = dump_tsv(g)
    assert parse_tsv(text).same_entries(g)


@settings(max_examples=60, deadline=None)
@given(_glossary)
def test_property_tbx_round_trip(g: Glossary) -> None:
    text = write_exchange(g, "tbx")
    assert read_exchange(text.encode("utf-8"), "tbx").same_entries(g)
