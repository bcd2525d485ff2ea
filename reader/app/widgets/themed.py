"""Option lists styled from their component classes, right in every theme."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from textual.widgets import OptionList


def foreground(style: Style, *, colour: bool = True) -> Style:
    """``style`` without its background (and without its colour if not ``colour``).

    Rich styles of component classes carry the widget's background: inside a
    highlighted row that would leave holes of the pane's colour in the bar.
    """
    return Style(
        color=style.color if colour else None,
        bold=style.bold,
        italic=style.italic,
        dim=style.dim,
        underline=style.underline,
    )


class ThemedOptionList(OptionList):
    """An option list whose prompts are styled from its component classes: drawn
    again, in the new colours, when the theme changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Draws the list as it is now from its data: called again on a theme change.
        self._redraw: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        if self._redraw is not None:
            # The component styles follow the new theme only after the restyle.
            self.call_after_refresh(self._redraw_keeping_place)

    def _redraw_keeping_place(self) -> None:
        if self._redraw is None:
            return
        highlighted, scroll_y = self.highlighted, self.scroll_y
        self._redraw()
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted
        self.scroll_y = scroll_y
