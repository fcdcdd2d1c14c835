"""Batching across requests: the sentences of concurrent requests share engine batches.

A request hands its texts to :meth:`Batcher.translate` and awaits them. One
asyncio task forms batches: when a text arrives at an idle queue it waits
``wait_s`` (a few milliseconds) for others to join, or until ``max_texts``
texts of one language pair are queued, then runs the batch in the worker
thread (the engine releases the GIL, so the event loop keeps reading requests)
while the next batch fills. A batch that is not full when the last one ends
waits a little (a tenth of the last batch's time, at most a quarter second) for
the clients just answered to send their next texts: otherwise the clients split
into two halves that take turns, and every batch is half as large.

One slow request does not hold the others:

* a batch takes texts round-robin from the requests of its pair, so a request
  of 500 texts gets one slot in turn with a request of one text, and the small
  one is done after the first batch;
* after a batch, the requests that took part go to the back of the queue, so
  another pair's request is served next;
* a request that gives up (its timeout, or the client went away) leaves the
  queue; texts of it already in a batch are translated and dropped.

With ``enabled=False`` (``tolmach serve --no-batching``, the benchmark's
baseline) each request is one engine run of its own texts, one at a time: what
a server that translates request by request does.

The worker is one thread: the engine's models and the translation memory's
SQLite connection live there.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

# A batch that is not full waits for more texts: ``wait_s`` after an idle queue; after a
# batch, a share of that batch's time (at most REFILL_MAX_S), so that the clients it
# answered can join the next one; a full batch never waits.
REFILL_SHARE = 0.1
REFILL_MAX_S = 0.25

# texts, source, target, glossary name -> translations (same length and order)
Run = Callable[[list[str], str, str, str], list[str]]
Key = tuple[str, str, str]  # source, target, glossary name


@dataclass(eq=False)
class _Job:
    key: Key
    texts: list[str]
    future: asyncio.Future[list[str]]
    results: list[str] = field(default_factory=list)
    given: int = 0  # texts handed to batches
    left: int = 0  # texts not translated yet

    def __post_init__(self) -> None:
        self.results = list(self.texts)
        self.left = len(self.texts)


class Batcher:
    """The queue between requests and the engine (see the module docstring).

    ``batches``: engine runs so far; ``texts``: texts sent in them."""

    def __init__(
        self,
        run: Run,
        worker: Executor,
        *,
        wait_s: float = 0.005,
        max_texts: int = 64,
        enabled: bool = True,
    ) -> None:
        self._run = run
        self._worker = worker
        self.wait_s = wait_s
        self.max_texts = max(1, max_texts)
        self.enabled = enabled
        self.batches = 0
        self.texts = 0
        self._last_end = 0.0  # when the last batch ended (time.monotonic)
        self._refill_s = 0.0  # how long after it the next batch may wait for its clients
        self._jobs: list[_Job] = []  # jobs with texts not handed out yet, oldest first
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the batching task (in the server's event loop)."""
        self._wake = asyncio.Event()
        if self.enabled:
            self._task = asyncio.create_task(self._loop())

    async def close(self) -> None:
        """Stop the batching task; requests still waiting are cancelled."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for job in self._jobs:
            job.future.cancel()
        self._jobs.clear()

    async def translate(
        self, texts: Sequence[str], source: str, target: str, glossary: str = ""
    ) -> list[str]:
        """The translations of ``texts`` (same length and order)."""
        if not texts:
            return []
        loop = asyncio.get_running_loop()
        if not self.enabled:
            self.batches += 1
            self.texts += len(texts)
            return await loop.run_in_executor(
                self._worker, self._run, list(texts), source, target, glossary
            )
        if self._wake is None:
            raise RuntimeError("Batcher.start() was not awaited")
        job = _Job((source, target, glossary), list(texts), loop.create_future())
        self._jobs.append(job)
        self._wake.set()
        try:
            return await job.future
        except asyncio.CancelledError:
            if job in self._jobs:
                self._jobs.remove(job)
            raise

    # --- the batching task ------------------------------------------------------------------

    def _queued(self, key: Key) -> int:
        return sum(len(j.texts) - j.given for j in self._jobs if j.key == key)

    async def _fill(self, wait_s: float) -> None:
        """Wait up to ``wait_s`` for more texts, or until the first pair has a full batch."""
        assert self._wake is not None
        deadline = time.monotonic() + wait_s
        while self._jobs and self._queued(self._jobs[0].key) < self.max_texts:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), remaining)
            except asyncio.TimeoutError:
                return

    def _take(self) -> tuple[Key, list[tuple[_Job, int]]]:
        """The next batch: the oldest job's pair, texts round-robin over its jobs."""
        key = self._jobs[0].key
        active = [j for j in self._jobs if j.key == key]
        parts: list[tuple[_Job, int]] = []
        while active and len(parts) < self.max_texts:
            still = []
            for job in active:
                if len(parts) >= self.max_texts:
                    break
                parts.append((job, job.given))
                job.given += 1
                if job.given < len(job.texts):
                    still.append(job)
            active = still
        served = {id(job) for job, _i in parts}
        waiting = [j for j in self._jobs if j.given < len(j.texts)]
        # the jobs that took part go behind the others (another pair is served next)
        self._jobs = [j for j in waiting if id(j) not in served] + [
            j for j in waiting if id(j) in served
        ]
        return key, parts

    async def _loop(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            if not self._jobs:
                self._wake.clear()
                await self._wake.wait()
            # ``wait_s`` for others to join; and the clients answered by the last batch,
            # if it ended just now, are sending their next texts: a batch that waits for
            # them is fuller (otherwise the clients take turns in two halves)
            now = time.monotonic()
            await self._fill(max(self.wait_s, self._last_end + self._refill_s - now))
            if not self._jobs:  # every waiting request gave up
                continue
            key, parts = self._take()
            texts = [job.texts[i] for job, i in parts]
            jobs = list({id(job): job for job, _i in parts}.values())
            self.batches += 1
            self.texts += len(texts)
            started = time.monotonic()
            try:
                out = await loop.run_in_executor(self._worker, self._run, texts, *key)
            except Exception as exc:
                for job in jobs:
                    if job in self._jobs:
                        self._jobs.remove(job)
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            self._last_end = time.monotonic()
            self._refill_s = min(REFILL_SHARE * (self._last_end - started), REFILL_MAX_S)
            for (job, i), text in zip(parts, out, strict=True):
                job.results[i] = text
                job.left -= 1
            for job in jobs:
                if job.left == 0 and not job.future.done():
                    job.future.set_result(job.results)
