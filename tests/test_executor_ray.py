"""The Ray executor on a local two-CPU cluster: same bytes as the local executor, and no
fragment lost or duplicated when an actor dies mid-run."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.support.ray_engines import Factory, MarkEngine
from toolkit.cli import app
from toolkit.errors import MissingModelError
from toolkit.memory import Memory
from toolkit.pipeline import translate_documents
from toolkit.translation import translate_texts

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'tolmach[ray]')")

from toolkit.executors.ray import RayExecutor  # noqa: E402

pytestmark = pytest.mark.slow

RU = [
    "Заголовок открываемого материала",
    "Организация по безопасности и сотрудничеству в Европе провела встречу.",
    "Договор о коллективной безопасности подписали в Москве.",
    "Войти или зарегистрироваться, чтобы участвовать в обсуждении.",
    "Новости дня: погода будет тёплой, без осадков.",
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One local Ray cluster for the module (2 CPUs, as on the CI machine)."""
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        runtime_env={"env_vars": env},
    )
    yield
    ray.shutdown()


def write_corpus(folder: Path) -> None:
    """Three files in two formats; fragments repeat across files."""
    folder.mkdir()
    (folder / "sub").mkdir()
    (folder / "a.txt").write_text(
        "Site news\nThe meeting ended on Friday.\n" + "\n".join(RU[:3]) + "\nNewsfeed\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text(
        "# Report\n\nThe delegates met in Vienna.\n\n" + "\n\n".join(RU[1:]) + "\n",
        encoding="utf-8",
    )
    (folder / "sub" / "c.txt").write_text(
        "Chats\n" + RU[0] + "\n" + RU[4] + "\nThe end.\n", encoding="utf-8"
    )


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_ray_output_is_byte_identical_to_local(
    cluster: None, install_argos, tmp_path: Path
) -> None:
    install_argos(kind="random")  # gibberish that differs per text: a sharp comparison
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    from toolkit.engines.argos import ArgosEngine

    local_engine = ArgosEngine()
    local, _ = translate_documents(
        [corpus],
        target="en",
        engine=local_engine,
        output=tmp_path / "local",
        glossary=None,
        batch_size=2,
    )
    executor = RayExecutor(ArgosEngine(), workers=2)
    try:
        remote, _ = translate_documents(
            [corpus],
            target="en",
            engine=ArgosEngine(),
            output=tmp_path / "ray",
            glossary=None,
            executor=executor,
            batch_size=2,
        )
        assert executor.calls == 3  # 5 unique texts in units of 2: spread over the actors
        assert executor.retries == 0
    finally:
        executor.close()
    assert not local.failed
    assert not remote.failed
    expected = outputs(tmp_path / "local")
    assert len(expected) == 3
    assert outputs(tmp_path / "ray") == expected
    assert expected != outputs(corpus)  # the model changed the Russian lines
    assert remote.stats.unique == local.stats.unique == len(RU)
    assert remote.stats.translated == local.stats.translated == len(RU)

    # The command line, joining the running cluster, with a glossary masked on the driver.
    result = CliRunner().invoke(
        app,
        [
            *("translate", str(corpus), "--to", "en", "-o", str(tmp_path / "cli-ray"), "-q"),
            *("--executor", "ray", "--workers", "2", "--no-memory"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(
        app,
        [
            "translate",
            str(corpus),
            "--to",
            "en",
            "-o",
            str(tmp_path / "cli-local"),
            "-q",
            "--no-memory",
        ],
    )
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "cli-ray") == outputs(tmp_path / "cli-local")


def test_killed_actor_loses_and_duplicates_nothing(cluster: None, tmp_path: Path) -> None:
    texts = [f"Строка номер {i}." for i in range(60)]
    asked = texts + texts[:20]  # duplicates are removed before the executor
    killed: list[int] = []

    def kill_busy_actor(executor: RayExecutor, batch: int) -> None:
        if not killed:
            victim = executor.actors[0]
            killed.append(ray.get(victim.pid.remote()))
            ray.kill(victim)

    executor = RayExecutor(
        MarkEngine(),
        engine_factory=Factory("mark", delay=0.2),
        workers=2,
        on_result=kill_busy_actor,
    )
    memory = Memory(tmp_path / "tm.sqlite3")
    try:
        out, stats = translate_texts(
            asked, "ru", "en", engine=MarkEngine(), memory=memory, executor=executor, batch_size=4
        )
        assert killed
        assert executor.actor_deaths == 1
        assert executor.retries >= 1  # the killed actor's batches ran again elsewhere
        assert len(executor.actors) == 2  # a replacement joined the pool
        assert executor.texts_done == len(texts)  # every unique text accepted exactly once
        assert out == [f"[{t}]" for t in asked]
        assert (stats.unique, stats.translated) == (len(texts), len(texts))
        assert memory.stats().entries == len(texts)
    finally:
        executor.close()
        memory.close()


def test_actor_crashing_on_its_first_batch_is_replaced(cluster: None, tmp_path: Path) -> None:
    texts = [f"Предложение {i}." for i in range(12)]
    executor = RayExecutor(
        MarkEngine(),
        engine_factory=Factory("crash", marker=str(tmp_path / "crashed")),
        workers=1,
    )
    units = [texts[i : i + 3] for i in range(0, len(texts), 3)]
    try:
        assert executor.translate_units(units, "ru", "en") == [[f"[{t}]" for t in u] for u in units]
        assert (tmp_path / "crashed").exists()
        assert executor.actor_deaths == 1
        assert executor.retries >= 1
        assert executor.started == 2
        assert executor.texts_done == len(texts)
    finally:
        executor.close()


def test_engine_errors_are_not_retried(cluster: None) -> None:
    executor = RayExecutor(MarkEngine(), engine_factory=Factory("nomodel"), workers=1)
    try:
        with pytest.raises(MissingModelError, match="no Argos model installed"):
            executor.translate(["Привет"], "ru", "en")
        assert executor.retries == 0
    finally:
        executor.close()


def test_identity_mismatch_between_driver_and_workers(cluster: None) -> None:
    class Other(MarkEngine):
        name = "other-model"

    executor = RayExecutor(Other(), engine_factory=Factory("mark"), workers=1)
    try:
        with pytest.raises(MissingModelError, match="same Argos packages"):
            executor.translate(["Привет"], "ru", "en")
    finally:
        executor.close()


def test_cli_starts_and_stops_its_own_local_cluster(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    """Without a running cluster, `--executor ray` starts a local one (its workers
    import toolkit from this checkout) and shuts it down at the end."""
    import subprocess

    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    common = ["translate", str(corpus), "--to", "en", "--engine", "identity", "-q"]
    common += ["--no-memory", "--no-glossary"]
    env = dict(subprocess_env, TOLMACH_HOME=str(tmp_path / "home"))
    env.pop("RAY_ADDRESS", None)
    ray_run = subprocess.run(
        [
            *(sys.executable, "-m", "toolkit", *common, "-o", str(tmp_path / "ray")),
            *("--executor", "ray", "--workers", "1"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert ray_run.returncode == 0, ray_run.stderr
    assert "Traceback" not in ray_run.stderr
    local_run = subprocess.run(
        [sys.executable, "-m", "toolkit", *common, "-o", str(tmp_path / "local")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert local_run.returncode == 0, local_run.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local") != {}


def test_actors_start_with_the_cuda_library_folder(
    cluster: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TOLMACH_CUDA_LIBS reaches the actor's process environment at start, where the
    dynamic loader reads LD_LIBRARY_PATH (setting it later would be too late)."""
    folder = tmp_path / "cuda-libs"
    folder.mkdir()
    monkeypatch.setenv("TOLMACH_CUDA_LIBS", str(folder))
    executor = RayExecutor(MarkEngine(), engine_factory=Factory("mark"), workers=1)
    try:
        actor = executor.actors[0]
        started_with = ray.get(actor.getenv.remote("LD_LIBRARY_PATH"))
        assert started_with.split(os.pathsep)[0] == str(folder)
        assert executor.translate(["Привет"], "ru", "en") == ["[Привет]"]
    finally:
        executor.close()


def test_actors_receive_the_driver_spec(cluster: None, install_argos) -> None:  # type: ignore[no-untyped-def]
    """The actors get the driver's EngineSpec (pickled by Ray), with their share of
    the cores, and build the same engine from it."""
    install_argos(kind="identity")
    from toolkit.engines import build_engine, resolve_engine_spec

    spec = resolve_engine_spec("argos", device="cpu", beam=3)
    executor = RayExecutor(build_engine(spec), spec, workers=1)
    try:
        got = ray.get(executor.actors[0].spec.remote())
        assert got == spec.with_threads(1, executor.cpus_per_worker)
        assert (got.device, got.beam, got.batch_tokens) == ("cpu", 3, spec.batch_tokens)
        assert executor.translate(["Привет, мир."], "ru", "en") == ["Привет, мир."]
    finally:
        executor.close()
