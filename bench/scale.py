"""How corpus translation scales: local executor vs Ray with 1 and 2 workers, and the
driver's read-and-plan rate.

    python bench/scale.py [--limit 200] [--beam 4] [--docs 300] [--repeat 2] [--data ../shared/data]

What it does:

1. Builds the Argos-size random-weight package (6+6 layers, d_model 512, 8 heads,
   FFN 2048, 32k vocabulary, int8) offline with tests/support/argos_pkg.py and
   installs it into a temporary ``ARGOS_PACKAGES_DIR``.
2. Translates the first ``--limit`` sentences of FLORES ``rus_Cyrl.devtest``
   through :func:`toolkit.translation.translate_texts` with
   * the local executor (the engine in this process, all cores);
   * the Ray executor on a local cluster (``ray.init(num_cpus=<cores>)``) with 1
     worker (all cores) and 2 workers (half the cores each).
   All three get the same units (engine calls of at most 256 texts and 4,096
   tokens), so they make the same CTranslate2 calls. Every path decodes the same
   tokens: as in bench/engine.py, each sentence's output length is fixed to
   ``8 * ceil(0.9 * n / 8)`` tokens for n source tokens (a random model would
   otherwise run to its length bound). Models are loaded before
   the clock starts; the Ray figures include shipping texts to the actors and back.
   It checks that all three produce the same translations.
3. Measures the driver's read → segment → detect → plan rate
   (:func:`toolkit.pipeline.read_and_plan`) over ``--docs`` generated documents
   (English lines with FLORES Russian sentences mixed in), without translating.

It prints sentences/s per path, ratios against the local executor, the speed-up
from 1 to 2 Ray workers, and documents/s and fragments/s for the driver.
"""

from __future__ import annotations

import argparse
import logging
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fixed_length(n: int) -> int:
    return max(8, 8 * math.ceil(0.9 * n / 8))


def fixed_engine_class() -> type:
    from toolkit.engines.argos import ArgosEngine

    class FixedLengthEngine(ArgosEngine):
        """Decodes exactly fixed_length(n) tokens, so every path does the same work."""

        def decoding_bounds(self, source_tokens: int, prefix_tokens: int) -> tuple[int, int]:
            length = fixed_length(source_tokens) + prefix_tokens
            return length, length

    return FixedLengthEngine


class FixedFactory:
    """Builds the fixed-length engine inside a Ray actor (pickled by value from here)."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def __call__(self) -> Any:
        return fixed_engine_class()(**self.options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200, help="sentences to translate")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--docs", type=int, default=300, help="documents for the driver rate")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best time counts")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tolmach-scale-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    from common import isolate

    isolate(tmp, args.data)

    from tests.support.argos_pkg import build_package, flores_dir
    from toolkit import models
    from toolkit.engines.spec import available_cores
    from toolkit.executors.local import LocalExecutor
    from toolkit.translation import translate_texts

    cores = available_cores()
    started = time.perf_counter()
    installed = models.install_from_file(build_package(tmp / "built", kind="random", size="argos"))
    print(f"python {sys.version.split()[0]}, {cores} cores, beam {args.beam}")
    print(f"package: {installed.name}, Argos size, built in {time.perf_counter() - started:.1f} s")
    sentences = (flores_dir() / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    sentences = list(dict.fromkeys(s for s in sentences if s.strip()))[: args.limit]
    print(f"data: {len(sentences)} unique sentences of rus_Cyrl.devtest")

    engine_cls = fixed_engine_class()
    outputs: dict[str, list[str]] = {}

    try:
        import ray
    except ImportError:
        ray = None
        print("ray is not installed (pip install 'tolmach[ray]'): Ray rows skipped")
    if ray is not None:
        t0 = time.perf_counter()
        ray.init(
            num_cpus=cores,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
            runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
        )
        print(f"ray {ray.__version__}: local cluster started in {time.perf_counter() - t0:.1f} s")

    engine = engine_cls(beam_size=args.beam)
    engine.prepare("ru", "en")
    labels: dict[str, str] = {}
    best: dict[str, float] = {}

    def local_run() -> None:
        executor = LocalExecutor(engine)
        t0 = time.perf_counter()
        outputs["local"], _ = translate_texts(
            sentences, "ru", "en", engine=engine, executor=executor
        )
        seconds = time.perf_counter() - t0
        labels["local"] = (
            f"local ({engine.inter_threads}x{engine.intra_threads} threads), {executor.calls} units"
        )
        best["local"] = min(best.get("local", seconds), seconds)

    def ray_run(workers: int) -> None:
        from toolkit.executors.ray import RayExecutor

        per = max(1, cores // workers)
        ex = RayExecutor(
            engine_cls(beam_size=args.beam),
            engine_factory=FixedFactory(
                beam_size=args.beam, device="cpu", inter_threads=1, intra_threads=per
            ),
            workers=workers,
        )
        try:
            t0 = time.perf_counter()
            ex._ensure_pair("ru", "en")  # start the actors and load the models
            load_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            key = f"ray{workers}"
            outputs[key], _ = translate_texts(sentences, "ru", "en", engine=engine, executor=ex)
            seconds = time.perf_counter() - t0
            labels[key] = (
                f"ray, {workers} worker(s) x {per} core(s), {ex.calls} units "
                f"(ready in {load_s:.1f} s)"
            )
            best[key] = min(best.get(key, seconds), seconds)
        finally:
            ex.close()

    # Interleaved repeats, best of each: the machine may be shared.
    for _round in range(args.repeat):
        local_run()
        if ray is not None:
            ray_run(1)
            ray_run(2)
    if ray is not None:
        ray.shutdown()
    rows = [(labels[k], best[k]) for k in ("local", "ray1", "ray2") if k in best]

    base = len(sentences) / rows[0][1]
    print()
    print(f"best of {args.repeat} interleaved rounds")
    print(f"{'path':62} {'sent/s':>8} {'vs local':>9} {'seconds':>8}")
    for label, seconds in rows:
        rate = len(sentences) / seconds
        print(f"{label:62} {rate:8.2f} {rate / base:8.2f}x {seconds:8.1f}")
    if len(rows) == 3:
        r1, r2 = (len(sentences) / rows[i][1] for i in (1, 2))
        print(f"speed-up from 1 to 2 Ray workers: {r2 / r1:.2f}x (on {cores} cores in all)")
    same = all(out == outputs["local"] for out in outputs.values())
    print(f"identical translations on every path: {same}")

    # --- the driver: read → segment → detect → plan ----------------------------------------
    corpus = tmp / "corpus"
    corpus.mkdir()
    english = (flores_dir() / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    for i in range(args.docs):
        lines = [english[(i * 7 + k) % len(english)] for k in range(6)]
        lines.insert(2, sentences[i % len(sentences)])
        lines.append(sentences[(i * 3 + 1) % len(sentences)])
        (corpus / f"doc{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from toolkit.pipeline import RunResult, plan_files, read_and_plan

    read_and_plan(plan_files([corpus])[:5], RunResult(), target="en")  # warm the detectors
    t0 = time.perf_counter()
    files = plan_files([corpus])
    planned = read_and_plan(files, RunResult(), target="en")
    seconds = time.perf_counter() - t0
    fragments = sum(len(p.fragments) for p in planned)
    docs_rate = len(files) / seconds
    frag_rate = fragments / seconds
    print()
    print(
        f"driver read+detect+plan: {len(files)} documents ({fragments} foreign fragments) in "
        f"{seconds:.1f} s = {docs_rate:.1f} documents/s, {frag_rate:.1f} fragments/s"
    )
    per_worker = len(sentences) / rows[-1][1] / (2 if len(rows) == 3 else 1)
    print(
        f"model: throughput ~ min(workers x {per_worker:.1f} sent/s per worker here, "
        f"{frag_rate:.0f} fragments/s of driver planning)"
    )


if __name__ == "__main__":
    main()
