"""The main screen: the three panes side by side, and the actions that belong to them.

It composes the search pane (left), the article viewer (centre) and the entity
panel (right), with the index bar and the footer; it keeps the layout class
(``-narrow``, ``-wide``, ``-entities-toggled``) and handles the messages the
panes post. What needs the index (searching, loading an article, changing a
highlight) it hands to the app's flows (:mod:`reader.app.search_flow`,
:mod:`reader.app.reading`, :mod:`reader.app.highlighting`), which run the
workers and push the answers back down into the panes.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from reader.app.document import entity_key
from reader.app.widgets.entity_panel import EntityDetailsList, EntityList, EntityPanel, Legend
from reader.app.widgets.footer import ReaderFooter
from reader.app.widgets.search_pane import SearchPane
from reader.app.widgets.status import IndexBar, ViewerStatus
from reader.app.widgets.viewer import ArticleViewer

#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


class MainScreen(Screen[None]):
    """Search pane, article viewer and entity panel; the app's first screen."""

    #: From this many columns the three panes show side by side.
    WIDE_FROM = 110

    def __init__(self, query: str) -> None:
        super().__init__()
        self._query = query

    @property
    def reader(self) -> ReaderApp:
        return self.app

    def compose(self) -> ComposeResult:
        # The width class is right from the first style pass: Textual's breakpoints set
        # theirs on the first resize, which restyles every widget before the first frame.
        with Horizontal(id="main", classes=self._width_class(self.app.size.width)):
            yield SearchPane(self._query, id="search-pane")
            with Vertical(id="viewer-pane"):
                yield ArticleViewer(id="viewer")
                yield ViewerStatus("", id="viewer-status", markup=False)
            yield EntityPanel(id="entity-panel")
        yield IndexBar(id="index-bar")
        yield ReaderFooter()

    def on_mount(self) -> None:
        # Focus the restored query selected, as / does: typing replaces it.
        box = self.search_pane.query_input
        self.reader.focus_now(box)
        box.select_all()
        self.search_pane.results_list.set_compact(self.reader.settings.compact_results)
        self.index_bar.show_message("Opening the index…", busy=True)
        self.reader.main_screen_ready()

    # -- the panes -------------------------------------------------------------------------------

    @property
    def main_panes(self) -> Horizontal:
        """The three panes; their classes say the layout (-narrow, -wide, -entities-toggled)."""
        return self.query_one("#main", Horizontal)

    @property
    def viewer(self) -> ArticleViewer:
        return self.query_one(ArticleViewer)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def entity_panel(self) -> EntityPanel:
        return self.query_one(EntityPanel)

    @property
    def panes_are_up(self) -> bool:
        """The panes are mounted: composed, and not yet torn down at exit."""
        return bool(self.query(SearchPane))

    @property
    def index_bar(self) -> IndexBar:
        """The index bar; a detached one once the screen is torn down at exit, so that
        the late word of a worker still running then goes nowhere, quietly."""
        found = self.query(IndexBar)
        return found.first() if found else IndexBar()

    def _width_class(self, width: int) -> str:
        return "-wide" if width >= self.WIDE_FROM else "-narrow"

    def set_width(self, width: int) -> None:
        """The terminal is ``width`` columns wide: panes side by side, or the narrow layout."""
        found = self.query("#main")
        if not found:
            return  # not composed yet: compose sets the class from the app's size
        main = found.first(Horizontal)
        wide = self._width_class(width) == "-wide"
        if main.has_class("-wide") != wide or main.has_class("-narrow") == wide:
            main.set_class(wide, "-wide")
            main.set_class(not wide, "-narrow")

    def clear_article(self) -> None:
        """No article open: the viewer and the entity panel empty."""
        self.viewer.show(None)
        self.entity_panel.show_document(None)

    # -- the search pane -------------------------------------------------------------------------

    @on(SearchPane.QueryChanged)
    def _query_changed(self, event: SearchPane.QueryChanged) -> None:
        self.reader.search.change_query(event.text)

    @on(SearchPane.MoreRequested)
    def _list_more(self) -> None:
        self.reader.search.more(len(self.search_pane.results_list.article_ids))

    @on(SearchPane.TopRequested)
    def _top_requested(self) -> None:
        # While typing, the last word was a prefix: Enter runs the exact query first.
        if not self.reader.search.submit():
            self.open_top()

    def open_top(self) -> None:
        """Open the top result, if there is one, and read it."""
        results_list = self.search_pane.results_list
        if results_list.article_ids:
            self.reader.reading.open(results_list.article_ids[0])
            self.reader.focus_now(self.viewer)

    @on(SearchPane.ResultChosen)
    def _result_chosen(self, event: SearchPane.ResultChosen) -> None:
        self.reader.reading.open(event.article_id)
        self.reader.focus_now(self.viewer)

    def leave_query(self, to: str) -> None:
        """Out of the query box: ``results`` (↓) goes to the results when there are any,
        ``away`` (Escape) to the open article, or else to the results."""
        results_list = self.search_pane.results_list
        if to == "results" and results_list.option_count:
            self.reader.focus_now(results_list)
        elif self.reader.reading.document is not None:
            self.reader.focus_now(self.viewer)
        else:
            self.reader.focus_now(results_list)

    def focus_query(self) -> None:
        main = self.main_panes
        if main.has_class("-narrow") and main.has_class("-entities-toggled"):
            # The entity panel stands in for the search pane at 80 columns: swap back.
            main.remove_class("-entities-toggled")
        box = self.search_pane.query_input
        self.reader.focus_now(box)
        # The query is selected, whether the box had the focus or not: typing replaces it.
        box.select_all()

    # -- the viewer ------------------------------------------------------------------------------

    @on(ArticleViewer.PositionChanged)
    def _position_changed(self, event: ArticleViewer.PositionChanged) -> None:
        self.query_one(ViewerStatus).show_position(
            event.line,
            event.lines,
            event.percent,
            event.target,
            event.targets,
            event.target_label,
            event.last_line,
        )

    @on(ArticleViewer.HighlightRequested)
    def _highlight_requested(self, event: ArticleViewer.HighlightRequested) -> None:
        self.reader.highlighting.add(event.start, event.end)

    @on(ArticleViewer.NoteRequested)
    def _note_requested(self, event: ArticleViewer.NoteRequested) -> None:
        self.reader.highlighting.edit(event.highlight_id)

    @on(ArticleViewer.RemoveRequested)
    def _remove_requested(self, event: ArticleViewer.RemoveRequested) -> None:
        self.reader.highlighting.delete(event.highlight_id)

    def jump(self, step: int) -> None:
        """To the next (``step`` 1) or previous (-1) query hit or entity mention."""
        viewer = self.viewer
        if viewer.document is None:
            return
        if not viewer.jump(step):
            what = "mentions of that entity" if viewer.selected_key else "query hits"
            self.notify(f"No {what} in this article.", timeout=2)

    def toggle_kind(self, kind: str) -> None:
        """Colour, or stop colouring, the entities of ``kind`` in the article."""
        hidden = set(self.viewer.hidden_kinds) ^ {kind}
        self.viewer.hidden_kinds = frozenset(hidden)
        self.query_one(Legend).hidden_kinds = frozenset(hidden)

    # -- the entity panel ------------------------------------------------------------------------

    @on(EntityList.Action)
    def _entity_action(self, event: EntityList.Action) -> None:
        if event.what == "select":
            self.viewer.select_entity(entity_key(event.kind, event.name))
            self.viewer.jump(1)
        elif event.what == "filter":
            self.reader.search.filter_by_entity(event.kind, event.name)
        elif event.what == "details":
            self.reader.entity_details_worker(event.kind, event.name)
        elif event.what == "record":
            document = self.reader.reading.document
            if document is not None:
                self.reader.agreement_record_worker(document.id, event.name)

    @on(EntityList.Cleared)
    def _entity_cleared(self) -> None:
        self.viewer.select_entity(None)

    def show_entity_details(self, details: object) -> None:
        """The details of an entity, loaded by a worker: shown in the panel, focused."""
        document = self.reader.reading.document
        self.entity_panel.show_details(details, document.id if document else None)  # type: ignore[arg-type]
        self.reader.focus_now(self.query_one(EntityDetailsList))

    @on(EntityDetailsList.Chosen)
    def _detail_chosen(self, event: EntityDetailsList.Chosen) -> None:
        if event.article_id:
            self.reader.reading.open(event.article_id)
        elif event.entity:
            self.reader.search.filter_by_entity(*event.entity)

    @on(EntityDetailsList.Closed)
    def _details_closed(self) -> None:
        self.entity_panel.close_details()
        self.reader.focus_now(self.query_one(EntityList))

    def toggle_entities(self) -> None:
        """Show or hide the entity panel (at 80 columns it stands in for the search pane)."""
        main = self.main_panes
        main.toggle_class("-entities-toggled")
        panel = self.entity_panel
        shown = panel.display and main.has_class("-entities-toggled") == main.has_class("-narrow")
        focused = self.app.focused
        if shown:
            self.reader.focus_now(self.query_one(EntityList))
        elif focused is not None and panel in focused.ancestors:
            self.reader.focus_now(self.viewer)
