"""The highlighting flow: add, annotate, delete and restore highlights; the highlights view.

:class:`HighlightFlow` keeps the open article's highlights placed in its text
and the ones deleted (``u`` puts them back); it asks the highlight worker for
every change and pushes the store's answer down into the viewer and, when it is
open, the highlights view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.app.workers import highlight_ranges
from reader.support.textsafe import one_line

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reader.app import messages as msg
    from reader.app.screens.highlights import HighlightsScreen
    from reader.app.screens.note import NoteAndTags
    from reader.highlights.model import Highlight, Placed


#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


#: What the notification says once the store has changed.
CHANGED = {
    "added": "Highlighted. Press a to add a note, d to remove it.",
    "edited": "Note and tags saved.",
    "deleted": "Highlight deleted. Press u to undo.",
    "restored": "Highlight restored.",
}


class HighlightFlow:
    """The highlights of :class:`reader.app.app.ReaderApp`'s open article, and their changes."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app
        #: The open article's highlights by id, placed in its text (orphans too).
        self.placed: dict[str, Placed] = {}
        #: Deleted highlights, last one last: ``u`` puts them back.
        self.deleted: list[Highlight] = []
        #: The highlight the view's cursor was last on: the view opens there again.
        self.view_selected: str | None = None

    def placed_in_article(self, placed: Iterable[Placed]) -> None:
        """The highlights of the article just opened."""
        self.placed = {p.highlight.id: p for p in placed}

    # -- changes ---------------------------------------------------------------------------------

    def add(self, start: int, end: int) -> None:
        """Highlight ``start:end`` of the open article (unless it is highlighted already)."""
        document = self.app.reading.document
        if document is None:
            return
        for span in document.highlights_in(start, end):
            if (span.start, span.end) == (start, end):
                self.app.notify("That passage is already highlighted.", timeout=3)
                return
        self.app.highlight_worker("added", document, span=(start, end))

    def edit(self, highlight_id: str) -> None:
        """Edit the note of a highlight of the open article."""
        placed = self.placed.get(highlight_id)
        if placed is not None:
            highlight = placed.highlight
            self.edit_note(highlight.id, highlight.quote, highlight.note, highlight.tags)

    def delete(self, highlight_id: str) -> None:
        self.app.highlight_worker("deleted", self.app.reading.document, highlight_id=highlight_id)

    def edit_note(self, highlight_id: str, quote: str, note: str, tags: tuple[str, ...]) -> None:
        """Open the note dialog; saving it updates the store in a worker."""
        from reader.app.screens.note import NoteDialog

        app = self.app

        def saved(result: NoteAndTags | None) -> None:
            # Only what the user changed is saved, on the current record: a tag added
            # meanwhile by another process (`reader highlights edit`) stays.
            if result is not None and result != (None, None):
                text, new_tags = result
                app.highlight_worker(
                    "edited",
                    app.reading.document,
                    highlight_id=highlight_id,
                    note=text,
                    tags=new_tags,
                )

        app.push_screen(NoteDialog(quote, note, tags), saved)

    def undo_delete(self) -> None:
        if not self.deleted:
            self.app.notify("Nothing to undo.", timeout=2)
            return
        self.app.highlight_worker("restored", self.app.reading.document, restore=self.deleted.pop())

    def changed(self, event: msg.HighlightsChanged) -> None:
        """The store changed: place the open article's highlights afresh, say so."""
        document = self.app.reading.document
        if event.placed is not None and document is not None and document.id == event.article_id:
            self.placed = {p.highlight.id: p for p in event.placed}
            document.set_highlights(highlight_ranges(event.placed))
            self.app.main.viewer.highlights_changed()
        if event.deleted is not None:
            self.deleted.append(event.deleted)
        self.app.notify(CHANGED.get(event.what, "Highlights saved."), timeout=3)
        self._refresh_view()

    def store_problem(self, event: msg.StoreProblem) -> None:
        severity = "error" if event.severity == "error" else "warning"
        self.app.notify(one_line(event.message), title="Highlights", severity=severity, timeout=8)

    # -- the highlights view ---------------------------------------------------------------------

    def _views(self) -> list[HighlightsScreen]:
        from reader.app.screens.highlights import HighlightsScreen

        return [s for s in self.app.screen_stack if isinstance(s, HighlightsScreen)]

    def _refresh_view(self) -> None:
        if self._views():
            self.app.highlights_list_worker()

    def listed(self, event: msg.HighlightsListed) -> None:
        for screen in self._views():
            screen.show(event.excerpts)

    def view_changed(self, event: HighlightsScreen.Changed) -> None:
        """A highlight was edited or deleted in the highlights view."""
        entry = event.entry
        if event.what == "note":
            excerpt = entry.excerpt
            self.edit_note(entry.id, excerpt.quote, excerpt.note, excerpt.tags)
        elif event.what == "delete":
            self.app.highlight_worker("deleted", self.app.reading.document, highlight_id=entry.id)

    def open_view(self) -> None:
        """Push the highlights view (once); choosing one opens its article there."""
        from reader.app.screens.highlights import HighlightsScreen

        app = self.app
        if any(isinstance(screen, HighlightsScreen) for screen in app.screen_stack):
            return

        view = HighlightsScreen(app.corpus, select=self.view_selected)

        def chosen(result: tuple[str, int] | None) -> None:
            self.view_selected = view.selected_id
            if result is not None:
                article_id, offset = result
                app.reading.open(article_id, offset=offset, reason="highlight")
                app.focus_now(app.main.viewer)

        app.push_screen(view, chosen)
        app.highlights_list_worker()
