"""Leaving Explore for the reading mode at a place in an article."""

from __future__ import annotations

from typing import Any

#: The :class:`reader.app.app.ReaderApp` (not imported: it imports the Explore screen).
ReaderApp = Any


def open_in_reader(app: ReaderApp, article_id: str, offset: int) -> None:
    """Back to the reading mode with ``article_id`` open at ``offset``."""
    while len(app.screen_stack) > 1:
        app.pop_screen()
    app.reading.open(article_id, offset=offset)
    app.focus_now(app.main.viewer)
