"""Start LibreTranslate with every sentence decoding exactly L(n) tokens (bench/serve.py).

    /path/to/libretranslate-venv/bin/python bench/libretranslate_fixed.py [libretranslate options]

Run with the Python of the separate venv LibreTranslate is installed in. It wraps
``ctranslate2.Translator`` (what argostranslate builds for each package) in
:class:`common.FixedLengthTranslator`, so a random-weight model decodes the same
number of tokens as tolmach's fast path does in the benchmark, then runs
LibreTranslate's own ``main()``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    import ctranslate2
    from common import FixedLengthTranslator

    real = ctranslate2.Translator

    def translator(*args: Any, **kwargs: Any) -> FixedLengthTranslator:
        return FixedLengthTranslator(real(*args, **kwargs))

    ctranslate2.Translator = translator
    from libretranslate.main import main as libretranslate_main

    sys.argv[0] = "libretranslate"
    libretranslate_main()


if __name__ == "__main__":
    main()
