"""Argos Translate packages on this machine: find, validate, install, remove.

Nothing here imports argostranslate: the packages folder is resolved exactly as
argostranslate resolves it (``ARGOS_PACKAGES_DIR``, then ``settings.json`` in its
config folder, then ``$XDG_DATA_HOME/argos-translate/packages``), and packages are
read from their ``metadata.json``.

Installing from a file validates the zip before anything touches the packages
folder, extracts it into a staging folder and renames it into place, so a bad
package never breaks the packages already installed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.errors import FileIOError, MissingModelError, NetworkError, PackageError
from toolkit.i18n import _

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
REQUIRED_FIELDS = ("package_version", "from_code", "to_code")
# Zip-bomb guard: limits on what a package may expand to. A real Argos package
# is about 100 MB and expands by less than 2x (model.bin holds int8 weights,
# which deflate barely shrinks); the largest ones are a few hundred MB.
MAX_TOTAL_BYTES = 4 * 1024**3
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed, for every member above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024**2
MAX_TOTAL_RATIO = 20  # all members together / the zip file, above TOTAL_RATIO_MIN_BYTES
TOTAL_RATIO_MIN_BYTES = 64 * 1024**2
MAX_NAME_BYTES = 255  # one path component (NAME_MAX on Linux, macOS and Windows)
MAX_PATH_BYTES = 1024  # a member's whole path inside the packages folder
STALE_STAGING_SECONDS = 60  # a staging folder without a live lock older than this is stale
_CODE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
STAGING_PREFIX = ".tolmach-staging-"


@dataclass(frozen=True)
class InstalledPackage:
    """One installed Argos package (a folder with ``metadata.json``)."""

    path: Path
    name: str
    from_code: str
    to_code: str
    version: str
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""
    type: str = "translate"
    argos_version: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def sbd_model(self) -> Path | None:
        """The packaged MiniSBD ONNX splitter, chosen as argostranslate chooses it."""
        folder = self.path / "minisbd"
        if not folder.is_dir():
            return None
        onnx = [name for name in os.listdir(folder) if name.endswith(".onnx")]
        return folder / onnx[0] if onnx else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("metadata")
        data["path"] = str(self.path)
        return data


@dataclass(frozen=True)
class PackageInfo:
    """What validation learned about a package zip."""

    path: Path
    top: str
    metadata: dict[str, Any]
    members: int
    uncompressed_bytes: int


# --- where packages live ------------------------------------------------------------------


def _home() -> Path:
    if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def _argos_settings_file() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")
    return config / "argos-translate" / "settings.json"


def _argos_setting(key: str) -> str | None:
    """An argostranslate setting: environment first, then its settings.json."""
    value = os.environ.get(key)
    if value is not None:
        return value
    try:
        data = json.loads(_argos_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get(key) if isinstance(data, dict) else None
    return str(found) if found is not None else None


def packages_dir() -> Path:
    """The folder argostranslate installs packages into (it need not exist yet)."""
    configured = _argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return data / "argos-translate" / "packages"


def index_url() -> str:
    """URL of the Argos package index JSON (``ARGOS_PACKAGE_INDEX`` overrides it)."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/index.json"


# --- listing ------------------------------------------------------------------------------


def read_package(folder: Path) -> InstalledPackage | None:
    """Read an installed package folder; None when it is not a readable package."""
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(metadata, dict):
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        return None
    return InstalledPackage(
        path=folder,
        name=folder.name,
        from_code=from_code,
        to_code=to_code,
        version=str(metadata.get("package_version", "")),
        from_name=str(metadata.get("from_name", "")),
        to_name=str(metadata.get("to_name", "")),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
        type=str(metadata.get("type", "translate")),
        argos_version=str(metadata.get("argos_version", "")),
        metadata=metadata,
    )


def installed_packages(folder: Path | None = None) -> list[InstalledPackage]:
    """Installed translation packages, sorted by pair then name."""
    root = folder or packages_dir()
    if not root.is_dir():
        return []
    found = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(STAGING_PREFIX) or not entry.is_dir():
            continue
        pkg = read_package(entry)
        if pkg is not None and pkg.type == "translate":
            found.append(pkg)
    return sorted(found, key=lambda p: (p.from_code, p.to_code, p.name))


def find_package(source: str, target: str) -> InstalledPackage | None:
    """The installed package for a pair (the newest version when several are)."""
    matches = [p for p in installed_packages() if (p.from_code, p.to_code) == (source, target)]
    if not matches:
        return None
    return max(matches, key=lambda p: (_version_key(p.version), p.name))


def _version_key(version: str) -> tuple[tuple[int, object], ...]:
    parts = re.split(r"[.\-_]", version)
    return tuple((0, int(x)) if x.isdigit() else (1, x) for x in parts)


def missing_model_message(source: str, target: str) -> str:
    return _(
        "no Argos model installed for {src}→{tgt}; install one with "
        "'tolmach models install --from {src} --to {tgt}' (online) or "
        "'tolmach models install FILE.argosmodel' (offline)"
    ).format(src=source, tgt=target)


def find_route(source: str, target: str) -> list[InstalledPackage]:
    """Packages that translate source→target: direct, or through English.

    Raises MissingModelError when neither exists.
    """
    direct = find_package(source, target)
    if direct is not None:
        return [direct]
    if "en" not in (source, target):
        first, second = find_package(source, "en"), find_package("en", target)
        if first is not None and second is not None:
            return [first, second]
    error = MissingModelError(missing_model_message(source, target))
    error.pair = (source, target)
    raise error


# --- validation ---------------------------------------------------------------------------


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _member_parts(name: str, where: str) -> tuple[str, ...]:
    """The path parts of a member name; PackageError when it could escape."""
    if "\\" in name or "\x00" in name:
        raise PackageError(_("unsafe member name {name!r}").format(name=name), path=where)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise PackageError(_("member {name!r} has an absolute path").format(name=name), path=where)
    parts = tuple(p for p in PurePosixPath(name).parts if p not in ("", "."))
    if ".." in parts:
        raise PackageError(
            _("member {name!r} escapes the package folder").format(name=name), path=where
        )
    return parts


@contextlib.contextmanager
def _writing(root: Path) -> Iterator[None]:
    """An error writing the packages folder as one :class:`FileIOError` line."""
    try:
        yield
    except OSError as exc:
        raise FileIOError(
            _("cannot write the packages folder: {err}").format(err=exc.strerror or exc),
            path=str(root),
        ) from None


@contextlib.contextmanager
def _zip_errors(where: str) -> Iterator[None]:
    """A damaged archive (bad zip structure, bad compressed data, a member cut
    short) as one :class:`PackageError` line."""
    try:
        yield
    except (zipfile.BadZipFile, EOFError) as exc:
        raise PackageError(_("corrupt zip: {err}").format(err=exc), path=where) from None
    except zlib.error as exc:
        raise PackageError(
            _("corrupt compressed data: {err}").format(err=exc), path=where
        ) from None


def validate_package(
    zip_path: str | Path,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> PackageInfo:
    """Check that a file is a safe, complete Argos package. Raises PackageError otherwise.

    Checks: a zip; exactly one top-level folder; ``metadata.json`` with
    ``package_version``, ``from_code`` and ``to_code``; ``model/model.bin``; a
    tokenizer (``sentencepiece.model`` or ``bpe.model``); no member escaping the
    folder (``..``, absolute paths); no symlinks; limits on member count, total
    size and compression ratio.
    """
    path = Path(zip_path)
    where = str(path)
    if not path.exists():
        raise FileIOError(_("no such file"), path=where)
    if path.is_dir():
        raise PackageError(_("is a folder, not an .argosmodel file"), path=where)
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open below
        raise PackageError(_("not a regular file; an .argosmodel file is a zip"), path=where)
    try:
        with open(path, "rb"):
            pass
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise FileIOError(exc.strerror or str(exc), path=where) from None
    if not is_zip:
        raise PackageError(_("not an Argos package: not a zip archive"), path=where)
    try:
        with _zip_errors(where), zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            top, metadata_info = _check_members(infos, where, max_total_bytes, max_ratio)
            total = sum(i.file_size for i in infos)
            size = path.stat().st_size
            if total > TOTAL_RATIO_MIN_BYTES and total > MAX_TOTAL_RATIO * max(size, 1):
                raise PackageError(
                    _("expands {ratio:.0f} times its size: not a real package").format(
                        ratio=total / max(size, 1)
                    ),
                    path=where,
                )
            # by the member itself: the raw name may be "./pkg/…" or "pkg//…"
            raw = zf.read(metadata_info)
    except (OSError, RuntimeError, NotImplementedError) as exc:
        raise PackageError(_("unreadable zip: {err}").format(err=exc), path=where) from None
    metadata = _check_metadata(raw, where)
    return PackageInfo(path, top, metadata, len(infos), total)


def _check_members(
    infos: list[zipfile.ZipInfo], where: str, max_total: int, max_ratio: float
) -> tuple[str, zipfile.ZipInfo]:
    """Check every member; return the top folder and the ``metadata.json`` member."""
    if not infos:
        raise PackageError(_("the zip is empty"), path=where)
    if len(infos) > MAX_MEMBERS:
        raise PackageError(_("too many members ({n})").format(n=len(infos)), path=where)
    tops: set[str] = set()
    files: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    seen: set[tuple[str, ...]] = set()
    total = 0
    for info in infos:
        parts = _member_parts(info.filename, where)
        if not parts:
            continue
        _check_name_lengths(parts, info.filename, where)
        if parts in seen:
            raise PackageError(
                _("member {name!r} appears twice").format(name=info.filename), path=where
            )
        seen.add(parts)
        if _is_symlink(info):
            raise PackageError(
                _("member {name!r} is a symbolic link").format(name=info.filename), path=where
            )
        if info.flag_bits & 0x1:
            raise PackageError(
                _("member {name!r} is encrypted").format(name=info.filename), path=where
            )
        tops.add(parts[0])
        if len(parts) == 1 and not info.is_dir():
            raise PackageError(
                _("file {name!r} is outside a top-level folder").format(name=info.filename),
                path=where,
            )
        if not info.is_dir():
            files[parts[1:]] = info
        total += info.file_size
        if total > max_total:
            raise PackageError(_("expands to more than {n} bytes").format(n=max_total), path=where)
        if info.file_size > RATIO_MIN_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):  # every member: many small bombs add up as surely as one big one
            raise PackageError(
                _("member {name!r} has a suspicious compression ratio").format(name=info.filename),
                path=where,
            )
    if len(tops) != 1:
        raise PackageError(
            _("must hold exactly one top-level folder, found {n}").format(n=len(tops)),
            path=where,
        )
    top = next(iter(tops))
    if top.startswith("."):
        raise PackageError(_("the top-level folder name must not start with '.'"), path=where)
    for rel in files:  # a file that is also a folder of another member
        for cut in range(1, len(rel)):
            if rel[:cut] in files:
                raise PackageError(
                    _("{name!r} is both a file and a folder").format(
                        name="/".join((top, *rel[:cut]))
                    ),
                    path=where,
                )
    if ("metadata.json",) not in files:
        raise PackageError(_("{top}/metadata.json is missing").format(top=top), path=where)
    if ("model", "model.bin") not in files:
        raise PackageError(_("{top}/model/model.bin is missing").format(top=top), path=where)
    if ("sentencepiece.model",) not in files and ("bpe.model",) not in files:
        raise PackageError(_("{top}/sentencepiece.model is missing").format(top=top), path=where)
    return top, files[("metadata.json",)]


def _check_name_lengths(parts: tuple[str, ...], name: str, where: str) -> None:
    """Names the file system cannot hold are bad input, refused before extraction."""
    if any(len(p.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES for p in parts):
        raise PackageError(
            _("member {name!r} has a name longer than {n} bytes").format(
                name=name[:80] + "…" if len(name) > 80 else name, n=MAX_NAME_BYTES
            ),
            path=where,
        )
    if len("/".join(parts).encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        raise PackageError(
            _("member {name!r} has a path longer than {n} bytes").format(
                name=name[:80] + "…" if len(name) > 80 else name, n=MAX_PATH_BYTES
            ),
            path=where,
        )


def _check_metadata(raw: bytes, where: str) -> dict[str, Any]:
    try:
        metadata = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise PackageError(_("metadata.json is nested too deeply"), path=where) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError(
            _("metadata.json is not valid JSON: {err}").format(err=exc), path=where
        ) from None
    if not isinstance(metadata, dict):
        raise PackageError(_("metadata.json must hold a JSON object"), path=where)
    for key in REQUIRED_FIELDS:
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PackageError(
                _("metadata.json lacks the field {key!r}").format(key=key), path=where
            )
    for key in ("from_code", "to_code"):
        if not _CODE_RE.match(metadata[key]):
            raise PackageError(
                _("metadata.json has an invalid {key}: {value!r}").format(
                    key=key, value=metadata[key]
                ),
                path=where,
            )
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise PackageError(
            _("only translation packages are supported (type {kind!r})").format(kind=kind),
            path=where,
        )
    return metadata


# --- installing and removing --------------------------------------------------------------


_on_models_changed: list[Callable[[], None]] = []


def on_models_changed(callback: Callable[[], None]) -> Callable[[], None]:
    """Register ``callback`` to run when packages are installed or removed (engines
    that cache loaded models register their cache's ``clear``); usable as a decorator."""
    if callback not in _on_models_changed:
        _on_models_changed.append(callback)
    return callback


def models_changed() -> None:
    """Run every registered callback: the installed set of packages changed."""
    for callback in list(_on_models_changed):
        callback()


def _extract(zip_path: Path, info: PackageInfo, staging: Path, max_total: int) -> Path:
    """Extract member by member into staging, counting the bytes actually written."""
    written = 0
    with zipfile.ZipFile(zip_path) as zf:
        for member in zf.infolist():
            parts = _member_parts(member.filename, str(zip_path))
            if not parts:
                continue
            dest = staging.joinpath(*parts)
            if member.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(dest, "xb") as out:
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > max_total:
                        raise PackageError(
                            _("expands to more than {n} bytes").format(n=max_total),
                            path=str(zip_path),
                        )
                    out.write(chunk)
    return staging / info.top


_LOCK_NAME = ".lock"


def _staging_dir(root: Path) -> tuple[Path, int]:
    """A fresh staging folder on the same file system as the packages folder,
    with an open descriptor holding an exclusive lock on its ``.lock`` file.

    Beside the packages folder when possible: argostranslate reads every folder
    inside it as a package, so a staging folder left there by a killed process
    would break it. Inside it (ignored by tolmach) only as a fallback. The lock
    dies with the process, so :func:`remove_stale_staging` can tell a folder
    left by a killed install from one in use.
    """
    folder: Path | None = None
    with contextlib.suppress(OSError):
        if os.access(root.parent, os.W_OK) and os.stat(root.parent).st_dev == os.stat(root).st_dev:
            folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root.parent))
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    import fcntl

    fd = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return folder, fd


def _release(staging: Path, fd: int) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(fd)


def remove_stale_staging(root: Path | None = None) -> list[Path]:
    """Remove staging folders left by a killed install or remove (every call
    to :func:`install_from_file` and :func:`remove` does this first).

    A staging folder is stale when no process holds the lock on its ``.lock``
    file (a killed process releases it), or when it has no lock file and is
    older than a minute (killed between creating it and locking it). Only
    folders named ``.tolmach-staging-*`` beside or inside the packages folder
    are considered. Returns what was removed.
    """
    import fcntl

    root = root or packages_dir()
    removed: list[Path] = []
    for parent in (root.parent, root):
        try:
            entries = [e for e in os.scandir(parent) if e.name.startswith(STAGING_PREFIX)]
        except OSError:
            continue
        for entry in entries:
            folder = Path(entry.path)
            if entry.is_symlink() or not entry.is_dir():
                continue
            try:
                fd = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
            except FileNotFoundError:
                try:
                    age = time.time() - folder.stat().st_mtime
                except OSError:
                    continue
                if age > STALE_STAGING_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
                continue
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)  # in use by a running install
                continue
            shutil.rmtree(folder, ignore_errors=True)
            os.close(fd)
            removed.append(folder)
    return removed


def _installed_conflicts(
    root: Path, info: PackageInfo, where: str, allow_downgrade: bool
) -> list[InstalledPackage]:
    """The installed packages this one replaces; PackageError when it must not.

    It replaces its own folder and every other package of the same pair. It
    never replaces a folder holding another pair, and never a newer version
    of its pair unless ``allow_downgrade``.
    """
    pair = (info.metadata["from_code"], info.metadata["to_code"])
    version = info.metadata["package_version"]
    dest = root / info.top
    if dest.exists():
        current = read_package(dest)
        if current is None or (current.from_code, current.to_code) != pair:
            held = f"{current.from_code}→{current.to_code}" if current else _("something else")
            raise PackageError(
                _(
                    "the folder {name} in the packages folder holds {held}, not {src}→{tgt}; "
                    "remove it first ('tolmach models remove {name}')"
                ).format(name=info.top, held=held, src=pair[0], tgt=pair[1]),
                path=where,
            )
    same_pair = [p for p in installed_packages(root) if (p.from_code, p.to_code) == pair]
    newer = [p for p in same_pair if _version_key(p.version) > _version_key(version)]
    if newer and not allow_downgrade:
        raise PackageError(
            _(
                "{name} {installed} is installed, newer than this package's {version}; "
                "add --downgrade to replace it"
            ).format(name=newer[0].name, installed=newer[0].version, version=version),
            path=where,
        )
    return same_pair


def install_from_file(
    path: str | Path,
    *,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    allow_downgrade: bool = False,
) -> InstalledPackage:
    """Validate an ``.argosmodel`` file and install it, replacing the package of
    the same pair. Already-installed packages keep working whatever happens.

    Refused (PackageError): a package whose top folder is the name of an
    installed package of another pair, and an older version than the one
    installed unless ``allow_downgrade``. Staging folders left by a killed
    install are removed first.
    """
    zip_path = Path(path)
    where = str(zip_path)
    info = validate_package(zip_path, max_total_bytes=max_total_bytes)
    root = packages_dir()
    with _writing(root):
        root.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(root)
        staging, lock = _staging_dir(root)
    try:
        replaced = _installed_conflicts(root, info, where, allow_downgrade)
        try:
            with _zip_errors(where):
                new_folder = _extract(zip_path, info, staging / "new", max_total_bytes)
        except (NotADirectoryError, IsADirectoryError, FileExistsError) as exc:
            raise PackageError(
                _("members conflict: {err}").format(err=exc.strerror or exc), path=where
            ) from None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise PackageError(_("a member's name is too long"), path=where) from None
            raise FileIOError(
                _("cannot extract the package: {err}").format(err=exc), path=where
            ) from None
        pkg = read_package(new_folder)
        if pkg is None:  # validated above; only a lying zip gets here
            raise PackageError(_("metadata.json cannot be read"), path=where)
        # Move aside its own folder (same pair, checked above) and every package of its pair.
        dest = root / info.top
        olds = [p.path for p in replaced if p.path != dest]
        if dest.exists():
            olds.insert(0, dest)
        aside = staging / "old"
        aside.mkdir()
        moved: list[tuple[Path, Path]] = []
        try:
            for i, old in enumerate(olds):
                target = aside / f"{i}-{old.name}"
                os.replace(old, target)
                moved.append((old, target))
            os.replace(new_folder, dest)
        except OSError as exc:
            for old, target in reversed(moved):
                with contextlib.suppress(OSError):
                    os.replace(target, old)
            raise FileIOError(
                _("cannot install the package: {err}").format(err=exc.strerror or exc),
                path=str(dest),
            ) from None
    finally:
        _release(staging, lock)
    models_changed()
    installed = read_package(dest)
    assert installed is not None
    return installed


def remove(
    source: str | None = None, target: str | None = None, *, name: str | None = None
) -> list[InstalledPackage]:
    """Remove the package(s) of a pair, or the package folder called ``name``.

    Returns what was removed; MissingModelError when nothing matched.
    """
    packages = installed_packages()
    if name is not None:
        victims = [p for p in packages if p.name == name]
        what = name
    else:
        victims = [p for p in packages if (p.from_code, p.to_code) == (source, target)]
        what = f"{source}→{target}"
    if not victims:
        raise MissingModelError(_("no installed Argos package matches {what}").format(what=what))
    root = packages_dir()
    remove_stale_staging(root)
    for pkg in victims:
        with _writing(root):
            trash, lock = _staging_dir(root)
        try:
            os.replace(pkg.path, trash / pkg.name)
        except OSError as exc:
            _release(trash, lock)
            raise FileIOError(
                _("cannot remove the package: {err}").format(err=exc.strerror or exc),
                path=str(pkg.path),
            ) from None
        _release(trash, lock)
    models_changed()
    return victims


# --- the Argos index (the only network access) ----------------------------------------------


def _offline_hint() -> str:
    return _(
        "download the .argosmodel file on a machine with network access and run "
        "'tolmach models install FILE.argosmodel'"
    )


def _fetch(url: str, timeout: float, limit: int) -> bytes:
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "tolmach"})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            data: bytes = response.read(limit + 1)  # urlopen's result is typed Any
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise NetworkError(
            _("cannot download {url} ({reason}); {hint}").format(
                url=url, reason=reason, hint=_offline_hint()
            )
        ) from None
    if len(data) > limit:
        raise NetworkError(_("{url} is larger than {n} bytes").format(url=url, n=limit))
    return data


def available_packages(*, timeout: float = 15.0) -> list[dict[str, Any]]:
    """The Argos package index, fetched now (NetworkError when offline)."""
    url = index_url()
    data = _fetch(url, timeout, 64 * 1024**2)
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise NetworkError(_("the package index at {url} is not JSON").format(url=url)) from None
    if not isinstance(index, list):
        raise NetworkError(_("the package index at {url} is not a list").format(url=url))
    return [entry for entry in index if isinstance(entry, dict)]


def install_from_index(
    source: str, target: str, *, timeout: float = 60.0, allow_downgrade: bool = False
) -> InstalledPackage:
    """Download the package for a pair from the Argos index and install it."""
    entries = [
        e
        for e in available_packages(timeout=timeout)
        if e.get("from_code") == source
        and e.get("to_code") == target
        and e.get("type", "translate") == "translate"
    ]
    if not entries:
        raise MissingModelError(
            _("the Argos index has no package for {src}→{tgt}").format(src=source, tgt=target)
        )
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    links = [link for link in entry.get("links", []) if isinstance(link, str)]
    if not links:
        raise NetworkError(
            _("the index entry for {src}→{tgt} has no download link").format(src=source, tgt=target)
        )
    errors: list[NetworkError] = []
    for link in links:
        try:
            data = _fetch(link, timeout, MAX_TOTAL_BYTES)
        except NetworkError as exc:
            errors.append(exc)
            continue
        with tempfile.TemporaryDirectory(prefix="tolmach-download-") as tmp:
            file = Path(tmp) / f"translate-{source}_{target}.argosmodel"
            file.write_bytes(data)
            return install_from_file(file, allow_downgrade=allow_downgrade)
    raise errors[-1]
