"""The reader app: what is global, and the wiring of the workers to the flows.

The app keeps the settings, the theme, the session, the index service and its
thread workers (:mod:`reader.app.workers`), the command palette, the help and
the notifications, and turns every worker failure into one notification. Its
first screen, :class:`reader.app.screens.main.MainScreen`, composes the three
panes and handles what they post. The workers post their answers here; the app
hands them to the flow they belong to, which pushes the data down into the panes:
:class:`~reader.app.search_flow.SearchFlow` (query → worker → results),
:class:`~reader.app.reading.ReadingFlow` (open an article, restore the place,
step through results) and :class:`~reader.app.highlighting.HighlightFlow`.
The key bindings stay here, with their ids (users remap them by id), so they
work over the highlights view and the dialogs as they always have; their
actions are one line each, handing over to the screen or a flow.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from reader.app import messages as msg
from reader.app.backend import CorpusService, SearchRequest
from reader.app.commands import help_sections, reader_commands
from reader.app.exporting import ExportFlow
from reader.app.highlighting import HighlightFlow
from reader.app.importing import ImportFinished, ImportFlow, ImportProgress
from reader.app.reading import ReadingFlow
from reader.app.screens.main import MainScreen
from reader.app.search_flow import SearchFlow
from reader.app.session import Session, load_session, save_session
from reader.app.settings import Settings, config_path, read_settings
from reader.app.widgets.search_pane import QueryInput, SearchPane
from reader.app.widgets.viewer import ArticleViewer
from reader.app.workers import WorkersMixin
from reader.support.textsafe import one_line
from reader.support.wording import counted

if TYPE_CHECKING:
    from textual.containers import Horizontal

    from reader.app.document import ArticleDocument
    from reader.app.first_results import Kept
    from reader.app.screens.help import HelpSection
    from reader.app.screens.highlights import HighlightsScreen
    from reader.corpus.articles import Problem
    from reader.index.prescan import Prescan
    from reader.search.engine import SearchResults


def while_the_panes_are_up(handler: Callable[..., None]) -> Callable[..., None]:
    """A handler of a worker's answer, which updates the panes: the answer is dropped
    once they are gone (a worker's late word while the app is quitting)."""

    @functools.wraps(handler)
    def answer(app: ReaderApp, *event: Message) -> None:
        if app.main.panes_are_up:
            handler(app, *event)

    return answer


#: How long kept first results may wait for the scan of the corpus folder to vouch for
#: them (:mod:`reader.index.prescan`, on another core: 70-120 ms at 10k articles).
KEPT_RESULTS_WAIT = 0.25


class ReaderApp(WorkersMixin, App[int]):
    """Search, read and study a corpus of news articles, keyboard first."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"

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
        Binding("l", "toggle_compact", "Compact results", show=False, id="reader.compact_results"),
        Binding("c", "clear_filters", "Clear filters", show=False, id="reader.clear_filters"),
        Binding("p", "problems", "Index problems", show=False, id="reader.problems"),
        Binding("v", "highlights", "Highlights", id="reader.highlights"),
        Binding("x", "export", "Export", id="reader.export"),
        Binding("E", "explore", "Explore", show=False, id="reader.explore"),
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
        #: What is wrong in the settings file, one line each: shown after the first frame.
        self.settings_problems: list[str] = []
        if settings is None:
            settings, self.settings_problems = read_settings()
        self.settings = settings
        super().__init__()
        self.corpus = corpus.expanduser().resolve()
        self.service = CorpusService(self.corpus, results_limit=settings.results, prescan=prescan)
        self.session = load_session(self.corpus) if restore else Session()
        self.restore = restore
        self.problems: list[Problem] = []
        self.index_ready = False
        self.indexing = False
        request = SearchRequest(query=self.session.query, sort=self.session.sort)  # type: ignore[arg-type]
        self.search = SearchFlow(self, request)
        last = self.session.article_id
        self.reading = ReadingFlow(self, (last, self.session.offset) if restore and last else None)
        self.highlighting = HighlightFlow(self)
        self.exporting = ExportFlow(self)
        self.importing = ImportFlow(self)
        #: An import added articles while the index was being updated: update it again.
        self._index_again = False
        #: Set once the first search has answered (or none was due): the index worker
        #: waits for it before its update, so the first results come first.
        self.first_answer = threading.Event()
        self.main = MainScreen(request.query)
        if settings.keymap:
            self.set_keymap(settings.keymap)

    # -- what the flows hold, by the names the tests and tools use ---------------------------------

    @property
    def request(self) -> SearchRequest:
        return self.search.request

    @property
    def results(self) -> SearchResults | None:
        return self.search.results

    @property
    def document(self) -> ArticleDocument | None:
        return self.reading.document

    @property
    def search_pending(self) -> bool:
        """A search is due or running and has not answered yet."""
        return self.search.pending

    @property
    def main_panes(self) -> Horizontal:
        """The three panes; their classes say the layout (-narrow, -wide, -entities-toggled)."""
        return self.main.main_panes

    @property
    def viewer(self) -> ArticleViewer:
        return self.main.viewer

    @property
    def search_pane(self) -> SearchPane:
        return self.main.search_pane

    # -- start-up --------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return self.main

    def on_resize(self, event: events.Resize) -> None:
        self.main.set_width(event.size.width)

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
        self.call_after_refresh(self._check_settings)

    def _check_settings(self) -> None:
        """Say what is wrong in the settings file, every problem with its key; the
        valid settings are in use. Binding ids are checked here, where all are known."""
        problems = list(self.settings_problems)
        keymap = self.settings.keymap
        if keymap:
            from reader.app.commands import known_binding_ids

            known = known_binding_ids(self)
            unknown = sorted(binding_id for binding_id in keymap if binding_id not in known)
            for binding_id in unknown:
                problems.append(
                    f"{config_path()}: keymap: no binding has the id {binding_id!r} "
                    "(press ? to see the ids)"
                )
        if problems:
            count = len(problems)
            self.notify(
                "\n".join(one_line(problem) for problem in problems),
                title=f"Settings: {count} problem{'s' if count != 1 else ''}; the rest is in use",
                severity="error",
                timeout=15,
            )

    def main_screen_ready(self) -> None:
        """The panes are composed and mounted: open the index once the first frame is on
        screen."""
        from reader.app import first_results

        kept = first_results.read(self.corpus, self.search.request)
        self._list_kept_results_or_open(kept, time.monotonic() + KEPT_RESULTS_WAIT)
        self.call_after_refresh(self._resume_gc)

    def _list_kept_results_or_open(self, kept: Kept | None, deadline: float) -> None:
        """List the results kept from the last run (:mod:`reader.app.first_results`)
        once the scan of the folder vouches for them; the search replaces them."""
        from reader.app import first_results

        vouched = first_results.vouched(self.corpus, kept, self.service.prescan) if kept else False
        if kept is not None and vouched:
            results = kept.results
            self.main.search_pane.show_results(
                self.search.request, results, listed=len(results.hits), complete=False
            )
            # The first frame lists the results already: keep the worker's imports of
            # Whoosh and the index code (a tenth of a second or more, mostly holding the
            # GIL) off it. Started straight after the first refresh they delay it by a
            # third (measured with python -m reader.bench.app_startup).
            self.call_after_refresh(lambda: self.set_timer(0.1, self.start_indexing))
        elif vouched is None and time.monotonic() < deadline:
            # The scan of the folder (on another core) has not answered yet: it soon
            # will, and listing the kept results then comes long before a search would.
            self.set_timer(0.01, lambda: self._list_kept_results_or_open(kept, deadline))
        else:
            # No results to show yet: open the index at once, right after the first
            # frame, since the first results are what the user waits for.
            self.call_after_refresh(self.start_indexing)

    def _keep_first_results(self) -> None:
        """Quitting: keep the results on screen for the next start, if they answer the
        query it restores on an index that is up to date."""
        from reader.app import first_results

        search = self.search
        request = search.request
        if (
            search.results is None
            or not self.index_ready
            or self.indexing
            or search.pending
            or search.shown_request != request
            or not first_results.cacheable(request)
        ):
            return
        first_results.save(self.corpus, self.service.index.fingerprint, request, search.results)

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

    # -- the index -------------------------------------------------------------------------------

    def start_indexing(self, rebuild: bool = False) -> None:
        self.indexing = True
        self.index_worker(rebuild)

    @on(msg.IndexOpened)
    @while_the_panes_are_up
    def _index_opened(self, event: msg.IndexOpened) -> None:
        self.index_ready = True
        if event.opened.notice:
            self.notify(one_line(event.opened.notice), title="Index", severity="warning")
        self.main.index_bar.show_message(
            f"{counted(event.opened.articles, 'article')} indexed · checking for changes…",
            busy=True,
        )
        self.search.now()
        if not self.search.pending:
            self.first_answer.set()  # nothing to search: the update need not wait
        self.reading.index_opened()

    @on(msg.IndexProgress)
    @while_the_panes_are_up
    def _index_progress(self, event: msg.IndexProgress) -> None:
        self.main.index_bar.show_progress(event.done, event.total)

    @on(msg.IndexCommitted)
    @while_the_panes_are_up
    def _index_committed(self) -> None:
        # More of the corpus is searchable: refresh the results, without hurrying.
        self.search.schedule(delay=0.5)

    @on(msg.IndexUpdated)
    @while_the_panes_are_up
    def _index_updated(self, event: msg.IndexUpdated) -> None:
        self.indexing = False
        self.problems = list(event.problems)
        name = self.corpus.name or str(self.corpus)
        self.main.index_bar.show_message(f"{name} · {event.summary}")
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
        self.reading.index_updated(event.changed, event.removed)
        if self._index_again:
            self._index_again = False
            self.start_indexing()
        if event.cancelled:
            return
        self.search.now()

    @on(msg.IndexFailed)
    @while_the_panes_are_up
    def _index_failed(self, event: msg.IndexFailed) -> None:
        self.indexing = False
        self.main.index_bar.show_message(f"Index unavailable: {one_line(event.message)}")
        self.main.search_pane.show_message("The index could not be opened.")
        self.notify(one_line(event.message), title="Index", severity="error", timeout=10)

    # -- the workers' answers, each to its flow ----------------------------------------------------

    @on(msg.SearchFinished)
    def _search_finished(self, event: msg.SearchFinished) -> None:
        if self.main.panes_are_up:  # else the app is quitting: nothing to show it on
            self.search.finished(event)
        self.first_answer.set()

    @on(msg.SearchFailed)
    def _search_failed(self, event: msg.SearchFailed) -> None:
        if self.main.panes_are_up:
            self.search.failed(event)
        self.first_answer.set()

    @on(msg.ArticleLoaded)
    @while_the_panes_are_up
    def _article_loaded(self, event: msg.ArticleLoaded) -> None:
        self.reading.loaded(event)

    @on(msg.HighlightsChanged)
    @while_the_panes_are_up
    def _highlights_changed(self, event: msg.HighlightsChanged) -> None:
        self.highlighting.changed(event)

    @on(msg.StoreProblem)
    @while_the_panes_are_up
    def _store_problem(self, event: msg.StoreProblem) -> None:
        self.highlighting.store_problem(event)

    @on(msg.HighlightsListed)
    @while_the_panes_are_up
    def _highlights_listed(self, event: msg.HighlightsListed) -> None:
        self.highlighting.listed(event)

    def on_highlights_screen_changed(self, event: HighlightsScreen.Changed) -> None:
        # Named handler, not @on: the screen's module loads when the view first opens.
        self.highlighting.view_changed(event)

    @on(msg.EntityDetailsLoaded)
    @while_the_panes_are_up
    def _details_loaded(self, event: msg.EntityDetailsLoaded) -> None:
        self.main.show_entity_details(event.details)

    @on(msg.AgreementRecordLoaded)
    @while_the_panes_are_up
    def _agreement_loaded(self, event: msg.AgreementRecordLoaded) -> None:
        if event.view is None:
            self.notify("That agreement is not in the index yet.", timeout=3)
            return
        from reader.app.screens.agreement import AgreementScreen  # only when asked: startup

        view = event.view

        def closed(choice: str | None) -> None:
            if choice == AgreementScreen.FILTER:
                self.search.filter_by_record(view.name, tuple(a.id for a in view.articles))
            elif choice:
                self.reading.open(choice)

        self.push_screen(AgreementScreen(view), closed)

    # -- export ----------------------------------------------------------------------------------

    def action_export(self, scope: str | None = None) -> None:
        self.exporting.ask(scope)

    @on(msg.ExportNeedsConfirmation)
    @while_the_panes_are_up
    def _export_exists(self, event: msg.ExportNeedsConfirmation) -> None:
        self.exporting.confirm_overwrite(event.request)

    @on(msg.ExportFinished)
    @while_the_panes_are_up
    def _export_finished(self, event: msg.ExportFinished) -> None:
        self.exporting.finished(event.path, event.count)

    @on(msg.ExportFailed)
    @while_the_panes_are_up
    def _export_failed(self, event: msg.ExportFailed) -> None:
        self.notify(one_line(event.message), title="Export failed", severity="error", timeout=10)

    # -- import ----------------------------------------------------------------------------------

    def action_import(self) -> None:
        self.importing.ask()

    def action_update_feeds(self) -> None:
        self.importing.update_feeds()

    @on(ImportProgress)
    @while_the_panes_are_up
    def _import_progress(self, event: ImportProgress) -> None:
        self.importing.progressed(event)

    @on(ImportFinished)
    @while_the_panes_are_up
    def _import_finished(self, event: ImportFinished) -> None:
        self.importing.finished(event)

    def reindex_after_import(self) -> None:
        """Bring the index up to date, so the imported articles can be searched."""
        if self.indexing:
            self._index_again = True
        else:
            self.start_indexing()

    # -- the key bindings' actions: each hands over to the screen or a flow ------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_query":
            # A priority binding: "/" always means "go to the query box", in it too (it
            # selects the query, as it does from elsewhere); it is still typed into the
            # other text boxes, and does nothing over a dialog or a view.
            focused = self.focused
            return self.screen is self.screen_stack[0] and (
                not isinstance(focused, Input) or isinstance(focused, QueryInput)
            )
        return True

    def action_focus_query(self) -> None:
        self.main.focus_query()

    def action_leave_query(self, to: str) -> None:
        """Out of the query box (its keys): see :meth:`MainScreen.leave_query`."""
        self.main.leave_query(to)

    def action_jump(self, step: int) -> None:
        self.main.jump(step)

    def action_step_result(self, step: int) -> None:
        self.reading.step(step)

    def action_open_link(self) -> None:
        self.reading.open_link()

    def action_toggle_entities(self) -> None:
        self.main.toggle_entities()

    def action_toggle_sort(self) -> None:
        self.search.toggle_sort()

    def action_toggle_compact(self) -> None:
        """One line per result, or title, source and snippet (see ``compact_results``)."""
        results_list = self.main.search_pane.results_list
        results_list.set_compact(not results_list.compact)

    def action_clear_filters(self) -> None:
        self.search.clear_filters()

    def action_toggle_kind(self, kind: str) -> None:
        self.main.toggle_kind(kind)

    def action_undo_delete(self) -> None:
        self.highlighting.undo_delete()

    def action_highlights(self) -> None:
        self.highlighting.open_view()

    def action_explore(self, view: str | None = None) -> None:
        """Reading ↔ exploring (facets, timeline, keyword in context); see
        :mod:`reader.app.explore.screen`."""
        from reader.app.explore.screen import toggle_explore  # only when asked: startup

        toggle_explore(self, view)

    def action_problems(self) -> None:
        from reader.app.screens.problems import ProblemsScreen  # only when asked: startup

        checking = self.indexing or not self.index_ready
        self.push_screen(ProblemsScreen(self.problems, self.corpus, checking=checking))

    def action_help(self) -> None:
        from reader.app.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.help_sections(), f"Remap keys in {config_path()}"))

    @on(msg.IndexDamaged)
    @while_the_panes_are_up
    def _index_damaged(self, event: msg.IndexDamaged) -> None:
        self.notify(
            f"{one_line(event.message)}; rebuilding it from the articles",
            title="Index",
            severity="warning",
            timeout=8,
        )
        if not self.indexing:
            self.main.index_bar.show_message("Rebuilding the damaged index…", busy=True)
            self.start_indexing(rebuild=True)

    def action_rebuild(self) -> None:
        if self.indexing:
            self.notify("The index is already being updated.", timeout=3)
            return
        self.main.index_bar.show_message("Rebuilding the index…", busy=True)
        self.start_indexing(rebuild=True)

    async def action_quit(self) -> None:
        self.save_session()
        self.service.close()
        self.exit(0)

    def save_session(self) -> None:
        if not self.restore:
            return
        document = self.reading.document
        session = Session(
            query=self.search.request.query,
            sort=self.search.request.sort,
            article_id=document.id if document else None,
            offset=self.main.viewer.top_offset if document else 0,
            theme=self.theme,
        )
        save_session(self.corpus, session)
        self._keep_first_results()

    # -- help and commands -----------------------------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        """The help screen's sections: every key, by pane, as remapped."""
        return help_sections(self)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from reader_commands(self)

    # -- errors: every worker failure ends up here -----------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        self.search.worker_changed(worker)
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        error = worker.error
        if worker.group == "index":
            self.indexing = False
            self.main.index_bar.show_message("Indexing stopped: see the notification.")
        if worker.group == "import":
            self.importing.running = False
            self.main.index_bar.show_message("Import stopped: see the notification.")
        self.notify(
            one_line(f"{type(error).__name__}: {error}"),
            title=f"Something went wrong ({worker.name or worker.group})",
            severity="error",
            timeout=10,
        )
