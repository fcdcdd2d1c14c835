"""Attacks on ``tolmach models install FILE`` (issue 15), each through the CLI in a
subprocess bounded by a timeout: one error line and exit 4, never a traceback,
and the packages already installed untouched."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.procs import kill, one_error, run_cli, tolmach, wait_for
from toolkit import models


def metadata(from_code: str = "ru", to_code: str = "en", version: str = "1.0") -> str:
    return json.dumps({"package_version": version, "from_code": from_code, "to_code": to_code})


def package(
    path: Path,
    top: str = "ru_en",
    *,
    from_code: str = "ru",
    to_code: str = "en",
    version: str = "1.0",
    prefix: Callable[[str], str] = lambda name: name,
    extra: dict[str, bytes] | None = None,
    meta: str | bytes | None = None,
) -> Path:
    """A minimal valid package zip; ``prefix`` rewrites every member name."""
    members: dict[str, str | bytes] = {
        f"{top}/metadata.json": meta if meta is not None else metadata(from_code, to_code, version),
        f"{top}/sentencepiece.model": b"sp",
        f"{top}/model/model.bin": b"weights",
        f"{top}/model/config.json": b"{}",
    }
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(prefix(name), data)
    return path


@pytest.fixture
def env(argos_packages_dir: Path, subprocess_env: dict[str, str]) -> dict[str, str]:
    return dict(subprocess_env, ARGOS_PACKAGES_DIR=str(argos_packages_dir))


def install(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(["models", "install", *args], env, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda n: "./" + n,
        lambda n: n.replace("/", "//", 1),
        lambda n: n.replace("/", "/./", 1),
    ],
    ids=["dot-slash", "double-slash", "slash-dot-slash"],
)
def test_member_names_are_normalised_once(
    rewrite: Callable[[str], str], env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    proc = install(env, str(package(tmp_path / "p.argosmodel", prefix=rewrite)))
    assert proc.returncode == 0, proc.stderr
    assert (argos_packages_dir / "ru_en" / "model" / "model.bin").read_bytes() == b"weights"


def test_deeply_nested_metadata_is_one_line(
    env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    proc = install(env, str(package(tmp_path / "p.argosmodel", meta=deep)))
    one_error(proc, 4, "nested too deeply")
    assert list(argos_packages_dir.iterdir()) == []


def _corrupt_member(path: Path, member: str) -> None:
    """Make a member's deflate stream start with a reserved block type (zlib.error)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    with open(path, "r+b") as fh:
        fh.seek(info.header_offset + 26)
        name_len, extra_len = struct.unpack("<HH", fh.read(4))
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        fh.write(b"\xff")


@pytest.mark.parametrize("member", ["ru_en/metadata.json", "ru_en/model/model.bin"])
def test_corrupt_deflate_data_is_one_line(
    member: str, env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    path = package(tmp_path / "p.argosmodel", extra={"ru_en/model/model.bin": b"w" * 5000})
    _corrupt_member(path, member)
    proc = install(env, str(path))
    assert proc.returncode == 4, proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert list(argos_packages_dir.iterdir()) == []
    assert not list(argos_packages_dir.parent.glob(models.STAGING_PREFIX + "*"))


def test_many_small_bombs_are_refused(
    env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    """64 members of 16 MiB of zeros in a ~1 MB file: 1.1 GB installed, before."""
    zeros = b"\0" * (16 * 1024**2)
    bombs = {f"ru_en/model/part{i:02d}.bin": zeros for i in range(64)}
    path = package(tmp_path / "bomb.argosmodel", extra=bombs)
    assert path.stat().st_size < 2 * 1024**2
    proc = install(env, str(path))
    one_error(proc, 4, "compression ratio")
    assert list(argos_packages_dir.iterdir()) == []


def test_members_just_under_the_ratio_floor_add_up_to_a_refusal(tmp_path: Path) -> None:
    """Members of 1 MiB of zeros each escape the per-member check; their sum does not."""
    zeros = b"\0" * (1024**2)
    bombs = {f"ru_en/model/part{i:03d}.bin": zeros for i in range(100)}
    path = package(tmp_path / "bombs.argosmodel", extra=bombs)
    with pytest.raises(models.PackageError, match="times its size"):
        models.validate_package(path)


def test_another_pair_never_replaces_an_installed_folder(
    env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    assert install(env, str(package(tmp_path / "ru.argosmodel"))).returncode == 0
    before = tree(argos_packages_dir)
    evil = package(tmp_path / "de.argosmodel", top="ru_en", from_code="de", to_code="fr")
    one_error(install(env, str(evil)), 4, "holds ru→en, not de→fr")
    assert tree(argos_packages_dir) == before


def test_an_older_version_needs_downgrade(
    env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    new = package(tmp_path / "new.argosmodel", top="ru_en_new", version="1.9")
    old = package(tmp_path / "old.argosmodel", top="ru_en_old", version="1.2")
    assert install(env, str(new)).returncode == 0
    before = tree(argos_packages_dir)
    one_error(install(env, str(old)), 4, "--downgrade")
    assert tree(argos_packages_dir) == before
    proc = install(env, str(old), "--downgrade")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in argos_packages_dir.iterdir()) == ["ru_en_old"]


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"ru_en/model": b"a file where a folder is"}, "both a file and a folder"),
        ({"ru_en/" + "x" * 300 + "/f": b"long"}, "longer than 255 bytes"),
        ({"ru_en/" + "/".join(["y" * 200] * 6) + "/f": b"deep"}, "longer than 1024 bytes"),
    ],
    ids=["file-and-folder", "300-char-name", "long-path"],
)
def test_layout_the_disk_cannot_hold_is_bad_input(
    extra: dict[str, bytes],
    needle: str,
    env: dict[str, str],
    argos_packages_dir: Path,
    tmp_path: Path,
) -> None:
    proc = install(env, str(package(tmp_path / "p.argosmodel", extra=extra)))
    one_error(proc, 4, needle)
    assert list(argos_packages_dir.iterdir()) == []


def test_staging_left_by_a_killed_install_is_removed_by_the_next(
    env: dict[str, str], argos_packages_dir: Path, tmp_path: Path
) -> None:
    big = os.urandom(96 * 1024**2)  # incompressible, so extraction takes a while
    path = package(tmp_path / "big.argosmodel", extra={"ru_en/model/model.bin": big})
    staging = argos_packages_dir.parent
    proc = tolmach(["models", "install", str(path)], env)

    def extracting() -> bool:
        return any(
            p.name.startswith(models.STAGING_PREFIX) and any(p.rglob("model.bin"))
            for p in staging.iterdir()
        )

    assert wait_for(extracting, proc, 120), proc.communicate(timeout=60)
    assert kill(proc), "the install finished before it could be killed"
    left = [p for p in staging.iterdir() if p.name.startswith(models.STAGING_PREFIX)]
    assert left, "the kill left no staging folder: nothing was tested"
    # A concurrent install's staging (lock held) must survive the cleanup.
    in_use = package(tmp_path / "small.argosmodel", top="ru_en_small", version="2.0")
    proc2 = install(env, str(in_use))
    assert proc2.returncode == 0, proc2.stderr
    assert not [p for p in staging.iterdir() if p.name.startswith(models.STAGING_PREFIX)]


def test_staging_in_use_is_kept(argos_packages_dir: Path) -> None:
    held, fd = models._staging_dir(argos_packages_dir)
    try:
        assert models.remove_stale_staging(argos_packages_dir) == []
        assert held.is_dir()
    finally:
        models._release(held, fd)
