"""`tolmach serve` under load: batching across requests on vs off (and LibreTranslate).

    python bench/serve.py [--clients 32] [--seconds 15] [--data ../shared/data]
        [--libretranslate-python PATH]

A server on a free loopback port, an Argos-size random ru→en package (6+6
layers, d_model 512, 8 heads, FFN 2048, 32k vocabulary, int8, built offline by
tests/support/argos_pkg.py; every sentence decodes exactly L(n) tokens, see
bench/common.py), no memory, no glossary. ``--clients`` concurrent clients
each send requests of 1-3 FLORES-200 Russian devtest sentences (JSON, as
Weblate sends them) for ``--seconds``, then finish what they sent. Printed per
mode: requests, sentences, sentences/s, p50/p99 latency of a request, engine
runs; and the throughput ratio of batching on over off.

``--libretranslate-python PATH``: the Python of a separate venv with
``pip install libretranslate`` (never tolmach's own): LibreTranslate is started
offline on the same package (through bench/libretranslate_fixed.py, so its
sentences decode the same L(n) tokens, with the same beam) and gets the same
load. LibreTranslate goes to the network at start-up when fewer than two
packages are installed (``check_and_install_models``: "Updating language
models", then argostranslate's index download retried without end offline), so
an identity en→ru package is installed beside ru→en; it was never called.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


@contextmanager
def serving(app: Any) -> Iterator[str]:
    import uvicorn

    from toolkit.serve import bind

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


async def load(url: str, sentences: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` loops sending 1-3 sentences per request until ``seconds`` pass."""
    import httpx

    rng = random.Random(0)
    pool = iter(sentences * 100)
    latencies: list[float] = []
    sent = 0
    failures = 0
    stop = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal sent, failures
        while time.perf_counter() < stop:
            q = [next(pool) for _i in range(rng.randint(1, 3))]
            t = time.perf_counter()
            r = await http.post(
                url + "/translate", json={"q": q, "source": "ru", "target": "en", "api_key": ""}
            )
            if r.status_code != 200 or len(r.json()["translatedText"]) != len(q):
                failures += 1
                continue
            latencies.append(time.perf_counter() - t)
            sent += len(q)

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=600, limits=limits) as http:
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _i in range(clients)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "sentences": sent,
        "failures": failures,
        "seconds": elapsed,
        "rate": sent / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
        if latencies
        else float("nan"),
    }


def row(name: str, m: dict[str, Any], extra: str = "") -> None:
    print(
        f"{name:<28} {m['requests']:>5} req {m['sentences']:>5} sent in {m['seconds']:6.1f} s "
        f"= {m['rate']:6.2f} sent/s   p50 {m['p50'] * 1000:7.0f} ms   p99 "
        f"{m['p99'] * 1000:7.0f} ms   {extra}"
        + (f"   FAILED {m['failures']}" if m["failures"] else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--libretranslate-python", type=Path, default=None)
    parser.add_argument("--beam", type=int, default=None, help="default: tolmach's")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tolmach-bench-serve-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    from common import fixed_length_engine, isolate

    isolate(tmp, args.data)
    from tests.support.argos_pkg import build_package
    from toolkit import models
    from toolkit.serve import ServeConfig, build_app

    flores = args.data / "flores200_devtest" / "rus_Cyrl.devtest"
    if not flores.is_file():
        sys.exit(f"bench/serve.py: {flores} is missing (../shared/data)")
    sentences = [s for s in flores.read_text(encoding="utf-8").splitlines() if s.strip()]
    random.Random(1).shuffle(sentences)
    t = time.perf_counter()
    package = build_package(
        tmp / "built", kind="random", size="argos", from_code="ru", to_code="en"
    )
    models.install_from_file(package)
    print(f"package: ru→en Argos-size random, built in {time.perf_counter() - t:.1f} s")
    from toolkit.engines.spec import DEFAULT_BEAM

    args.beam = args.beam or DEFAULT_BEAM
    print(
        f"load: {args.clients} concurrent clients, 1-3 FLORES ru sentences a request, "
        f"{args.seconds:g} s each; beam {args.beam}; cores: {os.cpu_count()}, device {args.device}"
    )
    results = {}
    for batching in (True, False):
        engine = fixed_length_engine(device=args.device, beam_size=args.beam)
        engine.translate_batch(["Прогрев."], "ru", "en")  # load the model outside the timing
        config = ServeConfig(
            batching=batching,
            use_memory=False,
            glossaries=None,
            rate_per_minute=10**9,
            timeout=600,
            max_items=10,
        )
        app = build_app(config, engine)
        with serving(app) as url:
            m = asyncio.run(load(url, sentences, args.clients, args.seconds))
        batcher = app.state.service.batcher
        name = "tolmach serve, batching " + ("on" if batching else "off")
        row(name, m, f"{batcher.batches} engine runs ({batcher.texts} texts)")
        results[batching] = m
    ratio = results[True]["rate"] / results[False]["rate"]
    print(f"throughput ratio, batching on / off: {ratio:.2f}×")
    if args.libretranslate_python:
        models.install_from_file(
            build_package(tmp / "built", kind="identity", from_code="en", to_code="ru")
        )
        lt = libretranslate(args, sentences)
        if lt is not None:
            versus = results[True]["rate"] / lt["rate"]
            print(f"throughput ratio, tolmach serve / LibreTranslate: {versus:.2f}×")


def libretranslate(args: argparse.Namespace, sentences: list[str]) -> dict[str, Any] | None:
    """LibreTranslate itself, offline, on the same installed package."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env["ARGOS_BEAM_SIZE"] = str(args.beam)
    env["ARGOS_DEVICE_TYPE"] = args.device
    env.pop("PYTHONPATH", None)
    log = Path(os.environ["TOLMACH_HOME"]).parent / "libretranslate.log"
    command = [
        str(args.libretranslate_python),
        str(ROOT / "bench" / "libretranslate_fixed.py"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--load-only",
        "ru,en",
        "--disable-web-ui",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                up = httpx.get(url + "/languages", timeout=2).status_code == 200
            except httpx.HTTPError:
                up = False
            if up:
                break
            time.sleep(1)
        try:
            if not up:
                tail = log.read_text(errors="replace").strip().splitlines()[-6:]
                state = (
                    f"exited {proc.returncode}" if proc.poll() is not None else "no answer in 120 s"
                )
                print(f"LibreTranslate could not start offline ({state}):")
                for line in tail:
                    print(f"    {line}")
                return None
            probe = httpx.post(
                url + "/translate",
                json={"q": sentences[0], "source": "ru", "target": "en"},
                timeout=600,
            )
            print(f"LibreTranslate is up; a probe translation: HTTP {probe.status_code}")
            m = asyncio.run(load(url, sentences, args.clients, args.seconds))
            row("LibreTranslate", m, "(argostranslate per item, waitress)")
            return m
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
