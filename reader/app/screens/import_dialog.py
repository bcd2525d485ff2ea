"""Ask what to import: a saved page or folder, a URL, a feed, an OPML, urls or export file."""

from __future__ import annotations

import shlex
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.app.widgets.footer import ReaderFooter

HINT = (
    "A saved page or a folder of them, the URL of an article or of a feed (RSS, Atom, "
    "JSON Feed), an OPML or urls file, or a Pocket, wallabag or Omnivore export. "
    "Several at once: separate them with spaces (quote a path that has spaces)."
)


def split_sources(text: str) -> list[str]:
    """The sources typed in the box: shell-like words, so a quoted path may hold spaces."""
    try:
        return [word for word in shlex.split(text) if word.strip()]
    except ValueError:  # an unclosed quote: take the words as they are
        return text.split()


class ImportDialog(ModalScreen[list[str] | None]):
    """One line for the sources; Enter imports them into the corpus, Escape cancels."""

    AUTO_FOCUS = "#import-sources"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
    ]

    def __init__(self, corpus_name: str) -> None:
        super().__init__()
        self.corpus_name = corpus_name

    def compose(self) -> ComposeResult:
        yield ReaderFooter()
        with Vertical(id="import-body", classes="dialog") as body:
            body.border_title = "Import articles"
            yield Static(Text(HINT), id="import-hint")
            yield Input(
                placeholder="~/Downloads/saved-pages  https://…/feed.xml", id="import-sources"
            )
            yield Label(Text(f"into {self.corpus_name} · Enter imports · Esc cancels"))

    @on(Input.Submitted, "#import-sources")
    def _submitted(self, event: Input.Submitted) -> None:
        sources = split_sources(event.value)
        if sources:
            self.dismiss(sources)
        else:
            self.notify("Type a page, folder, URL or file to import.", timeout=3)

    def action_cancel(self) -> None:
        self.dismiss(None)
