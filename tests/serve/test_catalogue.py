"""The languages the server offers: installed pairs, pairs through English, and
LibreTranslate's codes for Argos' own."""

from __future__ import annotations

from pathlib import Path

from toolkit.models import InstalledPackage
from toolkit.serve.service import Catalogue


def _pkg(
    source: str, target: str, source_name: str = "", target_name: str = ""
) -> InstalledPackage:
    return InstalledPackage(
        path=Path(f"/packages/{source}_{target}"),
        name=f"translate-{source}_{target}",
        from_code=source,
        to_code=target,
        version="1.0",
        from_name=source_name,
        to_name=target_name,
    )


def test_pairs_direct_and_through_english() -> None:
    catalogue = Catalogue.from_packages(
        [_pkg("ru", "en", "Russian", "English"), _pkg("en", "de", "English", "German")]
    )
    assert catalogue.to_list() == [
        {"code": "de", "name": "German", "targets": []},
        {"code": "en", "name": "English", "targets": ["de"]},
        {"code": "ru", "name": "Russian", "targets": ["de", "en"]},
    ]
    assert catalogue.can("ru", "de")
    assert not catalogue.can("de", "ru")
    assert catalogue.can("de", "de")


def test_argos_codes_are_shown_as_libretranslate_shows_them() -> None:
    catalogue = Catalogue.from_packages(
        [
            _pkg("en", "zt", "English", "Chinese (traditional)"),
            _pkg("pb", "en", "Portuguese (Brazil)"),
        ]
    )
    listed = {item["code"]: item["targets"] for item in catalogue.to_list()}
    assert listed == {"en": ["zh-Hant"], "pt-BR": ["en", "zh-Hant"], "zh-Hant": []}
    assert catalogue.language("zh-Hant") == "zt"
    assert catalogue.language("pt-BR") == "pb"
    assert catalogue.language("pt_BR") == "pb"
    assert catalogue.language("zt") == "zt"
    assert catalogue.language("de") is None  # not installed
    assert catalogue.language("klingon") is None


def test_pt_br_is_plain_portuguese_without_argos_pb() -> None:
    catalogue = Catalogue.from_packages([_pkg("pt", "en")])
    assert catalogue.language("pt-BR") == "pt"
