"""A real uvicorn server on a free loopback port, for the serve tests.

``serve_on(config, engine)`` builds tolmach's app (the languages offered: the
Argos packages installed by the test) and serves it from a thread; the test
gets the base URL. The server stops when the test ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def _running(app: Any) -> Iterator[str]:
    import uvicorn

    from toolkit.serve import bind

    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()


@pytest.fixture
def ru_en(install_argos: Callable[..., Path]) -> Path:
    """A real Argos ru→en package (an identity model: it copies its input)."""
    return install_argos(kind="identity", from_code="ru", to_code="en")


@pytest.fixture
def serve_on(tmp_path: Path) -> Callable[..., AbstractContextManager[str]]:
    """``with serve_on(engine=..., **config) as url:`` a running server."""
    from toolkit.engines import get_engine
    from toolkit.serve import ServeConfig, build_app

    def start(engine: Any = None, **options: Any) -> AbstractContextManager[str]:
        options.setdefault("memory", tmp_path / "tm.sqlite3")
        config = ServeConfig(**options)
        return _running(build_app(config, engine if engine is not None else get_engine("argos")))

    return start
