"""Export one Explore view (CSV, JSON or Markdown, by the file's suffix) with its query."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.app.screens.export import default_export_path
from reader.app.widgets.footer import ReaderFooter
from reader.export.views import ViewTable


def default_view_path(view: str, today: dt.date | None = None) -> Path:
    """``reader-<view>-YYYYMMDD.csv`` where the other exports go."""
    slug = re.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-")[:40] or "view"
    folder = default_export_path("csv", today).parent
    return folder / f"reader-{slug}-{(today or dt.date.today()):%Y%m%d}.csv"


class ExportViewDialog(ModalScreen[None]):
    """Where to save the view; the suffix (.csv, .json, .md) chooses the format."""

    AUTO_FOCUS = "#view-export-path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="view_export.cancel"),
    ]

    def __init__(self, table: ViewTable, path: Path | None = None) -> None:
        super().__init__()
        self.table = table
        self.path = path or default_view_path(table.view)

    def compose(self) -> ComposeResult:
        yield ReaderFooter()
        with Vertical(id="view-export-body", classes="dialog") as body:
            body.border_title = f"Export {self.table.view}"
            body.border_subtitle = "Enter saves · Escape cancels"
            yield Label(f"{len(self.table.rows):,} rows, with the query and filters.")
            yield Label("Save to (.csv, .json or .md)")
            yield Input(str(self.path), id="view-export-path")
            yield Static("", id="view-export-error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#view-export-error", Static).update("Say where to save it.")
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        self.write_worker(path)

    @work(thread=True, exclusive=True, group="view-export", exit_on_error=False, name="export")
    def write_worker(self, path: Path) -> None:
        from reader.export import DestinationExists, ExportError, write_new_file
        from reader.export.views import render_view, view_format

        try:
            text = render_view(self.table, view_format(path.suffix))
            written = write_new_file(path, text)
        except DestinationExists:
            self.app.call_from_thread(self._error, f"{path} exists: choose another name.")
            return
        except ExportError as error:
            self.app.call_from_thread(self._error, str(error))
            return
        except OSError as error:
            self.app.call_from_thread(self._error, f"{error.strerror or error}: {path}")
            return
        self.app.call_from_thread(self._done, written)

    def _error(self, message: str) -> None:
        self.query_one("#view-export-error", Static).update(message)

    def _done(self, path: Path) -> None:
        self.app.notify(f"Exported {len(self.table.rows):,} rows to {path}", title="Export")
        self.dismiss(None)
