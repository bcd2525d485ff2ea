"""Shared fixtures: every test gets its own per-user folders and corpus copy."""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

# Python may be told not to write bytecode (PYTHONDONTWRITEBYTECODE, as on our CI
# machines); then every test process and every `python -m reader` a test starts
# compiles the whole package from source again, which made a clean checkout's run
# about a fifth slower. The tests write it: __pycache__ folders are ignored by git.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

from reader.support.locations import bundled_corpus, index_dir_for  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
ABC_ZIP = SHARED / "corpora" / "abc-news-2006.zip"


@pytest.fixture(scope="session")
def warm_gazetteer_cache(tmp_path_factory) -> Path:
    """The gazetteer cache, built once per test run (about a second of work).

    Every test gets a fresh per-user folder, so without a copy of this each
    command a test runs in a child process, and each worker of a parallel build,
    would build the gazetteer again from its sources. The test processes of a
    parallel run (pytest-xdist) share one base folder: the first builds the cache
    there, under a lock, and the others copy it.
    """
    from reader.support.locking import locked

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the run's test processes
    home = base / "gazetteer-home"
    cache = home / "cache" / "gazetteer"
    with locked(base / "gazetteer.lock", 120, lambda: TimeoutError("gazetteer lock")):
        if not (home / "built").exists():
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from reader.entities.gazetteer import default_gazetteer as d; d()",
                ],
                env={**os.environ, "READER_HOME": str(home), "PYTHONPATH": str(REPO)},
                check=True,
            )
            (home / "built").touch()
    return cache


@pytest.fixture(autouse=True)
def reader_home(tmp_path_factory, monkeypatch, warm_gazetteer_cache) -> Path:
    """Keep indexes, highlights and state out of the real user folders."""
    home = tmp_path_factory.mktemp("reader-home")
    # A copy, not a link: a test may damage its cache on purpose.
    shutil.copytree(warm_gazetteer_cache, home / "cache" / "gazetteer")
    monkeypatch.setenv("READER_HOME", str(home))
    monkeypatch.delenv("READER_CORPUS", raising=False)
    return home


APP_TESTS = Path(__file__).resolve().parent / "app"


@pytest.fixture
def corpus(request, tmp_path, tmp_path_factory, reader_home) -> Path:
    """A private copy of the bundled corpus that a test may change.

    For the app's tests (tests/app) it comes indexed already, as at a user's second
    start: building the index of the five articles costs more than a third of a short
    app test's CPU, so it is built once per test process and copied. The copy is made
    at the same path for every test of a process, so that the index (its manifest
    names each file's path, time and size) is up to date for each: a file a test
    changes is found changed and indexed again, as in real use. An app test marked
    ``first_build`` starts on a corpus that was never indexed.
    """
    in_app_tests = APP_TESTS in request.node.path.parents
    if not in_app_tests or request.node.get_closest_marker("first_build"):
        target = tmp_path / "articles"
        shutil.copytree(bundled_corpus(), target)
        return target
    base = tmp_path_factory.getbasetemp() / "indexed-corpus"
    target = base / "articles"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(bundled_corpus(), target)
    built = base / "index"
    if built.exists():
        shutil.copytree(built, index_dir_for(target))
    else:
        from reader.index.corpus_index import CorpusIndex

        index = CorpusIndex(target)
        index.open()
        index.update()
        index.close()
        shutil.copytree(index_dir_for(target), built)
    return target


@pytest.fixture
def index(corpus):
    from reader.index.corpus_index import CorpusIndex

    built = CorpusIndex(corpus)
    built.open()
    built.update()
    yield built
    built.close()


def article_path(corpus: Path, stem_start: str) -> Path:
    """The one article in ``corpus`` whose file name starts with ``stem_start``."""
    (found,) = [p for p in corpus.iterdir() if p.name.startswith(stem_start)]
    return found


def kill_9_reader_when(
    args: list[str],
    env: dict[str, str],
    ready: Callable[[], bool],
    *,
    timeout: float,
    waiting_for: str,
    then_wait: float = 0.0,
) -> None:
    """Run ``python -m reader *args`` and kill -9 it, worker processes too, once
    ``ready()`` holds (and ``then_wait`` seconds more); skip the test if it ended first."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not ready() and proc.poll() is None:
            assert time.monotonic() < deadline, f"never {waiting_for}"
            time.sleep(0.02)
        time.sleep(then_wait)
        if proc.poll() is not None:
            pytest.skip(f"reader {' '.join(args)} finished before it could be killed")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        # Its worker processes are orphans now: end them too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def pytest_configure(config):
    """Textual's pilot waits for the process to go idle after every key by sleeping in
    steps of 20 ms (at least two steps a key). Steps of 5 ms tell idle from busy as
    well for these tests and cut the time spent pressing keys by about a third
    (measured over tests/app: 156 s to 103 s)."""
    config.addinivalue_line(
        "markers", "first_build: an app test that starts on a corpus never indexed"
    )
    try:
        from textual import _wait
    except ImportError:  # a Textual without it: its own pace, slower but right
        return
    _wait.SLEEP_GRANULARITY = 0.005
    _wait.SLEEP_IDLE = 0.005 / 20


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (in addopts): two test processes a core. Many app tests spend much of
    their time waiting (for a worker thread, a child process, the pilot's idle checks),
    so a second process a core keeps the cores busy."""
    return 2 * (os.cpu_count() or 1)


def pytest_sessionstart(session):
    """Young collections less often (every 10,000 allocations, not 700): the app tests
    allocate fast (every frame is lines of segments), and this cut the time spent in
    collections over tests/app from 29 s to 20 s."""
    gc.set_threshold(10_000, 20, 20)


def pytest_collection_finish(session):
    """Everything imported and collected lives as long as the test process: set it
    aside from Python's cycle collector (as the app does at its first frame), which
    otherwise walks all of it again at every full collection."""
    gc.collect()
    gc.freeze()


def pytest_runtest_teardown(item, nextitem):
    """The same after each test: what a test leaves alive (about 15,000 objects for
    each app it ran, mostly lines Textual drew, still referenced) would otherwise be
    walked again by every full collection of every later test. Full collections were
    about half of the app tests' CPU time (72 s of 137 s, measured with gc.callbacks);
    now 19 s of 87 s. One collection here frees the test's garbage first."""
    gc.collect()
    gc.freeze()
