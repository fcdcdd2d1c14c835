"""Package discovery, validation, installation and removal (toolkit.models, tolmach models)."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.argos_pkg import build_package
from toolkit import models
from toolkit.cli import app
from toolkit.errors import (
    ExitCode,
    FileIOError,
    MissingModelError,
    NetworkError,
    PackageError,
)

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder with its content hash: 'unchanged' means equal snapshots."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    } | {str(p.relative_to(folder)) + "/": "" for p in folder.rglob("*") if p.is_dir()}


def rezip(src: Path, dest: Path, rename: Callable[[str], str | None]) -> Path:
    """Copy a zip, renaming (or dropping, when rename returns None) each member."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            name = rename(info.filename)
            if name is not None:
                zout.writestr(name, zin.read(info.filename))
    return dest


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return build_package(tmp_path / "built", kind="identity")


# --- discovery ------------------------------------------------------------------------------


def test_packages_dir_follows_argos_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert models.packages_dir() == data / "argos-translate" / "packages"
    config = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "argos-translate").mkdir(parents=True)
    (config / "argos-translate" / "settings.json").write_text(
        json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-json")})
    )
    assert models.packages_dir() == tmp_path / "from-json"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "from-env"))
    assert models.packages_dir() == tmp_path / "from-env"


def test_install_list_find_remove(argos_packages_dir: Path, built: Path) -> None:
    assert models.installed_packages() == []
    pkg = models.install_from_file(built)
    assert pkg.path.parent == argos_packages_dir
    assert (pkg.from_code, pkg.to_code, pkg.version) == ("ru", "en", "1.0")
    assert (pkg.path / "model" / "model.bin").is_file()
    assert pkg.sbd_model is not None
    assert pkg.sbd_model.suffix == ".onnx"
    assert models.find_package("ru", "en") == pkg
    assert models.find_package("en", "ru") is None
    assert [p.name for p in models.installed_packages()] == [pkg.name]
    removed = models.remove("ru", "en")
    assert [p.name for p in removed] == [pkg.name]
    assert list(argos_packages_dir.iterdir()) == []
    with pytest.raises(MissingModelError):
        models.remove("ru", "en")


def test_newer_version_replaces_older_cleanly(argos_packages_dir: Path, tmp_path: Path) -> None:
    old = models.install_from_file(build_package(tmp_path, version="1.0", name="ru_en_old"))
    new = models.install_from_file(build_package(tmp_path, version="1.1", name="ru_en_new"))
    assert not old.path.exists()
    assert [p.name for p in models.installed_packages()] == ["ru_en_new"]
    assert new.version == "1.1"
    # Same folder name again: replaced in place, nothing left behind.
    again = models.install_from_file(build_package(tmp_path, version="1.2", name="ru_en_new"))
    assert again.version == "1.2"
    assert sorted(p.name for p in argos_packages_dir.iterdir()) == ["ru_en_new"]
    assert not list(argos_packages_dir.parent.glob(models.STAGING_PREFIX + "*"))


def test_route_pivots_through_english(argos_packages_dir: Path, tmp_path: Path) -> None:
    models.install_from_file(build_package(tmp_path, from_code="ru", to_code="en"))
    models.install_from_file(build_package(tmp_path, from_code="en", to_code="de"))
    assert [(p.from_code, p.to_code) for p in models.find_route("ru", "de")] == [
        ("ru", "en"),
        ("en", "de"),
    ]
    with pytest.raises(MissingModelError) as err:
        models.find_route("de", "ru")
    message = str(err.value)
    assert "de→ru" in message
    assert "tolmach models install --from de --to ru" in message
    assert "tolmach models install FILE.argosmodel" in message


# --- validation: every bad zip leaves the packages folder unchanged ---------------------------


def _bad_evil(built: Path, tmp: Path) -> Path:
    path = rezip(built, tmp / "evil.argosmodel", lambda n: n)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("../evil.txt", "pwned")
    return path


def _bad_evil_nested(built: Path, tmp: Path) -> Path:
    top = zipfile.ZipFile(built).namelist()[0].split("/")[0]
    return rezip(
        built,
        tmp / "nested.argosmodel",
        lambda n: n.replace(f"{top}/README.md", f"{top}/../../escaped.txt"),
    )


def _bad_absolute(built: Path, tmp: Path) -> Path:
    path = rezip(built, tmp / "abs.argosmodel", lambda n: n)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("/tmp/absolute.txt", "x")
    return path


def _bad_no_top(built: Path, tmp: Path) -> Path:
    return rezip(built, tmp / "flat.argosmodel", lambda n: n.split("/", 1)[1] or None)


def _bad_two_tops(built: Path, tmp: Path) -> Path:
    path = rezip(built, tmp / "two.argosmodel", lambda n: n)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("other/metadata.json", "{}")
    return path


def _bad_not_zip(built: Path, tmp: Path) -> Path:
    path = tmp / "text.argosmodel"
    path.write_text("this is not a zip\n")
    return path


def _bad_truncated(built: Path, tmp: Path) -> Path:
    path = tmp / "truncated.argosmodel"
    path.write_bytes(built.read_bytes()[: built.stat().st_size // 2])
    return path


def _bad_no_metadata(built: Path, tmp: Path) -> Path:
    return rezip(
        built,
        tmp / "nometa.argosmodel",
        lambda n: None if n.endswith("metadata.json") else n,
    )


def _bad_metadata_json(built: Path, tmp: Path) -> Path:
    path = rezip(
        built, tmp / "badjson.argosmodel", lambda n: None if n.endswith("metadata.json") else n
    )
    top = zipfile.ZipFile(built).namelist()[0].split("/")[0]
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(f"{top}/metadata.json", "{not json")
    return path


def _bad_metadata_fields(built: Path, tmp: Path) -> Path:
    path = rezip(
        built, tmp / "nofields.argosmodel", lambda n: None if n.endswith("metadata.json") else n
    )
    top = zipfile.ZipFile(built).namelist()[0].split("/")[0]
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps({"from_code": "ru"}))
    return path


def _bad_no_model(built: Path, tmp: Path) -> Path:
    return rezip(built, tmp / "nomodel.argosmodel", lambda n: None if "/model/" in n else n)


def _bad_no_tokenizer(built: Path, tmp: Path) -> Path:
    return rezip(
        built, tmp / "nosp.argosmodel", lambda n: None if n.endswith("sentencepiece.model") else n
    )


def _bad_symlink(built: Path, tmp: Path) -> Path:
    path = rezip(built, tmp / "link.argosmodel", lambda n: n)
    top = zipfile.ZipFile(built).namelist()[0].split("/")[0]
    info = zipfile.ZipInfo(f"{top}/link")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(info, "/etc/passwd")
    return path


def _bad_duplicate(built: Path, tmp: Path) -> Path:
    path = rezip(built, tmp / "dup.argosmodel", lambda n: n)
    top = zipfile.ZipFile(built).namelist()[0].split("/")[0]
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr(f"{top}/metadata.json", "{}")
    return path


BAD_PACKAGES = {
    "evil-member": (_bad_evil, "escapes"),
    "evil-nested": (_bad_evil_nested, "escapes"),
    "absolute-member": (_bad_absolute, "absolute"),
    "no-top-folder": (_bad_no_top, "top-level folder"),
    "two-top-folders": (_bad_two_tops, "exactly one top-level folder"),
    "not-a-zip": (_bad_not_zip, "not a zip"),
    "truncated-zip": (_bad_truncated, "zip"),
    "no-metadata": (_bad_no_metadata, "metadata.json is missing"),
    "metadata-not-json": (_bad_metadata_json, "not valid JSON"),
    "metadata-fields": (_bad_metadata_fields, "lacks the field"),
    "no-model": (_bad_no_model, "model.bin is missing"),
    "no-tokenizer": (_bad_no_tokenizer, "sentencepiece.model is missing"),
    "symlink": (_bad_symlink, "symbolic link"),
    "duplicate-member": (_bad_duplicate, "appears twice"),
}


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_bad_package_is_refused_and_installed_ones_keep_working(
    case: str, argos_packages_dir: Path, built: Path, tmp_path: Path
) -> None:
    make, expected = BAD_PACKAGES[case]
    good = models.install_from_file(built)
    bad = make(built, tmp_path)
    before = snapshot(argos_packages_dir.parent)  # staging happens beside the packages dir
    with pytest.raises(PackageError) as err:
        models.install_from_file(bad)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)
    assert snapshot(argos_packages_dir.parent) == before
    assert models.installed_packages() == [good]
    assert not (tmp_path / "evil.txt").exists()
    assert not (argos_packages_dir.parent / "evil.txt").exists()


@pytest.mark.parametrize("case", ["evil-member", "no-top-folder", "not-a-zip", "no-metadata"])
def test_cli_install_bad_package_one_line_nonzero(
    case: str, argos_packages_dir: Path, built: Path, tmp_path: Path
) -> None:
    models.install_from_file(built)
    before = snapshot(argos_packages_dir)
    bad = BAD_PACKAGES[case][0](built, tmp_path)
    result = runner.invoke(app, ["models", "install", str(bad)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("tolmach: error:")
    assert snapshot(argos_packages_dir) == before


def test_zip_bomb_guard(argos_packages_dir: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "pkg/metadata.json",
            json.dumps({"package_version": "1", "from_code": "ru", "to_code": "en"}),
        )
        zf.writestr("pkg/sentencepiece.model", b"x")
        zf.writestr("pkg/model/model.bin", b"\0" * (40 * 1024**2))
    with pytest.raises(PackageError, match="compression ratio"):
        models.validate_package(bomb)
    with pytest.raises(PackageError, match="more than"):
        models.validate_package(bomb, max_total_bytes=1024**2)
    assert list(argos_packages_dir.iterdir()) == []


def test_missing_file_is_an_io_error(argos_packages_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(FileIOError):
        models.install_from_file(tmp_path / "nope.argosmodel")
    result = runner.invoke(app, ["models", "install", str(tmp_path / "nope.argosmodel")])
    assert result.exit_code == ExitCode.IO
    assert "Traceback" not in result.output


def test_argostranslate_still_loads_after_refused_packages(
    argos_packages_dir: Path, built: Path, tmp_path: Path
) -> None:
    """argostranslate reads every folder in the packages dir: nothing stray may be left."""
    models.install_from_file(built)
    for make, _expected in BAD_PACKAGES.values():
        with pytest.raises(PackageError):
            models.install_from_file(make(built, tmp_path))
    import argostranslate.package

    pkgs = argostranslate.package.get_installed_packages()
    assert [(p.from_code, p.to_code) for p in pkgs] == [("ru", "en")]


# --- the Argos index ---------------------------------------------------------------------------


def test_offline_index_is_one_network_error(argos_packages_dir: Path) -> None:
    # argos_packages_dir points ARGOS_PACKAGE_INDEX at http://127.0.0.1:9/ (nothing listens).
    with pytest.raises(NetworkError) as err:
        models.install_from_index("ru", "en", timeout=5)
    assert "tolmach models install FILE.argosmodel" in str(err.value)
    result = runner.invoke(app, ["models", "install", "--from", "ru", "--to", "en"])
    assert result.exit_code == ExitCode.IO
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "tolmach models install FILE.argosmodel" in lines[0]
    assert list(argos_packages_dir.iterdir()) == []


@pytest.fixture
def local_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package index served over HTTP from 127.0.0.1 (no outside network)."""
    root = tmp_path / "served"
    root.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{server.server_port}/")
    root.joinpath("_port").write_text(str(server.server_port))
    yield root
    server.shutdown()
    server.server_close()


def test_install_from_index_downloads_and_installs(
    argos_packages_dir: Path, local_index: Path, tmp_path: Path
) -> None:
    port = local_index.joinpath("_port").read_text()
    pkg_file = build_package(tmp_path, kind="identity")
    shutil.copy(pkg_file, local_index / "ru_en.argosmodel")
    index = [
        {
            "package_version": "1.0",
            "from_code": "ru",
            "to_code": "en",
            "links": [f"http://127.0.0.1:{port}/ru_en.argosmodel"],
        },
        {"package_version": "1.0", "from_code": "en", "to_code": "fr", "links": []},
    ]
    local_index.joinpath("index.json").write_text(json.dumps(index))
    result = runner.invoke(app, ["models", "install", "--from", "ru", "--to", "en"])
    assert result.exit_code == 0, result.output
    assert models.find_package("ru", "en") is not None
    with pytest.raises(MissingModelError, match="no package for de→ru"):
        models.install_from_index("de", "ru")


# --- CLI --------------------------------------------------------------------------------------


def test_cli_list_install_remove(argos_packages_dir: Path, built: Path) -> None:
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert "No Argos models installed" in result.output
    result = runner.invoke(app, ["models", "install", str(built)])
    assert result.exit_code == 0, result.output
    assert "ru→en" in result.output
    result = runner.invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert "ru→en" in result.output
    assert "translate-ru_en-identity-1.0" in result.output
    assert "1.0" in result.output
    result = runner.invoke(app, ["models", "list", "--json"])
    data = json.loads(result.stdout)
    assert [(d["from_code"], d["to_code"], d["version"]) for d in data] == [("ru", "en", "1.0")]
    result = runner.invoke(app, ["models", "remove", "translate-ru_en-identity-1.0"])
    assert result.exit_code == 0, result.output
    assert models.installed_packages() == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["models", "install"], ExitCode.USAGE),
        (["models", "install", "--from", "ru"], ExitCode.USAGE),
        (["models", "install", "x.argosmodel", "--from", "ru", "--to", "en"], ExitCode.USAGE),
        (["models", "remove"], ExitCode.USAGE),
        (["models", "remove", "x", "--from", "ru", "--to", "en"], ExitCode.USAGE),
        (["models", "remove", "--from", "ru", "--to", "en"], ExitCode.MISSING),
        (["models", "remove", "no-such-package"], ExitCode.MISSING),
        (["models", "list", "--bogus"], ExitCode.USAGE),
    ],
)
def test_cli_error_paths(args: list[str], code: int, argos_packages_dir: Path) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_cli_install_unwritable_packages_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built: Path
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(blocker / "packages"))
    result = runner.invoke(app, ["models", "install", str(built)])
    assert result.exit_code == ExitCode.IO
    assert "Traceback" not in result.output
    assert os.path.isfile(blocker)


def test_models_list_imports_no_heavy_module(
    argos_packages_dir: Path, built: Path, subprocess_env: dict[str, str]
) -> None:
    from tests.test_startup import _loaded_after

    models.install_from_file(built)
    env = dict(subprocess_env, ARGOS_PACKAGES_DIR=str(argos_packages_dir))
    exit_code, loaded = _loaded_after(["models", "list"], env)
    assert exit_code == 0
    assert loaded == ""
