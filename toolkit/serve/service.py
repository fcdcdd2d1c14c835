"""What the server does behind the HTTP layer: tolmach's pipeline per request.

* **languages**: the installed packages' languages and the pairs they
  translate, directly or through English (:class:`Catalogue`);
* **detection per item**: with ``source=auto`` each text of a request gets its
  own language (LibreTranslate gives a whole batch the language of its first
  text), among the installed languages; in HTML and files, each sentence;
* **HTML and files**: parsed by tolmach's formats, so a sentence is translated
  whole across inline markup and every element comes back around its words
  (:mod:`toolkit.markup`); only the sentences not already in the target
  language are sent to the engine;
* **the text core** (:func:`toolkit.translation.translate_texts`) in the engine
  thread: duplicates removed, the translation memory first, glossary terms
  protected, then the engine; the memory is opened in that thread.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit.i18n import _
from toolkit.languages import Language
from toolkit.serve.batching import Batcher
from toolkit.serve.config import ServeConfig

if TYPE_CHECKING:
    from toolkit.document import Document, Fragment
    from toolkit.engines import Engine
    from toolkit.glossary import Glossary
    from toolkit.markup import Marked
    from toolkit.memory import Memory
    from toolkit.models import InstalledPackage

# What a request's ``glossary`` parameter may say besides a glossary's name.
DEFAULT_GLOSSARY = "default"
NO_GLOSSARY = "none"
# File formats /translate_file accepts (gettext catalogs go through `tolmach po`).
FILE_FORMATS = ("txt", "markdown", "html", "srt")

T = TypeVar("T")


class ApiError(Exception):
    """A request the server refuses: an HTTP status and one line for ``{"error": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Detected:
    """The language found for an item: a code and a confidence in 0-100
    (LibreTranslate's scale); confidence 0 when the item is not language."""

    language: str
    confidence: float

    def to_dict(self) -> dict[str, object]:
        return {"confidence": round(self.confidence, 2), "language": public_code(self.language)}


# Argos' own codes as LibreTranslate shows them (its model2iso): clients and Weblate
# know these languages by their ISO form. Requests may use either.
_PUBLIC_CODES = {"zt": "zh-Hant", "pb": "pt-BR"}


def public_code(code: str) -> str:
    """The code LibreTranslate's API uses for an Argos code (``zt`` → ``zh-Hant``)."""
    return _PUBLIC_CODES.get(code, code)


@dataclass(frozen=True)
class Catalogue:
    """Installed languages (code → English name) and the pairs they translate."""

    names: Mapping[str, str]
    pairs: frozenset[tuple[str, str]]

    @classmethod
    def from_packages(cls, packages: Sequence[InstalledPackage]) -> Catalogue:
        names: dict[str, str] = {}
        direct: set[tuple[str, str]] = set()
        for pkg in packages:
            source, target = Language.lookup(pkg.from_code), Language.lookup(pkg.to_code)
            if source is None or target is None:
                continue  # a code tolmach does not know: not offered
            names.setdefault(source, pkg.from_name or source)
            names.setdefault(target, pkg.to_name or target)
            direct.add((source, target))
        pairs = set(direct)
        into_en = [s for s, t in direct if t == "en"]
        from_en = [t for s, t in direct if s == "en"]
        pairs.update((s, t) for s in into_en for t in from_en if s != t)
        return cls(dict(sorted(names.items())), frozenset(pairs))

    @classmethod
    def installed(cls) -> Catalogue:
        from toolkit.models import installed_packages

        return cls.from_packages(installed_packages())

    def language(self, code: str | None) -> Language | None:
        """The installed language a request's code names, or None. ``pt-BR`` is
        Argos' ``pb`` when that package is installed (else ``pt``), as
        LibreTranslate lists it."""
        if code and code.replace("_", "-").lower() == "pt-br" and "pb" in self.names:
            return Language.parse("pb")
        found = Language.lookup(code)
        return found if found is not None and found in self.names else None

    def can(self, source: str, target: str) -> bool:
        return source == target or (source, target) in self.pairs

    def targets(self, source: str) -> list[str]:
        return sorted(t for s, t in self.pairs if s == source)

    def to_list(self) -> list[dict[str, object]]:
        """``GET /languages``: code, English name and target codes of each language."""
        return [
            {
                "code": public_code(code),
                "name": name,
                "targets": [public_code(t) for t in self.targets(code)],
            }
            for code, name in self.names.items()
        ]


@dataclass
class Glossaries:
    """The glossaries a request may name: ``default`` (the server's set), ``none``,
    each one given to ``tolmach serve --glossary`` and each shipped one."""

    default: Glossary | None
    named: dict[str, Glossary] = field(default_factory=dict)

    @classmethod
    def load(cls, specs: Sequence[str] | None) -> Glossaries:
        """``specs`` None: no glossary; empty: the configured set."""
        from pathlib import Path

        from toolkit.glossary import load
        from toolkit.glossary.store import shipped_names

        if specs is None:
            return cls(None)
        named = {name: load([name]) for name in shipped_names()}
        for spec in specs:
            named[Path(spec).stem] = load([spec])
        return cls(load(list(specs) or None), named)

    def choose(self, name: str | None) -> str:
        """The batching key of a request's ``glossary`` parameter (400 if unknown)."""
        if not name or name == DEFAULT_GLOSSARY:
            return DEFAULT_GLOSSARY
        if name == NO_GLOSSARY or name in self.named:
            return name
        raise ApiError(400, _("unknown glossary {name!r}").format(name=name))

    def get(self, key: str) -> Glossary | None:
        if key == DEFAULT_GLOSSARY:
            return self.default
        return None if key == NO_GLOSSARY else self.named.get(key)


class Service:
    """Detection, documents and the batched text core behind the endpoints."""

    def __init__(
        self,
        config: ServeConfig,
        engine: Engine,
        catalogue: Catalogue,
        glossaries: Glossaries,
    ) -> None:
        self.config = config
        self.engine = engine
        self.catalogue = catalogue
        self.glossaries = glossaries
        # The engine thread: models and the memory's SQLite connection live there.
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="tolmach-engine")
        # Detection, parsing and rendering: off the event loop, beside the engine.
        self.helper = ThreadPoolExecutor(1, thread_name_prefix="tolmach-detect")
        self.batcher = Batcher(
            self._run,
            self.worker,
            wait_s=config.batch_wait_ms / 1000,
            max_texts=config.batch_texts,
            enabled=config.batching,
        )
        self._memory: Memory | None = None
        self.candidates: tuple[str, ...] | None = tuple(catalogue.names) or None

    async def start(self) -> None:
        await self.batcher.start()

    async def close(self) -> None:
        await self.batcher.close()
        self.worker.submit(self._close_memory).result()
        self.worker.shutdown(wait=True)
        self.helper.shutdown(wait=True)

    # --- the engine thread -------------------------------------------------------------------

    def _run(self, texts: list[str], source: str, target: str, glossary: str) -> list[str]:
        from toolkit.translation import translate_texts

        out, _stats = translate_texts(
            texts,
            source,
            target,
            engine=self.engine,
            memory=self._open_memory(),
            glossary=self.glossaries.get(glossary),
        )
        return out

    def _open_memory(self) -> Memory | None:
        if self._memory is None and self.config.use_memory:
            from toolkit.memory import Memory

            self._memory = Memory(self.config.memory)
        return self._memory

    def _close_memory(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    async def _off_loop(self, func: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.helper, func, *args)

    # --- requests ----------------------------------------------------------------------------

    def check_pair(self, source: str, target: str) -> None:
        if not self.catalogue.can(source, target):
            raise ApiError(
                400,
                _("{target} is not available as a target language from {source}").format(
                    target=target, source=source
                ),
            )

    def _detect_items(self, items: Sequence[str]) -> list[Detected | None]:
        from toolkit.detect import detect_text

        out: list[Detected | None] = []
        for text in items:
            guess = detect_text(text, languages=self.candidates)
            out.append(Detected(guess.lang, guess.confidence * 100) if guess.lang else None)
        return out

    async def detect(self, text: str) -> list[Detected]:
        """``POST /detect``: the language of the text (none when it is not language)."""
        found = (await self._off_loop(self._detect_items, [text]))[0]
        return [found] if found is not None else []

    async def translate_text(
        self, items: Sequence[str], source: str | None, target: str, glossary: str
    ) -> tuple[list[str], list[Detected]]:
        """Plain texts: each one whole, from ``source`` or from its own detected
        language (an item that is not language, or already in ``target``, comes back
        as it is)."""
        detected: list[Detected]
        if source is None:
            found = await self._off_loop(self._detect_items, items)
            detected = [d or Detected(target, 0.0) for d in found]
            for d in detected:
                if self.catalogue.language(d.language) is None:
                    raise ApiError(400, _("{lang} is not supported").format(lang=d.language))
                self.check_pair(d.language, target)
        else:
            detected = [Detected(source, 100.0)] * len(items)
        out = list(items)
        by_source: dict[str, list[int]] = {}
        for i, d in enumerate(detected):
            if d.language != target and d.confidence > 0:
                by_source.setdefault(d.language, []).append(i)
        await self._translate_groups(items, by_source, target, glossary, out)
        return out, detected

    async def _translate_groups(
        self,
        texts: Sequence[str],
        by_source: Mapping[str, Sequence[int]],
        target: str,
        glossary: str,
        out: list[str],
    ) -> None:
        groups = list(by_source.items())
        results = await asyncio.gather(
            *(
                self.batcher.translate([texts[i] for i in idx], src, target, glossary)
                for src, idx in groups
            )
        )
        for (_src, idx), translated in zip(groups, results, strict=True):
            for i, text in zip(idx, translated, strict=True):
                out[i] = text

    async def translate_html(
        self, items: Sequence[str], source: str | None, target: str, glossary: str
    ) -> tuple[list[str], list[Detected]]:
        """HTML texts: parsed by the html format, each sentence detected and
        translated whole, markup put back around its words."""
        from toolkit import formats

        module = formats.get("html")
        docs = await self._off_loop(lambda: [module.parse(text) for text in items])
        results = await asyncio.gather(
            *(self._translate_document(doc, source, target, glossary) for doc in docs)
        )
        out = []
        for doc, (replacements, _d) in zip(docs, results, strict=True):
            out.append(
                await self._off_loop(module.render, doc, replacements) if replacements else doc.text
            )
        return out, [d for _r, d in results]

    async def translate_file(
        self, data: bytes, filename: str, source: str | None, target: str, glossary: str
    ) -> bytes:
        """``POST /translate_file``: a document in, the same document translated out
        (every byte outside a translated sentence unchanged)."""
        from toolkit import formats

        doc = await self._off_loop(lambda: formats.load(filename, data=data))
        if doc.format not in FILE_FORMATS:
            raise ApiError(400, _("Invalid request: file format not supported"))
        replacements, _detected = await self._translate_document(doc, source, target, glossary)
        if not replacements:
            return data
        dumped: bytes = await self._off_loop(formats.dump, doc, replacements)
        return dumped

    def _plan(
        self, doc: Document, source: str | None, target: str
    ) -> tuple[list[Fragment], list[str], list[Marked], Detected]:
        from toolkit import detect, markup

        found = detect.fragments(doc, expect=target, languages=self.candidates).fragments
        weights: Counter[str] = Counter()
        confidence: dict[str, float] = {}
        for f in found:
            if f.lang:
                weights[f.lang] += len(f.text)
                confidence[f.lang] = confidence.get(f.lang, 0.0) + len(f.text) * f.confidence
        if weights:
            top, n = weights.most_common(1)[0]
            overall = Detected(top, 100 * confidence[top] / n)
        else:
            overall = Detected(target, 0.0)
        todo = [
            f
            for f in found
            if f.lang is not None
            and f.kind is None  # names, codes and template code are not translated
            and f.lang != target
            and self.catalogue.can(source or f.lang, target)
            and (source or f.lang) != target
        ]
        sources = [source or f.lang or "" for f in todo]
        marked = [markup.mark_fragment(doc.segments[f.segment], f.start, f.end) for f in todo]
        return todo, sources, marked, overall

    async def _translate_document(
        self, doc: Document, source: str | None, target: str, glossary: str
    ) -> tuple[dict[int, str], Detected]:
        from toolkit.pipeline import apply_translations

        todo, sources, marked, overall = await self._off_loop(self._plan, doc, source, target)
        if not todo:
            return {}, overall
        texts = [m.text for m in marked]
        by_source: dict[str, list[int]] = {}
        for i, src in enumerate(sources):
            by_source.setdefault(src, []).append(i)
        out = list(texts)
        await self._translate_groups(texts, by_source, target, glossary, out)
        replacements, _relocated = await self._off_loop(apply_translations, doc, todo, marked, out)
        return replacements, overall
