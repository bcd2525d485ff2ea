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

#: The columns of the table and their share of the width left once the state column
#: (its longest word) and the tags (up to TAGS_WIDTH) have theirs.
COLUMN_SHARES = {"article": 0.25, "quote": 0.5, "note": 0.25}
STATE_WIDTH = len("article gone")
TAGS_WIDTH = 16
#: Below this many columns for the text, the notes' column folds into the detail
#: under the table (which always shows the selected row's full quote and note).
MIN_COLUMN = 8


def column_widths(width: int, longest_tags: int) -> dict[str, int]:
    """The width of each column of a table ``width`` columns wide (DataTable pads
    each cell with a column either side, and keeps two for its scrollbar)."""
    tags = min(TAGS_WIDTH, max(len("tags"), longest_tags))
    room = max(3 * MIN_COLUMN, width - 2 - 2 * 5 - STATE_WIDTH - tags)
    widths = {name: max(MIN_COLUMN, int(room * share)) for name, share in COLUMN_SHARES.items()}
    widths["quote"] += room - sum(widths.values())
    widths["tags"] = tags
    widths["state"] = STATE_WIDTH
    return widths


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

    def __init__(self, corpus: Path | None = None, select: str | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.entries: dict[str, HighlightEntry] = {}
        self.loaded = False
        #: The highlight the cursor is on (or goes to when the rows come): the app
        #: opens the view there again next time.
        self.selected_id = select
        self._excerpts: ExcerptSet | None = None
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with Vertical(id="highlights-body") as body:
            body.border_title = "Highlights"
            body.border_subtitle = (
                "Enter opens · a note · d delete · u undo · c copy · x export · Esc closes"
            )
            yield Static(Text("Loading highlights…"), id="highlights-summary")
            yield DataTable(id="highlights-table", cursor_type="row", zebra_stripes=True)
            # The selected highlight in full: its article, whole quote and note.
            yield Static("", id="highlights-detail")

    def on_resize(self) -> None:
        if self._excerpts is not None:
            self.show(self._excerpts)

    def _set_columns(self, table: DataTable, longest_tags: int) -> None:
        """Columns that fit the table's width (set again when the width changes)."""
        width = table.size.width or self.app.size.width - 6
        widths = column_widths(width, longest_tags)
        if widths == self._widths:
            table.clear()
            return
        self._widths = widths
        table.clear(columns=True)
        for key, column_width in widths.items():
            table.add_column(key, width=column_width, key=key)

    def show(self, excerpts: ExcerptSet) -> None:
        """Fill the table (keeps the cursor on the same highlight, or the same row)."""
        self._excerpts = excerpts
        table = self.query_one(DataTable)
        keep_row = table.cursor_row
        keep_id = self.current.id if self.current else self.selected_id
        self.entries = {}
        rows = list(excerpts.excerpts())
        longest_tags = max(
            (len(" ".join(f"#{tag}" for tag in excerpt.tags)) for _, excerpt in rows), default=0
        )
        self._set_columns(table, longest_tags)
        widths = self._widths
        orphans = 0
        for article, excerpt in rows:
            entry = HighlightEntry(article, excerpt)
            self.entries[entry.id] = entry
            orphans += excerpt.orphaned
            state = Text("orphaned", style="bold") if excerpt.orphaned else Text(excerpt.status)
            if not article.available:
                state = Text("article gone", style="bold")
            table.add_row(
                Text(_clip(article.display_title, widths["article"])),
                Text(_clip(excerpt.quote, widths["quote"])),
                Text(_clip(excerpt.note, widths["note"])),
                Text(_clip(" ".join(f"#{tag}" for tag in excerpt.tags), widths["tags"])),
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
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The selected highlight's article, full quote and note, under the table."""
        entry = self.current
        detail = self.query_one("#highlights-detail", Static)
        if entry is None:
            detail.update("")
            return
        self.selected_id = entry.id
        excerpt = entry.excerpt
        text = Text.assemble((one_line(entry.article.display_title), "bold"), "\n")
        text.append(f"“{one_line(excerpt.quote)}”", style="italic")
        if excerpt.note:
            text.append("\nNote: ", style="bold")
            text.append(excerpt.note)
        if excerpt.tags:
            text.append("\n" + " ".join(f"#{tag}" for tag in excerpt.tags))
        detail.update(text)

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
