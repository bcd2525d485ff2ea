"""The footer: key hints generated from the bindings, with ``? Help`` always in view."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
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

    #: The hints the footer was last composed with (see :meth:`bindings_changed`).
    _hints_shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        """Bindings may have changed (focus moved, a pane was shown): rebuild the hints
        only when they differ from those on screen. Textual's footer rebuilds every
        hint widget each time it is told; opening an article told it twice with the
        same hints (the open took 0.26 s of CPU headless, 0.18 s without the rebuild)."""
        if (
            self._bindings_ready
            and self.is_attached
            and screen is self.screen
            and _hints(screen) == self._hints_shown
        ):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._hints_shown = _hints(self.screen)
        widgets = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            action = action.removeprefix("app.")
            return self.FIRST.index(action) if action in self.FIRST else len(self.FIRST)

        # A stable sort: every other hint keeps its place.
        ordered = sorted(widgets, key=rank)
        width = self.size.width or self.app.size.width
        self.compact = width < COMPACT_BELOW or _needed(ordered, compact=False) > width
        yield from _fitting(ordered, width, self.compact)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != getattr(self, "_composed_width", None):
            self._composed_width = event.size.width
            # The hints that fit depend on the width: a hint is shown whole or not at all.
            self.refresh(recompose=True)


def _hints(screen: Screen) -> tuple:
    """What the footer shows for ``screen``'s active bindings: keys as displayed,
    descriptions, actions, enabled or not."""
    app = screen.app
    return tuple(
        (
            binding.key,
            app.get_key_display(binding),
            binding.description,
            binding.action,
            enabled,
            tooltip,
            binding.show,
            binding.group,
        )
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
    )


def _hint_width(widget: object, compact: bool) -> int:
    """The columns a footer hint takes (see Textual's FooterKey: key and description,
    padded by a column each unless compact)."""
    if not isinstance(widget, FooterKey):
        return 0
    key, description = len(widget.key_display), len(widget.description)
    if compact:
        return key + (description + 1 if description else 0) + 1
    return key + 2 + (description + 1 if description else 0)


def _needed(widgets: list, compact: bool) -> int:
    return sum(_hint_width(widget, compact) for widget in widgets)


def _fitting(widgets: list, width: int, compact: bool) -> list:
    """The hints that fit whole in ``width`` columns, in order; the command palette's
    (docked at the right) always, and nothing cut in half beside it (no stray "N",
    no "x Expor")."""
    palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
    room = width - _needed(palette, compact)
    kept = []
    for widget in widgets:
        if widget in palette:
            continue
        if not isinstance(widget, FooterKey):
            kept.append(widget)
            continue
        need = _hint_width(widget, compact)
        if need > room:
            break
        room -= need
        kept.append(widget)
    return kept + palette
