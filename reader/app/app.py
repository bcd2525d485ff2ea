"""The reader app: wires the panes to the core through thread workers.

Layout: the search pane (left), the article viewer (centre) and the entity
panel (right), an index bar and the footer. All slow work (opening and
updating the index, searching, loading an article, entity look-ups, export)
runs in thread workers in :mod:`reader.app.workers`, which post messages
back; the handlers here push data down into the widgets.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from reader.app import messages as msg
from reader.app.backend import CorpusService, ExportRequest, SearchRequest
from reader.app.document import ENTITY_KINDS, KIND_LABELS, ArticleDocument, entity_key
from reader.app.session import Session, load_session, save_session
from reader.app.settings import Settings, SettingsError, config_path, load_settings
from reader.app.widgets.entity_panel import (
    EntityDetailsList,
    EntityList,
    EntityPanel,
    Legend,
)
from reader.app.widgets.footer import ReaderFooter
from reader.app.widgets.search_pane import QueryInput, ResultsList, SearchPane
from reader.app.widgets.status import IndexBar, ViewerStatus
from reader.app.widgets.viewer import ArticleViewer
from reader.app.workers import WorkersMixin, highlight_ranges
from reader.support.textsafe import one_line

if TYPE_CHECKING:
    from reader.app.screens.export import ScopeChoice
    from reader.app.screens.help import HelpSection
    from reader.app.screens.highlights import HighlightsScreen
    from reader.app.screens.note import NoteAndTags
    from reader.corpus.articles import Problem
    from reader.highlights.store import Highlight, Placed
    from reader.index.prescan import Prescan
    from reader.search.engine import SearchResults


class ReaderApp(WorkersMixin, App[int]):
    """Search, read and study a corpus of news articles, keyboard first."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    #: From this many columns the three panes show side by side.
    WIDE_FROM = 110

    BINDINGS: ClassVar[list[BindingType]] = [
        # Keys that move the focus are priority bindings: they run as the key arrives, so
        # the keys typed right after them (``/vietnam``, Tab then j) reach the new widget.
        Binding("slash", "focus_query", "Search", priority=True, id="reader.focus_query"),
        Binding("tab", "focus_next", "Next pane", show=False, priority=True, id="reader.next_pane"),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous pane",
            show=False,
            priority=True,
            id="reader.previous_pane",
        ),
        Binding("n", "jump(1)", "Next hit", id="reader.next_hit"),
        Binding("N", "jump(-1)", "Prev hit", show=False, id="reader.previous_hit"),
        Binding("right_square_bracket", "step_result(1)", "Next result", id="reader.next_result"),
        Binding(
            "left_square_bracket",
            "step_result(-1)",
            "Prev result",
            show=False,
            id="reader.previous_result",
        ),
        Binding("e", "toggle_entities", "Entities", id="reader.toggle_entities"),
        Binding("s", "toggle_sort", "Sort", show=False, id="reader.toggle_sort"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="reader.clear_filters"),
        Binding("p", "problems", "Index problems", show=False, id="reader.problems"),
        Binding("v", "highlights", "Highlights", id="reader.highlights"),
        Binding("x", "export", "Export", id="reader.export"),
        Binding("o", "open_link", "Open the article's link", show=False, id="reader.open_link"),
        Binding("u,ctrl+z", "undo_delete", "Undo delete", show=False, id="reader.undo_delete"),
        Binding("question_mark", "help", "Help", id="reader.help"),
        Binding("q", "quit", "Quit", id="reader.quit"),
    ]

    def __init__(
        self,
        corpus: Path,
        *,
        settings: Settings | None = None,
        restore: bool = True,
        prescan: Prescan | None = None,
    ) -> None:
        self.settings_error: str | None = None
        if settings is None:
            try:
                settings = load_settings()
            except SettingsError as error:
                self.settings_error = str(error)
                settings = Settings()
        self.settings = settings
        super().__init__()
        self.corpus = corpus.expanduser().resolve()
        self.service = CorpusService(self.corpus, results_limit=settings.results, prescan=prescan)
        self.session = load_session(self.corpus) if restore else Session()
        self.restore = restore
        self.request = SearchRequest(query=self.session.query, sort=self.session.sort)  # type: ignore[arg-type]
        self.results: SearchResults | None = None
        self.document: ArticleDocument | None = None
        self.problems: list[Problem] = []
        self.index_ready = False
        self.indexing = False
        self._generation = 0
        self._shown_request: SearchRequest | None = None
        self._search_timer: Timer | None = None
        #: A search runs and has not answered yet; ``_search_again``: the request changed
        #: meanwhile, so search again as soon as it answers.
        self._searching = False
        self._search_again = False
        self._search_worker: Worker[None] | None = None
        self._pending_restore: tuple[str, int] | None = None
        if restore and self.session.article_id:
            self._pending_restore = (self.session.article_id, self.session.offset)
        self._opened_first = False
        #: How many results the list holds for ``_listed_request`` (a page more each
        #: time the "more" row is chosen), and where the new page starts.
        self._listed_request: SearchRequest | None = None
        self._list_limit = self.settings.results
        self._more_from: int | None = None
        #: The article last asked for: the open one, or the one a worker is loading.
        self._requested_id: str | None = None
        #: The open article's highlights by id, placed in its text (orphans too).
        self.placed: dict[str, Placed] = {}
        #: Deleted highlights, last one last: ``u`` puts them back.
        self.deleted: list[Highlight] = []
        if settings.keymap:
            self.set_keymap(settings.keymap)

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The width class is right from the first style pass: Textual's breakpoints set
        # theirs on the first resize, which restyles every widget before the first frame.
        with Horizontal(id="main", classes=self._width_class(self.size.width)):
            yield SearchPane(self.request.query, id="search-pane")
            with Vertical(id="viewer-pane"):
                yield ArticleViewer(id="viewer")
                yield ViewerStatus("", id="viewer-status", markup=False)
            yield EntityPanel(id="entity-panel")
        yield IndexBar(id="index-bar")
        yield ReaderFooter()

    def _width_class(self, width: int) -> str:
        return "-wide" if width >= self.WIDE_FROM else "-narrow"

    def on_resize(self, event: events.Resize) -> None:
        wide = self._width_class(event.size.width) == "-wide"
        main = self.main_panes
        if main.has_class("-wide") != wide or main.has_class("-narrow") == wide:
            main.set_class(wide, "-wide")
            main.set_class(not wide, "-narrow")

    @property
    def main_panes(self) -> Horizontal:
        """The three panes; their classes say the layout (-narrow, -wide, -entities-toggled)."""
        return self.query_one("#main", Horizontal)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification; its text is never markup, whoever asks.

        Messages carry file names, quotes and error text, so ``markup`` is ignored
        (widgets' own ``notify`` passes True by default).
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        wanted = self.settings.theme
        if wanted and wanted not in self.available_themes:
            self.notify(
                f"Settings: unknown theme {wanted!r} in {config_path()}; "
                "press ctrl+p and choose Theme to see the names.",
                title="Settings",
                severity="warning",
                timeout=10,
            )
            wanted = None
        theme = wanted or self.session.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        if self.settings_error:
            self.notify(one_line(self.settings_error), title="Settings ignored", severity="error")
        # Focus the restored query selected, as / does: typing replaces it.
        box = self.search_pane.query_input
        self.focus_now(box)
        box.select_all()
        self.query_one(IndexBar).show_message("Opening the index…", busy=True)
        # Paint first, then open the index. The worker thread imports Whoosh and the
        # recognizer (a quarter of a second, mostly holding the GIL); started straight
        # after the first refresh it still delays the first frame by a third (measured
        # with python -m reader.bench.app_startup), so it waits a tenth of a second more.
        self.call_after_refresh(lambda: self.set_timer(0.1, self.start_indexing))
        self.call_after_refresh(self._resume_gc)

    def _resume_gc(self) -> None:
        """The first frame is on screen: let Python's collector run again (``run_app``
        pauses it during start-up), first setting aside everything made so far
        (modules, classes, widgets), which lives as long as the app does and which
        every full collection would otherwise walk again."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def focus_now(self, widget: Widget) -> None:
        """Focus ``widget`` at once, so keys already typed after this one reach it.

        ``Widget.focus()`` waits for the keys already queued: after ``/`` in a burst
        such as ``/vietnam`` the ``v`` would still reach the viewer.
        """
        widget.screen.set_focus(widget)

    @property
    def search_pending(self) -> bool:
        """A search is due or running and has not answered yet."""
        return self._search_timer is not None or self._searching or self._search_again

    @property
    def viewer(self) -> ArticleViewer:
        return self.query_one(ArticleViewer)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def entity_panel(self) -> EntityPanel:
        return self.query_one(EntityPanel)

    # -- the index -------------------------------------------------------------------------------

    def start_indexing(self, rebuild: bool = False) -> None:
        self.indexing = True
        self.index_worker(rebuild)

    @on(msg.IndexOpened)
    def _index_opened(self, event: msg.IndexOpened) -> None:
        self.index_ready = True
        if event.opened.notice:
            self.notify(one_line(event.opened.notice), title="Index", severity="warning")
        self.query_one(IndexBar).show_message(
            f"{event.opened.articles:,} articles indexed · checking for changes…", busy=True
        )
        self.search_now()

    @on(msg.IndexProgress)
    def _index_progress(self, event: msg.IndexProgress) -> None:
        self.query_one(IndexBar).show_progress(event.done, event.total)

    @on(msg.IndexCommitted)
    def _index_committed(self) -> None:
        # More of the corpus is searchable: refresh the results, without hurrying.
        self.schedule_search(delay=0.5)

    @on(msg.IndexUpdated)
    def _index_updated(self, event: msg.IndexUpdated) -> None:
        self.indexing = False
        self.problems = list(event.problems)
        bar = self.query_one(IndexBar)
        name = self.corpus.name or str(self.corpus)
        bar.show_message(f"{name} · {event.summary}")
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            count = len(errors)
            self.notify(
                f"{count} file{'s' if count != 1 else ''} could not be indexed. "
                "Press p to see which and why.",
                title="Index problems",
                severity="warning",
                timeout=8,
            )
        document = self.document
        if document is not None and document.id in event.removed:
            self.notify("The article you were reading is no longer in the corpus.", title="Index")
            self.document = None
            self._requested_id = None
            self.viewer.show(None)
            self.entity_panel.show_document(None)
            self._opened_first = False  # open the top result instead
        elif document is not None and document.id in event.changed:
            self.open_article(document.id, offset=self.viewer.top_offset, reason="refresh")
        if event.cancelled:
            return
        self.search_now()

    @on(msg.IndexFailed)
    def _index_failed(self, event: msg.IndexFailed) -> None:
        self.indexing = False
        self.query_one(IndexBar).show_message(f"Index unavailable: {one_line(event.message)}")
        self.search_pane.show_message("The index could not be opened.")
        self.notify(one_line(event.message), title="Index", severity="error", timeout=10)

    # -- searching -------------------------------------------------------------------------------

    @on(SearchPane.QueryChanged)
    def _query_changed(self, event: SearchPane.QueryChanged) -> None:
        if event.text == self.request.query:
            return
        self.request = replace(self.request, query=event.text)
        self.schedule_search()

    def schedule_search(self, delay: float | None = None) -> None:
        """Search for the current request, after ``delay`` seconds (default: the debounce).

        With no delay (the default debounce is 0) the search starts at once. One search
        runs at a time: keys typed while it runs are searched together as soon as it
        answers, so the wait adapts to how long searches take.
        """
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        wait = self.settings.debounce if delay is None else delay
        if wait > 0:
            self._search_timer = self.set_timer(wait, self.search_now)
        else:
            self.search_now()

    def search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if not self.index_ready:
            return
        if self.request != self._listed_request:
            # A new question lists one page again.
            self._listed_request = self.request
            self._list_limit = self.settings.results
            self._more_from = None
        self._start_search()

    def _start_search(self) -> None:
        if self._searching:
            self._search_again = True
            return
        self._searching = True
        self._search_again = False
        self._generation += 1
        self._search_worker = self.search_worker(self._generation, self.request, self._list_limit)

    def _search_answered(self) -> None:
        """The running search answered (or failed): run the one that waited, if any."""
        self._searching = False
        if self._search_again:
            self.search_now()

    @on(SearchPane.MoreRequested)
    def _list_more(self) -> None:
        """List another page of the results; the cursor goes to the first new one."""
        self._more_from = len(self.search_pane.results_list.article_ids)
        self._list_limit += self.settings.results
        self._start_search()

    @on(msg.SearchFinished)
    def _search_finished(self, event: msg.SearchFinished) -> None:
        if event.generation != self._generation:
            return  # a newer search is on its way
        first_answer = self._searching
        if first_answer:
            self._search_answered()
            if self._searching:
                return  # the query changed meanwhile: its search is on its way
        results_list = self.search_pane.results_list
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
        self.search_pane.show_results(
            event.request, event.results, keep=keep, listed=event.listed, complete=event.complete
        )
        if self._more_from is not None and self._more_from < len(results_list.article_ids):
            results_list.highlighted = self._more_from
            self._more_from = None
        if event.results.total == 0 and not event.request.query and self.indexing:
            self.search_pane.show_message("Indexing… articles appear here as they are indexed.")
        if self._pending_restore is not None:
            article_id, offset = self._pending_restore
            self._pending_restore = None
            self.open_article(article_id, offset=offset, reason="restore")
        elif self.document is None and event.results.hits and not self._opened_first:
            self.open_article(event.results.hits[0].id, reason="first")
        elif self.document is not None and event.results.terms != previous_terms:
            # The query changed: mark its hits in the open article, in place.
            self.open_article(self.document.id, offset=self.viewer.top_offset, reason="refresh")

    @on(msg.SearchFailed)
    def _search_failed(self, event: msg.SearchFailed) -> None:
        if event.generation != self._generation:
            return
        self._search_answered()
        if not self._searching:
            self.search_pane.show_error(one_line(event.message), event.request.query)

    @on(SearchPane.TopRequested)
    def _open_top(self) -> None:
        results_list = self.search_pane.results_list
        if results_list.article_ids:
            self.open_article(results_list.article_ids[0])
            self.focus_now(self.viewer)

    @on(SearchPane.ResultChosen)
    def _result_chosen(self, event: SearchPane.ResultChosen) -> None:
        self.open_article(event.article_id)
        self.focus_now(self.viewer)

    def action_leave_query(self, to: str) -> None:
        """Out of the query box (its keys): ``results`` (↓) goes to the results when there
        are any, ``away`` (Escape) to the open article, or else to the results."""
        results_list = self.search_pane.results_list
        if to == "results" and results_list.option_count:
            self.focus_now(results_list)
        elif self.document is not None:
            self.focus_now(self.viewer)
        else:
            self.focus_now(results_list)

    # -- articles --------------------------------------------------------------------------------

    def open_article(self, article_id: str, offset: int = 0, reason: str = "user") -> None:
        self._opened_first = True
        self._requested_id = article_id
        terms = self.results.terms if self.results else None
        self.article_worker(article_id, terms, offset, reason, self.viewer.measure)

    @on(msg.ArticleLoaded)
    def _article_loaded(self, event: msg.ArticleLoaded) -> None:
        document = event.document
        if document is None:
            if self._requested_id == event.article_id:
                self._requested_id = self.document.id if self.document else None
            if event.reason == "restore":
                if self.indexing:
                    self._pending_restore = (event.article_id, event.offset)
                    return
                self.notify(
                    "The article you were reading last time is no longer in the corpus.",
                    title="Welcome back",
                )
                self._opened_first = False  # open the top result instead
                self.search_now()
            elif event.reason != "refresh":
                self.notify("That article is no longer in the index.", severity="warning")
            return
        viewer = self.viewer
        selected = viewer.selected_key if event.reason == "refresh" else None
        self.document = document
        self.placed = {p.highlight.id: p for p in event.highlights}
        viewer.show(document, offset=event.offset, wrapped=event.wrapped)
        orphans = sum(p.orphaned for p in event.highlights)
        if orphans and event.reason != "refresh":
            self.notify(
                f"{orphans} highlight{'s' if orphans != 1 else ''} of this article "
                "could not be found in its current text; press v to see "
                f"{'them' if orphans != 1 else 'it'} with the quote.",
                title="Highlights",
                severity="warning",
            )
        if selected:
            viewer.select_entity(selected)
        else:
            self.entity_panel.show_document(document)
        if event.reason != "refresh":
            self.search_pane.results_list.highlight_article(document.id)

    @on(ArticleViewer.PositionChanged)
    def _position_changed(self, event: ArticleViewer.PositionChanged) -> None:
        self.query_one(ViewerStatus).show_position(
            event.line, event.lines, event.percent, event.target, event.targets, event.target_label
        )

    # -- highlights ------------------------------------------------------------------------------

    @on(ArticleViewer.HighlightRequested)
    def _highlight_requested(self, event: ArticleViewer.HighlightRequested) -> None:
        document = self.document
        if document is None:
            return
        for span in document.highlights_in(event.start, event.end):
            if (span.start, span.end) == (event.start, event.end):
                self.notify("That passage is already highlighted.", timeout=3)
                return
        self.highlight_worker("added", document, span=(event.start, event.end))

    @on(ArticleViewer.NoteRequested)
    def _note_requested(self, event: ArticleViewer.NoteRequested) -> None:
        placed = self.placed.get(event.highlight_id)
        if placed is not None:
            highlight = placed.highlight
            self.edit_note(highlight.id, highlight.quote, highlight.note, highlight.tags)

    @on(ArticleViewer.RemoveRequested)
    def _remove_requested(self, event: ArticleViewer.RemoveRequested) -> None:
        self.highlight_worker("deleted", self.document, highlight_id=event.highlight_id)

    def edit_note(self, highlight_id: str, quote: str, note: str, tags: tuple[str, ...]) -> None:
        """Open the note dialog; saving it updates the store in a worker."""
        from reader.app.screens.note import NoteDialog

        def saved(result: NoteAndTags | None) -> None:
            if result is not None and result != (note, tags):
                text, new_tags = result
                self.highlight_worker(
                    "edited", self.document, highlight_id=highlight_id, note=text, tags=new_tags
                )

        self.push_screen(NoteDialog(quote, note, tags), saved)

    @on(msg.HighlightsChanged)
    def _highlights_changed(self, event: msg.HighlightsChanged) -> None:
        document = self.document
        if event.placed is not None and document is not None and document.id == event.article_id:
            self.placed = {p.highlight.id: p for p in event.placed}
            document.set_highlights(highlight_ranges(event.placed))
            self.viewer.highlights_changed()
        if event.deleted is not None:
            self.deleted.append(event.deleted)
        messages = {
            "added": "Highlighted. Press a to add a note, d to remove it.",
            "edited": "Note and tags saved.",
            "deleted": "Highlight deleted. Press u to undo.",
            "restored": "Highlight restored.",
        }
        self.notify(messages.get(event.what, "Highlights saved."), timeout=3)
        self._refresh_highlights_view()

    @on(msg.StoreProblem)
    def _store_problem(self, event: msg.StoreProblem) -> None:
        severity = "error" if event.severity == "error" else "warning"
        self.notify(one_line(event.message), title="Highlights", severity=severity, timeout=8)

    def _refresh_highlights_view(self) -> None:
        from reader.app.screens.highlights import HighlightsScreen

        if isinstance(self.screen, HighlightsScreen) or any(
            isinstance(screen, HighlightsScreen) for screen in self.screen_stack
        ):
            self.highlights_list_worker()

    @on(msg.HighlightsListed)
    def _highlights_listed(self, event: msg.HighlightsListed) -> None:
        from reader.app.screens.highlights import HighlightsScreen

        for screen in self.screen_stack:
            if isinstance(screen, HighlightsScreen):
                screen.show(event.excerpts)

    def on_highlights_screen_changed(self, event: HighlightsScreen.Changed) -> None:
        # Named handler, not @on: the screen's module loads when the view first opens.
        entry = event.entry
        if event.what == "note":
            excerpt = entry.excerpt
            self.edit_note(entry.id, excerpt.quote, excerpt.note, excerpt.tags)
        elif event.what == "delete":
            self.highlight_worker("deleted", self.document, highlight_id=entry.id)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.highlight_worker("restored", self.document, restore=self.deleted.pop())

    def action_highlights(self) -> None:
        from reader.app.screens.highlights import HighlightsScreen

        if any(isinstance(screen, HighlightsScreen) for screen in self.screen_stack):
            return

        def chosen(result: tuple[str, int] | None) -> None:
            if result is not None:
                article_id, offset = result
                self.open_article(article_id, offset=offset, reason="highlight")
                self.focus_now(self.viewer)

        self.push_screen(HighlightsScreen(self.corpus), chosen)
        self.highlights_list_worker()

    # -- export ----------------------------------------------------------------------------------

    def export_choices(self) -> list[ScopeChoice]:
        """What can be exported now: the open article, everything, the search's."""
        from reader.app.screens.export import ScopeChoice
        from reader.export import Scope

        choices = []
        if self.document is not None:
            title = one_line(self.document.title)
            if len(title) > 40:
                title = title[:39] + "…"
            choices.append(
                ScopeChoice("article", f"Highlights of {title}", Scope((self.document.id,)))
            )
        choices.append(ScopeChoice("all", "All highlights", Scope()))
        query = self.request.query.strip()
        filtered = bool(self.request.describe_filters())
        ids = tuple(self.search_pane.results_list.article_ids)
        if query and not filtered:
            choices.append(
                ScopeChoice("results", "Highlights of the search results", Scope(query=query))
            )
        elif ids:
            choices.append(ScopeChoice("results", "Highlights of the search results", Scope(ids)))
        if query:
            choices.append(
                ScopeChoice(
                    "hits", f"Passages matching {one_line(query)}", Scope(query=query, hits=True)
                )
            )
        return choices

    def action_export(self, scope: str | None = None) -> None:
        from reader.app.screens.export import ExportDialog, default_export_path

        if any(isinstance(screen, ExportDialog) for screen in self.screen_stack):
            return

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.export_worker(request)

        dialog = ExportDialog(self.export_choices(), default_export_path(), scope=scope)
        self.push_screen(dialog, chosen)

    @on(msg.ExportNeedsConfirmation)
    def _export_exists(self, event: msg.ExportNeedsConfirmation) -> None:
        from reader.app.screens.confirm import ConfirmDialog

        request = event.request

        def answered(yes: bool | None) -> None:
            if yes:
                self.export_worker(replace(request, overwrite=True))
            else:
                self.notify("Export cancelled: the file was left as it was.", timeout=3)

        question = f"{request.path} exists. Overwrite it?"
        self.push_screen(ConfirmDialog("File exists", question, yes="Overwrite"), answered)

    @on(msg.ExportFinished)
    def _export_finished(self, event: msg.ExportFinished) -> None:
        count = event.count
        what = f"{count} excerpt{'s' if count != 1 else ''}" if count else "Nothing to export;"
        self.notify(f"{what} saved to {one_line(str(event.path))}", title="Export")

    @on(msg.ExportFailed)
    def _export_failed(self, event: msg.ExportFailed) -> None:
        self.notify(one_line(event.message), title="Export failed", severity="error", timeout=10)

    # -- entities --------------------------------------------------------------------------------

    @on(EntityList.Action)
    def _entity_action(self, event: EntityList.Action) -> None:
        if event.what == "select":
            self.viewer.select_entity(entity_key(event.kind, event.name))
            self.viewer.jump(1)
        elif event.what == "filter":
            self.filter_by_entity(event.kind, event.name)
        elif event.what == "details":
            self.entity_details_worker(event.kind, event.name)

    @on(EntityList.Cleared)
    def _entity_cleared(self) -> None:
        self.viewer.select_entity(None)

    @on(msg.EntityDetailsLoaded)
    def _details_loaded(self, event: msg.EntityDetailsLoaded) -> None:
        current = self.document.id if self.document else None
        self.entity_panel.show_details(event.details, current)
        self.focus_now(self.query_one(EntityDetailsList))

    @on(EntityDetailsList.Chosen)
    def _detail_chosen(self, event: EntityDetailsList.Chosen) -> None:
        if event.article_id:
            self.open_article(event.article_id)
        elif event.entity:
            self.filter_by_entity(*event.entity)

    @on(EntityDetailsList.Closed)
    def _details_closed(self) -> None:
        self.entity_panel.close_details()
        self.focus_now(self.query_one(EntityList))

    def filter_by_entity(self, kind: str, name: str) -> None:
        self.request = replace(self.request, entity=(kind, name))
        self.notify(f"Only articles that mention {one_line(name)} ({kind}). Press c to clear.")
        self.search_now()

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_query":
            # A priority binding: "/" is still typed into a text box, and does nothing
            # over a dialog or a view.
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        return True

    def action_focus_query(self) -> None:
        main = self.main_panes
        if main.has_class("-narrow") and main.has_class("-entities-toggled"):
            # The entity panel stands in for the search pane at 80 columns: swap back.
            main.remove_class("-entities-toggled")
        self.focus_now(self.search_pane.query_input)

    def action_jump(self, step: int) -> None:
        viewer = self.viewer
        if viewer.document is None:
            return
        if not viewer.jump(step):
            what = "mentions of that entity" if viewer.selected_key else "query hits"
            self.notify(f"No {what} in this article.", timeout=2)

    def action_step_result(self, step: int) -> None:
        ids = self.search_pane.results_list.article_ids
        if not ids:
            return
        # Count from the article last asked for, not the open one: keys pressed in a burst
        # each step on while the article is still loading.
        current = self._requested_id
        index = ids.index(current) + step if current in ids else (0 if step > 0 else len(ids) - 1)
        if 0 <= index < len(ids):
            self.open_article(ids[index], reason="navigate")
        else:
            self.notify("No more results that way.", timeout=2)

    def action_open_link(self) -> None:
        """Open the article's ``url`` in the browser: http(s) only, after asking."""
        from reader.app.screens.confirm import ConfirmDialog

        document = self.document
        if document is None:
            self.notify("No article open.", timeout=2)
            return
        url = document.url
        if not url:
            self.notify("This article has no link (no url in its front matter).", timeout=3)
            return
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https") or not urlsplit(url).netloc:
            shown = f"{scheme}:" if scheme else "not a web address"
            self.notify(f"Only http and https links are opened; this one is {shown}", timeout=5)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_url(url)

        self.push_screen(
            ConfirmDialog("Open link", f"Open {url} in your web browser?", yes="Open"), answered
        )

    def action_toggle_entities(self) -> None:
        main = self.main_panes
        main.toggle_class("-entities-toggled")
        panel = self.entity_panel
        shown = panel.display and main.has_class("-entities-toggled") == main.has_class("-narrow")
        if shown:
            self.focus_now(self.query_one(EntityList))
        elif self.focused is not None and panel in self.focused.ancestors:
            self.focus_now(self.viewer)

    def action_toggle_sort(self) -> None:
        sort = "date" if self.request.sort == "relevance" else "relevance"
        self.request = replace(self.request, sort=sort)
        self.search_now()

    def action_clear_filters(self) -> None:
        if self.request.entity or self.request.sources or self.request.date_from:
            self.request = replace(
                self.request, entity=None, sources=(), date_from=None, date_to=None
            )
            self.search_now()

    def action_toggle_kind(self, kind: str) -> None:
        hidden = set(self.viewer.hidden_kinds) ^ {kind}
        self.viewer.hidden_kinds = frozenset(hidden)
        self.query_one(Legend).hidden_kinds = frozenset(hidden)

    def action_problems(self) -> None:
        from reader.app.screens.problems import ProblemsScreen  # only when asked: startup

        self.push_screen(ProblemsScreen(self.problems, self.corpus))

    def action_help(self) -> None:
        from reader.app.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_sections(), f"Remap keys in {config_path()}"))

    def action_rebuild(self) -> None:
        if self.indexing:
            self.notify("The index is already being updated.", timeout=3)
            return
        self.query_one(IndexBar).show_message("Rebuilding the index…", busy=True)
        self.start_indexing(rebuild=True)

    async def action_quit(self) -> None:
        self.save_session()
        self.service.close()
        self.exit(0)

    def save_session(self) -> None:
        if not self.restore:
            return
        session = Session(
            query=self.request.query,
            sort=self.request.sort,
            article_id=self.document.id if self.document else None,
            offset=self.viewer.top_offset if self.document else 0,
            theme=self.theme,
        )
        save_session(self.corpus, session)

    # -- help and commands -----------------------------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        from reader.app.screens.help import HelpSection, help_rows
        from reader.app.screens.highlights import HighlightsScreen

        keymap = self.settings.keymap
        parts = [
            ("Anywhere (not while typing)", [*App.BINDINGS, *type(self).BINDINGS]),
            ("Query box", QueryInput.BINDINGS),
            ("Results", ResultsList.BINDINGS),
            ("Article", ArticleViewer.BINDINGS),
            ("Entities", [*EntityList.BINDINGS, *EntityDetailsList.BINDINGS]),
            ("Highlights view", HighlightsScreen.BINDINGS),
        ]
        sections = [HelpSection(title, help_rows(self, b, keymap)) for title, b in parts]
        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Commands")
        extra = help_rows(self, [palette], {})
        sections[0] = HelpSection(sections[0].title, sections[0].rows + extra)
        return sections

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        other = "date" if self.request.sort == "relevance" else "relevance"
        yield SystemCommand(
            f"Sort by {other}", "Order the results by " + other, self.action_toggle_sort
        )
        for kind in ENTITY_KINDS:
            label = KIND_LABELS[kind]
            state = "Show" if kind in self.viewer.hidden_kinds else "Hide"
            yield SystemCommand(
                f"{state} {label.lower()}",
                f"Toggle the colouring of {label.lower()} in the article",
                lambda kind=kind: self.action_toggle_kind(kind),
            )
        yield SystemCommand("Rebuild index", "Re-read every article", self.action_rebuild)
        yield SystemCommand(
            "Export",
            "Highlights or search passages as Markdown, JSON, YAML, CSV or W3C annotations",
            self.action_export,
        )
        yield SystemCommand(
            "Highlights", "Every highlight: open, edit, delete, copy", self.action_highlights
        )
        yield SystemCommand(
            "Index problems", "Files that could not be indexed", self.action_problems
        )
        yield SystemCommand(
            "Clear filters", "Search the whole corpus again", self.action_clear_filters
        )
        yield SystemCommand(
            "Entity panel", "Show or hide the side panel", self.action_toggle_entities
        )
        yield SystemCommand("Help", "Every key, by pane", self.action_help)

    # -- errors: every worker failure ends up here -----------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is self._search_worker and self._searching and worker.is_finished:
            # It ended without an answer (failed, or cancelled): the next search may run.
            self._search_answered()
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        error = worker.error
        if worker.group == "index":
            self.indexing = False
            self.query_one(IndexBar).show_message("Indexing stopped: see the notification.")
        self.notify(
            one_line(f"{type(error).__name__}: {error}"),
            title=f"Something went wrong ({worker.name or worker.group})",
            severity="error",
            timeout=10,
        )
