"""Zip containers (DOCX, ODT, EPUB): read safely, rewrite minimally.

:func:`open_zip` checks a container before anything is decompressed: it must be
a zip (an OLE compound file is an encrypted or old binary document, anything
else a renamed file of another kind), its member names must stay inside it, no
member may be encrypted or overlap another (a zip bomb), and the declared
sizes and compression ratios are bounded. Reading a member is bounded by its
declared size and checked against its CRC.

:func:`rebuild` writes the container back with some members' contents
replaced: the same members in the same order with the same compression; every
other byte (local headers, compressed data, gaps, the central directory's
records and the archive comment) is copied from the original, so a member that
did not change is byte-identical, and no change at all gives the original.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from toolkit.errors import InputError
from toolkit.i18n import _

MAX_MEMBERS = 20_000
MAX_TOTAL = 1 << 30  # declared uncompressed bytes, all members together
MAX_PART = 256 << 20  # one member that tolmach reads
RATIO_FROM = 4 << 20  # members larger than this ...
MAX_RATIO = 200  # ... may not be compressed more than this

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EOCD = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_WRITABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass(frozen=True, slots=True)
class Member:
    """One member: its central directory record and where its bytes lie."""

    name: str
    index: int  # position in the central directory
    record: bytes  # the raw central directory record
    region: tuple[int, int]  # local header .. end of data (and descriptor)
    flags: int
    method: int
    size: int
    compressed: int


@dataclass(frozen=True)
class Container:
    """A checked zip: its bytes, members (central directory order) and reader."""

    data: bytes
    members: tuple[Member, ...]
    eocd: int  # offset of the end of central directory record
    cd_offset: int
    path: str | None

    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def member(self, name: str) -> Member | None:
        for m in self.members:
            if m.name == name:
                return m
        return None

    def read(self, name: str) -> bytes:
        """A member's content, bounded by its declared size and CRC-checked."""
        m = self.member(name)
        if m is None:
            raise InputError(_("member {name} is missing").format(name=name), path=self.path)
        if m.size > MAX_PART:
            raise InputError(
                _("member {name} is too large ({size} bytes uncompressed)").format(
                    name=name, size=m.size
                ),
                path=self.path,
            )
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf, zf.open(name) as handle:
                content = handle.read(m.size + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise InputError(
                _("member {name} is damaged: {error}").format(name=name, error=exc),
                path=self.path,
            ) from None
        if len(content) != m.size:
            raise InputError(
                _("member {name} is not the size its header declares").format(name=name),
                path=self.path,
            )
        return content

    def writable(self, name: str) -> None:
        """Refuse, before any work, a member that :func:`rebuild` could not write."""
        m = self.member(name)
        if m is not None and m.method not in _WRITABLE:
            raise InputError(
                _(
                    "member {name} uses compression method {method}, which tolmach cannot write"
                ).format(name=name, method=m.method),
                path=self.path,
            )


def open_zip(data: bytes, path: str | None, kind: str) -> Container:
    """Check ``data`` as a zip container of ``kind`` (``DOCX``, ``EPUB``...)."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(
                _(
                    "encrypted or password-protected {kind} document; remove the password first"
                ).format(kind=kind),
                path=path,
            )
        raise InputError(
            _("not a {kind} document: an OLE compound file (an old binary format?)").format(
                kind=kind
            ),
            path=path,
        )
    if not data.startswith(b"PK\x03\x04"):
        raise InputError(
            _(
                "not a {kind} document: not a zip container (a renamed file of another kind?)"
            ).format(kind=kind),
            path=path,
        )
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + _EOCD.size > len(data):
        raise InputError(
            _("not a {kind} document: damaged zip container").format(kind=kind), path=path
        )
    _sig, disk, cd_disk, _here, count, cd_size, cd_offset, _comment = _EOCD.unpack_from(data, at)
    if 0xFFFF in (disk, cd_disk, count) or 0xFFFFFFFF in (cd_size, cd_offset):
        raise InputError(_("ZIP64 containers are not supported"), path=path)
    if disk or cd_disk or cd_offset + cd_size != at:
        raise InputError(
            _("not a {kind} document: damaged zip container").format(kind=kind), path=path
        )
    if count > MAX_MEMBERS:
        raise InputError(
            _("too many members in the container ({count})").format(count=count), path=path
        )
    members: list[Member] = []
    pos = cd_offset
    total = 0
    seen: set[str] = set()
    for index in range(count):
        if data[pos : pos + 4] != b"PK\x01\x02" or pos + _CENTRAL.size > at:
            raise InputError(
                _("not a {kind} document: damaged zip container").format(kind=kind), path=path
            )
        fields = _CENTRAL.unpack_from(data, pos)
        flags, method, crc_size, usize = fields[5], fields[6], fields[10], fields[11]
        n_len, e_len, c_len, offset = fields[12], fields[13], fields[14], fields[18]
        end = pos + _CENTRAL.size + n_len + e_len + c_len
        raw_name = data[pos + _CENTRAL.size : pos + _CENTRAL.size + n_len]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        _check_name(name, path)
        if name in seen:
            raise InputError(_("member {name} appears twice").format(name=name), path=path)
        seen.add(name)
        if flags & 0x1:
            raise InputError(
                _(
                    "encrypted or password-protected {kind} document (member {name}); "
                    "remove the password first"
                ).format(kind=kind, name=name),
                path=path,
            )
        total += usize
        if total > MAX_TOTAL:
            raise InputError(
                _("the container unpacks to more than {limit} MB (a zip bomb?)").format(
                    limit=MAX_TOTAL >> 20
                ),
                path=path,
            )
        if usize > RATIO_FROM and usize > MAX_RATIO * max(crc_size, 1):
            raise InputError(
                _("member {name} is compressed {ratio}:1 (a zip bomb?)").format(
                    name=name, ratio=usize // max(crc_size, 1)
                ),
                path=path,
            )
        region = _local_region(data, offset, raw_name, crc_size, flags, cd_offset, path, kind)
        members.append(Member(name, index, data[pos:end], region, flags, method, usize, crc_size))
        pos = end
    ordered = sorted(members, key=lambda m: m.region[0])
    for a, b in itertools.pairwise(ordered):
        if a.region[1] > b.region[0]:
            raise InputError(
                _("members {a} and {b} overlap (a zip bomb?)").format(a=a.name, b=b.name),
                path=path,
            )
    return Container(data, tuple(members), at, cd_offset, path)


def _check_name(name: str, path: str | None) -> None:
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (len(parts[0]) >= 2 and parts[0][1] == ":")
    ):
        raise InputError(
            _("unsafe member name {name!r} in the container").format(name=name), path=path
        )


def _local_region(
    data: bytes,
    offset: int,
    raw_name: bytes,
    compressed: int,
    flags: int,
    limit: int,
    path: str | None,
    kind: str,
) -> tuple[int, int]:
    if offset + _LOCAL.size > limit or data[offset : offset + 4] != b"PK\x03\x04":
        raise InputError(
            _("not a {kind} document: damaged zip container").format(kind=kind), path=path
        )
    fields = _LOCAL.unpack_from(data, offset)
    n_len, e_len = fields[10], fields[11]
    start = offset + _LOCAL.size
    if data[start : start + n_len] != raw_name:
        raise InputError(
            _("member names in the zip headers disagree ({name!r})").format(
                name=raw_name.decode("utf-8", "replace")
            ),
            path=path,
        )
    end = start + n_len + e_len + compressed
    if flags & 0x8:  # a data descriptor follows: with or without its signature
        end += 16 if data[end : end + 4] == b"PK\x07\x08" else 12
    if end > limit:
        raise InputError(
            _("not a {kind} document: damaged zip container").format(kind=kind), path=path
        )
    return offset, end


def rebuild(box: Container, changed: Mapping[str, bytes]) -> bytes:
    """The container with the members named in ``changed`` given new contents."""
    data = box.data
    changed = {k: v for k, v in changed.items() if box.member(k) is not None}
    if not changed:
        return data
    ordered = sorted(box.members, key=lambda m: m.region[0])
    out = bytearray(data[: ordered[0].region[0]] if ordered else b"")
    offsets: dict[str, int] = {}
    updates: dict[str, tuple[int, int, int, int]] = {}  # flags, crc, csize, usize
    for k, m in enumerate(ordered):
        offsets[m.name] = len(out)
        start, end = m.region
        following = ordered[k + 1].region[0] if k + 1 < len(ordered) else box.cd_offset
        if m.name not in changed:
            out += data[start:following]
            continue
        content = changed[m.name]
        if m.method == zipfile.ZIP_DEFLATED:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = packer.compress(content) + packer.flush()
        elif m.method == zipfile.ZIP_STORED:
            packed = content
        else:  # checked by Container.writable before any work
            raise ValueError(f"cannot write compression method {m.method}")
        crc = zlib.crc32(content) & 0xFFFFFFFF
        flags = m.flags & ~0x8
        local = list(_LOCAL.unpack_from(data, start))
        local[3], local[7], local[8], local[9] = flags, crc, len(packed), len(content)
        header_end = start + _LOCAL.size + local[10] + local[11]
        out += _LOCAL.pack(*local) + data[start + _LOCAL.size : header_end] + packed
        out += data[end:following]
        updates[m.name] = (flags, crc, len(packed), len(content))
    cd_start = len(out)
    for m in box.members:
        fields = list(_CENTRAL.unpack_from(m.record, 0))
        fields[18] = offsets[m.name]
        if m.name in updates:
            fields[5], fields[9], fields[10], fields[11] = updates[m.name]
        out += _CENTRAL.pack(*fields) + m.record[_CENTRAL.size :]
    cd_size = len(out) - cd_start
    eocd = list(_EOCD.unpack_from(data, box.eocd))
    eocd[5], eocd[6] = cd_size, cd_start
    out += _EOCD.pack(*eocd) + data[box.eocd + _EOCD.size :]
    return bytes(out)


def resolve(base: str, href: str) -> str:
    """A member name from a reference relative to the member ``base``."""
    from urllib.parse import unquote

    target = unquote(href.split("#", 1)[0])
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), target))
    return joined.lstrip("/")
