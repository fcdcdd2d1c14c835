"""Placeholder finding, masking and verification."""

from __future__ import annotations

import pytest

from toolkit.po import placeholders as ph


@pytest.mark.parametrize(
    ("text", "flags", "expected"),
    [
        ("%s of %d (%1$s) 100%%", ("c-format",), ["%s", "%d", "%1$s", "%%"]),
        ("%-5.2f %lu %5d %.250s %*d", ("c-format",), ["%-5.2f", "%lu", "%5d", "%.250s", "%*d"]),
        ("Hello %(name)s, %(n)d new", ("python-format",), ["%(name)s", "%(n)d"]),
        (
            "{name} and {0} and {} and {0:>5} {{x}}",
            ("python-brace-format",),
            ["{name}", "{0}", "{}", "{0:>5}", "{{", "}}"],
        ),
        (
            "<b>bold</b> and <a href='x'>link</a> &amp;",
            (),
            ["<b>", "</b>", "<a href='x'>", "</a>", "&amp;"],
        ),
        ("100% sure", (), []),  # no space flag without c-format
        ("%s files", ("no-c-format",), []),
        ("use <package> here", (), []),  # no real markup: a word in angle brackets
    ],
)
def test_find(text: str, flags: tuple[str, ...], expected: list[str]) -> None:
    assert ph.find(text, flags) == expected


def test_mask_round_trip_and_sentinels() -> None:
    text = "Copy %(src)s to {dst}: <b>%d</b> files"
    masked, tokens = ph.mask(text)
    assert "%" not in masked
    assert "{" not in masked
    assert "<b>" not in masked
    assert ph.unmask(masked, tokens) == text


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s.replace("⟦0⟧", ""),  # lost
        lambda s: s + " ⟦0⟧",  # duplicated
        lambda s: s + " ⟦9⟧",  # invented
        lambda s: s.replace("⟦1⟧", "⟦1"),  # mangled
    ],
)
def test_unmask_rejects_broken_sentinels(mangle: object) -> None:
    masked, tokens = ph.mask("%s and %d")
    with pytest.raises(ph.PlaceholderLost):
        ph.unmask(mangle(masked), tokens)  # type: ignore[operator]


def test_mismatch_is_a_multiset_comparison() -> None:
    assert ph.mismatch("%s %s", "%s", ("c-format",)) == (["%s"], [])
    assert ph.mismatch("%s", "%s %d", ("c-format",)) == ([], ["%d"])
    # positions, precision and width may differ, as msgfmt allows
    assert ph.mismatch("%s %d", "%2$d %1$.50s", ("c-format",)) == ([], [])
