"""The export flow: choose what and where in a dialog, write it in a worker.

:class:`ExportFlow` offers what can be exported now (the open article's
highlights, all of them, the search's), hands the choice to the export worker
and asks before overwriting a file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.support.textsafe import one_line

if TYPE_CHECKING:
    from reader.app.backend import ExportRequest
    from reader.app.screens.export import ScopeChoice


#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


class ExportFlow:
    """Exports from :class:`reader.app.app.ReaderApp`."""

    def __init__(self, app: ReaderApp) -> None:
        self.app = app

    def choices(self) -> list[ScopeChoice]:
        """What can be exported now: the open article, everything, the search's."""
        from reader.app.screens.export import ScopeChoice
        from reader.export import Scope

        choices = []
        document = self.app.reading.document
        if document is not None:
            title = one_line(document.title)
            if len(title) > 40:
                title = title[:39] + "…"
            choices.append(ScopeChoice("article", f"Highlights of {title}", Scope((document.id,))))
        choices.append(ScopeChoice("all", "All highlights", Scope()))
        request = self.app.search.request
        query = request.query.strip()
        filtered = bool(request.describe_filters())
        ids = tuple(self.app.main.search_pane.results_list.article_ids)
        if query and not filtered:
            choices.append(
                ScopeChoice("results", "Highlights of the search results", Scope(query=query))
            )
        elif ids:
            choices.append(ScopeChoice("results", "Highlights of the search results", Scope(ids)))
        if query:
            choices.append(
                ScopeChoice(
                    "hits", f"Passages matching {one_line(query)}", Scope(query=query, hits=True)
                )
            )
        return choices

    def ask(self, scope: str | None = None) -> None:
        """Open the export dialog (once), with ``scope`` chosen if given."""
        from reader.app.screens.export import ExportDialog, default_export_path

        app = self.app
        if any(isinstance(screen, ExportDialog) for screen in app.screen_stack):
            return

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                app.export_worker(request)

        path = default_export_path(corpus=app.corpus)
        app.push_screen(ExportDialog(self.choices(), path, scope=scope), chosen)

    def confirm_overwrite(self, request: ExportRequest) -> None:
        """The file exists: ask, and export again over it only if the user says yes."""
        from reader.app.screens.confirm import ConfirmDialog

        app = self.app

        def answered(yes: bool | None) -> None:
            if yes:
                app.export_worker(replace(request, overwrite=True))
            else:
                app.notify("Export cancelled: the file was left as it was.", timeout=3)

        question = f"{request.path} exists. Overwrite it?"
        app.push_screen(ConfirmDialog("File exists", question, yes="Overwrite"), answered)

    def finished(self, path: Path, count: int) -> None:
        what = f"{count} excerpt{'s' if count != 1 else ''}" if count else "Nothing to export;"
        self.app.notify(f"{what} saved to {one_line(str(path))}", title="Export")
