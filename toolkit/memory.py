"""Translation memory: SQLite, keyed by engine, model, pair, glossary and exact text.

A rerun on unchanged input finds every translation here and makes no engine
call. The database is in the user cache folder (``TOLMACH_HOME`` overrides it);
it runs in WAL mode with a busy timeout and retries, so several processes can
read and write it at once without "database is locked" reaching the user.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from toolkit import fuzzy
from toolkit.errors import FileIOError
from toolkit.tmx import ORIGINS, Unit, write_tmx

# Version 1 (user_version 0): the table below without id, origin, file and ntok.
# Version 2 adds them, and a full-text index of the source words of every entry that
# is not a machine translation (the fuzzy-match index; machine entries are the exact
# cache of one engine and are looked up by key only), with tm_df: how many entries
# hold each index word (counted at import; it orders a query's words by rarity).
SCHEMA_VERSION = 2

T = TypeVar("T")
SCHEMA = """
CREATE TABLE IF NOT EXISTS tm (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    glossary TEXT NOT NULL,
    src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL,
    created REAL NOT NULL,
    origin TEXT NOT NULL DEFAULT 'machine',
    file TEXT NOT NULL DEFAULT '',
    ntok INTEGER NOT NULL DEFAULT 0,
    norm TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS tm_pair ON tm (source, target);
CREATE VIRTUAL TABLE IF NOT EXISTS tm_words USING fts5(
    norm, content='tm', content_rowid='id', detail='none',
    tokenize='unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS tm_df (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS tm_words_ins AFTER INSERT ON tm WHEN new.origin != 'machine'
BEGIN
    INSERT INTO tm_words (rowid, norm) VALUES (new.id, new.norm);
END;
CREATE TRIGGER IF NOT EXISTS tm_words_del AFTER DELETE ON tm WHEN old.origin != 'machine'
BEGIN
    INSERT INTO tm_words (tm_words, rowid, norm) VALUES ('delete', old.id, old.norm);
END;
CREATE TRIGGER IF NOT EXISTS tm_words_upd AFTER UPDATE ON tm
BEGIN
    INSERT INTO tm_words (tm_words, rowid, norm)
        SELECT 'delete', old.id, old.norm WHERE old.origin != 'machine';
    INSERT INTO tm_words (rowid, norm)
        SELECT new.id, new.norm WHERE new.origin != 'machine';
END;
"""
_OLD_COLUMNS = "key, engine, source, target, glossary, src_text, tgt_text, created"
_CHUNK = 500  # SQLite variable limit is 999 on old builds


_RANK = "CASE {t}.origin WHEN 'human' THEN 2 WHEN 'imported' THEN 1 ELSE 0 END"
_UPSERT_MACHINE = f"""
INSERT INTO tm ({_OLD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)
ON CONFLICT (key) DO UPDATE SET tgt_text = excluded.tgt_text, created = excluded.created
WHERE tm.origin = 'machine'
"""
# A translation replaces the stored one only if it is at least as trusted: a
# machine or unreviewed translation never overwrites a human one.
_UPSERT = f"""
INSERT INTO tm ({_OLD_COLUMNS}, origin, file, ntok, norm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
ON CONFLICT (key) DO UPDATE SET tgt_text = excluded.tgt_text, created = excluded.created,
    origin = excluded.origin, file = excluded.file, ntok = excluded.ntok, norm = excluded.norm
WHERE {_RANK.format(t="excluded")} >= {_RANK.format(t="tm")}
"""


def _statements(script: str) -> Iterator[str]:
    """The statements of ``script`` (trigger bodies hold semicolons of their own)."""
    current = ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                yield current.strip()
            current = ""


@dataclass(frozen=True, slots=True)
class Match:
    """A stored translation found for a text: its source, translation, similarity
    (0-100, :mod:`toolkit.fuzzy`), origin and the file it was imported from."""

    source_text: str
    target_text: str
    score: float
    origin: str
    file: str


@dataclass(frozen=True, slots=True)
class Reuse:
    """What the memory offers for one text.

    ``kind``: ``exact`` (a human translation of the same text, used as is),
    ``fuzzy`` (a human translation of a text that differs only in numbers,
    placeholders or markup, patched: ``text``), or ``offered`` (a match at or above
    the threshold that cannot be patched safely, or is not a reviewed human one;
    ``text`` is the match's translation, for a person to review).
    """

    kind: str
    text: str
    match: Match


@dataclass(frozen=True, slots=True)
class ImportCounts:
    read: int = 0  # units read from the file
    stored: int = 0  # new or updated
    kept: int = 0  # not stored: a more trusted translation is there already


def _fetch_all(db: sqlite3.Connection, query: str, params: Sequence[str]) -> list[Any]:
    return db.execute(query, params).fetchall()


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
    origins: dict[str, int]


class Memory:
    """A translation memory in one SQLite file.

    Machine translations are an exact cache keyed by engine, model, pair and
    glossary. Human translations (imported from TMX files and translated
    catalogs, :mod:`toolkit.memory_import`) are keyed by pair and text only, and
    their source words are indexed for fuzzy matching (:meth:`fuzzy`).

    ``read_only=True`` answers lookups and ignores :meth:`put_many`: what
    ``translate --dry-run`` uses, so a preview never changes the memory.
    """

    # Postings read per fuzzy lookup at most (the rarest word's are always read).
    # 2,000: on the 1M-segment bench memory (bench/memory.py --tm) 4,000 gave 653
    # lookups per CPU second and 598/600 queries their own segment; 2,000 gave 1,280
    # and 596/600; 1,000 gave 1,788 and 593/600.
    POSTINGS = 2_000
    # Candidates scored exactly per fuzzy lookup, the most shared words first.
    CANDIDATES = 32

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
            self._retry(self._upgrade)
        except sqlite3.DatabaseError as exc:
            raise FileIOError(f"translation memory unusable: {exc}", path=str(self.path)) from None
        except OSError as exc:
            raise FileIOError(
                f"translation memory unusable: {exc.strerror or exc}", path=str(self.path)
            ) from None

    def _upgrade(self) -> None:
        """Create the tables, or bring an older file up to :data:`SCHEMA_VERSION` in
        place. One transaction: another process sees the old file or the new one."""
        db = self._db
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                old = db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tm'"
                ).fetchone()
                if old:  # version 1: machine translations keyed by engine and glossary
                    db.execute("ALTER TABLE tm RENAME TO tm_v1")
                    db.execute("DROP INDEX IF EXISTS tm_pair")
                for statement in _statements(SCHEMA):
                    db.execute(statement)
                if old:
                    db.execute(f"INSERT INTO tm ({_OLD_COLUMNS}) SELECT {_OLD_COLUMNS} FROM tm_v1")
                    db.execute("DROP TABLE tm_v1")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(
                    f"written by a newer tolmach (schema {version};"
                    f" this one reads {SCHEMA_VERSION})"
                )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retry(self, fn: Callable[[], T], attempts: int = 50) -> T:
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
        raise ValueError(f"attempts must be positive, not {attempts}")

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
            query = f"SELECT key, tgt_text FROM tm WHERE key IN ({marks})"
            rows = self._retry(functools.partial(_fetch_all, self._db, query, chunk))
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
            db.executemany(_UPSERT_MACHINE, rows)

    def import_units(self, units: Iterable[Unit], *, file: str = "") -> ImportCounts:
        """Store ``units`` in one transaction (all or nothing: an error while the
        units are read, e.g. a malformed file, leaves the memory unchanged)."""
        read = stored = 0
        now = time.time()
        df: Counter[str] = Counter()
        with self._transaction() as db:
            batch: list[tuple[object, ...]] = []
            for u in units:
                read += 1
                engine, glossary = (u.engine, u.glossary) if u.origin == "machine" else ("", "")
                norm, words = fuzzy.analyse(u.src_text)
                if u.origin != "machine":
                    df.update(words)
                    df[""] += 1  # the empty term counts all human and imported entries
                batch.append(
                    (
                        make_key(engine, u.source, u.target, glossary, u.src_text),
                        engine,
                        u.source,
                        u.target,
                        glossary,
                        u.src_text,
                        u.tgt_text,
                        now,
                        u.origin,
                        file,
                        len(norm),
                        fuzzy.SEP.join(norm),
                    )
                )
                if len(batch) >= 5000:
                    stored += self._store(db, batch, df)
            # rowcount: rows the statement itself wrote (an upsert whose WHERE keeps
            # the stored row writes none), not the index rows of triggers
            stored += self._store(db, batch, df)
        return ImportCounts(read, stored, read - stored)

    @staticmethod
    def _store(db: sqlite3.Connection, batch: list[tuple[object, ...]], df: Counter[str]) -> int:
        stored = max(0, db.executemany(_UPSERT, batch).rowcount) if batch else 0
        db.executemany(
            "INSERT INTO tm_df VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET n = n + excluded.n",
            df.items(),
        )
        batch.clear()
        df.clear()
        return stored

    def exact(self, source: str, target: str, texts: Iterable[str]) -> dict[str, Match]:
        """Human and imported translations stored for exactly these texts."""
        keys = {make_key("", source, target, "", t): t for t in texts}
        found: dict[str, Match] = {}
        key_list = list(keys)
        for i in range(0, len(key_list), _CHUNK):
            chunk = key_list[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT key, src_text, tgt_text, origin, file FROM tm"
                f" WHERE key IN ({marks}) AND origin != 'machine'"
            )
            rows = self._retry(functools.partial(_fetch_all, self._db, query, chunk))
            for key, src, tgt, origin, file in rows:
                found[keys[key]] = Match(src, tgt, 100.0, origin, file)
        return found

    def fuzzy(
        self, text: str, source: str, target: str, min_similarity: float = 75.0, limit: int = 1
    ) -> list[Match]:
        """The human and imported translations whose source is at least
        ``min_similarity`` similar to ``text`` (:mod:`toolkit.fuzzy`), best first.

        An index lookup, not a scan (prefix filtering): a segment that reaches the
        threshold lacks at most :func:`toolkit.fuzzy.missing_budget` of the query's
        tokens, so it holds at least one of the query's ``missing_budget + 1`` rarest
        distinct words (rarest by :attr:`tm_df`, the number of segments that hold
        each word). Only those words' postings in the full-text index are read,
        rarest first, and no more than :attr:`POSTINGS` postings in all (the rarest
        word is always read): beyond that budget the rarest words decide, which is
        what keeps a lookup fast when a memory holds hundreds of variants of one
        sentence. SQLite counts the words each segment shares; the
        :attr:`CANDIDATES` segments sharing most, within the language pair and the
        length bounds the threshold allows, are scored exactly. Ties: more trusted
        origin, then older entry.
        """
        query, words = fuzzy.analyse(text)
        if not words:
            return []
        db = self._db
        marks = ",".join("?" * len(words))
        df = dict(db.execute(f"SELECT term, n FROM tm_df WHERE term IN ({marks})", words))
        present = sorted((n, w) for w, n in df.items() if n > 0)
        # words no segment holds are the rarest of all, and match nothing
        room = fuzzy.missing_budget(len(query), min_similarity) + 1 - (len(words) - len(present))
        chosen: list[str] = []
        total = 0
        for n, word in present[: max(0, room)]:
            if chosen and total + n > self.POSTINGS:
                break
            chosen.append(f'"{word}"')
            total += n
        if not chosen:
            return []
        union = " UNION ALL ".join(
            ["SELECT rowid AS id FROM tm_words WHERE tm_words MATCH ?"] * len(chosen)
        )
        lo, hi = fuzzy.length_bounds(len(query), min_similarity)
        rows = db.execute(
            "SELECT t.id, t.origin, t.norm FROM"
            f" (SELECT id, count(*) AS c FROM ({union}) GROUP BY id"
            f"  ORDER BY c DESC, id LIMIT {int(self.CANDIDATES)}) AS top"
            " JOIN tm AS t ON t.id = top.id"
            " WHERE t.source = ? AND t.target = ? AND t.ntok BETWEEN ? AND ?",
            [*chosen, source, target, lo, hi],
        ).fetchall()
        scored = []
        for row_id, origin, norm in rows:
            score = fuzzy.ratio(query, norm.split(fuzzy.SEP))
            if score >= min_similarity:
                rank = ORIGINS.index(origin) if origin in ORIGINS else len(ORIGINS)
                scored.append((-score, rank, row_id))
        scored.sort()
        best = scored[:limit]
        if not best:
            return []
        texts = {
            r[0]: r[1:]
            for r in db.execute(
                "SELECT id, src_text, tgt_text, origin, file FROM tm"
                f" WHERE id IN ({','.join('?' * len(best))})",
                [row_id for _s, _r, row_id in best],
            )
        }
        out = []
        for neg, _rank, row_id in best:
            src, tgt, origin, file = texts[row_id]
            out.append(Match(src, tgt, -neg, origin, file))
        return out

    def reuse(
        self,
        texts: Iterable[str],
        source: str,
        target: str,
        min_similarity: float | None = 75.0,
        terms: Mapping[str, str] | None = None,
    ) -> dict[str, Reuse]:
        """What the memory offers for each of ``texts`` (absent: nothing).

        An exact human match is used as is; an exact imported one is offered. Then,
        with ``min_similarity`` set, the best fuzzy matches: the first human one that
        :func:`toolkit.fuzzy.patch` can adapt (or, with ``terms``, a glossary's source
        term → target term, :func:`toolkit.fuzzy.patch_terms`) is used patched, else
        the best match is offered.
        """
        out: dict[str, Reuse] = {}
        if self._db.execute("SELECT 1 FROM tm_df WHERE term = ''").fetchone() is None:
            return out  # no human or imported entry: the machine cache alone
        unique = list(dict.fromkeys(texts))
        for text, m in self.exact(source, target, unique).items():
            if m.target_text == "":
                continue
            out[text] = Reuse("exact" if m.origin == "human" else "offered", m.target_text, m)
        if min_similarity is None:
            return out
        for text in unique:
            if text in out:
                continue
            matches = self.fuzzy(text, source, target, min_similarity, limit=5)
            if not matches:
                continue
            for m in matches:
                if m.origin != "human":
                    continue
                patched = fuzzy.patch(text, m.source_text, m.target_text)
                if patched is None and terms:
                    patched = fuzzy.patch_terms(text, m.source_text, m.target_text, terms)
                if patched is not None:
                    out[text] = Reuse("fuzzy", patched, m)
                    break
            else:
                out[text] = Reuse("offered", matches[0].target_text, matches[0])
        return out

    def records(self) -> Iterator[tuple[str, str, str, str, str, str, str, str]]:
        """(source, target, engine, glossary, origin, file, src_text, tgt_text), in a
        stable order."""
        yield from self._db.execute(
            "SELECT source, target, engine, glossary, origin, file, src_text, tgt_text FROM tm"
            " ORDER BY source, target, src_text, origin, engine"
        )

    def stats(self) -> MemoryStats:
        db = self._db
        entries = db.execute("SELECT COUNT(*) FROM tm").fetchone()[0]
        pairs = {
            f"{s}-{t}": n
            for s, t, n in db.execute(
                "SELECT source, target, COUNT(*) FROM tm GROUP BY source, target ORDER BY 1, 2"
            )
        }
        engines = dict(
            db.execute(
                "SELECT engine, COUNT(*) FROM tm WHERE origin = 'machine'"
                " GROUP BY engine ORDER BY 1"
            )
        )
        origins = dict(db.execute("SELECT origin, COUNT(*) FROM tm GROUP BY origin ORDER BY 1"))
        size = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )
        return MemoryStats(str(self.path), entries, pairs, engines, size, origins)

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
            if not where:
                db.execute("DELETE FROM tm_df")
            # after a partial clear tm_df over-counts the deleted entries' words: it
            # only orders words by rarity, so the lookups stay correct
        self._retry(lambda: self._db.execute("VACUUM"))
        return int(n)

    def entries(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(source, target, engine, src_text, tgt_text), in a stable order."""
        yield from self._db.execute(
            "SELECT source, target, engine, src_text, tgt_text FROM tm"
            " ORDER BY source, target, src_text"
        )

    def export_tmx(self) -> str:
        """The memory as TMX 1.4, which CAT tools import; each unit keeps its origin
        (see :func:`toolkit.tmx.write_tmx`)."""
        return "".join(write_tmx(self.records()))
