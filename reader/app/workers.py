"""The app's thread workers: every blocking call goes through one of these.

Each worker calls :class:`reader.app.backend.CorpusService` and posts a
message from :mod:`reader.app.messages` with the answer. Known failures (a bad
query, an index that cannot open, an export error) become messages or
notifications here; anything else raises, and
``ReaderApp.on_worker_state_changed`` turns it into one notification. No
traceback reaches the screen (``exit_on_error=False``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from reader.app import messages as msg
from reader.app.backend import CorpusService, SearchRequest
from reader.app.document import WrappedBody
from reader.app.processes import start_resource_tracker

if TYPE_CHECKING:
    from textual.app import App

    _Base = App
else:
    _Base = object


class WorkersMixin(_Base):
    """Thread workers of :class:`reader.app.app.ReaderApp` (which provides ``service``)."""

    service: CorpusService

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def index_worker(self, rebuild: bool = False) -> None:
        from reader.index import IndexError_

        worker = get_current_worker()
        try:
            opened = self.service.open()
        except IndexError_ as error:
            self.post_message(msg.IndexFailed(str(error)))
            return
        self.post_message(msg.IndexOpened(opened))
        start_resource_tracker()

        def progress(done: int, total: int) -> None:
            self.post_message(msg.IndexProgress(done, total))

        def cancelled() -> bool:
            return worker.is_cancelled

        def committed() -> None:
            self.post_message(msg.IndexCommitted())

        try:
            if rebuild:
                report = self.service.rebuild(progress, cancelled)
            else:
                report = self.service.update(progress, cancelled, committed)
        except IndexError_ as error:
            self.post_message(msg.IndexFailed(str(error)))
            return
        self.post_message(
            msg.IndexUpdated(
                report.summary(),
                report.total,
                list(report.problems),
                report.cancelled,
                changed=tuple(report.changed),
                removed=tuple(report.removed),
            )
        )

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search")
    def search_worker(self, generation: int, request: SearchRequest) -> None:
        from reader.query import QueryError

        worker = get_current_worker()
        try:
            results = self.service.search(request)
        except QueryError as error:
            if not worker.is_cancelled:
                self.post_message(msg.SearchFailed(generation, request, str(error)))
            return
        if not worker.is_cancelled:
            self.post_message(msg.SearchFinished(generation, request, results))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False, name="article")
    def article_worker(
        self, article_id: str, terms: Any, offset: int, reason: str, measure: int
    ) -> None:
        worker = get_current_worker()
        document = self.service.article(article_id, terms)
        # Wrap here, not on the event loop: megabytes take a noticeable moment.
        wrapped = WrappedBody(document.body, measure) if document is not None else None
        if not worker.is_cancelled:
            self.post_message(msg.ArticleLoaded(article_id, document, offset, reason, wrapped))

    @work(thread=True, exclusive=True, group="entity", exit_on_error=False, name="entity details")
    def entity_details_worker(self, kind: str, name: str) -> None:
        details = self.service.entity_details(kind, name)
        if not get_current_worker().is_cancelled:
            self.post_message(msg.EntityDetailsLoaded(details))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, name="export")
    def export_worker(self, query: str | None, article_id: str | None) -> None:
        from reader.export import ExportError
        from reader.locations import data_dir
        from reader.textsafe import one_line

        try:
            path = self.service.export(query, article_id, data_dir() / "exports")
        except ExportError as error:
            self.call_from_thread(
                self.notify, one_line(str(error)), title="Export", severity="warning"
            )
            return
        self.call_from_thread(self.notify, one_line(f"Saved {path}"), title="Export")
