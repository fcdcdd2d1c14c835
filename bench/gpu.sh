#!/usr/bin/env bash
# GPU throughput on a GPU machine (cannot run on a CPU-only machine):
#
#   bash bench/gpu.sh            # LIMIT=1012 REF_LIMIT=300 BEAM=4 TOKENS=4096 by default
#
# 1. Sets up cuBLAS 12 for the CUDA 12 ctranslate2 wheels: when libcublas.so.12 cannot be
#    loaded (a CUDA 13-only machine), it makes a folder with libcublas.so.12 ->
#    libcublas.so.13 (and the Lt library) and puts it first on LD_LIBRARY_PATH.
# 2. Shows `tolmach doctor --device cuda`.
# 3. Builds the Argos-size random package offline (6+6 layers, d_model 512, 8 heads,
#    FFN 2048, 32k vocabulary, int8; FLORES text for the vocabulary).
# 4. Translates FLORES rus_Cyrl.devtest:
#    - batched on the GPU: tolmach's fast path, fp16, beam 4, 4096 tokens per batch;
#    - argostranslate's per-sentence path on the same GPU (ARGOS_DEVICE_TYPE=cuda), one
#      translate() call per sentence.
#    Both decode the same tokens (output length fixed at 8*ceil(0.9n/8) for n source
#    tokens, as bench/engine.py does) and print sentences/s and the ratio, against the
#    issue's targets: >= 1000 sentences/s batched and >= 50x the per-sentence path.
#
# DEVICE=cpu LIMIT=40 REF_LIMIT=10 bash bench/gpu.sh is a smoke test of the script itself
# on a CPU-only machine (int8 instead of float16; the targets do not apply there).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
export DEVICE="${DEVICE:-cuda}"
export LIMIT="${LIMIT:-1012}" REF_LIMIT="${REF_LIMIT:-300}" BEAM="${BEAM:-4}" TOKENS="${TOKENS:-4096}"
export TOLMACH_SHARED_DATA="${TOLMACH_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
WORK="$(mktemp -d -t tolmach-gpu-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if [ "$DEVICE" = cuda ] && ! "$PY" -c "import ctypes; ctypes.CDLL('libcublas.so.12')" 2>/dev/null; then
  found=""
  for dir in ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 \
      /usr/lib/x86_64-linux-gnu /usr/lib64 \
      $("$PY" -c "import site; print(' '.join(p + '/nvidia/cu13/lib ' + p + '/nvidia/cublas/lib' for p in site.getsitepackages()))"); do
    if [ -e "$dir/libcublas.so.13" ]; then found="$dir"; break; fi
  done
  if [ -z "$found" ]; then
    lib="$(ldconfig -p 2>/dev/null | awk '/libcublas\.so\.13 /{print $NF; exit}')"
    [ -n "$lib" ] && found="$(dirname "$lib")"
  fi
  if [ -z "$found" ]; then
    echo "gpu.sh: neither libcublas.so.12 nor libcublas.so.13 found; pip install nvidia-cublas-cu12" >&2
    exit 3
  fi
  mkdir -p "$WORK/cuda-libs"
  ln -s "$found/libcublas.so.13" "$WORK/cuda-libs/libcublas.so.12"
  [ -e "$found/libcublasLt.so.13" ] && ln -s "$found/libcublasLt.so.13" "$WORK/cuda-libs/libcublasLt.so.12"
  export LD_LIBRARY_PATH="$WORK/cuda-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "cuBLAS shim: $WORK/cuda-libs/libcublas.so.12 -> $found/libcublas.so.13"
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true

export ARGOS_PACKAGES_DIR="$WORK/packages" ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/"
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
export TOLMACH_HOME="$WORK/tolmach"
"$PY" -m toolkit doctor --device "$DEVICE" --no-network || true

export ARGOS_DEVICE_TYPE="$DEVICE"  # argostranslate reads it at import
"$PY" - <<'PYEOF'
import os, sys, time
from pathlib import Path

sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "bench")]
from engine import FixedLengthTranslator, fixed_length  # bench/engine.py
from tests.support.argos_pkg import build_package, flores_dir
from toolkit import models
from toolkit.engines.argos import ArgosEngine

limit, ref_limit = int(os.environ["LIMIT"]), int(os.environ["REF_LIMIT"])
beam, tokens = int(os.environ["BEAM"]), int(os.environ["TOKENS"])
t0 = time.perf_counter()
work = Path(os.environ["ARGOS_PACKAGES_DIR"]).parent
pkg = models.install_from_file(build_package(work / "built", kind="random", size="argos"))
print(f"package {pkg.name} built and installed in {time.perf_counter() - t0:.1f} s")
lines = (flores_dir() / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
sentences = [s for s in lines if s.strip()][:limit]


class Fixed(ArgosEngine):
    def decoding_bounds(self, source_tokens, prefix_tokens):
        n = fixed_length(source_tokens) + prefix_tokens
        return n, n


device = os.environ["DEVICE"]
compute = "float16" if device == "cuda" else "int8"
engine = Fixed(device=device, compute_type=compute, beam_size=beam, batch_tokens=tokens)
engine.translate_batch(sentences[:64], "ru", "en")  # load the model, warm the GPU
t0 = time.perf_counter()
batched = engine.translate_batch(sentences, "ru", "en")
batched_s = time.perf_counter() - t0
batched_rate = len(sentences) / batched_s

import argostranslate.settings
import argostranslate.translate

argostranslate.settings.beam_size = beam
translation = argostranslate.translate.get_translation_from_codes("ru", "en")
translation.translate("Прогрев.")  # creates its Translator on the GPU
inner = translation.underlying
inner.translator = FixedLengthTranslator(inner.translator)
subset = sentences[:ref_limit]
t0 = time.perf_counter()
for s in subset:
    translation.translate(s)
ref_s = time.perf_counter() - t0
ref_rate = len(subset) / ref_s

ratio = batched_rate / ref_rate
print()
print(f"{'path (same GPU, beam ' + str(beam) + ')':60} {'sentences':>9} {'sent/s':>9}")
print(f"{'tolmach fast path, batched, ' + compute + ', ' + str(tokens) + ' tokens/batch':60} "
      f"{len(sentences):9d} {batched_rate:9.1f}")
print(f"{'argostranslate, one translate() per sentence (' + device + ')':60} {len(subset):9d} {ref_rate:9.1f}")
print(f"ratio: {ratio:.1f}x")
print(f"target >= 1000 sentences/s batched: {'met' if batched_rate >= 1000 else 'NOT met'}")
print(f"target >= 50x the per-sentence path: {'met' if ratio >= 50 else 'NOT met'}")
PYEOF
