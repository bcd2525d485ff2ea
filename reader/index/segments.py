"""A full index build on every core: worker processes write whole Whoosh segments.

Whoosh does all of its work in the process that holds the writer: analysing each
document, then sorting and writing the postings at commit (half of the time).
When the index is empty, nothing has to be replaced or deleted and the work
splits cleanly, the way Whoosh's own ``MpWriter`` splits it in its multisegment
mode. Each worker process takes a *job* of consecutive files, prepares them
(:func:`reader.index.documents.prepare`: parse and entity recognition) and writes
them with its own segment writer (:mod:`reader.index.writers`) into a scratch index
of its own. The parent holds the index's write lock throughout; as each job
finishes, in order, it moves the job's segment file into the index folder and
commits a table of contents that lists it (:func:`adopt`), so a search sees what is built so far.

Scratch indexes live in ``.scratch-<pid>-<ns>`` inside the index folder: on the
same file system, so a segment moves with a rename, and out of the way of
Whoosh's ``clean_files``, which deletes every segment file of the index folder
that the table of contents does not list but skips names that begin with a dot.
A scratch folder left by a killed build is removed by the next write to that
index, under its write lock.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

from reader.corpus.articles import Problem, SourceFile
from reader.index.documents import entities_enabled, manifest_entry, prepare
from reader.index.schema import SCRATCH_PREFIX, IndexUnusable, make_schema
from reader.index.writers import segment_writer

#: The first job is small, so that the first results show a second or two after
#: the build starts; each next job is this many times bigger, up to the cap.
FIRST_JOB = 100
GROWTH = 4
#: Each job is one segment, and every segment costs time at each search and each
#: start-up (about 5 ms to open at 10,000 articles): the cap keeps a big corpus to
#: about this many full-size jobs.
FULL_JOBS = 4
MIN_CAP = 2000
#: At the end a job is each worker's share of what is left, so that the workers
#: finish together rather than one idling while another writes a big last job;
#: but not less than an eighth of the cap (a few segments more, not many small
#: ones). With halves of the cap, one worker idled 5 s of a 40 s build of 10,000.
TAIL_PART = 8
MIN_TAIL = 250
#: A worker reports progress after this many files.
REPORT_EVERY = 25


def plan_jobs(total: int, workers: int) -> list[int]:
    """Job sizes for ``total`` files on ``workers`` processes: ramp up, cap, taper off.

    At 10,000 files and two workers: 100, 400, 1600, 2500, 2500, 1450, 725, 363, 362
    (nine segments, where the serial build made about seven); at 100,000, eleven.
    """
    cap = max(MIN_CAP, -(-total // FULL_JOBS))
    tail = max(MIN_TAIL, cap // TAIL_PART)
    sizes: list[int] = []
    remaining, ramp = total, FIRST_JOB
    while remaining > 0:
        share = -(-remaining // workers)
        size = min(ramp, cap, max(share, tail), remaining)
        if remaining - size < FIRST_JOB:
            size = remaining  # no runt job at the end
        sizes.append(size)
        remaining -= size
        ramp *= GROWTH
    return sizes


@dataclass(slots=True)
class SegmentJob:
    """What a worker wrote: a segment (None when every file failed) and the files' fate."""

    number: int
    folder: str
    segment: Any | None
    entries: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# -- in the worker process ---------------------------------------------------------------------

_progress_queue: Any = None
#: How often a worker looks whether its parent is still alive, in seconds.
PARENT_CHECK = 0.2


def _init_worker(progress_queue: Any, parent: int) -> None:
    global _progress_queue
    _progress_queue = progress_queue
    _die_with_parent(parent)
    _schema()
    if entities_enabled():
        # Compile the recognizer's rules now, while the parent may still be building
        # the gazetteer that the first job will load.
        import reader.entities.recognizer  # noqa: F401


def _die_with_parent(parent: int) -> None:
    """End this worker as soon as the process that started it is gone.

    A ``kill -9`` of ``reader index`` runs no clean-up: its workers would go on
    for good, holding the command's output pipe (``reader index | wc -c`` never
    ended). An orphan is adopted by another process, so its parent id changes; a
    daemon thread watches for that (a parent-death signal would follow the
    *thread* that started the worker, not the process).
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="reader-parent-watch", daemon=True).start()


def _started() -> None:
    """A task that does nothing: submitted first, it starts a worker process."""


@functools.cache
def _schema() -> Any:
    # One schema per process, so the stemmer's cache stays warm from job to job.
    return make_schema()


def _report(count: int) -> None:
    if _progress_queue is not None and count:
        _progress_queue.put(count)


def write_segment(number: int, sources: list[SourceFile], folder: str) -> SegmentJob:
    """Prepare ``sources`` and write them as one segment of a new index in ``folder``."""
    ix = FileStorage(folder).create().create_index(_schema())
    writer = segment_writer(ix)
    job = SegmentJob(number, folder, None)
    unreported = 0
    try:
        for source in sources:
            prepared = prepare(source)
            job.problems.extend(prepared.problems)
            if prepared.document is not None:
                writer.add_document(**prepared.document)
            job.entries[source.id] = manifest_entry(prepared)
            unreported += 1
            if unreported == REPORT_EVERY:
                _report(unreported)
                unreported = 0
        if writer.doc_count():
            job.segment = writer._finalize_segment()
        else:
            writer._close_segment()
        writer._finish()
    except BaseException:
        with suppress(Exception):
            writer.cancel()
        raise
    _report(unreported)
    return job


# -- in the parent process ---------------------------------------------------------------------


def adopt(folder: Path, job: SegmentJob, indexname: str) -> None:
    """Move the job's segment into the index in ``folder`` and commit a TOC listing it.

    The caller holds the index's write lock. The segment's files are in place
    before the TOC names them; a crash in between leaves only an unlisted file,
    which the next commit's ``clean_files`` deletes.
    """
    if job.segment is not None:
        prefix = job.segment.segment_id() + "."
        for name in os.listdir(job.folder):
            if name.startswith(prefix):
                os.rename(os.path.join(job.folder, name), folder / name)
        storage = FileStorage(str(folder))
        current = TOC.read(storage, indexname)
        segments = [*current.segments, job.segment]
        generation = current.generation + 1
        TOC(current.schema, segments, generation).write(storage, indexname)
        clean_files(storage, indexname, generation, segments)
    shutil.rmtree(job.folder, ignore_errors=True)


class SegmentBuild:
    """Runs the jobs of a build in worker processes; yields them finished, in order.

    Use as a context manager: leaving it (done, cancelled or failed) ends the
    workers and removes the scratch folder. ``cancelled`` is polled about ten
    times a second; when it says so the build stops at once, ``was_cancelled``
    is set and the jobs still running are thrown away.
    """

    def __init__(
        self,
        folder: Path,
        sources: list[SourceFile],
        workers: int,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.folder = folder
        self.sources = sources
        self.workers = workers
        self.progress = progress
        self.cancelled = cancelled
        self.was_cancelled = False
        self.scratch = folder / f"{SCRATCH_PREFIX}{os.getpid()}-{time.time_ns()}"
        self._pool: ProcessPoolExecutor | None = None
        self._updates: Any = None
        self._running: dict[int, Future[SegmentJob]] = {}

    def __enter__(self) -> SegmentBuild:
        self.scratch.mkdir()
        # "spawn": forking a process that runs threads (the app's workers) can deadlock.
        context = multiprocessing.get_context("spawn")
        self._updates = context.Queue()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self._updates, os.getpid()),
        )
        # Start the workers now: they import and compile while the caller warms up.
        for _ in range(self.workers):
            self._pool.submit(_started)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def jobs(self) -> Iterator[SegmentJob]:
        """Finished jobs in the order of the files; stops early when cancelled."""
        assert self._pool is not None, "use SegmentBuild as a context manager"
        total = len(self.sources)
        planned = iter(enumerate(plan_jobs(total, self.workers)))
        start = 0
        finished: dict[int, SegmentJob] = {}
        done = 0
        following = 0

        def submit() -> None:
            nonlocal start
            for number, size in planned:
                chunk = self.sources[start : start + size]
                start += size
                folder = str(self.scratch / f"job-{number:05d}")
                self._running[number] = self._pool.submit(write_segment, number, chunk, folder)
                return

        # One job more than workers, so that no worker waits for the next one.
        for _ in range(self.workers + 1):
            submit()
        while self._running or finished:
            if self.cancelled is not None and self.cancelled():
                self.was_cancelled = True
                return
            if following in finished:
                yield finished.pop(following)
                following += 1
                continue
            ready, _ = wait(self._running.values(), timeout=0.1, return_when=FIRST_COMPLETED)
            for number, future in list(self._running.items()):
                if future in ready:
                    del self._running[number]
                    finished[number] = _result(future)
                    submit()
            reported = self._drain()
            if reported and self.progress is not None:
                done = min(done + reported, total)
                self.progress(done, total)
        if self.progress is not None:
            self.progress(total, total)

    def _drain(self) -> int:
        count = 0
        with suppress(queue.Empty, OSError, ValueError):
            while True:
                count += self._updates.get_nowait()
        return count

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if any(not future.done() for future in self._running.values()):
            # Cancelled or failed: stop the workers now rather than after their jobs.
            terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
            if terminate is not None:
                terminate()
            else:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    with suppress(Exception):
                        process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        self._running.clear()
        with suppress(Exception):
            self._updates.close()


def _result(future: Future[SegmentJob]) -> SegmentJob:
    try:
        return future.result()
    except BrokenProcessPool:
        raise IndexUnusable(
            "an indexing worker process ended unexpectedly (out of memory?)"
        ) from None
