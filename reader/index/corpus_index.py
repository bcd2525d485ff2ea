"""The Whoosh index of a corpus: build, update incrementally, recover from faults.

The index of a corpus lives in the user's cache folder (see
:func:`reader.support.locations.index_dir_for`), never in the articles folder. Beside
Whoosh's own files it keeps two small JSON files:

``reader-meta.json``
    the schema and recognizer versions the index was built with; a mismatch
    after an upgrade triggers a rebuild.
``reader-manifest.json``
    for each article id, the file's path, modification time and size, so that
    an update reads only the files that were added or changed
    (:mod:`reader.index.manifest`).

A full rebuild is written to a fresh folder and swapped in, so an interrupted
rebuild never leaves a half-written index behind. The documents themselves are
written by :mod:`reader.index.index_writing`: a build into an empty index (a
rebuild, or the first update) of many files in worker processes that each write
whole segments (:mod:`reader.index.segments`), other updates in batches. Only one
process writes, and it holds Whoosh's write lock for the whole update: when
another holds it, the index is opened read-only and :attr:`CorpusIndex.notice`
says so in one line. What an update did is an
:class:`~reader.index.update_report.UpdateReport`.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher
from whoosh.writing import LockError

from reader.corpus import articles as corpus
from reader.corpus.articles import SourceFile
from reader.index import whoosh_patches
from reader.index.documents import (
    entities_enabled,
    gazetteer_problem,
    load_entities,
    recognizer,
    recognizer_version,
)
from reader.index.manifest import FILE as _MANIFEST
from reader.index.manifest import Entries, Manifest, ManifestError, changes, files_fingerprint
from reader.index.prescan import Scanned
from reader.index.schema import (
    SCHEMA_VERSION,
    IndexDamaged,
    IndexUnusable,
    make_schema,
)
from reader.index.update_report import Cancelled, Progress, UpdateReport
from reader.support.atomic import write_atomic
from reader.support.collector import give_back_freed_memory
from reader.support.locations import LIVE_INDEX, index_dir_for

if TYPE_CHECKING:
    from reader.index.entity_table import EntityTable

# The entity table and the index writer are imported where they are used: opening the
# index and the first search (at the app's start-up) need neither.

_META = "reader-meta.json"
#: Written in the live folder when reading the index failed during a search: the
#: next open rebuilds it (a damaged segment is not seen by opening alone).
_DAMAGED = "reader-damaged.txt"
whoosh_patches.apply()


class CorpusIndex:
    """The index of one corpus folder.

    ``open()`` is quick: it opens the index, or creates an empty one when it is
    missing, outdated or damaged. ``update()`` then brings it up to date with the
    folder, committing in batches so that a search sees what is already indexed
    and an interrupted update keeps its work. ``update()`` and ``rebuild()`` are
    slow on a big corpus and belong in a worker thread.
    """

    def __init__(self, corpus_dir: Path, index_dir: Path | None = None) -> None:
        self.corpus_dir = corpus_dir.expanduser().resolve()
        self.root = index_dir or index_dir_for(self.corpus_dir)
        self.live_dir = self.root / LIVE_INDEX
        self.read_only = False
        #: One line for the user when something about the index needs saying.
        self.notice: str | None = None
        #: Why the index was (re)created empty by ``open()``; the next update says so.
        self.created_reason = ""
        self._ix: whoosh_index.Index | None = None
        self._manifest = Manifest()
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._table_cache: EntityTable | None = None

    # -- opening -------------------------------------------------------------------------------

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the files the index holds, as its manifest says."""
        return self._manifest.summary.fingerprint

    @property
    def ix(self) -> whoosh_index.Index:
        if self._ix is None:
            raise IndexUnusable("the index is not open")
        return self._ix

    def open(self) -> None:
        """Open the index, creating it empty when it is missing, outdated or damaged."""
        if not self.corpus_dir.is_dir():
            raise IndexUnusable(f"corpus folder not found: {self.corpus_dir}")
        self._remove_dead_builds()
        problem = self._open_existing()
        if problem is None:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with self._build_lock():
            # Another process may have repaired it while we waited for the lock.
            problem_now = self._open_existing()
            if problem_now is None:
                return
            shutil.rmtree(self.live_dir, ignore_errors=True)
            self._create_in(self.live_dir)
        self._ix = whoosh_index.open_dir(str(self.live_dir))
        self._manifest = Manifest()
        self.created_reason = problem
        if problem != "new index":
            self.notice = f"{problem}; rebuilding it from the articles"

    def _open_existing(self) -> str | None:
        """Open the live index; return why it must be rebuilt, or None when it is fine."""
        if not self.live_dir.exists():
            return "new index"
        try:
            exists = whoosh_index.exists_in(str(self.live_dir))
        except Exception as error:
            return f"index damaged ({_describe(error)})"
        if not exists:
            return "index missing"
        with suppress(OSError):
            reason = (self.live_dir / _DAMAGED).read_text(encoding="utf-8", errors="replace")
            return " ".join(reason.split())[:200] or "index damaged"
        meta = _read_json(self.live_dir / _META)
        if not isinstance(meta, dict) or "schema_version" not in meta:
            return "index metadata missing"
        if meta.get("schema_version") != SCHEMA_VERSION:
            return "index format changed"
        if meta.get("recognizer_version") != recognizer_version():
            return "entity recognizer changed"
        searcher = None
        try:
            ix = whoosh_index.open_dir(str(self.live_dir))
            searcher = ix.searcher()
            searcher.doc_count()
            searcher.reader().field_length("body")
        except Exception as error:
            if searcher is not None:
                with suppress(Exception):
                    searcher.close()
            return f"index damaged ({_describe(error)})"
        try:
            manifest = Manifest.read(self.live_dir / _MANIFEST)
        except ManifestError as error:
            searcher.close()
            return f"index {error}"
        with self._lock:
            self.close()
            self._ix = ix
            self._manifest = manifest
            # Kept open: the first search, or an update's lookup of old versions, uses it.
            self._searcher = searcher
        return None

    def read_manifest(self) -> None:
        """Read the whole manifest now, if it is not read yet: an update that finds
        changes needs it. Worth calling while waiting for something else (a scan in
        another process); a damaged manifest is left for the update to handle."""
        with suppress(ManifestError):
            self._manifest.entries  # noqa: B018 (read for its effect)

    def _create_in(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(folder), make_schema())
        Manifest().write(folder / _MANIFEST)
        _write_json(
            folder / _META,
            {
                "schema_version": SCHEMA_VERSION,
                "recognizer_version": recognizer_version(),
                "corpus": str(self.corpus_dir),
            },
        )

    @contextmanager
    def _build_lock(self) -> Iterator[None]:
        """Only one process creates or rebuilds an index folder at a time."""
        lock = FileStorage(str(self.root)).lock("REBUILD")
        if not lock.acquire(blocking=False):
            raise IndexUnusable(
                "another reader process is building this index; try again when it finishes"
            )
        try:
            yield
        finally:
            lock.release()

    # -- reading -------------------------------------------------------------------------------

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher on the latest committed state; one at a time across threads."""
        with self._lock:
            try:
                if self._searcher is None:
                    self._searcher = self.ix.searcher()
                elif not self._searcher.up_to_date():
                    # Not Searcher.refresh(): it reuses segment readers whose deletions
                    # are stale, so a deleted article would still be found.
                    self.close()
                    self._searcher = self.ix.searcher()
            except (OSError, whoosh_index.IndexError) as error:
                self.close()
                raise IndexUnusable(self._unreadable(error)) from None
            yield self._searcher

    def mark_damaged(self, error: IndexDamaged) -> None:
        """Remember that reading the index failed, so that the next open (this process
        or another) rebuilds it; :meth:`rebuild` now is the caller's choice."""
        self.close()
        with suppress(OSError):
            write_atomic(self.live_dir / _DAMAGED, str(error).encode("utf-8"))

    def _unreadable(self, error: BaseException) -> str:
        if not self.live_dir.exists():
            return "the index folder was deleted; update or rebuild the index"
        return f"the index cannot be read ({_describe(error)}); rebuild the index"

    def close(self) -> None:
        with self._lock:
            searcher, self._searcher = self._searcher, None
            if searcher is not None:
                # A searcher whose files vanished may fail to close; it is gone either way.
                with suppress(Exception):
                    searcher.close()

    # -- the corpus-wide entity table ------------------------------------------------------------

    def entity_table(self, *, summary_only: bool = False) -> EntityTable:
        """The corpus-wide entity table: read from its files, or built now and saved.

        Fast when the index has not changed since the table was written (an update
        writes it); otherwise it reads every article's stored entities once.
        ``summary_only``: rows and counts only, without each row's articles.
        """
        from reader.index.entity_table import read_table, write_table

        key = self._table_key()
        cached = self._table_cache
        if cached is not None and cached.key == key:
            return cached
        table = read_table(self.live_dir, key, summary_only=summary_only)
        if table is None:
            table = self._build_entity_table(key)
            with suppress(OSError):
                write_table(self.live_dir, table)
        if not summary_only:
            self._table_cache = table  # the app asks again for every article it opens
        return table

    def _table_key(self) -> str:
        ix = self.ix
        generation = ix.latest_generation()
        toc = self.live_dir / f"_{ix.indexname}_{generation}.toc"
        try:
            stamp = toc.stat().st_mtime_ns
        except OSError:
            stamp = 0
        return f"{SCHEMA_VERSION}:{recognizer_version()}:{generation}:{stamp}"

    def _build_entity_table(self, key: str) -> EntityTable:
        from reader.index.entity_table import EntityTable, Record
        from reader.index.stored import without_body

        records = []
        with self.searcher() as searcher:
            # Without the body: a huge article's would cost several times its size.
            for stored in without_body(searcher):
                raw = stored.pop("entities", None) or "[]"
                date = stored.get("date")
                article_id = str(stored.get("id", ""))
                title = stored.get("title") or corpus.derive_title(stored.get("body", ""))
                try:
                    entities = load_entities(raw)
                except ValueError:
                    entities = []
                del raw
                records.append(
                    Record(
                        article_id,
                        date.date().isoformat() if date is not None else None,
                        title,
                        entities if isinstance(entities, list) else [],
                    )
                )
        return EntityTable.build(key, records, recognizer().gazetteer.place_codes)

    def _refresh_entity_table(self) -> None:
        """Bring the entity table up to date after a change; an error only costs a later rebuild."""
        with suppress(Exception):
            self.entity_table()

    def doc_count(self) -> int:
        with self.searcher() as searcher:
            return searcher.doc_count()

    def stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored fields of one article, or None when it is not indexed."""
        with self.searcher() as searcher:
            return searcher.document(id=article_id)

    def article_ids(self) -> list[str]:
        """Ids of the articles in the index (files that failed to load are not)."""
        return self._manifest.article_ids()

    # -- writing -------------------------------------------------------------------------------

    def update(
        self,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        on_commit: Callable[[], None] | None = None,
        *,
        scanned: Scanned | None = None,
        entity_table: bool = True,
    ) -> UpdateReport:
        """Bring the index up to date: only added, changed and removed files are touched.

        Work is committed in batches; ``on_commit`` is called after each one so a
        caller can refresh what it shows. A cancelled update keeps what it did.
        ``scanned`` is the corpus folder's scan when the caller already has it, with
        files it has prepared already (:mod:`reader.index.prescan`). With
        ``entity_table`` (the default) a change also rewrites the corpus-wide entity
        table, which reads every article's entities (about 1.6 s at 10,000
        articles); a command that only searches leaves that to the next reader of
        the table.
        """
        from reader.index.index_writing import write

        started = time.perf_counter()
        if self._ix is not None and not (self.live_dir / _META).exists():
            # The index folder was deleted under us: start again from the articles.
            self.close()
            self._ix = None
        if self._ix is None:
            self.open()
        if scanned is None:
            files, problems = corpus.scan(self.corpus_dir)
            scanned = Scanned(files, problems, files_fingerprint(files))
        report = UpdateReport(found=list(scanned.problems), reason=self.created_reason)
        if (bad_gazetteer := gazetteer_problem()) is not None:
            report.found.append(bad_gazetteer)
        report.rebuilt = bool(self.created_reason)
        self.created_reason = ""
        todo: list[SourceFile] = []
        entries: Entries = {}
        if scanned.fingerprint != self._manifest.summary.fingerprint:
            try:
                entries = self._manifest.entries
            except ManifestError as error:
                # Damaged since it was opened: only a rebuild knows what the index holds.
                return self.rebuild(f"index {error}", progress, cancelled)
            # The summary read with the entries: another process may have updated both.
            known = self._manifest.summary.fingerprint
            found = scanned.changes_since(known) or changes(entries, scanned.files)
            todo, report.added, report.changed = found.todo, found.added, found.changed
            report.removed = found.removed
        if self.read_only and (todo or report.removed):
            report.reason = "read-only: changes not indexed"
            todo, report.added, report.changed, report.removed = [], [], [], []
        if todo or report.removed:
            try:
                write(
                    self.ix,
                    self.live_dir,
                    todo,
                    report,
                    progress,
                    cancelled,
                    on_commit,
                    removed=report.removed,
                    manifest=dict(entries),
                    publish=self._publish,
                    live_searcher=self.searcher,
                    scanned=scanned,
                )
            except LockError:
                self._become_read_only()
                report.added, report.changed, report.removed = [], [], []
                report.reason = "read-only: changes not indexed"
        report.remembered = self._known_problems(scanned, skip={s.id for s in todo})
        if todo:
            give_back_freed_memory()  # before the entity table grows the process again
        if report.touched and entity_table and entities_enabled():
            self._refresh_entity_table()
        report.total = self._manifest.summary.articles
        report.seconds = time.perf_counter() - started
        return report

    def rebuild(
        self,
        reason: str = "rebuild requested",
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> UpdateReport:
        """Build the whole index afresh in a new folder and swap it in.

        The current index stays usable until the new one is complete; a
        cancelled or failed rebuild leaves it as it was.
        """
        from reader.index.index_writing import write

        started = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        with self._build_lock():
            build_dir = self.root / f"build-{os.getpid()}-{time.time_ns()}"
            try:
                self._create_in(build_dir)
                ix = whoosh_index.open_dir(str(build_dir))
                files, problems = corpus.scan(self.corpus_dir)
                report = UpdateReport(found=list(problems), rebuilt=True, reason=reason)
                report.added = [f.id for f in files]
                manifest = write(
                    ix,
                    build_dir,
                    files,
                    report,
                    progress,
                    cancelled,
                    None,
                    removed=[],
                    manifest={},
                    publish=self._publish,
                )
                if report.cancelled:
                    shutil.rmtree(build_dir, ignore_errors=True)
                    report.added = []
                    report.total = self._manifest.summary.articles
                    report.seconds = time.perf_counter() - started
                    return report
                self.close()
                self._swap_in(build_dir)
            except BaseException:
                shutil.rmtree(build_dir, ignore_errors=True)
                raise
        self._ix = whoosh_index.open_dir(str(self.live_dir))
        self._manifest = Manifest(manifest)
        self.read_only = False
        self.notice = None
        report.added = self._manifest.article_ids()
        report.total = len(report.added)
        give_back_freed_memory()
        if entities_enabled():
            self._refresh_entity_table()
        report.seconds = time.perf_counter() - started
        return report

    def _publish(
        self,
        folder: Path,
        manifest: Entries,
        on_commit: Callable[[], None] | None,
        fingerprint: str | None = None,
    ) -> None:
        """After a commit: write the manifest beside it; for the live index, keep a copy
        and tell ``on_commit``. ``fingerprint`` is the manifest's, when it is known."""
        published = Manifest(dict(manifest), fingerprint=fingerprint)
        published.write(folder / _MANIFEST)
        if folder == self.live_dir:
            self._manifest = published
            if on_commit is not None:
                on_commit()

    def _swap_in(self, build_dir: Path) -> None:
        old = None
        if self.live_dir.exists():
            old = self.root / f"old-{os.getpid()}-{time.time_ns()}"
            self.live_dir.rename(old)
        build_dir.rename(self.live_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        self._remove_dead_builds()

    def _remove_dead_builds(self) -> None:
        """Folders of rebuilds killed half-way (kill -9, power loss) are garbage: those
        named after a process that is no longer running go."""
        with suppress(OSError):
            for leftover in [*self.root.glob("build-*"), *self.root.glob("old-*")]:
                if not _owned_by_live_process(leftover.name):
                    shutil.rmtree(leftover, ignore_errors=True)

    def _known_problems(self, scanned: Scanned, skip: set[str]) -> list[tuple[str, str]]:
        """(location, reason) of unchanged broken files, remembered from when they were read."""
        failed = self._manifest.summary.failed
        if not failed:
            return []
        return [
            (source.location, reason)
            for source in scanned.files
            if source.id in failed and source.id not in skip
            for reason in failed[source.id]
        ]

    def _become_read_only(self) -> None:
        self.read_only = True
        self.notice = "another reader process is updating this index; opened read-only"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: Any) -> None:
    """Write ``data`` atomically: temp file, fsync, rename."""
    write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _owned_by_live_process(name: str) -> bool:
    parts = name.split("-")
    if len(parts) < 2 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return True
    with suppress(OSError):
        os.kill(pid, 0)
        return True
    return False


def _describe(error: BaseException) -> str:
    text = str(error).split("\n")[0][:120]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
