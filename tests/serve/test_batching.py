"""The batching queue: shared batches, fairness, and requests that give up."""

from __future__ import annotations

import asyncio
import contextlib
import time
from concurrent.futures import ThreadPoolExecutor

from toolkit.serve.batching import Batcher


class _Engine:
    """Records each batch; ``delay`` seconds per text (a slow engine)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.batches: list[list[str]] = []

    def __call__(self, texts: list[str], source: str, target: str, glossary: str) -> list[str]:
        self.batches.append(list(texts))
        time.sleep(self.delay * len(texts))
        return [f"{source}>{target}:{t}" for t in texts]


def _run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_requests_of_one_pair_share_a_batch() -> None:
    engine = _Engine()

    async def main() -> list[list[str]]:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, wait_s=0.05, max_texts=64)
            await batcher.start()
            try:
                return await asyncio.gather(
                    *(batcher.translate([f"a{i}", f"b{i}"], "ru", "en") for i in range(10))
                )
            finally:
                await batcher.close()

    out = _run(main())
    assert out == [[f"ru>en:a{i}", f"ru>en:b{i}"] for i in range(10)]
    assert len(engine.batches) == 1
    assert len(engine.batches[0]) == 20


def test_pairs_and_glossaries_are_batched_apart() -> None:
    engine = _Engine()

    async def main() -> None:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, wait_s=0.05)
            await batcher.start()
            await asyncio.gather(
                batcher.translate(["x"], "ru", "en"),
                batcher.translate(["y"], "uk", "en"),
                batcher.translate(["z"], "ru", "en", "none"),
                batcher.translate(["w"], "ru", "en"),
            )
            await batcher.close()

    _run(main())
    assert sorted(map(sorted, engine.batches)) == [["w", "x"], ["y"], ["z"]]


def test_a_long_request_does_not_hold_a_short_one() -> None:
    """500 texts arrive first, one text just after: the short request is in the
    first batches (round-robin), done long before the long one."""
    engine = _Engine(delay=0.002)
    done: list[str] = []

    async def ask(name: str, texts: list[str], batcher: Batcher, after: float = 0) -> None:
        await asyncio.sleep(after)
        await batcher.translate(texts, "ru", "en")
        done.append(name)

    async def main() -> None:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, wait_s=0.001, max_texts=16)
            await batcher.start()
            await asyncio.gather(
                ask("long", [f"t{i}" for i in range(500)], batcher),
                ask("short", ["s"], batcher, after=0.01),
            )
            await batcher.close()

    _run(main())
    assert done == ["short", "long"]
    first_with_short = next(i for i, b in enumerate(engine.batches) if "s" in b)
    assert first_with_short <= 3  # the next batch after it arrived (a slow machine: a few)
    assert len(engine.batches) >= 500 // 16


def test_a_request_that_gives_up_leaves_the_queue() -> None:
    engine = _Engine(delay=0.05)

    async def main() -> list[str]:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, wait_s=0.0, max_texts=1)
            await batcher.start()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(batcher.translate(["a", "b", "c", "d"], "ru", "en"), 0.01)
            out = await batcher.translate(["z"], "ru", "en")
            await batcher.close()
            return out

    assert _run(main()) == ["ru>en:z"]
    # the abandoned request's texts stopped being sent after it gave up
    assert sum(len(b) for b in engine.batches) < 5


def test_batching_off_is_one_run_per_request() -> None:
    engine = _Engine()

    async def main() -> None:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, enabled=False)
            await batcher.start()
            await asyncio.gather(*(batcher.translate([f"t{i}"], "ru", "en") for i in range(8)))
            await batcher.close()

    _run(main())
    assert len(engine.batches) == 8


def test_an_engine_failure_reaches_its_requests_only() -> None:
    def run(texts: list[str], source: str, target: str, glossary: str) -> list[str]:
        if source == "uk":
            raise RuntimeError("boom")
        return texts

    async def main() -> tuple[object, object]:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(run, worker, wait_s=0.02)
            await batcher.start()
            results = await asyncio.gather(
                batcher.translate(["x"], "uk", "en"),
                batcher.translate(["y"], "ru", "en"),
                return_exceptions=True,
            )
            await batcher.close()
            return results[0], results[1]

    failed, ok = _run(main())
    assert isinstance(failed, RuntimeError)
    assert ok == ["y"]


def test_clients_answered_by_a_batch_join_the_next_one() -> None:
    """Clients that send their next text as soon as they are answered (as the
    benchmark's do) stay in one batch: the next batch waits a little for them
    rather than taking the first to return alone, so batches do not halve."""
    engine = _Engine(delay=0.01)  # a batch of 16 texts takes ~160 ms

    async def client(batcher: Batcher, n: int, rounds: int) -> None:
        for r in range(rounds):
            await batcher.translate([f"{n}-{r}"], "ru", "en")
            await asyncio.sleep(0.002 * (n % 4))  # answers reach clients a few ms apart

    async def main() -> None:
        with ThreadPoolExecutor(1) as worker:
            batcher = Batcher(engine, worker, wait_s=0.001, max_texts=64)
            await batcher.start()
            try:
                await asyncio.gather(*(client(batcher, n, 5) for n in range(16)))
            finally:
                await batcher.close()

    _run(main())
    sizes = [len(b) for b in engine.batches]
    assert sum(sizes) == 80
    # 16 clients x 5 rounds: one batch a round (taking turns in halves: about 9)
    assert len(sizes) <= 7, sizes
