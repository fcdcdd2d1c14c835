"""tolmach: offline translation and localization toolkit.

The package root is the Python API; the command line is a thin layer over the
same calls. Every name loads on first use (PEP 562), so ``import toolkit``
stays as light as ``tolmach --help`` and imports no engine:

>>> import toolkit
>>> toolkit.Language.parse("en-US")
'en'
>>> toolkit.detect_text("Заголовок открываемого материала", expect="en").lang
'ru'
>>> toolkit.get_engine("identity").translate_batch(["мир"], "ru", "en")
['мир']
>>> spec = toolkit.resolve_engine_spec("argos", device="cpu", beam=4)
>>> isinstance(spec, toolkit.EngineSpec), spec.device, spec.beam
(True, 'cpu', 4)

- :func:`detect_text`, :func:`detect_file`: the language of a text, the fragments of a file;
- :func:`translate_texts`, :func:`translate_files`: translate texts, or documents in place of
  their foreign fragments;
- :func:`audit_paths`: the findings of ``tolmach audit`` for files and folders;
- :func:`load_glossary`: shipped or user glossaries, merged;
- :class:`Language`: the language-code type every entry parses with;
- :class:`EngineSpec`, :func:`resolve_engine_spec`, :func:`get_engine`: the engine
  specification (name, device, compute type, beam, batch, threads; resolved once) and an
  engine by name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from toolkit.api import (
        audit_paths,
        detect_file,
        detect_text,
        load_glossary,
        translate_files,
        translate_texts,
    )
    from toolkit.engines import get_engine
    from toolkit.engines.spec import EngineSpec, resolve_engine_spec
    from toolkit.errors import TolmachError, UsageError
    from toolkit.languages import Language

# public name -> the module that defines it, imported on first access
_LAZY: dict[str, str] = {
    "detect_text": "toolkit.api",
    "detect_file": "toolkit.api",
    "translate_texts": "toolkit.api",
    "translate_files": "toolkit.api",
    "audit_paths": "toolkit.api",
    "load_glossary": "toolkit.api",
    "Language": "toolkit.languages",
    "EngineSpec": "toolkit.engines.spec",
    "resolve_engine_spec": "toolkit.engines.spec",
    "get_engine": "toolkit.engines",
    "TolmachError": "toolkit.errors",
    "UsageError": "toolkit.errors",
}

__all__ = [
    "EngineSpec",
    "Language",
    "TolmachError",
    "UsageError",
    "__version__",
    "audit_paths",
    "detect_file",
    "detect_text",
    "get_engine",
    "load_glossary",
    "resolve_engine_spec",
    "translate_files",
    "translate_texts",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
