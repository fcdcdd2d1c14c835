"""Where glossaries live: name resolution, the configured default set, locked edits.

* ``--glossary NAME`` resolves to ``glossaries/NAME.tsv`` shipped with tolmach
  (package ``_data/glossaries`` first, then the repository's ``glossaries/``).
  Anything with a path separator or a suffix is a path.
* The default set comes from ``glossaries = [...]`` in ``tolmach.toml`` or in
  ``pyproject.toml`` under ``[tool.tolmach]``, the first found from the current
  folder upwards; otherwise ``international-organizations``.
* A project maps paths to glossaries with ``[glossary-paths]`` in
  ``tolmach.toml`` (``[tool.tolmach.glossary-paths]`` in ``pyproject.toml``):
  ``"docs/legal/*" = ["international-organizations"]``, ``"po/camera/*" = []``.
  Without ``--glossary``, a file whose path (relative to the config file's
  folder; ``*`` crosses folders) matches a pattern gets that pattern's
  glossaries (the first match wins), others the default set. On a mapped
  path the project has said what the text is about, so abbreviations marked
  ``context`` apply there without their full name (see :func:`explicit`).
* Edits go to ``--glossary PATH`` or to the first configured glossary. A
  shipped glossary may be edited only inside a writable repository checkout
  (never inside an installed package). Edits hold a file lock
  (``<file>.lock``) while they read, change and atomically replace the file,
  so concurrent edits all land.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import FileIOError, InputError, UsageError
from toolkit.files import atomic_write, read_bytes
from toolkit.glossary.io import dump_tsv, leading_comments, parse_tsv
from toolkit.glossary.model import Glossary
from toolkit.i18n import _

DEFAULT_GLOSSARIES = ("international-organizations",)
LOCK_TIMEOUT_S = 30.0

T = TypeVar("T")


def shipped_dirs() -> list[Path]:
    """Folders that hold shipped glossaries, in lookup order."""
    here = Path(__file__).resolve().parent.parent
    return [here / "_data" / "glossaries", here.parent / "glossaries"]


def shipped_names() -> list[str]:
    names: set[str] = set()
    for folder in shipped_dirs():
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.tsv"))
    return sorted(names)


def _looks_like_path(spec: str) -> bool:
    return "/" in spec or "\\" in spec or spec.startswith(".") or Path(spec).suffix != ""


def resolve(spec: str, *, must_exist: bool = True) -> Path:
    """A glossary NAME (shipped) or PATH -> the file path."""
    if not spec.strip():
        raise UsageError(_("empty glossary name"))
    if _looks_like_path(spec):
        path = Path(spec).expanduser()
        if must_exist and not path.is_file():
            raise FileIOError(_("glossary file not found"), path=str(path))
        return path
    for folder in shipped_dirs():
        candidate = folder / f"{spec}.tsv"
        if candidate.is_file():
            return candidate
    if Path(spec).is_file():
        return Path(spec)
    known = ", ".join(shipped_names()) or "-"
    raise UsageError(_("no glossary named {n!r} (shipped: {k})").format(n=spec, k=known))


def is_shipped(path: Path) -> bool:
    resolved = path.resolve()
    return any(resolved.parent == folder.resolve() for folder in shipped_dirs())


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)  # tomli is not installed on 3.11+
            return data
    except OSError as exc:
        raise FileIOError(exc.strerror or str(exc), path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_("invalid TOML: {e}").format(e=exc), path=str(path)) from None


load_toml = _load_toml  # the project's configuration files, as the audit reads them


def configured(start: Path | None = None) -> tuple[list[str], Path | None]:
    """The default glossary list and the config file it came from (None: built-in)."""
    folder = (start or Path.cwd()).resolve()
    for current in (folder, *folder.parents):
        own = current / "tolmach.toml"
        if own.is_file():
            data = _load_toml(own)
            if "glossaries" in data:
                return _as_list(data["glossaries"], own), own
        pyproject = current / "pyproject.toml"
        if pyproject.is_file():
            data = _load_toml(pyproject)
            section = data.get("tool", {}).get("tolmach", {})
            if isinstance(section, dict) and "glossaries" in section:
                return _as_list(section["glossaries"], pyproject), pyproject
    return list(DEFAULT_GLOSSARIES), None


def _as_list(value: object, path: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(_("'glossaries' must be a list of names or paths"), path=str(path))
    base = path.parent
    out = []
    for v in value:
        # relative paths in a config file are relative to that file
        out.append(str(base / v) if _looks_like_path(v) and not Path(v).is_absolute() else v)
    return out


def specs_or_default(specs: Sequence[str] | None) -> list[str]:
    return list(specs) if specs else configured()[0]


def load_path(path: Path, name: str | None = None) -> Glossary:
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("glossary files must be UTF-8"), path=str(path)) from None
    g = parse_tsv(text, name=name or path.stem, path=str(path))
    g.path = path
    return g


def load(specs: Iterable[str] | None = None) -> Glossary:
    """Load and merge the given glossaries (or the configured default set)."""
    specs = specs_or_default(list(specs) if specs else None)
    loaded = []
    for spec in specs:
        path = resolve(spec)
        loaded.append(load_path(path, name=path.stem))
    merged = Glossary.merge(loaded)
    if len(loaded) == 1:
        merged.path = loaded[0].path
    return merged


def edit_target(specs: Sequence[str] | None) -> Path:
    """The file that edits go to: the first ``--glossary`` or the first configured one."""
    spec = (list(specs) if specs else configured()[0])[0]
    path = resolve(spec, must_exist=False)
    if is_shipped(path):
        folder = path.resolve().parent
        in_checkout = folder.name == "glossaries" and (folder.parent / "pyproject.toml").is_file()
        if folder.parent.name == "_data" or not in_checkout:
            raise UsageError(
                _(
                    "{n} is a shipped glossary inside the installed package; copy it and "
                    "edit the copy with --glossary PATH"
                ).format(n=path.stem)
            )
    return path


def edit(path: Path, change: Callable[[Glossary], T]) -> T:
    """Read ``path`` (or start empty), apply ``change``, write atomically, under a lock."""
    from filelock import FileLock, Timeout

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileIOError(_("folder does not exist"), path=str(folder))
    lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)
    try:
        with lock:
            comments: list[str] = []
            if path.exists():
                glossary = load_path(path)
                comments = leading_comments(read_bytes(path).decode("utf-8-sig"))
            else:
                glossary = Glossary(name=path.stem, path=path)
            result = change(glossary)
            atomic_write(path, dump_tsv(glossary, comments=comments).encode("utf-8"))
            return result
    except Timeout:
        raise FileIOError(
            _(
                "glossary is locked by another tolmach process (an import or edit) for more "
                "than {s:.0f} s; nothing was changed: run this again when it has finished"
            ).format(s=LOCK_TIMEOUT_S),
            path=str(path),
        ) from None
    except PermissionError as exc:
        raise FileIOError(exc.strerror or str(exc), path=str(path)) from None


def path_scopes(start: Path | None = None) -> tuple[list[tuple[str, list[str]]], Path | None]:
    """``[(pattern, glossary specs)]`` of the project's ``glossary-paths`` table and
    the config file it came from (``[]``, None when there is none)."""
    folder = (start or Path.cwd()).resolve()
    for current in (folder, *folder.parents):
        for name, keys in (("tolmach.toml", ()), ("pyproject.toml", ("tool", "tolmach"))):
            path = current / name
            if not path.is_file():
                continue
            data: object = _load_toml(path)
            for key in keys:
                data = data.get(key) if isinstance(data, dict) else None
            if not isinstance(data, dict) or "glossary-paths" not in data:
                continue
            table = data["glossary-paths"]
            if not isinstance(table, dict):
                raise InputError(
                    _("'glossary-paths' must map path patterns to lists of glossaries"),
                    path=str(path),
                )
            return [(str(k), _as_list(v, path)) for k, v in table.items()], path
    return [], None


def explicit(glossary: Glossary) -> Glossary:
    """The glossary with every entry's ``context`` requirement lifted: a path the
    project maps to it is about its subject, so "ISO" there is the organisation."""
    entries = [replace(e, context="") if e.context else e for e in glossary.entries]
    return Glossary(entries, list(glossary.languages), glossary.name, glossary.path)


@dataclass
class PathGlossaries:
    """The glossary of each file: the project's ``glossary-paths`` mapping, else ``default``."""

    default: Glossary | None
    scopes: list[tuple[str, list[str]]]
    base: Path
    _loaded: dict[int, Glossary | None] = field(default_factory=dict, repr=False)

    def __call__(self, path: str | Path) -> Glossary | None:
        try:
            rel = Path(path).resolve().relative_to(self.base).as_posix()
        except ValueError:
            return self.default  # outside the project
        for index, (pattern, specs) in enumerate(self.scopes):
            if fnmatch.fnmatchcase(rel, pattern):
                if index not in self._loaded:
                    self._loaded[index] = explicit(load(specs)) if specs else None
                return self._loaded[index]
        return self.default


def for_paths(default: Glossary | None, start: Path | None = None) -> PathGlossaries | None:
    """The project's per-path glossaries around ``default`` (None: no mapping)."""
    scopes, config = path_scopes(start)
    if config is None:
        return None
    return PathGlossaries(default, scopes, config.parent.resolve())
