"""The agreements table: the corpus's agreement records (:mod:`reader.agreements`).

Columns Date, Kind, Parties, Name, Articles, Status; ``1``-``6`` sort by a column
(again: the other way), the box above filters by party, Enter lists the articles
that report the agreement and Enter on one opens it at the mention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.app.explore.navigation import open_in_reader
from reader.app.explore.widgets import ExplorePane
from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line

ReaderApp = Any

COLUMNS = ("Date", "Kind", "Parties", "Name", "Articles", "Status")


@dataclass(frozen=True, slots=True)
class Row:
    """One agreement record as the table shows it, with where each article mentions it."""

    date: str
    kind: str
    parties: str
    name: str
    articles: int
    status: str
    reports: tuple[tuple[str, str, str, int], ...]  # id, title, date, first mention

    def cells(self) -> tuple[object, ...]:
        return (self.date, self.kind, self.parties, self.name, self.articles, self.status)


def load_rows(service: Any) -> list[Row]:
    """Every record of the corpus (blocking: workers only)."""
    from reader.agreements import catalog

    rows = []
    for record in catalog.load(service.index):
        reports = []
        for member in record.members:
            starts = [m.get("start") for m in member.entity.get("mentions") or ()]
            first = min((s for s in starts if isinstance(s, int)), default=0)
            reports.append(
                (
                    member.article_id,
                    member.title or member.article_id,
                    member.article_date or "",
                    first,
                )
            )
        rows.append(
            Row(
                record.date or "",
                record.kind,
                ", ".join(record.parties),
                record.name,
                len({m.article_id for m in record.members}),
                record.status,
                tuple(reports),
            )
        )
    return rows


@dataclass
class RowsLoaded(Message):
    rows: list[Row]


@dataclass
class RowsFailed(Message):
    message: str


class AgreementsScreen(Screen[None]):
    """The corpus's agreements; a view of Explore."""

    CSS_PATH = "explore.tcss"
    AUTO_FOCUS = "#agreements-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="agreements.back"),
        Binding("1,2,3,4,5,6", "noop", "Sort by column 1-6", id="agreements.sort"),
        Binding("slash", "party", "Filter by party", id="agreements.party"),
        Binding("x", "export_view", "Export view", id="agreements.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.shown: list[Row] = []
        self.sort_column = 0
        self.sort_reverse = True

    @property
    def reader(self) -> ReaderApp:
        return self.app

    def compose(self) -> ComposeResult:
        yield Static("Agreements · loading…", id="agreements-title", markup=False)
        yield Input(placeholder="party (e.g. Japan)", id="agreements-party")
        with ExplorePane(id="agreements-pane"):
            yield DataTable(id="agreements-table", cursor_type="row", zebra_stripes=True)
        with ExplorePane(id="agreement-articles-pane"):
            yield Static("Reporting articles (Enter opens at the mention)", classes="pane-title")
            yield OptionList(id="agreement-articles")
        yield ReaderFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self.rows_worker()

    @work(thread=True, exclusive=True, group="agreements", exit_on_error=False, name="agreements")
    def rows_worker(self) -> None:
        from reader.agreements.corrections import CorrectionError

        try:
            rows = load_rows(self.reader.service)
        except CorrectionError as error:
            self.post_message(RowsFailed(str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(RowsLoaded(rows))

    @on(RowsFailed)
    def _failed(self, event: RowsFailed) -> None:
        self.query_one("#agreements-title", Static).update(Text(one_line(event.message)))

    @on(RowsLoaded)
    def _loaded(self, event: RowsLoaded) -> None:
        self.rows = event.rows
        self.show_rows()

    def show_rows(self) -> None:
        party = self.query_one("#agreements-party", Input).value.strip().casefold()
        rows = [r for r in self.rows if not party or party in r.parties.casefold()]
        rows.sort(key=lambda r: _sort_key(r.cells()[self.sort_column]), reverse=self.sort_reverse)
        self.shown = rows
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(Text(one_line(str(c))) for c in row.cells()))
        order = "descending" if self.sort_reverse else "ascending"
        self.query_one("#agreements-title", Static).update(
            Text(
                f"Agreements · {len(rows)} of {len(self.rows)} records"
                f"{' · party: ' + party if party else ''} · by {COLUMNS[self.sort_column]}, {order}"
            )
        )

    def on_key(self, event: Any) -> None:
        if (
            event.key in "123456"
            and len(event.key) == 1
            and self.focused is not self.query_one(Input)
        ):
            column = int(event.key) - 1
            self.sort_reverse = not self.sort_reverse if column == self.sort_column else False
            self.sort_column = column
            self.show_rows()
            event.stop()

    def action_noop(self) -> None:
        """The digits sort (handled in ``on_key``); this binding documents them."""

    @on(Input.Changed, "#agreements-party")
    def _party_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#agreements-party")
    def _party_done(self) -> None:
        self.reader.focus_now(self.query_one(DataTable))

    def action_party(self) -> None:
        self.reader.focus_now(self.query_one("#agreements-party", Input))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.shown[event.cursor_row]
        articles = self.query_one("#agreement-articles", OptionList)
        articles.clear_options()
        articles.add_options(
            [
                Option(Text(f"{date or '----------'}  {one_line(title)}"))
                for _, title, date, _ in row.reports
            ]
        )
        articles.highlighted = 0 if row.reports else None
        self._reports = row.reports
        self.reader.focus_now(articles)

    @on(OptionList.OptionSelected, "#agreement-articles")
    def _article_chosen(self, event: OptionList.OptionSelected) -> None:
        article_id, _, _, offset = self._reports[event.option_index]
        open_in_reader(self.reader, article_id, offset)

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_export_view(self) -> None:
        from reader.app.explore.export import ExportViewDialog
        from reader.export.views import ViewTable

        party = self.query_one("#agreements-party", Input).value.strip()
        table = ViewTable(
            "Agreements",
            "",
            f"party: {party}" if party else "",
            tuple(c.lower() for c in COLUMNS),
            tuple(r.cells() for r in self.shown),
        )
        self.app.push_screen(ExportViewDialog(table))


def _sort_key(value: object) -> tuple[int, object]:
    return (0, value) if isinstance(value, int) else (1, str(value).casefold())
