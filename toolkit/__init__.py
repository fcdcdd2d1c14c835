"""tolmach: offline translation and localization toolkit.

The command line is a thin layer over these functions; import what you need
from the submodules (``toolkit.detect``, ``toolkit.pipeline``,
``toolkit.glossary``, ``toolkit.audit``). Heavy libraries (argostranslate,
ctranslate2) load only when a translation runs.
"""

__version__ = "0.1.0"
