"""Reading, walking and atomically writing the user's files.

Everything that touches the disk for documents goes through here, so the
contracts hold in one place: decoding keeps the BOM and newline style so a
render can be encoded back byte for byte, and writes are atomic (temp file in
the same folder, fsync, ``os.replace``) and keep the file's mode.
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import FileIOError, InputError, UsageError
from toolkit.i18n import _

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PO_CHARSET_RE = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    bom: bytes


def decode(data: bytes, path: str | None = None) -> Decoded:
    """Decode file bytes, keeping what is needed to encode them back unchanged.

    UTF-8 first (with or without BOM), then UTF-16/32 by BOM, then the charset
    an HTML ``<meta>`` or PO header declares. Binary content (NUL bytes
    without a UTF-16/32 BOM) and undecodable bytes raise :class:`InputError`.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(enc), enc, bom)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {enc} text (byte {exc.start})", path=path) from None
    if b"\x00" in data:  # anywhere, not only near the start
        raise InputError("binary file (contains NUL bytes); expected text", path=path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", b"")
    except UnicodeDecodeError as exc:
        first_error = exc.start
    declared = _CHARSET_RE.search(data[:4096]) or _PO_CHARSET_RE.search(data[:4096])
    if declared:
        enc = declared.group(1).decode("ascii", "replace")
        try:
            codecs.lookup(enc)
            return Decoded(data.decode(enc), enc, b"")
        except (LookupError, UnicodeDecodeError):
            pass
    raise InputError(
        f"not UTF-8 text (invalid byte at offset {first_error}) and no usable declared charset",
        path=path,
    )


STREAM_BLOCK_BYTES = 1 << 20  # a streamed block: about 1 MB of whole lines


def utf8_blocks(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    block_bytes: int | None = None,
) -> Callable[[], Iterator[str]] | None:
    """A reader of a UTF-8 file's decoded text in blocks of whole lines, which never
    holds the whole file.

    Each call of the returned function reads the file again from the start. Each block
    but the last ends just after a ``\n``; their concatenation is what :func:`decode`
    returns (BOM removed). A first pass reads the whole file once
    through an incremental decoder, keeping nothing, so that the size limit
    (``max_bytes``, on the bytes actually read) and invalid bytes are reported
    before any block is given out. Returns None when the file is not plain UTF-8
    (another BOM, NUL bytes, an invalid byte): :func:`decode` on the whole file then
    decides what it is, as for any file. Memory: about ``block_bytes`` (default
    :data:`STREAM_BLOCK_BYTES`) plus the longest line.
    """
    block_bytes = block_bytes or STREAM_BLOCK_BYTES
    with os.fdopen(_open_regular(path), "rb") as handle:
        try:
            head = handle.read(8192)
            if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8"):
                return None
            decoder = codecs.getincrementaldecoder("utf-8")()
            size = len(head)
            chunk = head
            while chunk:
                if b"\x00" in chunk:
                    return None  # binary: decode() on the whole file says so
                decoder.decode(chunk)
                _check_limit(path, size, max_bytes)
                chunk = handle.read(block_bytes)
                size += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
        except OSError as exc:
            raise _os_error(exc, str(path)) from None
    return lambda: _utf8_block_iter(path, block_bytes)


def _block_end(text: str) -> int:
    """Where a streamed block may end: after the last blank line (a paragraph, which
    the text format keeps whole, never spans it), else after the last line break."""
    lf, crlf = text.rfind("\n\n"), text.rfind("\n\r\n")
    if lf >= 0 or crlf >= 0:
        return max(lf + 2 if lf >= 0 else 0, crlf + 3 if crlf >= 0 else 0)
    return text.rfind("\n") + 1


def _utf8_block_iter(path: str | os.PathLike[str], block_bytes: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest = ""
    with os.fdopen(_open_regular(path), "rb") as handle:
        while True:
            chunk = handle.read(block_bytes)
            text = rest + decoder.decode(chunk, final=not chunk)
            if not chunk:
                if text:
                    yield text
                return
            cut = _block_end(text)
            if cut:
                yield text[:cut]
                rest = text[cut:]
            else:
                rest = text


def encode(text: str, encoding: str = "utf-8", bom: bytes = b"") -> bytes:
    return bom + text.encode(encoding)


def encode_or_fail(text: str, encoding: str, bom: bytes, path: str | None) -> bytes:
    """A catalog's text in its own charset; a character the charset lacks is
    one :class:`InputError` line naming it."""
    try:
        return bom + text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise InputError(
            _("a translation cannot be written in the catalog's charset")
            + f" {encoding}: {exc.reason}",
            path=path,
        ) from None


@contextlib.contextmanager
def xml_errors(kind: str, path: str | None, external: str) -> Iterator[None]:
    """Parse errors of defusedxml and ElementTree as one :class:`InputError`
    line about a ``kind`` file (``TBX``, ``TMX``); ``external`` is the message for
    an external reference or a forbidden DTD."""
    import defusedxml

    try:
        yield
    except defusedxml.EntitiesForbidden:
        raise InputError(
            _("{kind} declares XML entities (possible entity-expansion attack); refused").format(
                kind=kind
            ),
            path=path,
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise InputError(external, path=path) from None
    except defusedxml.DefusedXmlException as exc:
        raise InputError(_("unsafe XML refused: {e}").format(e=exc), path=path) from None
    except (SyntaxError, LookupError, ValueError) as exc:
        # ParseError is a SyntaxError; LookupError/ValueError: an unknown encoding declared
        raise InputError(_("malformed {kind}: {e}").format(kind=kind, e=exc), path=path) from None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return _("a FIFO")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def _os_error(exc: OSError, where: str) -> FileIOError:
    if isinstance(exc, FileNotFoundError):
        return FileIOError(_("no such file"), path=where)
    if isinstance(exc, IsADirectoryError):
        return FileIOError(_("is a directory"), path=where)
    if isinstance(exc, PermissionError):
        return FileIOError(_("permission denied"), path=where)
    return FileIOError(exc.strerror or str(exc), path=where)


def check_regular(path: str | os.PathLike[str]) -> os.stat_result:
    """``stat`` a file (following links) and refuse anything but a regular file.

    FIFOs, devices, sockets and links to them are refused with one line
    (DESIGN.md, contract 14) without ever being opened, so nothing blocks.
    """
    where = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc, where) from None
    if stat.S_ISDIR(st.st_mode):
        raise FileIOError(_("is a directory"), path=where)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(
            _("{kind}, not a regular file; skipped").format(kind=_kind(st.st_mode)), path=where
        )
    return st


def _open_regular(path: str | os.PathLike[str]) -> int:
    """A descriptor of ``path`` opened for reading, known to be a regular file: it is
    opened with ``O_NONBLOCK`` (a FIFO swapped in after :func:`check_regular`
    cannot block the open) and checked again with ``fstat``."""
    where = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc, where) from None
    try:
        opened = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _os_error(exc, where) from None
    if not stat.S_ISREG(opened.st_mode):
        os.close(fd)
        raise InputError(
            _("{kind}, not a regular file; skipped").format(kind=_kind(opened.st_mode)),
            path=where,
        )
    return fd


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """Read a regular file, at most ``max_bytes`` (None or 0: no limit).

    Only regular files are read: the type is checked with ``stat`` first, the
    file is opened with ``O_NONBLOCK`` (a FIFO swapped in after the check
    cannot block the open) and checked again with ``fstat``. The limit is
    checked on the bytes actually read, not on the size ``stat`` reports.
    """
    where = str(path)
    _check_limit(path, check_regular(path).st_size, max_bytes)
    fd = _open_regular(path)
    try:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if max_bytes and total > max_bytes:  # it grew, or stat does not know its size
                raise InputError(
                    _("file too large (more than {limit:.1f} MB, see --max-size)").format(
                        limit=max_bytes / 1e6
                    ),
                    path=where,
                )
            chunks.append(chunk)
    except OSError as exc:
        raise _os_error(exc, where) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def check_size(path: str | os.PathLike[str], max_bytes: int | None) -> int:
    """The size of a regular file (see :func:`check_regular`); a file over
    ``max_bytes`` (None or 0: no limit) is refused before it is read, so memory
    stays bounded. Readers still check the bytes they actually read."""
    size = check_regular(path).st_size
    _check_limit(path, size, max_bytes)
    return size


def _check_limit(path: str | os.PathLike[str], size: int, max_bytes: int | None) -> None:
    """The one size limit: over ``max_bytes`` (None or 0: no limit) is refused."""
    if max_bytes and size > max_bytes:
        raise InputError(
            _("file too large ({size:.1f} MB; the limit is {limit:.1f} MB, see --max-size)").format(
                size=size / 1e6, limit=max_bytes / 1e6
            ),
            path=str(path),
        )


def read_text(path: str | os.PathLike[str]) -> Decoded:
    return decode(read_bytes(path), str(path))


def _writable_bits(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o222)
    except OSError:
        return True


# atomic_write's temporary files: ".NAME." + mkstemp's 8 random characters + ".tmp"
_TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_TEMP_SECONDS = 600
_swept: set[str] = set()


def remove_stale_temps(
    folder: str | os.PathLike[str], *, older_than: float = STALE_TEMP_SECONDS
) -> list[Path]:
    """Remove temporary files a killed tolmach left in ``folder``.

    Only names of the form ``.NAME.XXXXXXXX.tmp`` (as :func:`atomic_write`
    makes them), only regular files (never links) owned by this user, and only
    when unmodified for ``older_than`` seconds: a live write holds its temp
    file for milliseconds, so a ten-minute-old one belongs to a dead process.
    :func:`atomic_write` calls this once per folder per process.
    """
    import time

    now = time.time()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_RE.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            continue
        if now - st.st_mtime < older_than:
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _sweep_once(folder: Path) -> None:
    key = os.path.realpath(folder)
    if key not in _swept:
        _swept.add(key)
        remove_stale_temps(folder)


def unchanged(path: str | os.PathLike[str], expected: bytes) -> bool:
    """Whether ``path`` still holds exactly ``expected`` (size first, then bytes)."""
    try:
        if os.stat(path).st_size != len(expected):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(expected) + 1) == expected
    except OSError:
        return False


def writable_folder(folder: Path) -> bool:
    """Whether tolmach may write in ``folder``: access and mode bits (root included)."""
    return os.access(folder, os.W_OK) and _writable_bits(folder)


def make_folders(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` and its missing parents, but nothing inside a folder
    whose mode says nobody may write to it (root may write anyway; tolmach
    honours the bits: a read-only folder is the user saying "do not touch")."""
    target = Path(folder)
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != target and existing.is_dir() and not writable_folder(existing):
        raise FileIOError(_("output folder is not writable"), path=str(existing))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileIOError(exc.strerror or str(exc), path=str(target)) from None


def write_cache(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a cache file of tolmach's own (not a result of the run) atomically; it is
    not counted among the files written that an interrupted run reports."""
    _atomic_write(path, data, counted=False)


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    mode: int | None = None,
    expect: bytes | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically.

    A temporary file in the same folder is written, fsynced and moved over the
    target with ``os.replace``. The existing file's permission bits are kept
    (or ``mode`` is used). On any error the target is untouched and the
    temporary file is removed. ``expect``: the bytes the target held when it
    was read; if it holds anything else now (the user edited it meanwhile), it
    is not overwritten (:class:`FileIOError`). Ctrl-C is held from the temp
    file to the count of files written (:mod:`toolkit.interrupt`), so the count
    the interrupt line reports is exact. Stale temporary files of killed runs
    are removed from the folder first (:func:`remove_stale_temps`).
    """
    _atomic_write(path, data, mode=mode, expect=expect, counted=True)


def _atomic_write(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    mode: int | None = None,
    expect: bytes | None = None,
    counted: bool,
) -> None:
    from toolkit import interrupt

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if mode is None:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        except OSError as exc:
            raise FileIOError(exc.strerror or str(exc), path=str(target)) from None
    # Mode bits are honoured even for root, who may write anyway: a file or
    # folder nobody may write to is the user saying "do not touch".
    if target.exists() and (not os.access(target, os.W_OK) or not _writable_bits(target)):
        raise FileIOError(_("file is read-only; not modified"), path=str(target))
    if folder.is_dir() and not writable_folder(folder):
        raise FileIOError(_("output folder is not writable"), path=str(folder))
    if folder.is_dir():
        _sweep_once(folder)
    with interrupt.deferred():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except FileNotFoundError:
            raise FileIOError(_("output folder does not exist"), path=str(folder)) from None
        except PermissionError:
            raise FileIOError(_("output folder is not writable"), path=str(folder)) from None
        except OSError as exc:
            raise FileIOError(exc.strerror or str(exc), path=str(folder)) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            if expect is not None and not unchanged(target, expect):
                raise FileIOError(
                    _("changed since tolmach read it; not overwritten"), path=str(target)
                )
            os.replace(tmp, target)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise FileIOError(exc.strerror or str(exc), path=str(target)) from None
            raise
        if counted:
            interrupt.wrote()


def walk(
    paths: Iterable[str | os.PathLike[str]],
    *,
    extensions: Iterable[str] | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Iterator[Path]:
    """Yield files named by ``paths``; folders are walked in sorted order.

    Files named directly are always yielded (a missing one is yielded too, so
    the caller reports it). Files found in folders are filtered by
    ``extensions`` (lower-case, with dot), ``include`` and ``exclude`` globs
    matched against the path relative to the folder and against the name.
    Hidden folders (``.git``, ``.venv``) are skipped.
    """
    exts = {e.lower() for e in extensions} if extensions is not None else None
    include = list(include)
    exclude = list(exclude)

    def wanted(rel: str, name: str) -> bool:
        if exts is not None and Path(name).suffix.lower() not in exts:
            return False
        if include and not any(
            fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in include
        ):
            return False
        return not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in exclude)

    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            yield p
            continue
        found = False

        def unreadable(exc: OSError, top: Path = p) -> None:
            if exc.filename is not None and Path(exc.filename) == top:
                raise _os_error(exc, str(top))

        for root, dirs, files in os.walk(p, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = Path(root) / name
                rel = full.relative_to(p).as_posix()
                if wanted(rel, name):
                    found = True
                    yield full
        if not found:
            raise UsageError("no matching files in folder", path=str(p))
