"""Benchmark ``po translate``: entries per second and the share of time in the engine.

    python bench/po.py [--catalog dpkg_ru.po] [--engine identity|argos|…] [--repeat 3]

The catalog is translated twice per repeat, both through the same library call
the CLI makes (load, validate, mask, engine, restore, verify, render, atomic
write):

* ``as is``: only its untranslated entries (dpkg_ru.po has few);
* ``blank``: a copy with every msgstr emptied, so every entry goes to the engine.

The engine is wrapped in a timer, so the report splits wall time into engine
time and tolmach's own time. With ``--engine identity`` the engine costs
nothing and the figure is tolmach's overhead; with a real model the target is
engine >= 80% of the time.

``--engine argos-random`` builds the Argos-size random-weight en→LANG package
offline (tests/support/argos_pkg.py: 6+6 layers, d_model 512, 8 heads, FFN
2048, 32k vocabulary, int8), installs it into a temporary packages folder and
translates with the fast Argos path, each sentence decoding exactly
L(n) = 8·ceil(0.9·n/8) tokens (as bench/engine.py does), since a random model
never stops by itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import files  # noqa: E402
from toolkit.engines import Engine, get_engine  # noqa: E402
from toolkit.po.translate import translate_catalogs  # noqa: E402


class TimedEngine:
    """Forwards to an engine and adds up the seconds spent inside it."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0
        self.texts = 0

    def identity(self, source: str, target: str) -> str:
        return self.inner.identity(source, target)

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        t0 = time.perf_counter()
        out = self.inner.translate_batch(texts, source, target)
        self.seconds += time.perf_counter() - t0
        self.texts += len(texts)
        return out


def blank_copy(src: Path, dst: Path) -> int:
    """Write ``src`` with every msgstr emptied and no fuzzy flags; return the entry count."""
    import polib

    po = polib.pofile(str(src), wrapwidth=79)
    n = 0
    for e in po:
        if e.obsolete:
            continue
        n += 1
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        if e.msgid_plural:
            e.msgstr_plural = {k: "" for k in e.msgstr_plural}
        else:
            e.msgstr = ""
    po.save(str(dst))
    return n


def make_engine(engine_name: str) -> Engine:
    if engine_name != "argos-random":
        return get_engine(engine_name)
    sys.path.insert(0, str(ROOT / "bench"))
    from common import fixed_length_engine

    return fixed_length_engine()


def install_random_package(tmp: Path, target: str) -> None:
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
    from tests.support.argos_pkg import build_package
    from toolkit import models

    t0 = time.perf_counter()
    package = build_package(
        tmp / "built", kind="random", size="argos", from_code="en", to_code=target
    )
    models.install_from_file(package)
    print(f"package: Argos-size random en→{target}, built in {time.perf_counter() - t0:.1f} s")


def run_once(path: Path, engine_name: str, workdir: Path) -> dict[str, float]:
    work = workdir / path.name
    work.write_bytes(path.read_bytes())
    engine = TimedEngine(make_engine(engine_name))
    t0 = time.perf_counter()
    results, stats = translate_catalogs([work], engine=engine)
    for r in results:
        if r.changed:
            files.atomic_write(r.path, r.output)
    wall = time.perf_counter() - t0
    return {
        "wall": wall,
        "engine": engine.seconds,
        "entries": sum(r.filled for r in results),
        "failed": sum(len(r.failures) for r in results),
        "texts": engine.texts,
        "calls": stats.engine_calls,
    }


def main() -> None:
    shared = Path(os.environ.get("TOLMACH_SHARED_DATA") or ROOT.parent / "shared" / "data")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=shared / "po" / "dpkg_ru.po")
    parser.add_argument("--engine", default="identity")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.catalog.is_file():
        sys.exit(f"bench/po.py: no catalog at {args.catalog}; pass --catalog")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        blank = tmpdir / "blank" / args.catalog.name
        blank.parent.mkdir()
        total = blank_copy(args.catalog, blank)
        if args.engine == "argos-random":
            import polib

            lang = polib.pofile(str(args.catalog)).metadata.get("Language", "ru").split("_")[0]
            install_random_package(tmpdir, lang)
        print(f"catalog {args.catalog} ({total} active entries), engine {args.engine}")
        for label, path in (("as is", args.catalog), ("blank", blank)):
            runs = []
            for i in range(args.repeat):
                wd = tmpdir / f"{label.replace(' ', '_')}{i}"
                wd.mkdir()
                runs.append(run_once(path, args.engine, wd))
            wall = statistics.median(r["wall"] for r in runs)
            eng = statistics.median(r["engine"] for r in runs)
            r = runs[0]
            rate = r["entries"] / wall if wall else float("inf")
            share = eng / wall if wall else 0.0
            print(
                f"{label:>6}: {r['entries']:.0f} entries filled ({r['failed']:.0f} failed), "
                f"{r['texts']:.0f} unique texts in {r['calls']:.0f} engine calls; "
                f"median wall {wall * 1000:.1f} ms = engine {eng * 1000:.1f} ms "
                f"+ tolmach {(wall - eng) * 1000:.1f} ms; "
                f"{rate:,.0f} entries/s; engine share {share:.1%}"
            )


if __name__ == "__main__":
    main()
