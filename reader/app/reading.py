"""The reading flow: open an article, restore the reader's place, step through results.

:class:`ReadingFlow` keeps the open article and the one last asked for, asks
the article worker for it (with the query's terms, so its hits are marked) and
pushes the loaded article down into the viewer and the entity panel. It also
restores the article of the last session and opens the top result when
nothing is open yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from reader.app import messages as msg
    from reader.app.document import ArticleDocument
    from reader.search.engine import SearchResults


#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


class ReadingFlow:
    """The article open in :class:`reader.app.app.ReaderApp`, and how it got there."""

    def __init__(self, app: ReaderApp, restore: tuple[str, int] | None) -> None:
        self.app = app
        self.document: ArticleDocument | None = None
        #: The article of the last session, opened once the first results are in.
        self._pending_restore = restore
        self._opened_first = False
        #: The article last asked for: the open one, or the one a worker is loading.
        self.requested_id: str | None = None
        #: An article asked for before the index was open (from the results kept from
        #: the last run): ``(id, offset, reason)``, opened when it is.
        self._after_opening: tuple[str, int, str] | None = None

    def open(self, article_id: str, offset: int = 0, reason: str = "user") -> None:
        """Load ``article_id`` in a worker; ``reason`` says why (restore, refresh, ...)."""
        self._opened_first = True
        self.requested_id = article_id
        if not self.app.index_ready:
            # A result kept from the last run, chosen before the index is open: it opens
            # as soon as the index is, instead of the last session's article.
            self._after_opening = (article_id, offset, reason)
            self._pending_restore = None
            return
        results = self.app.search.results
        terms = results.terms if results else None
        if reason != "refresh":
            self.app.main.viewer.start_loading()  # keys pressed meanwhile wait for it
        self.app.article_worker(article_id, terms, offset, reason, self.app.main.viewer.measure)

    def refresh(self, hits_only: bool = False) -> None:
        """Load the open article again, where the reader is (its text or terms changed).

        ``hits_only``: only the query changed; the text, entities and wrapping of the
        open article are kept and only its hits are found again (reloading a 20 MB
        article at every keystroke of a query cost seconds each).
        """
        if self.document is not None:
            reason = "hits" if hits_only and not self.document.partial else "refresh"
            self.open(self.document.id, offset=self.app.main.viewer.top_offset, reason=reason)

    def results_shown(self, results: SearchResults, previous_terms: object) -> None:
        """New results are listed: restore the last session's article, open the top
        result when nothing is open, or mark the new query's hits in the open one."""
        if self._pending_restore is not None:
            article_id, offset = self._pending_restore
            self._pending_restore = None
            self.open(article_id, offset=offset, reason="restore")
        elif self.document is None and results.hits and not self._opened_first:
            self.open(results.hits[0].id, reason="first")
        elif self.document is not None and results.terms != previous_terms:
            # The query changed: mark its hits in the open article, in place.
            self.refresh(hits_only=True)

    def loaded(self, event: msg.ArticleLoaded) -> None:
        app = self.app
        document = event.document
        if document is None:
            app.main.viewer.stop_loading()
            if self.requested_id == event.article_id:
                self.requested_id = self.document.id if self.document else None
            if event.reason == "restore":
                if app.indexing:
                    self._pending_restore = (event.article_id, event.offset)
                    return
                app.notify(
                    "The article you were reading last time is no longer in the corpus.",
                    title="Welcome back",
                )
                self._opened_first = False  # open the top result instead
                app.search.now()
            elif event.reason not in ("refresh", "hits"):
                app.notify("That article is no longer in the index.", severity="warning")
            return
        main = app.main
        viewer = main.viewer
        shown = self.document
        # The whole of an article whose first part is on screen: stay where the reader is.
        completing = (
            not event.partial
            and shown is not None
            and shown.partial
            and shown.id == document.id
            and viewer.document is shown
        )
        selected = viewer.selected_key if event.reason in ("refresh", "hits") else None
        offset = viewer.top_offset if completing else event.offset
        self.document = document
        app.highlighting.placed_in_article(event.highlights)
        viewer.show(document, offset=offset, wrapped=event.wrapped)
        orphans = sum(p.orphaned for p in event.highlights)
        if orphans and event.reason not in ("refresh", "hits"):
            app.notify(
                f"{orphans} highlight{'s' if orphans != 1 else ''} of this article "
                "could not be found in its current text; press v to see "
                f"{'them' if orphans != 1 else 'it'} with the quote.",
                title="Highlights",
                severity="warning",
            )
        if selected:
            viewer.select_entity(selected)
        else:
            main.entity_panel.show_document(document)
        if event.reason not in ("refresh", "hits"):
            main.search_pane.results_list.highlight_article(document.id)

    def index_opened(self) -> None:
        """The index is open: load the article asked for meanwhile, if any."""
        if self._after_opening is not None:
            article_id, offset, reason = self._after_opening
            self._after_opening = None
            self.open(article_id, offset=offset, reason=reason)

    def index_updated(self, changed: tuple[str, ...], removed: tuple[str, ...]) -> None:
        """The index was brought up to date: close the article if it is gone, reload it
        if it changed."""
        document = self.document
        if document is not None and document.id in removed:
            self.app.notify(
                "The article you were reading is no longer in the corpus.", title="Index"
            )
            self.document = None
            self.requested_id = None
            self.app.main.clear_article()
            self._opened_first = False  # open the top result instead
        elif document is not None and document.id in changed:
            self.refresh()

    def step(self, step: int) -> None:
        """Open the next (``step`` 1) or previous (-1) result."""
        ids = self.app.main.search_pane.results_list.article_ids
        if not ids:
            return
        # Count from the article last asked for, not the open one: keys pressed in a burst
        # each step on while the article is still loading.
        current = self.requested_id
        index = ids.index(current) + step if current in ids else (0 if step > 0 else len(ids) - 1)
        if 0 <= index < len(ids):
            self.open(ids[index], reason="navigate")
        else:
            self.app.notify("No more results that way.", timeout=2)

    def open_link(self) -> None:
        """Open the article's ``url`` in the browser: http(s) only, after asking."""
        from reader.app.screens.confirm import ConfirmDialog

        app = self.app
        document = self.document
        if document is None:
            app.notify("No article open.", timeout=2)
            return
        url = document.url
        if not url:
            app.notify("This article has no link (no url in its front matter).", timeout=3)
            return
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https") or not urlsplit(url).netloc:
            shown = f"{scheme}:" if scheme else "not a web address"
            app.notify(f"Only http and https links are opened; this one is {shown}", timeout=5)
            return

        if not browser_available():
            # Over SSH or on a machine with no desktop, "open" would do nothing (or start
            # a text browser over the app): offer the clipboard instead (OSC 52, which
            # reaches the user's own terminal, even over SSH).
            def copy(yes: bool | None) -> None:
                if yes:
                    app.copy_to_clipboard(url)
                    app.notify(
                        "Link copied to the clipboard (if your terminal allows OSC 52).",
                        timeout=4,
                    )

            question = f"No web browser can be opened from here. Copy {url} to the clipboard?"
            app.push_screen(ConfirmDialog("Open link", question, yes="Copy"), copy)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                app.open_url(url)

        app.push_screen(
            ConfirmDialog("Open link", f"Open {url} in your web browser?", yes="Open"), answered
        )


#: Browsers Python's ``webbrowser`` falls back to without a desktop: they run in the
#: terminal, over the app.
_TERMINAL_BROWSERS = {"www-browser", "links", "elinks", "lynx", "w3m"}


def browser_available() -> bool:
    """Whether a link can open in a web browser the user sees: not over SSH, not
    without a desktop, not in a text browser that would take over the terminal."""
    import os
    import sys
    import webbrowser

    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False  # it would open on the remote machine's screen, if anywhere
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return getattr(browser, "name", "") not in _TERMINAL_BROWSERS
