"""Translation memory: SQLite, keyed by engine, model, pair, glossary and exact text.

A rerun on unchanged input finds every translation here and makes no engine
call. The database is in the user cache folder (``TOLMACH_HOME`` overrides it);
it runs in WAL mode with a busy timeout and retries, so several processes can
read and write it at once without "database is locked" reaching the user.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from toolkit.errors import FileIOError

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    glossary TEXT NOT NULL,
    src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tm_pair ON tm (source, target);
"""
_CHUNK = 500  # SQLite variable limit is 999 on old builds


def home() -> Path:
    """tolmach's state folder: ``TOLMACH_HOME`` or the user cache folder."""
    env = os.environ.get("TOLMACH_HOME")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("tolmach"))


def default_path() -> Path:
    return home() / "memory.sqlite3"


def make_key(engine: str, source: str, target: str, glossary: str, text: str) -> str:
    h = hashlib.sha256()
    for part in (engine, source, target, glossary, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class MemoryStats:
    path: str
    entries: int
    pairs: dict[str, int]
    engines: dict[str, int]
    size_bytes: int


class Memory:
    """A translation memory in one SQLite file.

    ``read_only=True`` answers lookups and ignores :meth:`put_many`: what
    ``translate --dry-run`` uses, so a preview never changes the memory.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = 60.0,
        read_only: bool = False,
    ):
        self.path = Path(path) if path is not None else default_path()
        self.timeout = timeout
        self.read_only = read_only
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self._retry(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
            self._db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._retry(lambda: self._db.executescript(SCHEMA))
        except sqlite3.DatabaseError as exc:
            raise FileIOError(f"translation memory unusable: {exc}", path=str(self.path)) from None
        except OSError as exc:
            raise FileIOError(
                f"translation memory unusable: {exc.strerror or exc}", path=str(self.path)
            ) from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retry(self, fn, attempts: int = 50):  # type: ignore[no-untyped-def]
        delay = 0.01
        for i in range(attempts):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                transient = "locked" in str(exc) or "busy" in str(exc)
                if not transient or i == attempts - 1:
                    raise FileIOError(f"translation memory: {exc}", path=str(self.path)) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        return None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._retry(lambda: self._db.execute("BEGIN IMMEDIATE"))
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._retry(lambda: self._db.execute("COMMIT"))

    def get_many(
        self, engine: str, source: str, target: str, glossary: str, texts: Iterable[str]
    ) -> dict[str, str]:
        """Translations already stored for ``texts`` (missing ones are absent)."""
        keys = {make_key(engine, source, target, glossary, t): t for t in texts}
        found: dict[str, str] = {}
        key_list = list(keys)
        for i in range(0, len(key_list), _CHUNK):
            chunk = key_list[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._retry(
                lambda chunk=chunk, marks=marks: self._db.execute(
                    f"SELECT key, tgt_text FROM tm WHERE key IN ({marks})", chunk
                ).fetchall()
            )
            for key, tgt in rows:
                found[keys[key]] = tgt
        return found

    def put_many(
        self,
        engine: str,
        source: str,
        target: str,
        glossary: str,
        pairs: Sequence[tuple[str, str]],
    ) -> None:
        if self.read_only:
            return
        now = time.time()
        rows = [
            (
                make_key(engine, source, target, glossary, s),
                engine,
                source,
                target,
                glossary,
                s,
                t,
                now,
            )
            for s, t in pairs
        ]
        if not rows:
            return
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO tm VALUES (?,?,?,?,?,?,?,?)", rows)

    def stats(self) -> MemoryStats:
        db = self._db
        entries = db.execute("SELECT COUNT(*) FROM tm").fetchone()[0]
        pairs = {
            f"{s}-{t}": n
            for s, t, n in db.execute(
                "SELECT source, target, COUNT(*) FROM tm GROUP BY source, target ORDER BY 1, 2"
            )
        }
        engines = dict(db.execute("SELECT engine, COUNT(*) FROM tm GROUP BY engine ORDER BY 1"))
        size = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )
        return MemoryStats(str(self.path), entries, pairs, engines, size)

    def clear(self, *, source: str | None = None, target: str | None = None) -> int:
        where, args = [], []
        if source:
            where.append("source = ?")
            args.append(source)
        if target:
            where.append("target = ?")
            args.append(target)
        sql = "DELETE FROM tm" + (" WHERE " + " AND ".join(where) if where else "")
        with self._transaction() as db:
            n = db.execute(sql, args).rowcount
        self._retry(lambda: self._db.execute("VACUUM"))
        return int(n)

    def entries(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(source, target, engine, src_text, tgt_text), in a stable order."""
        yield from self._db.execute(
            "SELECT source, target, engine, src_text, tgt_text FROM tm"
            " ORDER BY source, target, src_text"
        )

    def export_tmx(self) -> str:
        """The memory as TMX 1.4, which CAT tools import."""
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<tmx version="1.4">',
            '  <header creationtool="tolmach" creationtoolversion="0.1.0" datatype="plaintext"'
            ' segtype="sentence" adminlang="en" srclang="*all*" o-tmf="tolmach"/>',
            "  <body>",
        ]
        for source, target, engine, src, tgt in self.entries():
            out.append(f'    <tu>\n      <prop type="x-engine">{escape(engine)}</prop>')
            out.append(f"      <tuv xml:lang={quoteattr(source)}><seg>{escape(src)}</seg></tuv>")
            out.append(f"      <tuv xml:lang={quoteattr(target)}><seg>{escape(tgt)}</seg></tuv>")
            out.append("    </tu>")
        out += ["  </body>", "</tmx>", ""]
        return "\n".join(out)
