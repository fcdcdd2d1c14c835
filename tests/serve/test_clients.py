"""LibreTranslate's clients, unchanged, against tolmach serve on loopback.

The server runs the real Argos path on an installed ru→en package (an identity
model, so a translation is its input with the glossary's terms applied: proof
that the text went through tolmach's text core, not around it).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

Serve = Callable[..., AbstractContextManager[str]]
# The shipped glossary maps ОБСЕ to OSCE; the identity model would copy ОБСЕ.
SENTENCE = "Заявление ОБСЕ."
TRANSLATED = "Заявление OSCE."


def test_libretranslatepy(ru_en: Path, serve_on: Serve) -> None:
    from libretranslatepy import LibreTranslateAPI

    with serve_on() as url:
        lt = LibreTranslateAPI(url)
        assert lt.translate(SENTENCE, "ru", "en") == TRANSLATED
        assert lt.translate(SENTENCE, "auto", "en") == TRANSLATED
        detected = lt.detect("Привет, как дела?")
        assert [d["language"] for d in detected] == ["ru"]
        assert 0 < detected[0]["confidence"] <= 100
        languages = {item["code"]: item for item in lt.languages()}
        assert languages["ru"]["targets"] == ["en"]
        assert set(languages) == {"ru", "en"}


def test_libretranslatepy_with_an_api_key(ru_en: Path, serve_on: Serve) -> None:
    from urllib.error import HTTPError

    from libretranslatepy import LibreTranslateAPI

    with serve_on(api_keys=frozenset({"s3cret"})) as url:
        assert LibreTranslateAPI(url, api_key="s3cret").translate(SENTENCE, "ru", "en") == (
            TRANSLATED
        )
        with pytest.raises(HTTPError) as wrong:
            LibreTranslateAPI(url, api_key="guess").translate(SENTENCE, "ru", "en")
        assert wrong.value.code == 403
        assert json.loads(wrong.value.read()) == {"error": "Invalid API key"}


def test_libretranslate_aio_sync(ru_en: Path, serve_on: Serve) -> None:
    from libretranslate_aio import LibreTranslate

    with serve_on() as url, LibreTranslate(url) as lt:
        single = lt.translate(SENTENCE, "ru", "en")
        assert single.translated_text == TRANSLATED
        assert single.detected_language is None  # a given source is not reported
        several = lt.translate([SENTENCE, "Hello, world."], "auto", "en")
        assert several.translated_text == [TRANSLATED, "Hello, world."]
        assert isinstance(several.detected_language, list)
        assert [d.language for d in several.detected_language] == ["ru", "en"]
        assert [d.language for d in lt.detect("Привет, как дела?")] == ["ru"]
        assert {lang.code: lang.targets for lang in lt.languages()} == {"en": [], "ru": ["en"]}
        assert lt.health() is True
        settings = lt.frontend_settings()
        assert settings.language.source.code == "auto"
        assert ".html" in settings.supported_files_format


def test_libretranslate_aio_async(ru_en: Path, serve_on: Serve) -> None:
    from libretranslate_aio import AsyncLibreTranslate

    async def calls(url: str) -> tuple[Any, Any, Any]:
        async with AsyncLibreTranslate(url) as lt:
            return await asyncio.gather(
                lt.translate(SENTENCE, "ru", "en"),
                lt.detect("Привет, как дела?"),
                lt.languages(),
            )

    with serve_on() as url:
        translation, detected, languages = asyncio.run(calls(url))
    assert translation.translated_text == TRANSLATED
    assert [d.language for d in detected] == ["ru"]
    assert {lang.code for lang in languages} == {"en", "ru"}


def test_libretranslate_aio_errors_are_typed(ru_en: Path, serve_on: Serve) -> None:
    from libretranslate_aio import LibreTranslate
    from libretranslate_aio.exceptions import BadRequestError

    with serve_on() as url, LibreTranslate(url) as lt:
        with pytest.raises(BadRequestError, match="xx is not supported"):
            lt.translate(SENTENCE, "xx", "en")
        with pytest.raises(BadRequestError, match="not available as a target language"):
            lt.translate("Hello.", "en", "ru")


def test_translate_file_round_trip(ru_en: Path, serve_on: Serve) -> None:
    import httpx
    from libretranslate_aio import LibreTranslate

    page = "<html><body><p>Заявление <b>ОБСЕ</b>.</p><p>Untouched English.</p></body></html>\n"
    with serve_on() as url, LibreTranslate(url) as lt:
        result = lt.translate_file(_named(page.encode(), "page.html"), "auto", "en")
        body = httpx.get(result.translated_file_url).text
    assert body == page.replace("ОБСЕ", "OSCE")


def _named(data: bytes, name: str) -> Any:
    import io

    handle = io.BytesIO(data)
    handle.name = name
    return handle
