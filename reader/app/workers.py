"""The app's thread workers: every blocking call goes through one of these.

Each worker calls :class:`reader.app.backend.CorpusService` and posts a
message from :mod:`reader.app.messages` with the answer. Known failures (a bad
query, an index that cannot open, an export error) become messages or
notifications here; anything else raises, and
``ReaderApp.on_worker_state_changed`` turns it into one notification. No
traceback reaches the screen (``exit_on_error=False``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from reader.app import messages as msg
from reader.app.backend import CorpusService, ExportRequest, SearchRequest
from reader.app.document import ArticleDocument
from reader.app.processes import start_resource_tracker
from reader.support.collector import collection_paused

if TYPE_CHECKING:
    from textual.app import App

    from reader.highlights.model import Highlight, Placed
    from reader.highlights.store import HighlightStore

    _Base = App
else:
    _Base = object


#: Results in the first answer of a search, with their snippets: a tall screen's worth
#: (about 4 lines each). Laying out every row of a long list costs Textual tens of
#: milliseconds, so the rest follow in a second answer.
FIRST_PAGE = 12
#: Snippets made between two checks that a newer search has not cancelled this one.
SNIPPET_CHUNK = 10
#: A longer article is shown in two steps: about this much of it at once (well past
#: a screenful, in milliseconds), then the whole with its entities (seconds at 20 MB).
PREVIEW_CHARS = 200_000
#: The hits of a new query are found in the open article this many characters at a
#: time, between checks that a newer query has not made them useless.
HITS_CHUNK = 500_000


#: The index worker waits at most this long for the first search to answer before it
#: brings the index up to date (seconds).
FIRST_ANSWER_WAIT = 2.0


def highlight_ranges(placed: Iterable[Placed]) -> list[tuple[int, int, str]]:
    """``(start, end, id)`` of the highlights found in the text (orphans have no place)."""
    return [
        (p.placement.start, p.placement.end, p.highlight.id)
        for p in placed
        if p.placement.start is not None and p.placement.end is not None
    ]


class WorkersMixin(_Base):
    """Thread workers of :class:`reader.app.app.ReaderApp` (which provides ``service``)."""

    service: CorpusService
    first_answer: threading.Event

    @property
    def highlight_store(self) -> HighlightStore:
        """The user's highlights (created on first use; every call is file I/O: workers only)."""
        store = getattr(self, "_highlight_store", None)
        if store is None:
            from reader.highlights.store import HighlightStore

            store = self._highlight_store = HighlightStore()
        return store

    def _store_notice(self) -> None:
        """Pass on, once, what the store has to say (a damaged file set aside, read-only)."""
        notice = self.highlight_store.notice
        if notice and notice != getattr(self, "_last_store_notice", None):
            self._last_store_notice = notice
            self.post_message(msg.StoreProblem(f"Highlights: {notice}", "warning"))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="index")
    def index_worker(self, rebuild: bool = False) -> None:
        from reader.index.corpus_index import IndexUnusable

        worker = get_current_worker()
        try:
            opened = self.service.open()
        except IndexUnusable as error:
            self.post_message(msg.IndexFailed(str(error)))
            return
        except OSError as error:
            self.post_message(msg.IndexFailed(self._cannot_write(error)))
            return
        self.post_message(msg.IndexOpened(opened))
        # The first search runs now, on the index just opened: let it have the
        # interpreter before the update (which is seldom urgent: nothing changed, or a
        # few files) and the resource tracker's start take it.
        self.first_answer.wait(FIRST_ANSWER_WAIT)
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
        except IndexUnusable as error:
            self.post_message(msg.IndexFailed(str(error)))
            return
        except OSError as error:  # a full disk, a read-only cache folder
            self.post_message(msg.IndexFailed(self._cannot_write(error)))
            return
        self.post_message(
            msg.IndexUpdated(
                report.summary(),
                report.total,
                list(report.problems),
                report.cancelled,
                # A rebuild reports every article as added: the open one may have
                # changed too, and is then loaded again.
                changed=(*report.changed, *report.added),
                removed=tuple(report.removed),
            )
        )

    def _cannot_write(self, error: OSError) -> str:
        """What the command line says of an index it cannot write."""
        from reader.support.locations import index_dir_for

        folder = index_dir_for(self.service.corpus.expanduser().resolve())
        return f"cannot write the index in {folder}: {error.strerror or error}"

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search")
    def search_worker(self, generation: int, request: SearchRequest, limit: int) -> None:
        from reader.index.schema import IndexDamaged
        from reader.search.query import QueryError

        worker = get_current_worker()
        try:
            results = self.service.search(request, limit=limit, snippet_hits=FIRST_PAGE)
        except QueryError as error:
            if not worker.is_cancelled:
                self.post_message(msg.SearchFailed(generation, request, str(error)))
            return
        except IndexDamaged as error:
            # Never the query's fault: the index is rebuilt (and would be at the next start).
            self.service.index.mark_damaged(error)
            self.post_message(msg.IndexDamaged(str(error)))
            return
        if worker.is_cancelled:
            return
        listed = len(results.hits)
        if listed <= FIRST_PAGE:
            self.post_message(msg.SearchFinished(generation, request, results, listed))
            return
        first = replace(results, hits=results.hits[:FIRST_PAGE])
        self.post_message(msg.SearchFinished(generation, request, first, listed, complete=False))
        for start in range(FIRST_PAGE, listed, SNIPPET_CHUNK):
            if worker.is_cancelled:
                return
            results = self.service.fill_snippets(results, start, start + SNIPPET_CHUNK)
        if not worker.is_cancelled:
            self.post_message(msg.SearchFinished(generation, request, results, listed))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False, name="article")
    def article_worker(
        self, article_id: str, terms: Any, offset: int, reason: str, measure: int
    ) -> None:
        with collection_paused():
            self._load_article(article_id, terms, offset, reason, measure)

    def _load_article(
        self, article_id: str, terms: Any, offset: int, reason: str, measure: int
    ) -> None:
        worker = get_current_worker()
        if reason == "hits" and self._mark_hits(article_id, terms, offset, worker):
            return
        document = None
        if reason not in ("refresh", "hits"):
            # A long article: its first screenfuls at once, the rest when ready. (The
            # article opened last comes whole at once: the service keeps it.)
            document = self.service.article(article_id, terms, preview=PREVIEW_CHARS)
            if document is not None and document.partial:
                if offset < len(document.body):
                    wrapped = document.wrapped(measure)
                    if worker.is_cancelled:
                        return
                    self.post_message(
                        msg.ArticleLoaded(
                            article_id, document, offset, reason, wrapped, partial=True
                        )
                    )
                document = None
        if document is None:
            document = self.service.article(article_id, terms)
        # Wrap here, not on the event loop: megabytes take a noticeable moment.
        wrapped = document.wrapped(measure) if document is not None else None
        placed = None
        if document is not None:
            placed = self._placed(document, reanchor=True)
            document.set_highlights(highlight_ranges(placed or ()))
        if not worker.is_cancelled:
            self.post_message(
                msg.ArticleLoaded(article_id, document, offset, reason, wrapped, placed or ())
            )

    def _mark_hits(self, article_id: str, terms: Any, offset: int, worker: Any) -> bool:
        """The open article with the hits of ``terms`` in place of the old ones: its
        text, entities, highlights and wrapping kept. False when it is not open."""
        from dataclasses import replace as copy

        from reader.search.snippets import match_spans

        shown = self.reading.document
        viewer = self.main.viewer
        wrapped = viewer._wrapped
        if shown is None or shown.id != article_id or shown.partial or wrapped is None:
            return False
        # A piece at a time (cut after a line end: no word spans one), so that a query
        # typed on stops this pass at once: each key cost a whole pass over a 20 MB
        # article, and the passes of a typed query added up to minutes of CPU.
        body = shown.body
        found: list[tuple[int, int]] = []
        start = 0
        while terms and start < len(body):
            end = body.find("\n", start + HITS_CHUNK)
            end = len(body) if end == -1 else end + 1
            found.extend(match_spans(body, terms, start, end))
            if worker.is_cancelled:
                return True
            start = end
        document = copy(shown, hits=tuple(found))  # its mentions, highlights, wrapping kept
        if not worker.is_cancelled:
            placed = tuple(self.highlighting.placed.values())
            self.post_message(
                msg.ArticleLoaded(article_id, document, offset, "hits", wrapped, placed)
            )
        return True

    def _placed(self, document: ArticleDocument, reanchor: bool = False) -> tuple | None:
        """The highlights of ``document``, placed in its text; None when unreadable.

        Re-anchoring saves highlights whose passage moved; if the store cannot be
        written (busy, read-only) they are still placed, just not saved.
        """
        from reader.highlights.model import HighlightError

        store = self.highlight_store
        args = (document.id, document.body, document.content_hash, self.service.corpus_key)
        try:
            try:
                placed = store.reanchor(*args) if reanchor else store.placed(*args)
            except HighlightError as error:
                self.post_message(msg.StoreProblem(f"Highlights not re-anchored: {error}"))
                placed = store.placed(*args)
        except (HighlightError, OSError) as error:
            self.post_message(msg.StoreProblem(f"Highlights unavailable: {error}"))
            return None
        finally:
            self._store_notice()
        return tuple(placed)

    # -- highlights ------------------------------------------------------------------------------

    @work(thread=True, group="highlights", exit_on_error=False, name="highlight")
    def highlight_worker(
        self,
        what: str,
        document: ArticleDocument | None,
        *,
        highlight_id: str = "",
        span: tuple[int, int] | None = None,
        note: str | None = None,
        tags: tuple[str, ...] | None = None,
        restore: Highlight | None = None,
    ) -> None:
        """Change the store: ``what`` is "added", "edited", "deleted" or "restored".

        ``document`` is the open article, whose highlights are placed afresh
        afterwards.
        """
        from reader.highlights.model import HighlightError

        store = self.highlight_store
        deleted = None
        try:
            if what == "added":
                assert document is not None and span is not None
                body, content_hash = document.body, document.content_hash
                highlight = store.add_span(
                    document.id,
                    body,
                    content_hash,
                    *span,
                    note=note,
                    tags=tags,
                    corpus=self.service.corpus_key,
                )
            elif what == "edited":
                highlight = store.update(highlight_id, note=note, tags=tags)
            elif what == "deleted":
                highlight = deleted = store.delete(highlight_id)
            else:
                assert restore is not None
                highlight = store.restore(restore)
        except (HighlightError, OSError, ValueError) as error:
            self.post_message(msg.StoreProblem(f"Highlight not {what}: {error}"))
            self._store_notice()
            return
        placed = None
        if document is not None and document.id == highlight.article_id:
            placed = self._placed(document)
        self._store_notice()
        self.post_message(
            msg.HighlightsChanged(what, highlight, highlight.article_id, placed, deleted)
        )

    @work(thread=True, exclusive=True, group="highlights-list", exit_on_error=False)
    def highlights_list_worker(self) -> None:
        """Every highlight with its article, placed in the current text (for the view)."""
        from reader.export import ExportError, Scope
        from reader.highlights.model import HighlightError

        try:
            excerpts = self.service.collect(
                self.highlight_store.all(self.service.corpus_key), Scope()
            )
        except (HighlightError, ExportError, OSError) as error:
            self.post_message(msg.StoreProblem(f"Highlights unavailable: {error}"))
            return
        finally:
            self._store_notice()
        if not get_current_worker().is_cancelled:
            self.post_message(msg.HighlightsListed(excerpts))

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False, name="agreement")
    def agreement_record_worker(self, article_id: str, name: str) -> None:
        """An agreement's record across the corpus (a file read: it is kept beside the index)."""
        from reader.agreements.corrections import CorrectionError

        try:
            view = self.service.agreement_record(article_id, name)
        except CorrectionError as error:
            self.post_message(msg.StoreProblem(f"Agreement corrections unavailable: {error}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(msg.AgreementRecordLoaded(view, name))

    @work(thread=True, exclusive=True, group="entity", exit_on_error=False, name="entity details")
    def entity_details_worker(self, kind: str, name: str) -> None:
        details = self.service.entity_details(kind, name)
        if not get_current_worker().is_cancelled:
            self.post_message(msg.EntityDetailsLoaded(details))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, name="export")
    def export_worker(self, request: ExportRequest) -> None:
        from reader.export import DestinationExists, ExportCancelled, ExportError
        from reader.highlights.model import HighlightError

        worker = get_current_worker()
        try:
            highlights = (
                () if request.scope.hits else self.highlight_store.all(self.service.corpus_key)
            )
            path, count = self.service.export(
                highlights,
                request.scope,
                request.path,
                request.fmt,
                overwrite=request.overwrite,
                # The app cancels its workers when it quits: the file is then not written.
                cancelled=lambda: worker.is_cancelled,
            )
        except ExportCancelled:
            return
        except DestinationExists:
            self.post_message(msg.ExportNeedsConfirmation(request))
            return
        except (ExportError, HighlightError) as error:
            self.post_message(msg.ExportFailed(str(error)))
            return
        except OSError as error:
            self.post_message(msg.ExportFailed(f"{error.strerror or error}: {request.path}"))
            return
        self.post_message(msg.ExportFinished(path, count))
