"""Explore mode: facets, timeline and keyword in context of the current results.

:class:`ExploreScreen` is installed once and shown over the reading screen with
one key (``E``), which takes the reader back too: each mode keeps its state (the
search, the open article, the cursor in each view). It follows the search of the
reading mode (query and filters); Enter on a facet or a timeline range narrows
that search, so both modes see the same results. :class:`EntityPageScreen` is one
entity across the corpus. Every answer comes from a thread worker
(:mod:`reader.app.explore.data`); nothing here blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.app.explore import data
from reader.app.explore.navigation import open_in_reader
from reader.app.explore.widgets import (
    ExplorePane,
    FacetList,
    KwicView,
    TimelineList,
    kind_label,
)
from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line
from reader.support.wording import counted

if TYPE_CHECKING:
    from reader.app.backend import SearchRequest
    from reader.export.views import ViewTable
    from reader.search.kwic import Concordance

#: The :class:`reader.app.app.ReaderApp` (not imported: it imports this module's caller).
ReaderApp = Any

#: The views of the Explore screen: name shown (and in the palette) → widget id.
VIEWS = {"Explore": "facets", "Timeline": "timeline", "Keyword in context": "kwic"}
#: From this many columns the panes sit side by side; below, they stack.
WIDE_FROM = 110


@dataclass
class OverviewLoaded(Message):
    overview: data.Overview


@dataclass
class ConcordanceLoaded(Message):
    request: SearchRequest
    concordance: Concordance


@dataclass
class ExploreFailed(Message):
    message: str


class ExploreScreen(Screen[None]):
    """Facets, timeline and keyword in context of the reading mode's search."""

    CSS_PATH = "explore.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "app.explore", "Reading", id="explore.back"),
        Binding("m", "maximise", "Maximise", id="explore.maximise"),
        Binding("x", "export_view", "Export view", id="explore.export"),
        Binding("c", "clear_filters", "Clear filters", id="explore.clear_filters"),
        Binding("a", "agreements", "Agreements", id="explore.agreements"),
        Binding("slash", "search", "Search", show=False, id="explore.search"),
    ]

    def __init__(self) -> None:
        super().__init__(id="explore")
        self.request: SearchRequest | None = None
        self.kwic_request: SearchRequest | None = None
        self.overview: data.Overview | None = None
        self.concordance: Concordance | None = None

    @property
    def reader(self) -> ReaderApp:
        return self.app

    def compose(self) -> ComposeResult:
        yield Static("Explore", id="explore-title", markup=False)
        width = "-wide" if self.app.size.width >= WIDE_FROM else "-narrow"
        with Container(id="explore-panes", classes=width):
            with ExplorePane(id="facets-pane"):
                yield Static("Explore · facets", classes="pane-title", markup=False)
                yield FacetList(id="facets")
            with ExplorePane(id="timeline-pane"):
                yield Static("Timeline", classes="pane-title", id="timeline-title", markup=False)
                yield TimelineList(id="timeline")
            with ExplorePane(id="kwic-pane"):
                yield Static("Keyword in context", classes="pane-title", markup=False)
                yield Static("", id="kwic-status", markup=False)
                yield KwicView(id="kwic")
        yield ReaderFooter()

    def on_resize(self) -> None:
        panes = self.query_one("#explore-panes")
        wide = self.app.size.width >= WIDE_FROM
        panes.set_class(wide, "-wide")
        panes.set_class(not wide, "-narrow")

    def on_mount(self) -> None:
        self._seen_results = self.reader.search.results
        self.set_interval(0.5, self._check_index)

    def _check_index(self) -> None:
        """The search answered again for the same request while Explore is shown: the
        index changed (the reading mode searches again after every update), so count
        again."""
        search = self.reader.search
        results = search.results
        if results is self._seen_results or search.pending or self.app.screen is not self:
            return
        self._seen_results = results
        if search.request == self.request:
            self.load(force=True)

    def on_screen_resume(self) -> None:
        self.load()
        if self.focused is None:
            self.focus_view("facets")

    # -- loading ---------------------------------------------------------------------------------

    def load(self, force: bool = False) -> None:
        """Ask for the views of the reading mode's current search (in workers)."""
        request = self.reader.search.request
        self._set_title(request, None)
        if not self.reader.index_ready:
            self.query_one("#kwic-status", Static).update("Opening the index…")
            self.set_timer(0.5, self.load)
            return
        self.request = request
        self.overview_worker(request)
        if force or request != self.kwic_request:
            self.kwic_request = request
            self.query_one("#kwic-status", Static).update("Finding the hits…")
            self.concordance_worker(request, self.query_one(KwicView).order)

    @work(thread=True, exclusive=True, group="explore", exit_on_error=False, name="explore")
    def overview_worker(self, request: SearchRequest) -> None:
        from reader.search.query import QueryError

        try:
            overview = data.overview(self.reader.service, request)
        except QueryError as error:
            self.post_message(ExploreFailed(str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(OverviewLoaded(overview))

    @work(thread=True, exclusive=True, group="kwic", exit_on_error=False, name="keyword in context")
    def concordance_worker(self, request: SearchRequest, order: str) -> None:
        from reader.search.query import QueryError

        try:
            found = data.concordance(self.reader.service, request, order)  # type: ignore[arg-type]
        except QueryError:
            return  # the overview says what is wrong with the query
        if not get_current_worker().is_cancelled:
            self.post_message(ConcordanceLoaded(request, found))

    @on(OverviewLoaded)
    def _overview_loaded(self, event: OverviewLoaded) -> None:
        if event.overview.request != self.reader.search.request:
            return
        self.overview = event.overview
        self._set_title(event.overview.request, event.overview.articles)
        self.query_one(FacetList).show(event.overview.facets)
        timeline = event.overview.timeline
        self.query_one(TimelineList).show(timeline, event.overview.dated_agreements)
        self.query_one("#timeline-title", Static).update(
            f"Timeline · by {timeline.granularity} · space marks, Enter filters"
        )

    @on(ConcordanceLoaded)
    def _concordance_loaded(self, event: ConcordanceLoaded) -> None:
        if event.request != self.kwic_request:
            return
        self.concordance = event.concordance
        found = event.concordance
        kwic = self.query_one(KwicView)
        kwic.show(found.lines)
        self._kwic_status()

    def _kwic_status(self) -> None:
        found = self.concordance
        status = self.query_one("#kwic-status", Static)
        if found is None:
            return
        if not found.query:
            status.update("Type a query (/) to list its hits in context.")
            return
        more = "" if found.complete else f" (the first {len(found.lines):,})"
        order = "article date" if self.query_one(KwicView).order == "date" else "word after"
        status.update(
            f"{counted(len(found.lines), 'hit')}{more} in {counted(found.articles, 'article')}"
            f" · by {order} (o)"
        )

    @on(ExploreFailed)
    def _failed(self, event: ExploreFailed) -> None:
        self.query_one("#explore-title", Static).update(
            Text(f"Explore · the query cannot run: {one_line(event.message)}")
        )

    def _set_title(self, request: SearchRequest, articles: int | None) -> None:
        parts = ["Explore"]
        parts.append(f"query: {request.query.strip()}" if request.query.strip() else "all articles")
        filters = request.describe_filters()
        if filters:
            parts.append(f"filters: {filters} (c clears)")
        if articles is not None:
            parts.append(counted(articles, "article"))
        if self.reader.indexing:
            parts.append("indexing: counts grow when it ends")
        self.query_one("#explore-title", Static).update(Text(one_line(" · ".join(parts))))

    # -- what the views post ---------------------------------------------------------------------

    @on(FacetList.Chosen)
    def _facet_chosen(self, event: FacetList.Chosen) -> None:
        if event.what == "page":
            self.app.push_screen(EntityPageScreen(event.kind, event.name))
            return
        from reader.index.documents import ENTITY_FIELDS

        if event.kind not in ENTITY_FIELDS:
            # A type the index stores but cannot search by field yet: say so.
            self.notify(f"The search cannot filter by {event.kind} yet.", timeout=4)
            return
        self.reader.search.add_entity_filter(event.kind, event.name)
        self.load()

    @on(TimelineList.RangeChosen)
    def _range_chosen(self, event: TimelineList.RangeChosen) -> None:
        self.reader.search.filter_dates(event.start, event.end)
        self.load()

    @on(TimelineList.Marked)
    def _range_marked(self, event: TimelineList.Marked) -> None:
        title = self.query_one("#timeline-title", Static)
        if event.label:
            title.update(Text(f"Timeline · {event.label} · Enter filters, Esc unmarks"))
        elif self.overview is not None:
            title.update(f"Timeline · by {self.overview.timeline.granularity}")

    @on(KwicView.Chosen)
    def _hit_chosen(self, event: KwicView.Chosen) -> None:
        open_in_reader(self.reader, event.line.article_id, event.line.start)

    @on(KwicView.OrderChanged)
    def _order_changed(self) -> None:
        self._kwic_status()

    # -- actions ---------------------------------------------------------------------------------

    def focus_view(self, view: str) -> None:
        """Focus one view by its id: facets, timeline or kwic."""
        self.reader.focus_now(self.query_one(f"#{view}"))

    def action_maximise(self) -> None:
        maximise_toggle(self)

    def action_agreements(self) -> None:
        from reader.app.explore.agreements import AgreementsScreen

        self.app.push_screen(AgreementsScreen())

    def action_clear_filters(self) -> None:
        self.reader.search.clear_filters()
        self.load()

    def action_search(self) -> None:
        """Back to reading, in the query box."""
        self.app.pop_screen()
        self.reader.main.focus_query()

    def action_export_view(self) -> None:
        table = self.view_table()
        if table is None:
            self.notify("Nothing to export yet.", timeout=3)
            return
        from reader.app.explore.export import ExportViewDialog

        self.app.push_screen(ExportViewDialog(table))

    def view_table(self) -> ViewTable | None:
        """The focused view (the facets when none is) as a table with its query."""
        from reader.export.views import ViewTable

        request = self.request
        if request is None:
            return None
        query, filters = request.query.strip(), request.describe_filters()
        focused = self.focused
        if isinstance(focused, TimelineList):
            columns: tuple[str, ...] = ("period", "from", "to", "articles")
            return ViewTable("Timeline", query, filters, columns, tuple(focused.rows()))
        if isinstance(focused, KwicView):
            columns = ("date", "article", "title", "offset", "left", "hit", "right")
            return ViewTable("Keyword in context", query, filters, columns, tuple(focused.rows()))
        facets = self.query_one(FacetList)
        columns = ("type", "name", "articles")
        return ViewTable("Facets", query, filters, columns, tuple(facets.rows()))


def maximise_toggle(screen: Screen) -> None:
    """Restore the maximised pane, or maximise the pane that holds the focus."""
    if screen.maximized is not None:
        screen.minimize()
        return
    focused = screen.focused
    if focused is None:
        return
    pane = next((a for a in focused.ancestors if isinstance(a, ExplorePane)), None)
    if pane is not None:
        screen.maximize(pane, container=False)


# -- the entity page ----------------------------------------------------------------------------


@dataclass
class EntityPageLoaded(Message):
    page: data.EntityPage


class EntityPageList(OptionList):
    """A list of the entity page: Enter acts on the row (open, move to an entity)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="entity_page.open"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets: list[tuple[str, str] | None] = []

    def fill(self, rows: list[tuple[Text, tuple[str, str] | None]], empty: str) -> None:
        self.clear_options()
        self.targets = [target for _, target in rows]
        options = [Option(text, disabled=target is None) for text, target in rows]
        if not options:
            options = [Option(Text(empty), disabled=True)]
            self.targets = [None]
        self.add_options(options)
        self.highlighted = next((n for n, t in enumerate(self.targets) if t), None)


class EntityPageScreen(Screen[None]):
    """An entity across the corpus: its articles over time, the entities it appears
    with (Enter moves to one), the other ways it is written, its agreements."""

    CSS_PATH = "explore.tcss"
    AUTO_FOCUS = "#entity-companions"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="entity_page.back"),
        Binding("f", "filter", "Filter by it", id="entity_page.filter"),
        Binding("m", "maximise", "Maximise", id="entity_page.maximise"),
        Binding("x", "export_view", "Export view", id="entity_page.export"),
    ]

    def __init__(self, kind: str, name: str) -> None:
        super().__init__()
        self.entity_kind, self.entity_name = kind, name
        self.page: data.EntityPage | None = None

    @property
    def reader(self) -> ReaderApp:
        return self.app

    def compose(self) -> ComposeResult:
        yield Static("", id="entity-page-title", markup=False)
        yield Static("", id="entity-page-aliases", markup=False)
        width = "-wide" if self.app.size.width >= WIDE_FROM else "-narrow"
        with Container(id="entity-page-panes", classes=width):
            with ExplorePane(id="entity-articles-pane"):
                yield Static("Articles", classes="pane-title", markup=False)
                yield EntityPageList(id="entity-articles")
            with ExplorePane(id="entity-timeline-pane"):
                yield Static("Over time", classes="pane-title", markup=False)
                yield TimelineList(id="entity-timeline")
            with ExplorePane(id="entity-companions-pane"):
                yield Static("Appears with (shared articles)", classes="pane-title", markup=False)
                yield EntityPageList(id="entity-companions")
        yield ReaderFooter()

    def on_mount(self) -> None:
        self.show_entity(self.entity_kind, self.entity_name)

    def on_resize(self) -> None:
        panes = self.query_one("#entity-page-panes")
        wide = self.app.size.width >= WIDE_FROM
        panes.set_class(wide, "-wide")
        panes.set_class(not wide, "-narrow")

    def show_entity(self, kind: str, name: str) -> None:
        self.entity_kind, self.entity_name = kind, name
        self.query_one("#entity-page-title", Static).update(
            Text(f"Entity · {one_line(name)} ({kind}) · loading…")
        )
        self.page_worker(kind, name)

    @work(thread=True, exclusive=True, group="entity-page", exit_on_error=False, name="entity page")
    def page_worker(self, kind: str, name: str) -> None:
        page = data.entity_page(self.reader.service, kind, name)
        if not get_current_worker().is_cancelled:
            self.post_message(EntityPageLoaded(page))

    @on(EntityPageLoaded)
    def _loaded(self, event: EntityPageLoaded) -> None:
        page = self.page = event.page
        label = page.kind
        count = len(page.articles)
        self.query_one("#entity-page-title", Static).update(
            Text(
                f"Entity · {one_line(page.name)} ({label}) · {count} article"
                f"{'s' if count != 1 else ''} · f filters the search to it"
            )
        )
        aliases = ", ".join(one_line(a) for a in page.aliases) or "none"
        agreements = "; ".join(f"{one_line(n)} ({c})" for n, c in page.agreements[:8]) or "none"
        self.query_one("#entity-page-aliases", Static).update(
            Text(f"Also written: {aliases}\nAgreements: {agreements}")
        )
        articles = [
            (
                Text.assemble((f"{date or '----------'}  ", "bold"), one_line(title), f"  ×{n}"),
                ("article", article_id),
            )
            for article_id, title, date, n in page.articles
        ]
        self.query_one("#entity-articles", EntityPageList).fill(articles, "No articles.")
        self.query_one("#entity-timeline", TimelineList).show(page.timeline)
        companions = [
            (
                Text.assemble(f"{n:>4}  ", one_line(c_name), (f"  {kind_label(c_kind)}", "dim")),
                (c_kind, c_name),
            )
            for c_kind, c_name, n in page.companions
        ]
        self.query_one("#entity-companions", EntityPageList).fill(companions, "Appears alone.")

    @on(OptionList.OptionSelected, "#entity-articles")
    def _article_chosen(self, event: OptionList.OptionSelected) -> None:
        target = self.query_one("#entity-articles", EntityPageList).targets[event.option_index]
        if target is not None:
            offset = self.page.first_mentions.get(target[1], 0) if self.page else 0
            open_in_reader(self.reader, target[1], offset)

    @on(OptionList.OptionSelected, "#entity-companions")
    def _companion_chosen(self, event: OptionList.OptionSelected) -> None:
        target = self.query_one("#entity-companions", EntityPageList).targets[event.option_index]
        if target is not None:
            self.show_entity(*target)

    @on(TimelineList.RangeChosen)
    def _range_chosen(self, event: TimelineList.RangeChosen) -> None:
        self.reader.search.filter_by_entity(self.entity_kind, self.entity_name)
        self.reader.search.filter_dates(event.start, event.end)
        self.action_close()

    def action_close(self) -> None:
        self.app.pop_screen()
        explore = self.app.screen
        if isinstance(explore, ExploreScreen):
            explore.load()

    def action_filter(self) -> None:
        self.reader.search.add_entity_filter(self.entity_kind, self.entity_name)
        self.action_close()

    def action_maximise(self) -> None:
        maximise_toggle(self)

    def action_export_view(self) -> None:
        from reader.app.explore.export import ExportViewDialog
        from reader.export.views import ViewTable

        page = self.page
        if page is None:
            return
        rows: list[tuple[object, ...]] = [
            ("article", a_id, title, date, n) for a_id, title, date, n in page.articles
        ]
        rows += [("appears with", c_kind, c_name, "", n) for c_kind, c_name, n in page.companions]
        rows += [("alias", page.kind, alias, "", "") for alias in page.aliases]
        table = ViewTable(
            f"Entity: {page.name} ({page.kind})",
            "",
            "",
            ("row", "id or type", "title or name", "date", "articles or mentions"),
            tuple(rows),
        )
        self.app.push_screen(ExportViewDialog(table))


def toggle_explore(app: ReaderApp, view: str | None = None) -> None:
    """Switch between reading and exploring; with ``view`` (a name of :data:`VIEWS`),
    go to that view of Explore. The Explore screen is made once and kept."""
    in_explore = any(isinstance(s, ExploreScreen) for s in app.screen_stack)
    if in_explore and view is None:
        while len(app.screen_stack) > 1:
            app.pop_screen()
        return
    if not in_explore:
        while len(app.screen_stack) > 1:  # a dialog or the highlights view: closed
            app.pop_screen()
        if not app.is_screen_installed("explore"):
            app.install_screen(ExploreScreen(), "explore")
        app.push_screen("explore")
    else:
        while not isinstance(app.screen, ExploreScreen):
            app.pop_screen()
    if view == "Agreements":
        app.call_after_refresh(app.get_screen("explore").action_agreements)
    elif view is not None:
        explore = app.get_screen("explore")
        app.call_after_refresh(explore.focus_view, VIEWS.get(view, "facets"))
