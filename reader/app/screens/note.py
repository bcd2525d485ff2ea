"""The note dialog: edit the note and tags of one highlight."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from reader.app.widgets.footer import ReaderFooter
from reader.support.textsafe import one_line

#: What the dialog returns (None: cancelled): the note and the tags, each None when the
#: user left it as it was shown, so that saving never puts back a value another
#: process changed meanwhile.
NoteAndTags = tuple[str | None, tuple[str, ...] | None]

#: How much of the quote the dialog shows.
QUOTE_PREVIEW = 240


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as ``one, two three`` or ``#one #two``: split at commas and spaces."""
    return tuple(tag.lstrip("#") for tag in re.split(r"[,\s]+", text) if tag.lstrip("#"))


class NoteDialog(ModalScreen[NoteAndTags | None]):
    """A small form over the app: the quote, a note (several lines) and tags.

    The note opens with the cursor at its end, nothing selected: the first key
    adds to it, never replaces it. Enter starts a new line of the note; ctrl+s,
    or Enter in the tags, saves; Escape cancels and saves nothing.
    """

    #: Focused as the dialog opens, before any key typed after ``a`` is handled (a
    #: deferred ``focus()`` in ``on_mount`` would land after a quick Tab and pull the
    #: tags back into the note).
    AUTO_FOCUS = "#note-input"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+s", "save", "Save", id="note.save"),
    ]

    def __init__(self, quote: str, note: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.quote = quote
        self.note = note
        self.tags = tags

    def compose(self) -> ComposeResult:
        yield ReaderFooter()  # this dialog's keys, not the main screen's
        with Vertical(id="note-body", classes="dialog") as body:
            body.border_title = "Note and tags"
            body.border_subtitle = "ctrl+s saves · Tab: tags · Escape cancels"
            quote = one_line(self.quote)
            if len(quote) > QUOTE_PREVIEW:
                quote = quote[: QUOTE_PREVIEW - 1] + "…"
            yield Static(Text(f"“{quote}”"), id="note-quote")
            yield Label("Note")
            yield TextArea(
                self.note,
                id="note-input",
                placeholder="A note (Enter starts a new line)",
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
                highlight_cursor_line=False,
            )
            yield Label("Tags")
            yield Input(
                self._shown_tags,
                id="tags-input",
                placeholder="Tags, separated by spaces or commas",
            )

    @property
    def _shown_tags(self) -> str:
        return " ".join(self.tags)

    def on_mount(self) -> None:
        note = self.query_one("#note-input", TextArea)
        note.move_cursor(note.document.end)

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Dismiss with what the user changed; the rest is None (left as it is)."""
        note = self.query_one("#note-input", TextArea).text
        tags = self.query_one("#tags-input", Input).value
        self.dismiss(
            (
                None if note == self.note else note,
                None if tags == self._shown_tags else parse_tags(tags),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
