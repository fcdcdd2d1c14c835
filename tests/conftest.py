"""Shared fixtures: every test runs with its own tolmach and Argos state folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("TOLMACH_SHARED_DATA") or ROOT.parent / "shared" / "data")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point TOLMACH_HOME and the XDG folders at a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TOLMACH_HOME", str(home / "tolmach"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from toolkit import i18n

    i18n.translations.cache_clear()
    return home


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a visible reason."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/data is not beside the checkout ({path} missing)")
    return path


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """Environment for running ``python -m toolkit`` in a subprocess from the repo root."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# Argos fixtures: argos_packages_dir, install_argos (tests/support/argos_env.py).
from tests.support.argos_env import argos_packages_dir, install_argos  # noqa: E402, F401
