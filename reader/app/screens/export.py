"""The export dialog: format, scope and destination of an export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from reader.app.backend import ExportRequest
from reader.app.widgets.footer import ReaderFooter
from reader.export import FORMATS, SUFFIXES, Scope, inside

FORMAT_LABELS = {
    "markdown": "Markdown (.md)",
    "json": "JSON (.json)",
    "yaml": "YAML (.yaml)",
    "csv": "CSV (.csv)",
    "w3c": "W3C Web Annotations (.jsonld)",
}


@dataclass(frozen=True, slots=True)
class ScopeChoice:
    """One thing the dialog offers to export."""

    key: str
    label: str
    scope: Scope


def default_export_path(
    fmt: str = "markdown",
    today: dt.date | None = None,
    home: Path | None = None,
    corpus: Path | None = None,
) -> Path:
    """``~/Documents/reader-export-YYYYMMDD.md`` when ~/Documents exists, else in the
    current folder, else home: the first of them outside the ``corpus`` folder (an
    export there would be read as an article). The suffix follows the format. A name
    taken already (an earlier export that day) gets a number:
    ``reader-export-YYYYMMDD-2.md``."""
    today = today or dt.date.today()
    home = home or Path.home()
    candidates = [home / "Documents", Path.cwd(), home]
    if corpus is not None:
        candidates.append(corpus.expanduser().resolve().parent)
    folder = next(
        (
            folder
            for folder in candidates
            if folder.is_dir() and (corpus is None or not inside(folder, corpus))
        ),
        candidates[-1],
    )
    stem = f"reader-export-{today:%Y%m%d}"
    path = folder / f"{stem}{SUFFIXES[fmt]}"
    number = 2
    while path.exists() and number < 1000:
        path = folder / f"{stem}-{number}{SUFFIXES[fmt]}"
        number += 1
    return path


def with_format_suffix(path: str, fmt: str) -> str:
    """``path`` with the suffix of ``fmt`` in place of a known export suffix."""
    if not path.strip():
        return path
    current = Path(path)
    known = {*SUFFIXES.values(), ".markdown", ".yml", ".txt"}
    if current.suffix.lower() in known:
        return str(current.with_suffix(SUFFIXES[fmt]))
    return path + SUFFIXES[fmt] if not current.suffix else path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a format, what to export and where; Enter in the path field exports."""

    #: Enter at once exports with the defaults; shift+tab reaches format and scope.
    #: Set as the dialog opens, before keys typed after ``x`` are handled.
    AUTO_FOCUS = "#export-path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run"),
    ]

    def __init__(
        self,
        choices: Sequence[ScopeChoice],
        path: Path,
        *,
        fmt: str = "markdown",
        scope: str | None = None,
    ) -> None:
        super().__init__()
        self.choices = {choice.key: choice for choice in choices}
        self.path = path
        self.fmt = fmt
        self.scope_key = scope if scope in self.choices else next(iter(self.choices))

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with Vertical(id="export-body", classes="dialog") as body:
            body.border_title = "Export"
            body.border_subtitle = "Enter exports · Tab moves · Escape cancels"
            yield Label("What")
            yield Select(
                [(Text(c.label), c.key) for c in self.choices.values()],
                value=self.scope_key,
                allow_blank=False,
                id="export-scope",
            )
            yield Label("Format")
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS],
                value=self.fmt,
                allow_blank=False,
                id="export-format",
            )
            yield Label("Save to")
            # The cursor at the end, nothing selected: a key edits the name, never replaces it.
            yield Input(str(self.path), id="export-path", select_on_focus=False)
            yield Static("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-run")
                yield Button("Cancel", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        field = self.query_one("#export-path", Input)
        field.value = with_format_suffix(field.value, event.value)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-run")
    def action_export(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-error", Static).update("Say where to save the export.")
            self.set_focus(self.query_one("#export-path", Input))
            return
        fmt = self.query_one("#export-format", Select).value
        key = self.query_one("#export-scope", Select).value
        assert isinstance(fmt, str) and isinstance(key, str)
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        request = ExportRequest(fmt, self.choices[key].scope, path)
        if not path.exists():
            self.dismiss(request)
            return
        # Asked here, so that "no" comes back to the name, with the dialog as it was.
        from reader.app.screens.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(replace(request, overwrite=True))
            else:
                field = self.query_one("#export-path", Input)
                self.set_focus(field)
                field.cursor_position = len(field.value)
                self.query_one("#export-error", Static).update(
                    Text("The file exists: change the name, or Enter and y to overwrite it.")
                )

        question = f"{path} exists. Overwrite it?"
        self.app.push_screen(ConfirmDialog("File exists", question, yes="Overwrite"), answered)
