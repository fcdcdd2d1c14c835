"""`tolmach serve`: a LibreTranslate-compatible HTTP API (optional extra ``serve``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.options import (
    Command,
    Glossaries,
    MemoryChoice,
    NoGlossary,
    engine_options,
    memory_options,
    plain_option,
)
from toolkit.i18n import _

if TYPE_CHECKING:
    from toolkit.engines.spec import EngineSpec

HELP = _(
    "Serve LibreTranslate's HTTP API (POST /translate, /detect, /translate_file; GET "
    "/languages, /frontend/settings, /health) over tolmach: detection per item, the "
    "glossary, the translation memory, HTML translated sentence by sentence with its "
    "markup kept, and engine batches shared by concurrent requests. Weblate, "
    "libretranslatepy and other LibreTranslate clients work unchanged. Needs "
    "pip install 'tolmach\\[serve]'.\n\n"
    "It listens on 127.0.0.1 only unless --host says otherwise; with --api-keys every "
    "request needs one of the file's keys.\n\n"
    "Examples:\n\n"
    "  tolmach serve\n\n"
    "  tolmach serve --port 5000 --glossary my-terms.tsv\n\n"
    "  tolmach serve --host 0.0.0.0 --api-keys keys.txt --cors-origin https://example.org"
)


def serve(
    host: Annotated[
        str, typer.Option("--host", help=_("Address to listen on (0.0.0.0: every interface)."))
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help=_("Port."))] = 5000,
    glossary: Glossaries = None,
    no_glossary: NoGlossary = False,
    api_keys: Annotated[
        Path | None,
        plain_option(
            "--api-keys",
            help=_("File of API keys, one a line: every request must carry one (api_key)."),
            metavar="FILE",
        ),
    ] = None,
    max_body: Annotated[
        float, typer.Option("--max-body", help=_("Refuse request bodies larger than this many MB."))
    ] = 2.0,
    max_items: Annotated[
        int, typer.Option("--max-items", min=1, help=_("Texts in one request at most."))
    ] = 128,
    char_limit: Annotated[
        int,
        typer.Option("--char-limit", min=1, help=_("Characters in one request at most.")),
    ] = 50_000,
    timeout: Annotated[
        float, typer.Option("--timeout", help=_("Seconds one request may take at most."))
    ] = 60.0,
    rate_limit: Annotated[
        int,
        typer.Option(
            "--rate-limit",
            min=1,
            help=_("Requests a minute per API key (or per client address without keys)."),
        ),
    ] = 600,
    cors_origin: Annotated[
        list[str] | None,
        plain_option(
            "--cors-origin",
            help=_("Allow browsers on this origin to call the API (repeatable; default: none)."),
            metavar="ORIGIN",
        ),
    ] = None,
    batching: Annotated[
        bool,
        typer.Option(
            "--batching/--no-batching",
            help=_("Share engine batches between concurrent requests."),
        ),
    ] = True,
    batch_wait: Annotated[
        float,
        typer.Option("--batch-wait", help=_("Milliseconds a batch waits for more texts to join.")),
    ] = 5.0,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help=_("Texts in one engine batch at most."))
    ] = 64,
    *,
    spec: EngineSpec,
    memory: MemoryChoice,
) -> None:
    from toolkit import interrupt
    from toolkit.cli.options import max_bytes
    from toolkit.engines import build_engine
    from toolkit.serve import ServeConfig, bind, build_app, run
    from toolkit.serve.config import read_api_keys

    config = ServeConfig(
        host=host,
        port=port,
        api_keys=read_api_keys(api_keys) if api_keys is not None else frozenset(),
        max_body=max_bytes(max_body),
        max_items=max_items,
        max_chars=char_limit,
        timeout=timeout,
        rate_per_minute=rate_limit,
        cors_origins=tuple(cors_origin or ()),
        batching=batching,
        batch_wait_ms=batch_wait,
        batch_texts=batch_size,
        memory=memory.path,
        use_memory=not memory.disabled,
        glossaries=None if no_glossary else tuple(glossary or ()),
    )
    app = build_app(config, build_engine(spec))
    sock = bind(host, port)
    bound = sock.getsockname()
    if host not in ("127.0.0.1", "::1", "localhost") and not config.api_keys:
        typer.echo(
            f"tolmach: {_('warning')}: "
            + _("listening beyond this machine without --api-keys: anyone can use it"),
            err=True,
        )
    typer.echo(
        _("tolmach serve: http://{host}:{port} (batching {state}); Ctrl-C stops it").format(
            host=bound[0], port=bound[1], state=_("on") if batching else _("off")
        ),
        err=True,
    )
    # The server writes no file: Ctrl-C is uvicorn's to handle (it finishes the
    # requests in flight and stops), and the command then ends with exit 0.
    interrupt.finished()
    run(app, sock)


def register(app: typer.Typer) -> None:
    app.command("serve", help=HELP, cls=Command)(engine_options(memory_options(serve)))
