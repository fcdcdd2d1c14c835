"""Pytest fixtures that point argostranslate (and tolmach) at a temporary packages folder.

argostranslate reads its settings once, at import, and keeps translators in
``translate.installed_translates`` and in the lru_cache of
``get_installed_languages``. These fixtures set the environment for code that has
not imported it yet, patch the settings module when it has, and clear both caches
before and after each test.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.argos_pkg import build_package

# An address nothing listens on: any accidental index download fails at once.
OFFLINE_INDEX = "http://127.0.0.1:9/"


def _clear_argos_caches() -> None:
    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.installed_translates.clear()
        translate.get_installed_languages.cache_clear()


def _point_argos_at(packages: Path, index: str) -> None:
    settings = sys.modules.get("argostranslate.settings")
    if settings is not None:
        settings.package_data_dir = packages
        settings.package_dirs = [packages]
        settings.package_index = index
        settings.remote_package_index = index + "index.json"


@pytest.fixture
def argos_packages_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty Argos packages folder that argostranslate and tolmach both use."""
    packages = tmp_path / "argos-packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", OFFLINE_INDEX)
    monkeypatch.delenv("ARGOS_DEVICE_TYPE", raising=False)
    settings = sys.modules.get("argostranslate.settings")
    saved = None
    if settings is not None:
        saved = (
            settings.package_data_dir,
            list(settings.package_dirs),
            settings.package_index,
            settings.remote_package_index,
        )
    _point_argos_at(packages, OFFLINE_INDEX)
    _clear_argos_caches()
    yield packages
    _clear_argos_caches()
    settings = sys.modules.get("argostranslate.settings")
    if settings is not None and saved is not None:
        (
            settings.package_data_dir,
            settings.package_dirs,
            settings.package_index,
            settings.remote_package_index,
        ) = saved


@pytest.fixture
def install_argos(argos_packages_dir: Path, tmp_path: Path) -> Callable[..., Path]:
    """Factory: build a tiny package and install it with argostranslate's install_from_path.

    ``install_argos(kind="identity", from_code="ru", to_code="en", **build_options)``
    returns the installed package folder.
    """

    def install(
        kind: str = "identity", from_code: str = "ru", to_code: str = "en", **options: object
    ) -> Path:
        import argostranslate.package  # reads its settings (from our env) on first import

        _point_argos_at(argos_packages_dir, OFFLINE_INDEX)
        built = build_package(
            tmp_path / "built", kind=kind, from_code=from_code, to_code=to_code, **options
        )
        before = {p.name for p in argos_packages_dir.iterdir()}
        argostranslate.package.install_from_path(built)
        _clear_argos_caches()
        added = [p for p in argos_packages_dir.iterdir() if p.name not in before]
        if added:
            return added[0]
        name = options.get("name") or f"translate-{from_code}_{to_code}-{kind}-" + str(
            options.get("version", "1.0")
        )
        return argos_packages_dir / str(name)

    return install
