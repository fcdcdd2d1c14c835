"""Build hook: ship tolmach's message catalogs (``locales/``) and shipped
glossaries (``glossaries/``) inside the package.

Everything else is configured in pyproject.toml. At run time
``toolkit.i18n.locales_dir()`` finds them under ``toolkit/_data/locales`` in an
installed wheel, and under ``locales/`` in a source checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithLocales(build_py):
    def run(self) -> None:
        super().run()
        src = HERE / "locales"
        dst = Path(self.build_lib) / "toolkit" / "_data" / "locales"
        for po in sorted(src.glob("*/LC_MESSAGES/*.po")):
            target = dst / po.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(po, target)
        glossaries = Path(self.build_lib) / "toolkit" / "_data" / "glossaries"
        for tsv in sorted((HERE / "glossaries").glob("*.tsv")):
            glossaries.mkdir(parents=True, exist_ok=True)
            shutil.copy2(tsv, glossaries / tsv.name)


setup(cmdclass={"build_py": BuildPyWithLocales})
