"""The footer: key hints generated from the bindings, with ``? Help`` always in view."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Below this many columns the footer drops the space between hints.
COMPACT_BELOW = 110


class ReaderFooter(Footer):
    """Textual's footer, with the hints that must never be cut off shown first.

    The footer lists the focused pane's keys, then the screen's; at 80 columns
    the list is cut at the right edge. ``? Help`` (which lists every key) and
    ``q Quit`` come first so they always show; below :data:`COMPACT_BELOW`
    columns the footer is compact, so more of the rest fits. Modal screens yield
    one too, so a dialog's own keys are shown while it is open.
    """

    #: Actions whose hints lead the footer, in this order.
    FIRST: ClassVar[tuple[str, ...]] = ("help", "quit")

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            action = action.removeprefix("app.")
            return self.FIRST.index(action) if action in self.FIRST else len(self.FIRST)

        # A stable sort: every other hint keeps its place.
        yield from sorted(widgets, key=rank)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
