"""What keeps one client from taking the server: a per-key rate limit and
a bounded store of translated files."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


class RateLimiter:
    """A token bucket per key (an API key, or the client's address): ``per_minute``
    requests a minute, with bursts up to that many. Buckets that are full again are
    forgotten, so the table stays small whatever the number of clients."""

    MAX_KEYS = 10_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def allow(self, key: str) -> bool:
        """Take one request from ``key``'s bucket; False when it is empty."""
        now = self._clock()
        tokens, when = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - when) * self.rate)
        if len(self._buckets) >= self.MAX_KEYS:
            self._forget_full(now)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True

    def _forget_full(self, now: float) -> None:
        for key, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.capacity:
                del self._buckets[key]


@dataclass(frozen=True)
class StoredFile:
    name: str  # the file name the client sent
    data: bytes
    when: float


class FileStore:
    """Translated files until they are downloaded (``/download_file``): in memory,
    the newest ``max_files`` and at most ``max_bytes`` together, for ``ttl`` seconds."""

    def __init__(self, max_files: int = 64, max_bytes: int = 64_000_000, ttl: float = 3600) -> None:
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._files: OrderedDict[str, StoredFile] = OrderedDict()

    def put(self, key: str, name: str, data: bytes) -> None:
        self._files[key] = StoredFile(name, data, time.monotonic())
        self._trim()

    def get(self, key: str) -> StoredFile | None:
        self._trim()
        return self._files.get(key)

    def _trim(self) -> None:
        now = time.monotonic()
        total = sum(len(f.data) for f in self._files.values())
        while self._files:
            oldest = next(iter(self._files.values()))
            if (
                len(self._files) <= self.max_files
                and total <= self.max_bytes
                and now - oldest.when <= self.ttl
            ):
                break
            _key, dropped = self._files.popitem(last=False)
            total -= len(dropped.data)
