"""``tolmach serve``: a LibreTranslate-compatible HTTP API over tolmach's pipeline.

Programs that speak LibreTranslate's API (Weblate's machine translation,
wagtail-localize, browser extensions, ``libretranslatepy``,
``libretranslate-aio``) can point at it unchanged, and get what LibreTranslate
lacks: detection per item, the glossary, the translation memory, HTML whose
sentences are translated whole across inline markup, and engine batches shared
by concurrent requests (:mod:`toolkit.serve.batching`).

Layout: :mod:`~toolkit.serve.config` (settings, decided once),
:mod:`~toolkit.serve.batching` (the queue), :mod:`~toolkit.serve.service` (the
pipeline behind the endpoints), :mod:`~toolkit.serve.limits` (rate limit, file
store), :mod:`~toolkit.serve.app` (the HTTP layer, Starlette). The web
libraries are an optional extra, ``pip install 'tolmach[serve]'``; nothing here
imports them until a server is built.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

from toolkit.errors import MissingDependencyError, NetworkError
from toolkit.i18n import _
from toolkit.serve.config import ServeConfig

if TYPE_CHECKING:
    from toolkit.engines import Engine
    from toolkit.serve.service import Catalogue

__all__ = ["ServeConfig", "bind", "build_app", "run"]


def _require_extra() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(
            _("tolmach serve needs the serve extra ({err}); pip install 'tolmach[serve]'").format(
                err=exc
            )
        ) from None


def build_app(
    config: ServeConfig,
    engine: Engine,
    *,
    catalogue: Catalogue | None = None,
) -> Any:
    """The ASGI application: ``engine`` behind LibreTranslate's API. ``catalogue``:
    the languages offered (default: the installed packages')."""
    _require_extra()
    from toolkit.serve.app import create_app
    from toolkit.serve.service import Catalogue, Glossaries, Service

    service = Service(
        config,
        engine,
        catalogue if catalogue is not None else Catalogue.installed(),
        Glossaries.load(config.glossaries),
    )
    return create_app(config, service)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), or one error line."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise NetworkError(
            _("cannot listen on {host}:{port}: {err}").format(host=host, port=port, err=exc)
        ) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise NetworkError(
            _("cannot listen on {host}:{port}: {err}").format(
                host=host, port=port, err=exc.strerror or exc
            )
        ) from None
    sock.set_inheritable(True)
    return sock


def run(app: Any, sock: socket.socket, *, log_level: str = "info") -> None:
    """Serve ``app`` on ``sock`` with uvicorn until interrupted."""
    _require_extra()
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level=log_level,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])
