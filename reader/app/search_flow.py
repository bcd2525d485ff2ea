"""The search flow: query → search worker → results in the search pane.

:class:`SearchFlow` keeps the current request and the last answer, debounces
the searches, runs one at a time (keys typed meanwhile are searched together
as soon as it answers), lists the results a page at a time and pushes each
answer down into the search pane. The app forwards the workers' messages to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reader.app.backend import SearchRequest
from reader.support.textsafe import one_line

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.worker import Worker

    from reader.app import messages as msg
    from reader.search.engine import SearchResults


#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


class SearchFlow:
    """The search of :class:`reader.app.app.ReaderApp`: its request, its answer, its state."""

    def __init__(self, app: ReaderApp, request: SearchRequest) -> None:
        self.app = app
        self.request = request
        self.results: SearchResults | None = None
        self._generation = 0
        self._shown_request: SearchRequest | None = None
        self._timer: Timer | None = None
        #: A search runs and has not answered yet; ``_again``: the request changed
        #: meanwhile, so search again as soon as it answers.
        self._searching = False
        self._again = False
        self._worker: Worker[None] | None = None
        #: How many results the list holds for ``_listed_request`` (a page more each
        #: time the "more" row is chosen), and where the new page starts.
        self._listed_request: SearchRequest | None = None
        self._list_limit = app.settings.results
        self._more_from: int | None = None
        #: Enter ran the exact query: open its top result when it answers.
        self._open_top = False

    @property
    def shown_request(self) -> SearchRequest | None:
        """The request whose answer the results list shows (None before the first)."""
        return self._shown_request

    @property
    def pending(self) -> bool:
        """A search is due or running and has not answered yet."""
        return self._timer is not None or self._searching or self._again

    # -- asking ----------------------------------------------------------------------------------

    def change_query(self, text: str) -> None:
        """The query box holds ``text``, being typed: search for it (after the debounce),
        its last word as a prefix; wait quietly on an unfinished phrase or bracket."""
        if text == self.request.query:
            return
        self.request = replace(self.request, query=text, typing=True)
        self._open_top = False
        if self.request.search_text() is None:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            return
        self.schedule()

    def submit(self) -> bool:
        """Enter in the query box: the query runs exactly as written.

        True when that is a new search (its top result opens when it answers, or its
        error shows); False when the results shown already answer it.
        """
        typed = self.request
        if not typed.typing:
            return False
        exact = replace(typed, typing=False)
        self.request = exact
        shown = self._shown_request
        if typed.search_text() == typed.query and shown == typed and not self.pending:
            # The query as typed was searched as written: the list already answers it.
            self._shown_request = self._listed_request = exact
            return False
        self._open_top = True
        self.now()
        return True

    def schedule(self, delay: float | None = None) -> None:
        """Search for the current request, after ``delay`` seconds (default: the debounce).

        With no delay (the default debounce is 0) the search starts at once. One search
        runs at a time: keys typed while it runs are searched together as soon as it
        answers, so the wait adapts to how long searches take.
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        wait = self.app.settings.debounce if delay is None else delay
        if wait > 0:
            self._timer = self.app.set_timer(wait, self.now)
        else:
            self.now()

    def now(self) -> None:
        """Search for the current request now (or as soon as the running search answers)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.app.index_ready or self.request.search_text() is None:
            return
        if self.request != self._listed_request:
            # A new question lists one page again.
            self._listed_request = self.request
            self._list_limit = self.app.settings.results
            self._more_from = None
        self._start()

    def _start(self) -> None:
        if self._searching:
            self._again = True
            return
        self._searching = True
        self._again = False
        self._generation += 1
        self._worker = self.app.search_worker(self._generation, self.request, self._list_limit)

    def _answered(self) -> None:
        """The running search answered (or failed): run the one that waited, if any."""
        self._searching = False
        if self._again:
            self.now()

    def more(self, listed: int) -> None:
        """List another page of the results (``listed`` are shown); the cursor goes to the
        first new one."""
        self._more_from = listed
        self._list_limit += self.app.settings.results
        self._start()

    def toggle_sort(self) -> None:
        sort = "date" if self.request.sort == "relevance" else "relevance"
        self.request = replace(self.request, sort=sort)
        self.now()

    def clear_filters(self) -> None:
        request = self.request
        if (
            request.entity
            or request.sources
            or request.date_from
            or request.date_to
            or (request.record or request.also)
        ):
            self.request = replace(
                request,
                entity=None,
                also=(),
                sources=(),
                date_from=None,
                date_to=None,
                record=None,
            )
            self.now()

    def filter_by_record(self, name: str, article_ids: tuple[str, ...]) -> None:
        """Keep the articles that report one agreement (its record across the corpus)."""
        self.request = replace(self.request, entity=None, record=(name, article_ids))
        self.app.notify(f"Only articles that report {one_line(name)}. Press c to clear.")
        self.now()

    def filter_by_entity(self, kind: str, name: str) -> None:
        self.request = replace(self.request, entity=(kind, name))
        self.app.notify(f"Only articles that mention {one_line(name)} ({kind}). Press c to clear.")
        self.now()

    def add_entity_filter(self, kind: str, name: str) -> None:
        """Keep only articles that also mention (kind, name): filters stack (Explore)."""
        request = self.request
        if request.entity is None:
            self.request = replace(request, entity=(kind, name))
        elif (kind, name) != request.entity and (kind, name) not in request.also:
            self.request = replace(request, also=(*request.also, (kind, name)))
        self.now()

    def filter_dates(self, start: dt.date, end: dt.date) -> None:
        """Keep only articles published from ``start`` to ``end`` (the Explore timeline)."""
        self.request = replace(self.request, date_from=start, date_to=end)
        self.now()

    # -- answers ---------------------------------------------------------------------------------

    def finished(self, event: msg.SearchFinished) -> None:
        """A search answered: show its results, then open or refresh the article."""
        if event.generation != self._generation:
            return  # a newer search is on its way
        if self._searching:
            self._answered()
            if self._searching:
                return  # the query changed meanwhile: its search is on its way
        pane = self.app.main.search_pane
        results_list = pane.results_list
        if not event.complete and event.request == self._shown_request:
            # The same request again (more of the corpus indexed, or a page more): the
            # list stays as it is until the whole answer comes, so the place is kept.
            return
        previous_terms = self.results.terms if self.results else None
        self.results = event.results
        # The same request again: keep the reader's place in the list. A new query
        # starts at the top.
        keep = None
        if event.request == self._shown_request and results_list.highlighted is not None:
            keep = results_list.get_option_at_index(results_list.highlighted).id
        self._shown_request = event.request
        pane.show_results(
            event.request, event.results, keep=keep, listed=event.listed, complete=event.complete
        )
        if self._more_from is not None and self._more_from < len(results_list.article_ids):
            results_list.highlighted = self._more_from
            self._more_from = None
        if event.results.total == 0 and not event.request.query and self.app.indexing:
            pane.show_message("Indexing… articles appear here as they are indexed.")
        self.app.reading.results_shown(event.results, previous_terms)
        if self._open_top:
            self._open_top = False
            self.app.main.open_top()

    def failed(self, event: msg.SearchFailed) -> None:
        if event.generation != self._generation:
            return
        self._answered()
        if not self._searching:
            self._open_top = False
            self.app.main.search_pane.show_error(one_line(event.message), event.request.query)

    def worker_changed(self, worker: Worker) -> None:
        """A worker changed state: if it is the search and it ended without an answer
        (failed, or cancelled), the next search may run."""
        if worker is self._worker and self._searching and worker.is_finished:
            self._answered()
