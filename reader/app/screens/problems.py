"""The problems view: files the index skipped or read with a caveat, and why."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line

#: Rows the table holds: a DataTable of 100,000 rows froze the app for seconds, and
#: nobody reads that many; the summary gives the count and says where the rest are.
MAX_ROWS = 500


class ProblemsScreen(ModalScreen[None]):
    """A table of path, severity and reason for every index problem."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="problems.close"),
    ]

    def __init__(self, problems: Iterable, corpus: Path, *, checking: bool = False) -> None:
        super().__init__()
        self.problems = list(problems)
        self.corpus = corpus
        #: The index is still being checked against the folder: the list may grow.
        self.checking = checking

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with Vertical(id="problems-body") as body:
            body.border_title = "Index problems"
            body.border_subtitle = "Escape closes"
            count = len(self.problems)
            if not count:
                summary = (
                    "Still checking the folder for changes: files that cannot be indexed "
                    "are listed here when it is done."
                    if self.checking
                    else "No problems: every file was indexed."
                )
            else:
                summary = (
                    f"{count:,} file{'s' if count != 1 else ''} with problems under {self.corpus}"
                )
                if count > MAX_ROWS:
                    summary += (
                        f"; the first {MAX_ROWS:,} are listed ('reader index' lists them all)"
                    )
                if self.checking:
                    summary += " (still checking for changes)"
            yield Static(Text(one_line(summary)), id="problems-summary")
            yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("severity", "file", "reason")
        for problem in self.problems[:MAX_ROWS]:
            path = Path(problem.path)
            try:
                shown = str(path.relative_to(self.corpus))
            except ValueError:
                shown = str(path)
            table.add_row(
                Text(problem.severity, style="bold" if problem.severity == "error" else ""),
                Text(one_line(shown)),
                Text(one_line(problem.reason)),
            )
        self.set_focus(table)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
