"""The Argos Translate engine, with two paths over the same installed package.

* ``fast`` (default): reads the package itself. Sentences of every text are
  SentencePiece-encoded and sent to ``ctranslate2.Translator.translate_batch`` in
  a few large calls (one per length group), with ``max_decoding_length`` bounded
  relative to the source length, then decoded exactly as argostranslate decodes.
  It never imports ``argostranslate.translate`` (which loads torch).
* ``reference``: ``argostranslate.translate``, one ``translate()`` call per text,
  as argos-translate users call it.

On the same package and beam size both give the same output (tests prove it on
an identity and a random-weight model). Without a direct package, both pivot
through English. This module is the only importer of argostranslate/ctranslate2,
always inside functions.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.engines import on_models_changed
from toolkit.engines.spec import EngineSpec, resolve_engine_spec
from toolkit.errors import MissingDependencyError, MissingModelError, UsageError
from toolkit.i18n import _
from toolkit.models import InstalledPackage, find_route, packages_dir

# argostranslate's own call parameters (translate.apply_packaged_translation).
LENGTH_PENALTY = 0.2
# When a model cannot encode a sentence this long (learned position encodings
# end at 256 in OpenNMT's default), the sentence is cut into pieces of this
# many tokens, translated, and joined: a run-on line or a flattened table must
# not fail the whole batch.
MAX_SOURCE_TOKENS = 120
# ctranslate2's default cap, which the reference path always runs under.
REFERENCE_MAX_LENGTH = 256


def max_decoding_length(source_tokens: int, prefix_tokens: int = 0) -> int:
    """The fast path's output bound for a group whose longest source has n tokens:
    ``2n + 10`` (+ the target prefix), never above ctranslate2's 256-token cap
    when the source is shorter than that cap.

    Real translations stay well inside twice the source length plus a margin; a
    degenerate model (random weights, repetition loops) stops there instead of
    running to 256 tokens.
    """
    bound = 2 * source_tokens + 10 + prefix_tokens
    if source_tokens < REFERENCE_MAX_LENGTH:
        bound = min(bound, REFERENCE_MAX_LENGTH + prefix_tokens)
    return bound


def _length_group(n: int) -> int:
    """Group sources by the next power of two of their length (≥ 8)."""
    size = 8
    while size < n:
        size *= 2
    return size


_SENTENCE_RE = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=\S)")


def regex_sentences(text: str) -> list[str]:
    """Deterministic splitter for packages without a MiniSBD model: split after
    ``. ! ? …`` (and closing quotes/brackets) followed by whitespace."""
    stripped = text.strip()
    if not stripped:
        return []
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_RE.finditer(stripped):
        end = match.start() + len(match.group(0).rstrip())
        parts.append(stripped[start:end].strip())
        start = match.end()
    parts.append(stripped[start:].strip())
    return [p for p in parts if p]


# --- the fast path's per-package resources, loaded once and cached -------------------------


@dataclass
class _Loaded:
    package: InstalledPackage
    translator: Any
    sp: Any
    split: Callable[[str], list[str]]


_cache: dict[tuple[object, ...], _Loaded] = {}
_cache_lock = threading.Lock()
_PATHS = {"fast": "argos", "reference": "argos-reference"}


@on_models_changed
def clear_cache() -> None:
    """Forget loaded translators (after a package is installed or removed; registered
    with :func:`toolkit.engines.on_models_changed`)."""
    with _cache_lock:
        _cache.clear()
        _tokenizers.clear()


def _import_ctranslate2() -> Any:
    try:
        import ctranslate2
    except ImportError as exc:
        raise MissingDependencyError(
            _("ctranslate2 is not installed ({err}); pip install ctranslate2").format(err=exc)
        ) from None
    return ctranslate2


def _load(pkg: InstalledPackage, device: str, compute_type: str, inter: int, intra: int) -> _Loaded:
    key = (str(pkg.path), pkg.version, device, compute_type, inter, intra)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    ctranslate2 = _import_ctranslate2()
    import sentencepiece

    if not pkg.sentencepiece_model.is_file():
        raise MissingModelError(
            _("package {name} has no sentencepiece.model; use --engine argos-reference").format(
                name=pkg.name
            )
        )
    try:
        translator = ctranslate2.Translator(
            str(pkg.model_dir),
            device=device,
            compute_type=compute_type,
            inter_threads=inter,
            intra_threads=intra,
        )
    except (RuntimeError, ValueError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if device == "cuda":
            raise _cuda_error(first) from None
        raise MissingModelError(
            _("cannot load the model of {name}: {err}").format(name=pkg.name, err=first)
        ) from None
    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg.sentencepiece_model))
    split = _sentencizer(pkg, device)
    loaded = _Loaded(pkg, translator, sp, split)
    with _cache_lock:
        _cache[key] = loaded
    return loaded


def _sentencizer(pkg: InstalledPackage, device: str) -> Callable[[str], list[str]]:
    """The package's MiniSBD model (as argostranslate uses it, never downloading),
    else the regex splitter."""
    sbd = pkg.sbd_model
    if sbd is None:
        return regex_sentences
    from minisbd import SBDetect

    # Always on the CPU: the splitter is tiny, and onnxruntime's CPU build warns
    # about a CUDA provider it does not have. The sentences are the same.
    detector = SBDetect(str(sbd), use_gpu=False)
    return detector.sentences  # type: ignore[no-any-return]


def _cuda_error(detail: str) -> MissingDependencyError:
    from toolkit.cuda import fix_hint

    return MissingDependencyError(
        _("cannot run the model on CUDA ({err}). Fix: {hint}").format(err=detail, hint=fix_hint())
    )


_tokenizers: dict[tuple[str, str], Any] = {}


def _tokenizer(pkg: InstalledPackage) -> Any:
    key = (str(pkg.path), pkg.version)
    with _cache_lock:
        hit = _tokenizers.get(key)
    if hit is None:
        import sentencepiece

        hit = sentencepiece.SentencePieceProcessor(model_file=str(pkg.sentencepiece_model))
        with _cache_lock:
            _tokenizers[key] = hit
    return hit


class ArgosEngine:
    """Argos Translate models through CTranslate2 (``fast``, engine ``argos``) or
    argostranslate (``reference``, engine ``argos-reference``).

    Built from an :class:`~toolkit.engines.spec.EngineSpec`; the keyword form
    (``ArgosEngine(path="reference", beam_size=4)``) resolves one through
    :func:`~toolkit.engines.spec.resolve_engine_spec`.
    """

    name = "argos"

    def __init__(
        self,
        spec: EngineSpec | None = None,
        *,
        path: str = "fast",
        beam_size: int | None = None,
        **options: Any,
    ) -> None:
        """``options``: :func:`~toolkit.engines.spec.resolve_engine_spec`'s (``device``,
        ``max_length``, ``compute_type``, ``inter_threads``, ``intra_threads``,
        ``batch_tokens``), used only without ``spec``."""
        if spec is None:
            if path not in _PATHS:
                raise UsageError(_("unknown Argos path {path!r}").format(path=path))
            spec = resolve_engine_spec(_PATHS[path], beam=beam_size, **options)
        if not spec.takes_device or spec.batch_tokens is None:
            raise UsageError(_("unknown Argos path {path!r}").format(path=spec.name))
        self.spec = spec
        self.name = spec.name
        self.path = "fast" if spec.name == "argos" else "reference"
        self.device = spec.device
        self.beam_size = spec.beam
        self.max_length = spec.max_length
        self.compute_type = spec.compute_type
        self.inter_threads = spec.inter_threads
        self.intra_threads = spec.intra_threads
        self.batch_tokens = spec.batch_tokens
        self.calls = 0  # translate_batch calls into CTranslate2 (fast path)

    def identity(self, source: str, target: str) -> str:
        if source == target:
            return f"{self.name}:{source}-{target}:copy"
        route = find_route(source, target)
        models = "+".join(f"{p.name}@{p.version}" for p in route)
        return f"{self.name}:{source}-{target}:{models}"

    def prepare(self, source: str, target: str) -> None:
        """Load the models of a pair now (the fast path; the reference path loads
        on first use), so that a worker is ready before its first batch."""
        if source == target or self.path != "fast":
            return
        for pkg in find_route(source, target):
            _load(pkg, self.device, self.compute_type, self.inter_threads, self.intra_threads)

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        texts = list(texts)
        if not texts or source == target:
            return texts
        route = find_route(source, target)
        hop = self._fast if self.path == "fast" else self._reference
        for pkg in route:
            texts = hop(texts, pkg)
        return texts

    # --- fast -----------------------------------------------------------------------------

    def _fast(self, texts: list[str], pkg: InstalledPackage) -> list[str]:
        loaded = _load(pkg, self.device, self.compute_type, self.inter_threads, self.intra_threads)
        # Every paragraph of every text (argostranslate splits on "\n"), then sentences.
        paragraphs: list[list[str]] = [text.split("\n") for text in texts]
        sentences: list[list[list[str]]] = []  # text → paragraph → sentence pieces
        flat: list[list[str]] = []
        for paras in paragraphs:
            per_text = []
            for para in paras:
                pieces = [loaded.sp.encode(s, out_type=str) for s in loaded.split(para)]
                per_text.append(pieces)
                flat.extend(pieces)
            sentences.append(per_text)
        try:
            outputs = self._decode_tokens(loaded, flat)
        except RuntimeError as exc:
            if "position" not in str(exc):
                raise
            # The model cannot encode this long a sentence: cut it into pieces.
            outputs = self._decode_chunked(loaded, flat)
        results: list[str] = []
        cursor = 0
        for per_text in sentences:
            values = []
            for pieces in per_text:
                tokens: list[str] = []
                for _i in pieces:
                    tokens.extend(outputs[cursor])
                    cursor += 1
                values.append(self._detok(loaded, tokens))
            # argostranslate joins paragraphs with "\n" and strips leading newlines.
            results.append("\n".join(values).lstrip("\n"))
        return results

    def _decode_chunked(self, loaded: _Loaded, flat: list[list[str]]) -> list[list[str]]:
        """Translate with sentences longer than MAX_SOURCE_TOKENS cut into chunks."""
        chunks: list[list[str]] = []
        owner: list[int] = []  # the sentence of each chunk
        for index, toks in enumerate(flat):
            for start in range(0, max(len(toks), 1), MAX_SOURCE_TOKENS):
                chunks.append(toks[start : start + MAX_SOURCE_TOKENS])
                owner.append(index)
        outputs: list[list[str]] = [[] for _ in flat]
        prefix = loaded.package.target_prefix
        for index, out in zip(owner, self._decode_tokens(loaded, chunks), strict=True):
            if prefix and outputs[index] and out[:1] == [prefix]:
                out = out[1:]  # a continuation chunk: the prefix is already there
            outputs[index].extend(out)
        return outputs

    def _detok(self, loaded: _Loaded, tokens: list[str]) -> str:
        """Decode as argostranslate's SentencePieceTokenizer and apply_packaged_translation."""
        value: str = loaded.sp.decode_pieces(tokens).replace("▁", " ").replace("_", " ")
        prefix = loaded.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        if value[:1] == " ":
            value = value[1:]
        return value

    def decoding_bounds(self, source_tokens: int, prefix_tokens: int) -> tuple[int, int]:
        """(min, max) decoding length for a source of this many tokens.

        Sources are grouped by this pair, one translate_batch call per group. The
        default groups by the next power of two of the length and bounds the output
        with :func:`max_decoding_length`; an explicit ``max_length`` puts every
        sentence in one group under that bound.
        """
        if self.max_length is not None:
            return 1, self.max_length
        return 1, max_decoding_length(_length_group(source_tokens), prefix_tokens)

    def _decode_tokens(self, loaded: _Loaded, flat: list[list[str]]) -> list[list[str]]:
        """Translate every sentence: one translate_batch call per length group."""
        outputs: list[list[str]] = [[] for _ in flat]
        prefix = loaded.package.target_prefix
        groups: dict[tuple[int, int], list[int]] = {}
        for i, toks in enumerate(flat):
            if toks:
                bounds = self.decoding_bounds(len(toks), 1 if prefix else 0)
                groups.setdefault(bounds, []).append(i)
        for (min_length, max_length), indices in sorted(groups.items()):
            batch = [flat[i] for i in indices]
            target_prefix = [[prefix] for _ in batch] if prefix else None
            self.calls += 1
            results = self._ct2_translate(
                loaded,
                batch,
                target_prefix=target_prefix,
                replace_unknowns=True,
                max_batch_size=self.batch_tokens,
                batch_type="tokens",
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
                min_decoding_length=min_length,
                max_decoding_length=max_length,
            )
            for i, result in zip(indices, results, strict=True):
                outputs[i] = list(result.hypotheses[0])
        return outputs

    def _ct2_translate(self, loaded: _Loaded, batch: list[list[str]], **options: Any) -> Any:
        try:
            return loaded.translator.translate_batch(batch, **options)
        except RuntimeError as exc:
            # cuBLAS is opened at the first GPU product, after the model loaded.
            from toolkit.cuda import is_cuda_library_error

            if self.device == "cuda" and is_cuda_library_error(exc):
                first = str(exc).splitlines()[0]
                raise _cuda_error(first) from None
            raise

    def count_tokens(self, texts: Sequence[str], source: str, target: str) -> list[int]:
        """SentencePiece pieces of each text for the first model of the route (what a
        batch costs); loads only the tokenizer, never the model."""
        route = find_route(source, target) if source != target else []
        if not route or not route[0].sentencepiece_model.is_file():
            return [max(1, len(t) // 4) for t in texts]
        sp = _tokenizer(route[0])
        return [len(sp.encode(t)) + 1 for t in texts]

    # --- reference ------------------------------------------------------------------------

    def _reference(self, texts: list[str], pkg: InstalledPackage) -> list[str]:
        translation = _reference_translation(pkg, self.device)
        import argostranslate.settings as settings

        saved = settings.beam_size, settings.device
        settings.beam_size, settings.device = self.beam_size, self.device
        try:
            return [translation.translate(text) for text in texts]
        finally:
            settings.beam_size, settings.device = saved


def _clear_argostranslate() -> None:
    """argostranslate caches its installed translations; drop them (registered once
    the reference path has imported it)."""
    import argostranslate.translate as translate

    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


def _reference_translation(pkg: InstalledPackage, device: str) -> Any:
    """argostranslate's translation for a package's pair, with its settings synced to
    tolmach's packages folder."""
    try:
        import argostranslate.settings as settings
        import argostranslate.translate as translate
    except ImportError as exc:
        raise MissingDependencyError(
            _("argostranslate is not installed ({err}); pip install argostranslate").format(err=exc)
        ) from None
    on_models_changed(_clear_argostranslate)
    folder = packages_dir()
    if Path(settings.package_data_dir) != folder or settings.device != device:
        settings.package_data_dir = folder
        settings.package_dirs = [folder]
        settings.device = device
        translate.installed_translates.clear()
        translate.get_installed_languages.cache_clear()
    languages = {lang.code: lang for lang in translate.get_installed_languages()}
    src, tgt = languages.get(pkg.from_code), languages.get(pkg.to_code)
    translation = src.get_translation(tgt) if src and tgt else None
    if translation is None:
        raise MissingModelError(
            _("argostranslate does not see the package {name}").format(name=pkg.name)
        )
    return translation
