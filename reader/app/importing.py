"""Importing from the app: the "Import…" and "Update feeds" commands of the palette.

:class:`ImportFlow` asks for the sources (:class:`~reader.app.screens.import_dialog.
ImportDialog`), runs :class:`reader.importing.pipeline.Importer` in a thread worker
that reports each item as it ends (the index bar shows the progress), and brings
the index up to date as articles come in and when the import is over, so the new
articles can be searched while the rest are still being fetched.
The bundled corpus is read-only: the commands say so instead of writing into it.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.worker import get_current_worker

from reader.support.textsafe import one_line

#: Seconds between two index updates while an import adds articles.
INDEX_EVERY = 3.0

#: The :class:`reader.app.app.ReaderApp`; not imported, since it imports this module.
ReaderApp = Any


@dataclass
class ImportProgress(Message):
    """One more item of the import ended (``label``: its title or source)."""

    done: int
    total: int
    status: str
    label: str


@dataclass
class ImportFinished(Message):
    """The import ended: how many items per status, and the failures' reasons."""

    counts: dict[str, int]
    failures: list[tuple[str, str]] = field(default_factory=list)
    problem: str | None = None


class ImportFlow:
    """Imports for :class:`reader.app.app.ReaderApp`."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        self.running = False
        self._indexed_at = -INDEX_EVERY

    def writable(self) -> bool:
        """True when the corpus may be written; else the user is told why not."""
        from reader.support.locations import bundled_corpus

        if self.app.corpus.resolve() == bundled_corpus().resolve():
            self.app.notify(
                "The bundled corpus is read-only: start the reader with --corpus DIR "
                "(or in a folder with ./articles) to import articles.",
                title="Import",
                severity="warning",
            )
            return False
        if self.running:
            self.app.notify("An import is already running.", title="Import", timeout=3)
            return False
        return True

    def ask(self) -> None:
        """Open the import dialog; the sources typed there are imported."""
        from reader.app.screens.import_dialog import ImportDialog

        if not self.writable():
            return
        if any(isinstance(screen, ImportDialog) for screen in self.app.screen_stack):
            return

        def chosen(sources: list[str] | None) -> None:
            if sources:
                self.start([(s, []) for s in sources])

        name = self.app.corpus.name or str(self.app.corpus)
        self.app.push_screen(ImportDialog(name), chosen)

    def update_feeds(self) -> None:
        """Fetch the new items of the feeds subscribed for this corpus."""
        from reader.importing import subscriptions

        if not self.writable():
            return
        try:
            followed = subscriptions.load()
        except subscriptions.SubscriptionError as error:
            self.app.notify(one_line(str(error)), title="Update feeds", severity="error")
            return
        folder = str(self.app.corpus.resolve())
        mine = [s for s in followed if s.corpus == folder]
        if not mine:
            self.app.notify(
                "No feeds are subscribed for this corpus: add some with "
                "`reader import --subscribe FEED --corpus DIR`.",
                title="Update feeds",
            )
            return
        self.start([(s.url, list(s.tags)) for s in mine], subscribed=mine)

    def start(self, sources: list[tuple[str, list[str]]], subscribed: list | None = None) -> None:
        self.running = True
        self.app.main.index_bar.show_message("Importing…", busy=True)
        self.app.run_worker(
            lambda: self._work(self.app.corpus, sources, subscribed or []),
            name="import",
            group="import",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _work(self, corpus: Path, sources: list, subscribed: list) -> None:
        """In a thread: the import itself, reporting every item as it ends."""
        from reader.importing import subscriptions
        from reader.importing.pipeline import Importer

        worker = get_current_worker()
        app = self.app

        def progress(result, done: int, total: int) -> None:
            label = one_line(result.title or result.url or result.source)
            app.post_message(ImportProgress(done, total, result.status, label))

        try:
            results = Importer(
                corpus, progress=progress, cancelled=lambda: worker.is_cancelled
            ).run(sources)
        except OSError as error:
            app.post_message(ImportFinished({}, problem=f"cannot write in {corpus}: {error}"))
            return
        if subscribed:
            # The items are in; the time of the update is only a note.
            with contextlib.suppress(subscriptions.SubscriptionError):
                subscriptions.mark_updated(subscribed)
        counts = Counter(r.status for r in results)
        failures = [(r.url or r.source, r.reason or "") for r in results if r.status == "failed"]
        app.post_message(ImportFinished(dict(counts), failures))

    def progressed(self, event: ImportProgress) -> None:
        if event.status in ("added", "updated"):
            # New articles appear as they come: the index is updated during a long import,
            # at most every INDEX_EVERY seconds, never twice at once.
            now = time.monotonic()
            if not self.app.indexing and now - self._indexed_at >= INDEX_EVERY:
                self._indexed_at = now
                self.app.reindex_after_import()
        self.app.main.index_bar.show_task(
            f"Importing {event.done:,} of {event.total:,}: {event.status} {event.label}",
            event.done,
            event.total,
        )

    def finished(self, event: ImportFinished) -> None:
        self.running = False
        app = self.app
        if event.problem:
            app.main.index_bar.show_message("Import failed")
            app.notify(one_line(event.problem), title="Import", severity="error")
            return
        parts = [
            f"{event.counts[s]} {s}"
            for s in ("added", "updated", "duplicate", "failed")
            if event.counts.get(s)
        ]
        summary = "; ".join(parts) or "nothing to import"
        app.main.index_bar.show_message(f"Import: {summary}")
        details = "".join(
            f"\n{one_line(source)[:60]}: {one_line(reason)[:80]}"
            for source, reason in event.failures[:5]
        )
        severity = "warning" if event.failures else "information"
        app.notify(f"{summary}{details}", title="Import", severity=severity, markup=False)
        if event.counts.get("added") or event.counts.get("updated"):
            app.reindex_after_import()
