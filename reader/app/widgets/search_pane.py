"""The search pane: the query box, a status line and the results list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.app.backend import SearchRequest
from reader.app.widgets.themed import ThemedOptionList, foreground

if TYPE_CHECKING:
    from reader.search.results import SearchHit, SearchResults

#: A snippet in the results list is cut to about this many characters.
SNIPPET_CHARS = 110
_SUGGESTION = "suggestion:"
_MORE = "more:"


class QueryInput(Input):
    """The query box: Whoosh query language, searched as you type."""

    # The app decides where the focus goes. Priority bindings run as the key arrives,
    # so the keys typed right after them (Escape then j) reach the new widget.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down", "app.leave_query('results')", "Results", id="query.to_results", priority=True
        ),
        Binding(
            "escape", "app.leave_query('away')", "Leave query", id="query.leave", priority=True
        ),
    ]


class ResultsList(ThemedOptionList):
    """The articles that match, best (or newest) first."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results-list--title",
        "results-list--meta",
        "results-list--hit",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="results.open"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_ids: list[str] = []
        #: One line per result (date and title), to see many at once.
        self.compact = False

    def set_compact(self, compact: bool) -> None:
        """One line per result, or title, source and snippet; the place is kept."""
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self._redraw_keeping_place()

    def show_hits(
        self, hits: tuple[SearchHit, ...], keep: str | None = None, more: int = 0
    ) -> None:
        """Replace the list; keep the highlight on article ``keep`` when it is still there.

        ``more`` articles also match: a last row says so, and Enter on it asks for them.
        """
        self._redraw = lambda: self._show_hits(hits, None, more)
        self._show_hits(hits, keep, more)

    def _show_hits(self, hits: tuple[SearchHit, ...], keep: str | None, more: int) -> None:
        self.article_ids = [hit.id for hit in hits]
        options: list[Option | None] = []
        for hit in hits:
            options.append(Option(self._prompt(hit), id=hit.id))
        if more > 0:
            style = foreground(self.get_component_rich_style("results-list--meta"))
            row = Text(f"▾ {more:,} more: Enter lists more", style=style)
            options.append(Option(row, id=_MORE))
        self.set_options(options)
        if keep in self.article_ids:
            self.highlighted = self.get_option_index(keep)
        elif self.article_ids:
            self.highlighted = 0

    def show_suggestion(self, suggestion: str) -> None:
        self._redraw = None
        self.article_ids = []
        prompt = Text.assemble("Did you mean ", (suggestion, "bold"), "? (Enter)")
        self.set_options([Option(prompt, id=_SUGGESTION + suggestion)])
        self.highlighted = 0

    def highlight_article(self, article_id: str) -> None:
        if article_id in self.article_ids:
            self.highlighted = self.get_option_index(article_id)

    def _prompt(self, hit: SearchHit) -> Text:
        if self.compact:
            return self._line(hit)
        # The title keeps the row's colour (the highlight bar's, when highlighted).
        title_style = foreground(self.get_component_rich_style("results-list--title"), colour=False)
        title = Text(hit.title, style=title_style)
        meta_parts = [p for p in (hit.source, hit.date.isoformat() if hit.date else "") if p]
        meta = Text(
            " · ".join(meta_parts),
            style=foreground(self.get_component_rich_style("results-list--meta")),
        )
        prompt = Text.assemble(title, "\n", meta)
        if hit.snippets and hit.snippets[0].matches:
            prompt.append("\n")
            prompt.append_text(self._snippet(hit))
        return prompt

    def _line(self, hit: SearchHit) -> Text:
        """The compact row: the date, then the title, cut with an ellipsis."""
        meta = foreground(self.get_component_rich_style("results-list--meta"))
        date = hit.date.isoformat() if hit.date else " " * 10
        title_style = foreground(self.get_component_rich_style("results-list--title"), colour=False)
        line = Text.assemble((date, meta), "  ", (hit.title, title_style))
        line.no_wrap = True
        line.overflow = "ellipsis"
        return line

    def _snippet(self, hit: SearchHit) -> Text:
        """The first snippet, cut to about SNIPPET_CHARS around its first hit."""
        snippet = hit.snippets[0]
        body = snippet.text
        start = 0
        if snippet.matches and snippet.matches[0][0] > SNIPPET_CHARS // 2:
            start = body.rfind(" ", 0, snippet.matches[0][0] - 20) + 1
        end = min(len(body), start + SNIPPET_CHARS)
        text = Text("…" if start or snippet.start else "")
        hit_style = self.get_component_rich_style("results-list--hit")
        cursor = start
        for match_start, match_end in snippet.matches:
            if match_start < cursor or match_end > end:
                continue
            text.append(body[cursor:match_start])
            text.append(body[match_start:match_end], style=hit_style)
            cursor = match_end
        text.append(body[cursor:end])
        if end < len(body):
            text.append("…")
        return text


class SearchStatus(Static):
    """One line under the query box: hit count, sort order, filters, or what went wrong."""


class SearchPane(Vertical):
    """The query box, the search status and the results.

    Data comes down through :meth:`show_results` and :meth:`show_error`; the
    pane posts :class:`QueryChanged`, :class:`ResultChosen` and
    :class:`TopRequested` up.
    """

    @dataclass
    class QueryChanged(Message):
        """The query text changed (the app debounces and searches)."""

        text: str

    @dataclass
    class ResultChosen(Message):
        """The user chose an article in the results."""

        article_id: str

    @dataclass
    class TopRequested(Message):
        """Enter in the query box: open the top result."""

    @dataclass
    class MoreRequested(Message):
        """Enter on the last row: list more of the matching articles."""

    def __init__(self, query: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The query the box starts with (restored from the last session).
        self.initial_query = query
        #: ``(query, suggestion)``: the did-you-mean shown, and the query it was made for.
        self._suggestion: tuple[str, str] | None = None
        #: The query the error in the status line is about (None: no error shown).
        self._error_query: str | None = None

    def compose(self) -> ComposeResult:
        # The box holds the restored query from the start: the terminal may focus it (and
        # select its text) before the app's on_mount runs.
        yield QueryInput(
            self.initial_query, placeholder="Search… (press / to come back here)", id="query"
        )
        yield SearchStatus("Opening the index…", id="search-status", markup=False)
        yield ResultsList(id="results")

    @property
    def query_input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def results_list(self) -> ResultsList:
        return self.query_one(ResultsList)

    def set_query(self, text: str) -> None:
        """Put ``text`` in the query box (this searches, as typing does)."""
        box = self.query_input
        box.value = text
        box.cursor_position = len(text)

    def show_results(
        self,
        request: SearchRequest,
        results: SearchResults,
        keep: str | None = None,
        *,
        listed: int | None = None,
        complete: bool = True,
    ) -> None:
        """Show an answer: ``listed`` hits in all (when ``complete`` is False, the rest come
        later and only ``results.hits`` are shown for now)."""
        listed = len(results.hits) if listed is None else listed
        status = Text()
        noun = "article" if results.total == 1 else "articles"
        if results.total == 0:
            status.append("No articles match", style="bold")
            if request.query:
                status.append(" “")
                status.append(request.query)
                status.append("”")
            # A did-you-mean is offered once: as the row below, which Enter takes.
        else:
            status.append(f"{results.total:,}", style="bold")
            status.append(f" {noun} · by {results.sort}")
            if listed < results.total:
                status.append(f" · top {listed}")
        filters = request.describe_filters()
        if filters:
            status.append("\nfilter: ")
            status.append(filters, style="italic")
            status.append("  (c clears)")
        self.query_one(SearchStatus).update(status)
        self.query_one(SearchStatus).set_class(False, "-error")
        self._error_query = None
        results_list = self.results_list
        if results.total == 0 and results.suggestion:
            self._suggestion = (request.query, results.suggestion)
            results_list.show_suggestion(results.suggestion)
        else:
            self._suggestion = None
            more = results.total - listed if complete else 0
            results_list.show_hits(results.hits, keep=keep, more=more)

    def show_error(self, message: str, query: str = "") -> None:
        """Say why ``query`` cannot run; the last results stay."""
        self._error_query = query
        status = self.query_one(SearchStatus)
        status.update(Text.assemble(("Query error: ", "bold"), message))
        status.set_class(True, "-error")

    def show_message(self, message: str) -> None:
        self.query_one(SearchStatus).update(Text(message))

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted, "#query")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._error_query is not None and self._error_query == event.value:
            return  # the query cannot run: the error says why, and stays
        if self._suggestion is not None:
            query, suggestion = self._suggestion
            if event.value == query:
                # No article matches, and a did-you-mean was made for this query: take it.
                self.set_query(suggestion)
                return
        self.post_message(self.TopRequested())

    @on(OptionList.OptionSelected, "#results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(_SUGGESTION):
            self.set_query(option_id.removeprefix(_SUGGESTION))
            self.screen.set_focus(self.query_input)
        elif option_id == _MORE:
            self.post_message(self.MoreRequested())
        elif option_id:
            self.post_message(self.ResultChosen(option_id))
