"""glossary/terms.py: the occurrence finder the document and catalog audits share."""

from __future__ import annotations

from toolkit.glossary import terms
from toolkit.glossary.model import Entry, Glossary


def test_dotted_abbreviations_of_every_entry_are_found() -> None:
    """The abbreviation index holds every entry's abbreviations (its builder once
    reused the name of its glossary key for each abbreviation)."""
    osce = Entry.make(
        {"en": "Organization for Security and Co-operation in Europe"}, {"en": "OSCE"}
    )
    un = Entry.make({"en": "United Nations"}, {"en": ["UN", "U.N."]})
    glossary = Glossary([osce, un])
    prepared = terms.prepare(glossary, "en")
    assert set(prepared.abbrs) == {"OSCE", "UN"}
    assert prepared.abbrs["UN"] == [un, un]  # one per spelling
    found = terms.occurrences(prepared, "The O.S.C.E. and the U. N. met.")
    assert [(o.text, o.entry, o.abbr) for o in found] == [
        ("O.S.C.E.", osce, True),
        ("U. N.", un, True),
    ]
