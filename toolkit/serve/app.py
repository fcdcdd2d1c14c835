"""The HTTP layer: LibreTranslate's API, as its clients call it, on Starlette.

Endpoints, request and answer shapes and status codes follow LibreTranslate's
``libretranslate/app.py``: ``POST /translate``, ``POST /detect``,
``GET /languages``, ``POST /translate_file`` (+ ``GET /download_file/NAME``),
``GET /frontend/settings`` and ``GET /health``. Parameters come as JSON or as
a form (URL-encoded or multipart; a repeated ``q`` is a list), and from the
query string. Every error is one ``{"error": "..."}`` with its status; nothing
internal (a traceback, a path) is ever sent: unexpected failures are logged
here and answered with one line.

Limits, checked before any work: the body size (counted on what is read), the
number of texts and characters, the API key (when a keys file is set), a rate
per key (or per client address) and a time limit per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from toolkit.errors import InputError, MissingModelError, TolmachError, UsageError
from toolkit.i18n import _
from toolkit.serve.config import ServeConfig
from toolkit.serve.limits import FileStore, RateLimiter
from toolkit.serve.service import FILE_FORMATS, ApiError, Service, public_code

log = logging.getLogger("tolmach.serve")

# A body over the limit is still read (and dropped) up to this many bytes, so
# the client gets its 413 instead of a connection reset; past it, the
# connection is closed.
DRAIN_LIMIT = 64_000_000
FORMATS = ("text", "html")
Params = dict[str, Any]
Handler = Callable[[Request], Awaitable[Response]]


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, counted as it is read; 413 past ``limit``."""
    declared = request.headers.get("content-length", "")
    too_large = ApiError(
        413,
        _("Invalid request: the body is larger than {limit} bytes").format(limit=limit),
    )
    if declared.isdigit() and int(declared) > DRAIN_LIMIT:
        raise too_large
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total <= limit:
            chunks.append(chunk)
        elif total > DRAIN_LIMIT:
            break
    if total > limit:
        raise too_large
    return b"".join(chunks)


async def _params(request: Request, config: ServeConfig) -> Params:
    """The request's parameters: query string, then the JSON or form body."""
    params: Params = dict(request.query_params)
    body = await _read_body(request, config.max_body)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        try:
            data = json.loads(body) if body else None
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise ApiError(400, _("Invalid JSON format")) from None
        if not isinstance(data, dict):
            raise ApiError(400, _("Invalid JSON format"))
        params.update(data)
    elif ctype == "application/x-www-form-urlencoded":
        # Decoded here, not by Starlette: its form parser reads bytes that are not
        # percent-encoded as Latin-1, and clients such as curl -d send raw UTF-8.
        try:
            fields = parse_qsl(
                body.decode("utf-8"),
                keep_blank_values=True,
                max_num_fields=config.max_items + 16,
            )
        except UnicodeDecodeError:
            raise ApiError(400, _("Invalid request: the form is not UTF-8")) from None
        except ValueError:
            raise ApiError(400, _("Invalid request: too many form fields")) from None
        _add_fields(params, fields)
    elif ctype == "multipart/form-data" and body:
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(
                max_files=1, max_fields=config.max_items + 16
            )
        except HTTPException as exc:
            raise ApiError(400, str(exc.detail)) from None
        _add_fields(params, form.multi_items())
    elif body:
        raise ApiError(400, _("Invalid request: send JSON or a form"))
    return params


def _add_fields(params: Params, fields: Iterable[tuple[str, Any]]) -> None:
    """Form fields into ``params``: a repeated ``q`` is a list (the last value of
    any other field counts)."""
    grouped: dict[str, list[Any]] = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    for name, values in grouped.items():
        params[name] = values if name == "q" and len(values) > 1 else values[-1]


def _text(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ApiError(
            400, _("Invalid request: {name} parameter must be a string").format(name=name)
        )
    return value


def _missing(name: str) -> ApiError:
    return ApiError(400, _("Invalid request: missing {name} parameter").format(name=name))


class Api:
    """The endpoints over one :class:`~toolkit.serve.service.Service`."""

    def __init__(self, config: ServeConfig, service: Service) -> None:
        self.config = config
        self.service = service
        self.limiter = RateLimiter(config.rate_per_minute)
        self.files = FileStore()

    # --- guards ------------------------------------------------------------------------------

    def _check_key(self, request: Request, params: Params) -> None:
        """The rate limit, then the API key (when keys are configured).

        A valid key has its own bucket; anything else (no keys configured, no
        key, a wrong one) counts against the client's address, so neither
        inventing keys nor guessing them escapes the limit."""
        key = params.get("api_key")
        key = key if isinstance(key, str) and key else None
        keys = self.config.api_keys
        valid = key is not None and any(hmac.compare_digest(key, k) for k in keys)
        client = request.client.host if request.client else "-"
        if not self.limiter.allow(f"key:{key}" if valid else f"address:{client}"):
            raise ApiError(429, _("Slowdown: too many requests, try again later"))
        if keys and key is None:
            raise ApiError(400, _("Please contact the server operator to get an API key"))
        if keys and not valid:
            raise ApiError(403, _("Invalid API key"))

    def _language(self, params: Params, name: str, auto: bool) -> str | None:
        code = _text(params, name)
        if code is None:
            raise _missing(name)
        if auto and code == "auto":
            return None
        found = self.service.catalogue.language(code)
        if found is None:
            raise ApiError(400, _("{lang} is not supported").format(lang=code))
        return found

    def _glossary(self, params: Params) -> str:
        return self.service.glossaries.choose(_text(params, "glossary"))

    # --- endpoints ---------------------------------------------------------------------------

    async def translate(self, request: Request) -> Response:
        params = await _params(request, self.config)
        self._check_key(request, params)
        q = params.get("q")
        if q is None or q == "" or q == []:
            raise _missing("q")
        batch = isinstance(q, list)
        items = q if batch else [q]
        if not all(isinstance(item, str) for item in items):
            raise ApiError(400, _("Invalid request: q must be a text or a list of texts"))
        source = self._language(params, "source", auto=True)
        target = self._language(params, "target", auto=False)
        assert target is not None
        text_format = _text(params, "format") or "text"
        if text_format not in FORMATS:
            raise ApiError(400, _("{format} format is not supported").format(format=text_format))
        try:
            alternatives = max(0, int(params.get("alternatives") or 0))
        except (TypeError, ValueError):
            raise ApiError(
                400,
                _("Invalid request: {name} parameter is not a number").format(name="alternatives"),
            ) from None
        self._check_size(items)
        glossary = self._glossary(params)
        if source is not None:
            self.service.check_pair(source, target)
        run = self.service.translate_html if text_format == "html" else self.service.translate_text
        out, detected = await run(items, source, target, glossary)
        result: dict[str, Any] = {"translatedText": out if batch else out[0]}
        if source is None:
            found = [d.to_dict() for d in detected]
            result["detectedLanguage"] = found if batch else found[0]
        if alternatives:
            result["alternatives"] = [[] for _i in items] if batch else []
        return JSONResponse(result)

    def _check_size(self, items: list[str]) -> None:
        if len(items) > self.config.max_items:
            raise ApiError(
                400,
                _("Invalid request: request ({size}) exceeds text limit ({limit})").format(
                    size=len(items), limit=self.config.max_items
                ),
            )
        chars = sum(len(item) for item in items)
        if chars > self.config.max_chars:
            raise ApiError(
                400,
                _("Invalid request: request ({size}) exceeds character limit ({limit})").format(
                    size=chars, limit=self.config.max_chars
                ),
            )

    async def detect(self, request: Request) -> Response:
        params = await _params(request, self.config)
        self._check_key(request, params)
        q = params.get("q")
        if isinstance(q, list) and all(isinstance(item, str) for item in q):
            q = "\n".join(q)
        if not q:
            raise _missing("q")
        if not isinstance(q, str):
            raise ApiError(400, _("Invalid request: q must be a text or a list of texts"))
        self._check_size([q])
        found = await self.service.detect(q)
        return JSONResponse([d.to_dict() for d in found])

    async def languages(self, request: Request) -> Response:
        return JSONResponse(self.service.catalogue.to_list())

    async def translate_file(self, request: Request) -> Response:
        params = await _params(request, self.config)
        self._check_key(request, params)
        upload = params.get("file")
        if not isinstance(upload, UploadFile):
            raise _missing("file")
        source = self._language(params, "source", auto=True)
        target = self._language(params, "target", auto=False)
        assert target is not None
        if not upload.filename:
            raise ApiError(400, _("Invalid request: empty file"))
        if source is not None:
            self.service.check_pair(source, target)
        base = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        name = "".join(ch for ch in base if ch.isascii() and (ch.isalnum() or ch in "._-"))
        name = name if name.strip("._-") else "file"
        from toolkit import formats

        try:
            kind = formats.for_path(name).NAME
        except UsageError:
            kind = ""
        if kind not in FILE_FORMATS:
            raise ApiError(400, _("Invalid request: file format not supported"))
        data = await upload.read()  # the body limit bounds it
        glossary = self._glossary(params)
        out = await self.service.translate_file(data, name, source, target, glossary)
        key = uuid.uuid4().hex
        self.files.put(key, name, out)
        url = request.url_for("download_file", name=f"{key}.{name}")
        return JSONResponse({"translatedFileUrl": str(url)})

    async def download_file(self, request: Request) -> Response:
        key = str(request.path_params["name"]).split(".", 1)[0]
        stored = self.files.get(key)
        if stored is None:
            raise ApiError(404, _("Invalid filename"))
        return Response(
            stored.data,
            media_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{stored.name}"'},
        )

    async def frontend_settings(self, request: Request) -> Response:
        catalogue = self.service.catalogue
        targets = list(catalogue.names)
        target = "en" if "en" in catalogue.names else (targets[0] if targets else "en")
        return JSONResponse(
            {
                "charLimit": self.config.max_chars,
                "frontendTimeout": int(self.config.timeout * 1000),
                "apiKeys": bool(self.config.api_keys),
                "keyRequired": bool(self.config.api_keys),
                "suggestions": False,
                "filesTranslation": True,
                "supportedFilesFormat": sorted(
                    {".txt", ".md", ".markdown", ".html", ".htm", ".srt"}
                ),
                "language": {
                    "source": {"code": "auto", "name": "Auto Detect"},
                    "target": {
                        "code": public_code(target),
                        "name": catalogue.names.get(target, target),
                    },
                },
            }
        )

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _guarded(handler: Handler, timeout: float) -> Handler:
    """Time limit and error mapping around one endpoint: every failure is one
    JSON error line; unexpected ones are logged here, never sent."""

    async def endpoint(request: Request) -> Response:
        try:
            return await asyncio.wait_for(handler(request), timeout)
        except ApiError as exc:
            return _error(exc.status, exc.message)
        except asyncio.TimeoutError:
            return _error(
                503, _("the request took longer than {n:g} s; try again").format(n=timeout)
            )
        except (MissingModelError, UsageError, InputError) as exc:
            return _error(400, exc.message)
        except TolmachError as exc:
            log.error("%s %s: %s", request.method, request.url.path, exc)
            return _error(500, _("the translation failed; the server log has the reason"))
        except Exception:
            log.exception("%s %s", request.method, request.url.path)
            return _error(500, _("internal error; the server log has the reason"))

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else _("internal error")
    return _error(status, str(detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _error(500, _("internal error; the server log has the reason"))


def create_app(config: ServeConfig, service: Service) -> Starlette:
    """The ASGI application for ``service`` under ``config``."""
    api = Api(config, service)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.close()

    def route(path: str, handler: Handler, method: str, name: str | None = None) -> Route:
        return Route(path, _guarded(handler, config.timeout), methods=[method], name=name)

    routes = [
        route("/translate", api.translate, "POST"),
        route("/detect", api.detect, "POST"),
        route("/languages", api.languages, "GET"),
        route("/translate_file", api.translate_file, "POST"),
        route("/download_file/{name:str}", api.download_file, "GET", name="download_file"),
        route("/frontend/settings", api.frontend_settings, "GET"),
        route("/health", api.health, "GET"),
    ]
    middleware: list[Middleware] = []
    if config.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    handlers: Mapping[Any, Any] = {HTTPException: _http_error, Exception: _server_error}
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers=dict(handlers), lifespan=lifespan
    )
    app.state.service = service  # for benchmarks and tests: the batcher's counters
    return app
