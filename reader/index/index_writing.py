"""Writing articles into an index folder, under Whoosh's write lock.

:func:`write` is the one way :class:`~reader.index.corpus_index.CorpusIndex` puts
documents in an index, for an update of the live index and for a rebuild into a
fresh folder alike. A build into an empty index of many files runs in worker
processes that each write whole segments (:mod:`reader.index.segments`); other
writes happen here, in batches committed every few thousand documents or seconds,
with the files prepared (:func:`reader.index.documents.prepare`) in worker
processes when there are many. After each commit the caller's ``publish`` writes
the manifest of what is committed beside it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.writing import LockError

from reader.corpus.articles import SourceFile
from reader.index.documents import (
    Prepared,
    entities_enabled,
    manifest_entry,
    prepare,
    recognizer,
)
from reader.index.manifest import Entries
from reader.index.prescan import Scanned
from reader.index.schema import SCRATCH_PREFIX
from reader.index.update_report import Cancelled, Progress, UpdateReport
from reader.index.writers import segment_writer

#: A batch is committed after this many documents or seconds, whichever comes first.
_BATCH_DOCS = 2000
_BATCH_SECONDS = 5.0
#: Files a worker process prepares per task.
_CHUNK = 32
#: Below this many files to (re)read, a process pool costs more than it saves.
_PARALLEL_THRESHOLD = 200

#: After a commit: (folder, manifest committed, on_commit, fingerprint when known).
Publish = Callable[[Path, Entries, Callable[[], None] | None, str | None], None]
#: The live index's searcher (:meth:`reader.index.corpus_index.CorpusIndex.searcher`).
LiveSearcher = Callable[[], AbstractContextManager[Searcher]]


def write(
    ix: whoosh_index.Index,
    folder: Path,
    sources: list[SourceFile],
    report: UpdateReport,
    progress: Progress | None,
    cancelled: Cancelled | None,
    on_commit: Callable[[], None] | None,
    *,
    removed: list[str],
    manifest: Entries,
    publish: Publish,
    live_searcher: LiveSearcher | None = None,
    scanned: Scanned | None = None,
) -> Entries:
    """Write the documents, holding the write lock; return the manifest of what was committed.

    A big build into an empty index runs on every core (:mod:`reader.index.segments`);
    anything else is written here, in batches. ``publish`` is called after each
    commit. ``live_searcher`` is the live index's searcher when ``folder`` is the
    live index (an update), None for a build folder (a rebuild). ``scanned`` is the
    scan an update brings the index up to: its fingerprint and the files it has
    prepared.
    """
    lock = ix.lock("WRITELOCK")
    if not lock.acquire(blocking=False):
        raise LockError
    try:
        _remove_scratch_leftovers(folder)
        # Asked with the lock held: on an empty index nothing can be replaced, so
        # add_document skips update_document's per-document lookup of the old version.
        toc = whoosh_index.TOC.read(ix.storage, ix.indexname)
        fresh = not any(segment.doc_count_all() for segment in toc.segments)
        args = (ix, folder, sources, report, progress, cancelled, on_commit, fresh, removed)
        if fresh and _parallel_pays(len(sources)):
            return _write_segments(*args, manifest, publish)
        return _write_batches(*args, manifest, publish, live_searcher, scanned)
    finally:
        lock.release()


def _write_batches(
    ix: whoosh_index.Index,
    folder: Path,
    sources: list[SourceFile],
    report: UpdateReport,
    progress: Progress | None,
    cancelled: Cancelled | None,
    on_commit: Callable[[], None] | None,
    fresh: bool,
    removed: list[str],
    manifest: Entries,
    publish: Publish,
    live_searcher: LiveSearcher | None,
    scanned: Scanned | None,
) -> Entries:
    """Write in this process, committing every few thousand documents or seconds."""
    live = live_searcher is not None
    ready = {p.source: p for p in scanned.prepared} if scanned is not None else {}
    writer = segment_writer(ix)
    pending = 0
    last_commit = time.monotonic()

    def delete(article_id: str) -> None:
        # Whoosh's writer opens a searcher of its own to find the old version; the
        # live index's searcher, when it reads the same generation, saves that.
        if live_searcher is not None:
            with live_searcher() as searcher:
                if searcher.reader().generation() == writer.generation - 1:
                    writer.delete_by_term("id", article_id, searcher=searcher)
                    return
        writer.delete_by_term("id", article_id)

    def commit(fingerprint: str | None = None) -> None:
        nonlocal writer, pending, last_commit
        writer.commit()
        publish(folder, manifest, on_commit, fingerprint)
        pending = 0
        last_commit = time.monotonic()

    try:
        for article_id in removed:
            delete(article_id)
            manifest.pop(article_id, None)
            pending += 1
        total = len(sources)
        for done, prepared in enumerate(_prepare_all(sources, ready), start=1):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            report.found.extend(prepared.problems)
            manifest[prepared.source.id] = manifest_entry(prepared)
            if not fresh:
                delete(prepared.source.id)
            if prepared.document is not None:
                writer.add_document(**prepared.document)
            pending += 1
            if progress is not None and (done % 25 == 0 or done == total):
                progress(done, total)
            if pending >= _BATCH_DOCS or (
                pending and time.monotonic() - last_commit > _BATCH_SECONDS
            ):
                commit()
                writer = segment_writer(ix)
        if report.cancelled:
            # What was done is valid work: keep it, unless this is a throw-away build.
            if live:
                commit()
            else:
                writer.cancel()
            return manifest
        # All done: the manifest now holds exactly the scan's files and versions.
        commit(scanned.fingerprint if scanned is not None else None)
    except BaseException:
        with suppress(Exception):
            writer.cancel()
        raise
    return manifest


def _write_segments(
    ix: whoosh_index.Index,
    folder: Path,
    sources: list[SourceFile],
    report: UpdateReport,
    progress: Progress | None,
    cancelled: Cancelled | None,
    on_commit: Callable[[], None] | None,
    fresh: bool,
    removed: list[str],
    manifest: Entries,
    publish: Publish,
) -> Entries:
    """Build an empty index in worker processes, committing each segment as it comes.

    A cancelled build keeps the segments already committed (a throw-away
    rebuild folder is discarded by the caller).
    """
    from reader.index.segments import SegmentBuild, adopt

    for article_id in removed:  # the index is empty: only the manifest knows them
        manifest.pop(article_id, None)
    with SegmentBuild(folder, sources, _worker_count(), progress, cancelled) as build:
        # The workers start meanwhile; the gazetteer must be cached before they load it.
        _warm_up_recognizer()
        for job in build.jobs():
            adopt(folder, job, ix.indexname)
            manifest.update(job.entries)
            report.found.extend(job.problems)
            publish(folder, manifest, on_commit, None)
        report.cancelled = build.was_cancelled
    if removed:
        publish(folder, manifest, None, None)
    return manifest


def _prepare_chunk(sources: list[SourceFile]) -> list[Prepared]:
    return [prepare(source) for source in sources]


def _remove_scratch_leftovers(folder: Path) -> None:
    """Remove the scratch folders of parallel builds that were killed (call with the
    write lock held: no build of this index is running then)."""
    with suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(SCRATCH_PREFIX):
                shutil.rmtree(entry.path, ignore_errors=True)


def _parallel_pays(count: int) -> bool:
    """Whether worker processes are worth starting for ``count`` files."""
    return count >= _PARALLEL_THRESHOLD and (os.cpu_count() or 1) >= 2


def _worker_count() -> int:
    return min(os.cpu_count() or 2, 8)


def _warm_up_recognizer() -> None:
    """Build (or load) the gazetteer before starting workers: it is then cached on
    disk, and each worker loads it in milliseconds instead of building it again."""
    if entities_enabled():
        recognizer().recognize("Warm up in Canberra.")


def _prepare_all(
    sources: list[SourceFile], ready: dict[SourceFile, Prepared] | None = None
) -> Iterator[Prepared]:
    """Prepared documents in order; in worker processes when there are many.
    Those in ``ready`` are not prepared again.

    Work is handed out in chunks with a bounded number in flight, so that a
    cancelled update (the user quits while a big corpus is indexed) stops at
    once instead of waiting for every queued file.
    """
    if ready:
        rest = _prepare_all([source for source in sources if source not in ready])
        for source in sources:
            yield ready[source] if source in ready else next(rest)
        return
    if not _parallel_pays(len(sources)):
        for source in sources:
            yield prepare(source)
        return
    workers = _worker_count()
    _warm_up_recognizer()
    chunks = [sources[i : i + _CHUNK] for i in range(0, len(sources), _CHUNK)]
    # "spawn": forking a process that runs threads (the app's workers) can deadlock.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        pending: deque[Any] = deque()
        next_chunk = iter(chunks)
        for chunk in itertools.islice(next_chunk, workers * 3):
            pending.append(pool.submit(_prepare_chunk, chunk))
        while pending:
            done = pending.popleft().result()
            for chunk in itertools.islice(next_chunk, 1):
                pending.append(pool.submit(_prepare_chunk, chunk))
            yield from done
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
