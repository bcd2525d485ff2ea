"""The help screen, generated from the bindings (so it can never disagree with them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.app.widgets.footer import ReaderFooter


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One action: the keys that do it, what it does, and its id for the keymap."""

    keys: str
    description: str
    binding_id: str


@dataclass(frozen=True, slots=True)
class HelpSection:
    """The bindings of one part of the app."""

    title: str
    rows: tuple[HelpRow, ...]


def help_rows(
    app: App, bindings: Iterable[BindingType], keymap: Mapping[str, str]
) -> tuple[HelpRow, ...]:
    """Rows for the bindings that have a description, with the user's keymap applied."""
    rows: list[HelpRow] = []
    seen: dict[tuple[str, str], int] = {}
    for item in bindings:
        if not isinstance(item, Binding):
            item = Binding(*item)
        if not item.description or item.system:
            continue
        keys = keymap.get(item.id or "", item.key)
        shown = ", ".join(
            app.get_key_display(Binding(key.strip(), item.action)) for key in keys.split(",")
        )
        marker = (item.action, item.description)
        if marker in seen:
            # The same action on several bindings (e.g. two keys): one row, all keys.
            previous = rows[seen[marker]]
            rows[seen[marker]] = HelpRow(
                f"{previous.keys}, {shown}",
                previous.description,
                previous.binding_id or item.id or "",
            )
            continue
        seen[marker] = len(rows)
        rows.append(HelpRow(shown, item.description, item.id or ""))
    return tuple(rows)


class HelpScreen(ModalScreen[None]):
    """Every key of the app, by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, sections: Iterable[HelpSection], config_hint: str = "") -> None:
        super().__init__()
        self.sections = tuple(sections)
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Escape closes"
            # One width for the id column of every section, so the columns line up.
            ids = [row.binding_id for section in self.sections for row in section.rows]
            id_width = max(map(len, ids), default=0)
            for section in self.sections:
                yield Static(self._table(section, id_width), classes="help-section")
            if self.config_hint:
                yield Static(Text(self.config_hint), classes="help-hint")

    def _table(self, section: HelpSection, id_width: int) -> Table:
        table = Table(
            title=section.title,
            title_justify="left",
            title_style="bold",
            show_header=False,
            box=None,
            expand=True,
            padding=(0, 1),
        )
        table.add_column("keys", style="bold", no_wrap=True, width=16)
        table.add_column("action", ratio=1)
        table.add_column("id", style="dim", no_wrap=True, width=id_width)
        for row in section.rows:
            table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
