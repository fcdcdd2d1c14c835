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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import FileIOError, InputError, UsageError

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
    if b"\x00" in data[:8192]:
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


def encode(text: str, encoding: str = "utf-8", bom: bytes = b"") -> bytes:
    return bom + text.encode(encoding)


@contextlib.contextmanager
def _os_errors(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn the OS's errors about ``path`` into one-line :class:`FileIOError` s."""
    try:
        yield
    except FileNotFoundError:
        raise FileIOError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise FileIOError("is a directory", path=str(path)) from None
    except PermissionError:
        raise FileIOError("permission denied", path=str(path)) from None
    except OSError as exc:
        raise FileIOError(exc.strerror or str(exc), path=str(path)) from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    with _os_errors(path):
        return Path(path).read_bytes()


def check_size(path: str | os.PathLike[str], max_bytes: int | None) -> int:
    """The file's size; a file over ``max_bytes`` (None or 0: no limit) is refused
    before it is read, so memory stays bounded."""
    from toolkit.i18n import _

    with _os_errors(path):
        size = os.stat(path).st_size
    if max_bytes and size > max_bytes:
        raise InputError(
            _("file too large ({size:.1f} MB; the limit is {limit:.1f} MB, see --max-size)").format(
                size=size / 1e6, limit=max_bytes / 1e6
            ),
            path=str(path),
        )
    return size


def read_text(path: str | os.PathLike[str]) -> Decoded:
    return decode(read_bytes(path), str(path))


def _writable_bits(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o222)
    except OSError:
        return True


def atomic_write(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically.

    A temporary file in the same folder is written, fsynced and moved over the
    target with ``os.replace``. The existing file's permission bits are kept
    (or ``mode`` is used). On any error the target is untouched and the
    temporary file is removed.
    """
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
        raise FileIOError("file is read-only; not modified", path=str(target))
    if folder.is_dir() and (not os.access(folder, os.W_OK) or not _writable_bits(folder)):
        raise FileIOError("output folder is not writable", path=str(folder))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise FileIOError("output folder does not exist", path=str(folder)) from None
    except PermissionError:
        raise FileIOError("output folder is not writable", path=str(folder)) from None
    except OSError as exc:
        raise FileIOError(exc.strerror or str(exc), path=str(folder)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise FileIOError(exc.strerror or str(exc), path=str(target)) from None
        raise


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
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = Path(root) / name
                rel = full.relative_to(p).as_posix()
                if wanted(rel, name):
                    found = True
                    yield full
        if not found:
            raise UsageError("no matching files in folder", path=str(p))
