"""The highlights view: every highlight of every article, orphans included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line

if TYPE_CHECKING:
    from reader.export import ArticleInfo, Excerpt, ExcerptSet

#: Characters of a quote or note shown in the table.
QUOTE_WIDTH = 56
NOTE_WIDTH = 24
TITLE_WIDTH = 24


def _clip(text: str, width: int) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class HighlightEntry:
    """One row of the view: the highlight as an excerpt, with its article."""

    article: ArticleInfo
    excerpt: Excerpt

    @property
    def id(self) -> str:
        return self.excerpt.highlight_id or ""


class HighlightsScreen(ModalScreen[tuple[str, int] | None]):
    """A table of highlights. Dismisses with ``(article id, offset)`` to open one."""

    #: The table has focus as the view opens (keys typed after ``v`` reach it).
    AUTO_FOCUS = "DataTable"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open at highlight", id="highlights.open"),
        Binding("a", "note", "Edit note", id="highlights.note"),
        Binding("d,delete", "delete", "Delete", id="highlights.delete"),
        Binding("u,ctrl+z", "app.undo_delete", "Undo delete", id="highlights.undo"),
        Binding("c", "copy", "Copy as Markdown", id="highlights.copy"),
        Binding("x", "app.export('all')", "Export", id="highlights.export"),
        Binding("escape,q,v", "close", "Close", id="highlights.close"),
    ]

    @dataclass
    class Changed(Message):
        """The user wants a highlight edited (``what`` "note") or deleted ("delete")."""

        what: str
        entry: HighlightEntry

    def __init__(self, corpus: Path | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.entries: dict[str, HighlightEntry] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with Vertical(id="highlights-body") as body:
            body.border_title = "Highlights"
            body.border_subtitle = (
                "Enter opens · a note · d delete · u undo · c copy · x export · Esc closes"
            )
            yield Static(Text("Loading highlights…"), id="highlights-summary")
            yield DataTable(id="highlights-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("article", width=TITLE_WIDTH, key="article")
        table.add_column("quote", width=QUOTE_WIDTH, key="quote")
        table.add_column("note", width=NOTE_WIDTH, key="note")
        table.add_column("tags", key="tags")
        table.add_column("state", key="state")

    def show(self, excerpts: ExcerptSet) -> None:
        """Fill the table (keeps the cursor on the same highlight, or the same row)."""
        table = self.query_one(DataTable)
        keep_row = table.cursor_row
        keep_id = self.current.id if self.current else None
        self.entries = {}
        table.clear()
        orphans = 0
        for article, excerpt in excerpts.excerpts():
            entry = HighlightEntry(article, excerpt)
            self.entries[entry.id] = entry
            orphans += excerpt.orphaned
            state = Text("orphaned", style="bold") if excerpt.orphaned else Text(excerpt.status)
            if not article.available:
                state = Text("article gone", style="bold")
            table.add_row(
                Text(_clip(article.display_title, TITLE_WIDTH)),
                Text(_clip(excerpt.quote, QUOTE_WIDTH)),
                Text(_clip(excerpt.note, NOTE_WIDTH)),
                Text(" ".join(f"#{tag}" for tag in excerpt.tags)),
                state,
                key=entry.id,
            )
        self.loaded = True
        count = len(self.entries)
        summary = f"{count} highlight{'s' if count != 1 else ''}" if count else "No highlights yet."
        if not count:
            summary += " In an article, ( and ) move the sentence cursor and h highlights."
        if orphans:
            summary += (
                f" · {orphans} orphaned: the passage is no longer in the article's text;"
                " kept with its quote"
            )
        self.query_one("#highlights-summary", Static).update(Text(summary))
        if keep_id in self.entries:
            table.move_cursor(row=table.get_row_index(keep_id))
        elif count:
            table.move_cursor(row=min(keep_row, count - 1))

    @property
    def current(self) -> HighlightEntry | None:
        table = self.query_one(DataTable)
        if not self.entries or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(key or "")

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        entry = self.current
        if entry is None:
            return
        if not entry.article.available:
            self.notify("That article is no longer in the corpus.", severity="warning")
            return
        if entry.excerpt.orphaned:
            self.notify(
                "That passage is no longer in the article: opening it at the top.",
                severity="warning",
            )
            self.dismiss((entry.article.id, 0))
            return
        self.dismiss((entry.article.id, entry.excerpt.start))

    def action_note(self) -> None:
        if (entry := self.current) is not None:
            self.post_message(self.Changed("note", entry))

    def action_delete(self) -> None:
        if (entry := self.current) is not None:
            self.post_message(self.Changed("delete", entry))

    def action_copy(self) -> None:
        from reader.export.markdown import excerpt_markdown

        entry = self.current
        if entry is None:
            return
        text = excerpt_markdown(entry.article, entry.excerpt, path_base=self.corpus)
        self.app.copy_to_clipboard(text)
        self.notify("Copied the quote and its citation as Markdown.", timeout=3)

    def action_close(self) -> None:
        self.dismiss(None)
