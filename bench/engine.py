"""Throughput of the Argos engine paths on an Argos-size random-weight package.

    python bench/engine.py [--limit 200] [--beam 4] [--data ../shared/data]

What it does:

1. Builds a random-weight package of the size of real Argos models (6+6 layers,
   d_model 512, 8 heads, FFN 2048, a 32k SentencePiece vocabulary trained on the
   FLORES-200 devtest files, int8 weights) with tests/support/argos_pkg.py, and
   installs it into a temporary ``ARGOS_PACKAGES_DIR``.
2. Measures import costs in fresh interpreters.
3. Translates the same FLORES Russian sentences (``rus_Cyrl.devtest``) with:
   * the reference path (``argostranslate.translate``), one call per sentence;
   * the reference path, one call per paragraph of 10 sentences joined with "\\n";
   * the reference path, one call per paragraph of 10 sentences joined with " "
     (argostranslate then splits sentences itself and batches them);
   * the fast path (ArgosEngine, batched).

Fairness: a random model never stops by itself, so every path must decode the
same number of tokens. Each sentence's output length is fixed to
``L(n) = 8 * ceil(0.9 * n / 8)`` target tokens for a source of n tokens, by
passing ``min_decoding_length = max_decoding_length = L(n)``:

* reference: argostranslate creates its ``ctranslate2.Translator`` itself and
  has no way to pass a length, so after it is created the benchmark replaces it
  (``PackageTranslation.translator``) with a thin wrapper around the same
  Translator. The wrapper groups the sentences of each call by L(n) and forwards
  every group with all of argostranslate's own arguments (beam, 32-token
  ``max_batch_size``, ``length_penalty``, ``replace_unknowns``) plus the fixed
  length. A one-sentence call stays one call; a paragraph call splits only where
  lengths differ (argostranslate's 32-token batches hold about one sentence each
  anyway).
* fast: ArgosEngine with ``decoding_bounds`` returning (L(n), L(n)), so its
  sentences are grouped by L(n) (rounding to 8 tokens keeps the groups large).

Both paths load the model with the same device, compute type (int8) and threads.
The script also checks that the per-sentence reference and the fast path produce
identical text. It prints sentences/s and ratios against the per-sentence
reference baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FixedLengthTranslator, fixed_length, fixed_length_engine  # noqa: E402


def import_cost(statement: str, repeats: int = 3) -> float:
    """Best-of-N wall time of an import in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); " + statement + "; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="number of sentences")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--paragraph", type=int, default=10, help="sentences per paragraph")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tolmach-bench-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    from common import isolate

    isolate(tmp, args.data)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, beam {args.beam}")
    print("import costs (fresh interpreter, best of 3):")
    light = import_cost("import ctranslate2, sentencepiece")
    engine_import = import_cost("import toolkit.engines.argos, ctranslate2, sentencepiece")
    heavy = import_cost("import argostranslate.translate")
    print(f"  ctranslate2 + sentencepiece       {light:7.3f} s")
    print(f"  toolkit.engines.argos (fast path) {engine_import:7.3f} s")
    print(f"  argostranslate.translate          {heavy:7.3f} s  ({heavy / light:.0f}x)")

    from tests.support.argos_pkg import build_package, flores_dir

    start = time.perf_counter()
    package = build_package(tmp / "built", kind="random", size="argos")
    build_s = time.perf_counter() - start
    from toolkit import models

    installed = models.install_from_file(package)
    size_mb = package.stat().st_size / 1e6
    print(f"package: built in {build_s:.1f} s ({size_mb:.0f} MB zip, int8), {installed.name}")
    import json

    vocab = len(json.loads((installed.model_dir / "shared_vocabulary.json").read_text()))
    print(f"  6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary {vocab} pieces")

    sentences = (flores_dir() / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    sentences = [s for s in sentences if s.strip()][: args.limit]
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(installed.sentencepiece_model))
    src_tokens = sum(len(sp.encode(s, out_type=str)) for s in sentences)
    tgt_tokens = sum(fixed_length(len(sp.encode(s, out_type=str))) for s in sentences)
    print(
        f"data: {len(sentences)} sentences of rus_Cyrl.devtest, {src_tokens} source tokens, "
        f"{tgt_tokens} target tokens decoded per path"
    )

    # --- reference path --------------------------------------------------------------------
    import argostranslate.settings
    import argostranslate.translate

    argostranslate.settings.beam_size = args.beam
    translation = argostranslate.translate.get_translation_from_codes("ru", "en")
    package_translation = translation.underlying  # CachedTranslation → PackageTranslation
    translation.translate("Прогрев.")  # creates the Translator and loads the splitter
    wrapper = FixedLengthTranslator(package_translation.translator)
    package_translation.translator = wrapper

    def timed(label: str, fn: Any) -> tuple[float, Any]:
        start = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - start
        return seconds, out

    results: list[tuple[str, float, int]] = []
    secs, ref_out = timed("ref-sentence", lambda: [translation.translate(s) for s in sentences])
    results.append(("reference, one call per sentence", secs, wrapper.calls))

    para = args.paragraph
    chunks = [sentences[i : i + para] for i in range(0, len(sentences), para)]
    wrapper.calls = 0
    translation.cache = {}
    secs, _ = timed("ref-para-nl", lambda: [translation.translate("\n".join(c)) for c in chunks])
    results.append(
        (f"reference, one call per paragraph ({para} lines, '\\n')", secs, wrapper.calls)
    )
    wrapper.calls = 0
    translation.cache = {}
    secs, _ = timed("ref-para-sp", lambda: [translation.translate(" ".join(c)) for c in chunks])
    results.append(
        (f"reference, one call per paragraph ({para} sentences, ' ')", secs, wrapper.calls)
    )

    # --- fast path --------------------------------------------------------------------------

    engine = fixed_length_engine(beam_size=args.beam)
    engine.translate_batch(["Прогрев."], "ru", "en")
    engine.calls = 0
    secs, fast_out = timed("fast", lambda: engine.translate_batch(sentences, "ru", "en"))
    results.append(("fast path, batched (ArgosEngine)", secs, engine.calls))

    same = sum(a == b for a, b in zip(ref_out, fast_out, strict=True))
    base = len(sentences) / results[0][1]
    print()
    print(f"{'path':58} {'sent/s':>8} {'ratio':>7} {'ct2 calls':>10} {'seconds':>8}")
    for label, seconds, calls in results:
        rate = len(sentences) / seconds
        print(f"{label:58} {rate:8.2f} {rate / base:6.2f}x {calls:10d} {seconds:8.1f}")
    print()
    print(f"fast path output identical to the per-sentence reference: {same}/{len(sentences)}")
    print(
        "(a difference here comes from batch composition: CTranslate2's batched int8 numerics "
        "can flip near-ties of a random model; the tests show exact equality on the tiny models)"
    )


if __name__ == "__main__":
    main()
