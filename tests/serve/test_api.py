"""tolmach serve over HTTP: Weblate's request, bad requests, limits, and tolmach's
pipeline behind the endpoints (per-item detection, HTML, glossary, memory)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from tests.support.engines import MarkEngine, UpperEngine

Serve = Callable[..., AbstractContextManager[str]]


def _one_error(response: httpx.Response, status: int) -> str:
    """The response is ``status`` with exactly one JSON error line, nothing internal."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    assert isinstance(body["error"], str)
    assert "\n" not in body["error"]
    assert "Traceback" not in response.text
    assert "/tmp" not in response.text
    return str(body["error"])


# --- Weblate ------------------------------------------------------------------------------


def test_the_request_weblate_sends(ru_en: Path, serve_on: Serve) -> None:
    """weblate/machinery/libretranslate.py: GET {url}languages, then POST
    {url}translate with a JSON body (api_key, q as a list, source, target);
    it reads [x["code"]] and payload["translatedText"][i]."""
    with serve_on(api_keys=frozenset({"weblate-key"})) as url, httpx.Client() as http:
        base = url + "/"
        codes = [x["code"] for x in http.get(base + "languages").json()]
        assert set(codes) == {"en", "ru"}
        response = http.post(
            base + "translate",
            json={
                "api_key": "weblate-key",
                "q": ["Заявление ОБСЕ.", "Привет, мир!"],
                "source": "ru",
                "target": "en",
            },
        )
        assert response.status_code == 200
        assert response.json() == {"translatedText": ["Заявление OSCE.", "Привет, мир!"]}


def test_weblate_without_a_key_configured(ru_en: Path, serve_on: Serve) -> None:
    """Weblate sends ``"api_key": ""`` when its key setting is empty."""
    with serve_on() as url:
        response = httpx.post(
            url + "/translate",
            json={"api_key": "", "q": ["Заявление ОБСЕ."], "source": "ru", "target": "en"},
        )
    assert response.json() == {"translatedText": ["Заявление OSCE."]}


# --- bad requests -------------------------------------------------------------------------


def test_bad_requests_get_one_json_error_and_the_server_keeps_serving(
    ru_en: Path, serve_on: Serve
) -> None:
    good = {"q": "Привет.", "source": "ru", "target": "en"}
    with serve_on(api_keys=frozenset({"k"})) as url, httpx.Client(base_url=url) as http:
        assert "xx is not supported" in _one_error(
            http.post("/translate", json={**good, "source": "xx", "api_key": "k"}), 400
        )
        assert "zz is not supported" in _one_error(
            http.post("/translate", json={**good, "target": "zz", "api_key": "k"}), 400
        )
        assert _one_error(
            http.post("/translate", json={"source": "ru", "target": "en", "api_key": "k"}), 400
        ) == ("Invalid request: missing q parameter")
        big = http.post(
            "/translate",
            content=b'{"q": "' + b"a" * 10_000_000 + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert "larger than" in _one_error(big, 413)
        invalid = http.post(
            "/translate", content=b'{"q": "x",', headers={"Content-Type": "application/json"}
        )
        assert _one_error(invalid, 400) == "Invalid JSON format"
        deep = http.post(
            "/translate", content=b"[" * 200_000, headers={"Content-Type": "application/json"}
        )
        assert _one_error(deep, 400) == "Invalid JSON format"
        not_object = http.post("/translate", json=["q"])
        assert _one_error(not_object, 400) == "Invalid JSON format"
        assert _one_error(http.post("/translate", json={**good, "api_key": "x"}), 403) == (
            "Invalid API key"
        )
        assert "API key" in _one_error(http.post("/translate", json=good), 400)
        assert "format is not supported" in _one_error(
            http.post("/translate", json={**good, "format": "pdf", "api_key": "k"}), 400
        )
        assert "not a number" in _one_error(
            http.post("/translate", json={**good, "alternatives": "x", "api_key": "k"}), 400
        )
        assert _one_error(http.get("/no/such/path"), 404)
        assert _one_error(http.get("/translate"), 405)
        # still serving
        ok = http.post("/translate", json={**good, "api_key": "k"})
        assert ok.status_code == 200
        assert ok.json() == {"translatedText": "Привет."}


def test_item_and_character_limits(ru_en: Path, serve_on: Serve) -> None:
    with serve_on(max_items=2, max_chars=20) as url, httpx.Client(base_url=url) as http:
        many = http.post("/translate", json={"q": ["a", "b", "c"], "source": "ru", "target": "en"})
        assert "exceeds text limit (2)" in _one_error(many, 400)
        long = http.post("/translate", json={"q": "а" * 21, "source": "ru", "target": "en"})
        assert "exceeds character limit (20)" in _one_error(long, 400)


def test_rate_limit_per_key(ru_en: Path, serve_on: Serve) -> None:
    with serve_on(rate_per_minute=2) as url, httpx.Client(base_url=url) as http:
        codes = [
            http.post("/detect", data={"q": "Привет, как дела?"}).status_code for _i in range(3)
        ]
        assert codes == [200, 200, 429]
        assert "Slowdown" in _one_error(http.post("/detect", data={"q": "Привет"}), 429)
        assert http.get("/languages").status_code == 200  # not limited, as in LibreTranslate


def test_a_request_over_its_time_limit(ru_en: Path, serve_on: Serve) -> None:
    engine = MarkEngine(delay=1.5)
    with serve_on(engine=engine, timeout=0.3) as url, httpx.Client(base_url=url) as http:
        slow = http.post("/translate", json={"q": "Привет.", "source": "ru", "target": "en"})
        assert "longer than 0.3 s" in _one_error(slow, 503)
        assert http.get("/health").json() == {"status": "ok"}
        assert http.post("/detect", data={"q": "Привет, как дела?"}).status_code == 200


class _Broken(MarkEngine):
    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        raise RuntimeError("model file /srv/secret/model.bin is corrupt")


class _Crashing(MarkEngine):
    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        raise KeyError("/srv/secret/internal")


@pytest.mark.parametrize("engine", [_Broken(), _Crashing()], ids=["engine-error", "bug"])
def test_failures_inside_send_no_internals(
    ru_en: Path, serve_on: Serve, engine: MarkEngine
) -> None:
    with serve_on(engine=engine) as url, httpx.Client(base_url=url) as http:
        failed = http.post("/translate", json={"q": "Привет.", "source": "ru", "target": "en"})
        message = _one_error(failed, 500)
        assert "secret" not in message
        assert "server log" in message
        assert http.get("/health").status_code == 200


def test_cors_is_off_unless_configured(ru_en: Path, serve_on: Serve) -> None:
    origin = {"Origin": "https://example.org"}
    with serve_on() as url:
        assert (
            "access-control-allow-origin"
            not in httpx.get(url + "/languages", headers=origin).headers
        )
    with serve_on(cors_origins=("https://example.org",)) as url:
        headers = httpx.get(url + "/languages", headers=origin).headers
        assert headers["access-control-allow-origin"] == "https://example.org"


# --- the pipeline behind it ---------------------------------------------------------------


def test_detection_per_item(ru_en: Path, serve_on: Serve) -> None:
    engine = UpperEngine()
    with serve_on(engine=engine) as url:
        body = httpx.post(
            url + "/translate",
            data={
                "q": ["Привет, как дела?", "Hello, how are you?", "12:30"],
                "source": "auto",
                "target": "en",
            },
        ).json()
    assert body["translatedText"] == ["ПРИВЕТ, КАК ДЕЛА?", "Hello, how are you?", "12:30"]
    assert [d["language"] for d in body["detectedLanguage"]] == ["ru", "en", "en"]
    assert body["detectedLanguage"][2]["confidence"] == 0  # not language: left as it is
    assert engine.texts == 1


def test_html_keeps_markup_and_whole_sentences(ru_en: Path, serve_on: Serve) -> None:
    engine = UpperEngine()
    html = '<p>Он сказал: <a href="/x">привет</a>, <b>мир</b>. Hello there.</p>'
    with serve_on(engine=engine) as url:
        body = httpx.post(
            url + "/translate", json={"q": html, "source": "auto", "target": "en", "format": "html"}
        ).json()
    assert body["translatedText"] == (
        '<p>ОН СКАЗАЛ: <a href="/x">ПРИВЕТ</a>, <b>МИР</b>. Hello there.</p>'
    )
    assert body["detectedLanguage"]["language"] == "ru"
    assert engine.calls == 1
    assert engine.texts == 1


def test_glossary_parameter(ru_en: Path, serve_on: Serve) -> None:
    request = {"q": "Заявление ОБСЕ.", "source": "ru", "target": "en"}
    with serve_on() as url, httpx.Client(base_url=url) as http:
        assert http.post("/translate", json=request).json()["translatedText"] == ("Заявление OSCE.")
        named = {**request, "glossary": "international-organizations"}
        assert http.post("/translate", json=named).json()["translatedText"] == "Заявление OSCE."
        off = http.post("/translate", json={**request, "glossary": "none"})
        assert off.json()["translatedText"] == "Заявление ОБСЕ."
        unknown = http.post("/translate", json={**request, "glossary": "../../etc/passwd"})
        assert "unknown glossary" in _one_error(unknown, 400)


def test_translation_memory_answers_repeats(ru_en: Path, serve_on: Serve, tmp_path: Path) -> None:
    engine = MarkEngine()
    request = {"q": ["Привет.", "Пока."], "source": "ru", "target": "en"}
    with serve_on(engine=engine, memory=tmp_path / "tm.db") as url:
        first = httpx.post(url + "/translate", json=request).json()
        second = httpx.post(url + "/translate", json=request).json()
    assert first == second == {"translatedText": ["[Привет.]", "[Пока.]"]}
    assert engine.calls == 1


@pytest.mark.parametrize(("batching", "most_calls"), [(True, 6), (False, 16)])
def test_concurrent_requests_share_engine_batches(
    ru_en: Path, serve_on: Serve, batching: bool, most_calls: int
) -> None:
    """16 requests at once: with batching they share a few engine batches (the
    first one starts alone, the rest queue behind it); without, one call each."""
    engine = MarkEngine(delay=0.3)
    answers: list[object] = []
    with serve_on(engine=engine, batching=batching, use_memory=False) as url:

        def ask(i: int) -> None:
            answers.append(
                httpx.post(
                    url + "/translate",
                    json={"q": f"Предложение номер {i}.", "source": "ru", "target": "en"},
                    timeout=60,
                ).json()
            )

        threads = [threading.Thread(target=ask, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(a["translatedText"] for a in answers) == sorted(  # type: ignore[index]
        f"[Предложение номер {i}.]" for i in range(16)
    )
    assert engine.texts == 16
    if batching:
        assert engine.calls <= most_calls
    else:
        assert engine.calls == most_calls


def test_guessing_keys_is_rate_limited(ru_en: Path, serve_on: Serve) -> None:
    """Wrong keys count against the client's address: guessing is limited too."""
    with (
        serve_on(api_keys=frozenset({"right"}), rate_per_minute=3) as url,
        httpx.Client(base_url=url) as http,
    ):
        codes = [
            http.post("/detect", data={"q": "Привет", "api_key": f"guess{i}"}).status_code
            for i in range(4)
        ]
        assert codes == [403, 403, 403, 429]
        # a valid key has its own bucket
        assert http.post("/detect", data={"q": "Привет", "api_key": "right"}).status_code == 200


def test_a_file_name_is_kept_safe(ru_en: Path, serve_on: Serve) -> None:
    with serve_on() as url, httpx.Client(base_url=url) as http:
        sent = http.post(
            "/translate_file",
            data={"source": "ru", "target": "en"},
            files={"file": ("../../страница «1».txt", "Заявление ОБСЕ.\n".encode())},
        )
        assert sent.status_code == 200, sent.text
        link = sent.json()["translatedFileUrl"]
        assert link.startswith(url + "/download_file/")
        got = http.get(link)
        assert got.content == "Заявление OSCE.\n".encode()
        assert got.headers["content-disposition"] == 'attachment; filename="1.txt"'
        unsupported = http.post(
            "/translate_file",
            data={"source": "ru", "target": "en"},
            files={"file": ("messages.po", b'msgid "x"\nmsgstr ""\n')},
        )
        assert "file format not supported" in _one_error(unsupported, 400)
        assert _one_error(http.get("/download_file/nothing.txt"), 404) == "Invalid filename"


class _Tagging(MarkEngine):
    """'x' -> 'ru:x': shows which source language each text was sent from."""

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        super().translate_batch(texts, source, target)
        return [f"{source}:{t}" for t in texts]


def test_html_detects_each_sentence(
    ru_en: Path, install_argos: Callable[..., Path], serve_on: Serve
) -> None:
    install_argos(kind="identity", from_code="uk", to_code="en")
    html = (
        "<p>Это русское предложение о погоде. Це українське речення, її знають усі. "
        "This one is English.</p>"
    )
    with serve_on(engine=_Tagging()) as url:
        body = httpx.post(
            url + "/translate", json={"q": html, "source": "auto", "target": "en", "format": "html"}
        ).json()
    assert body["translatedText"] == (
        "<p>ru:Это русское предложение о погоде. uk:Це українське речення, її знають усі. "
        "This one is English.</p>"
    )


def test_names_and_codes_are_not_sent_to_the_engine(
    ru_en: Path, install_argos: Callable[..., Path], serve_on: Serve
) -> None:
    """A brand or a currency code in another language than the target is kept as it
    is (issue 14): only the sentence goes to the engine."""
    install_argos(kind="identity", from_code="en", to_code="ru")
    html = "<p>Read the full article about the weather in Moscow.</p><p>Facebook</p><p>USD</p>"
    with serve_on(engine=_Tagging()) as url:
        body = httpx.post(
            url + "/translate", json={"q": html, "source": "auto", "target": "ru", "format": "html"}
        ).json()
    assert body["translatedText"] == (
        "<p>en:Read the full article about the weather in Moscow.</p><p>Facebook</p><p>USD</p>"
    )
