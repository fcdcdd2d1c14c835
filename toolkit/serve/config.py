"""The server's settings, decided once at the entry (``tolmach serve``) and passed
as one frozen value; and the API keys file reader."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import InputError, UsageError
from toolkit.i18n import _

# Defaults: safe for a server that other programs call on this machine.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
MAX_BODY_BYTES = 2_000_000  # a request body larger than this is refused (413)
MAX_ITEMS = 128  # texts in one /translate request
MAX_CHARS = 50_000  # characters in one request, all texts together
TIMEOUT_S = 60.0  # one request, from its first byte read to its answer
RATE_PER_MINUTE = 600  # requests per minute per API key (or per client address)
# Batching: the queue waits this long after the first text arrives for others
# to join, and closes a batch at this many texts. Measured on 2 cores with an
# Argos-size model (bench/serve.py): batches of 64 keep the engine busy without
# making a small request wait behind a long one for more than one batch.
BATCH_WAIT_MS = 5.0
BATCH_TEXTS = 64
KEYS_FILE_LIMIT = 1_000_000


@dataclass(frozen=True)
class ServeConfig:
    """Every setting of a server. ``api_keys`` empty: no key needed.
    ``glossary`` names the glossaries a request may choose by name (the first
    one, ``default``, is the configured set; None: no glossary at all)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    api_keys: frozenset[str] = frozenset()
    max_body: int = MAX_BODY_BYTES
    max_items: int = MAX_ITEMS
    max_chars: int = MAX_CHARS
    timeout: float = TIMEOUT_S
    rate_per_minute: int = RATE_PER_MINUTE
    cors_origins: tuple[str, ...] = ()
    batching: bool = True
    batch_wait_ms: float = BATCH_WAIT_MS
    batch_texts: int = BATCH_TEXTS
    memory: Path | None = None  # the memory file (None: no memory)
    use_memory: bool = True
    glossaries: tuple[str, ...] | None = field(default=())  # () the configured set

    def __post_init__(self) -> None:
        checks = (
            (self.max_body >= 1, "--max-body"),
            (self.max_items >= 1, "--max-items"),
            (self.max_chars >= 1, "--char-limit"),
            (self.timeout > 0, "--timeout"),
            (self.rate_per_minute >= 1, "--rate-limit"),
            (self.batch_wait_ms >= 0, "--batch-wait"),
            (self.batch_texts >= 1, "--batch-size"),
            (0 <= self.port <= 65535, "--port"),
        )
        for ok, option in checks:
            if not ok:
                raise UsageError(_("{option} is out of range").format(option=option))


def read_api_keys(path: str | os.PathLike[str]) -> frozenset[str]:
    """API keys from a file: one a line; blank lines and ``#`` comments skipped.
    A file with no key is a mistake (the server would let nobody in)."""
    from toolkit.files import read_bytes

    data = read_bytes(path, max_bytes=KEYS_FILE_LIMIT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("API keys files must be UTF-8"), path=str(path)) from None
    keys = frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
    if not keys:
        raise InputError(_("no API key in the file"), path=str(path))
    return keys
