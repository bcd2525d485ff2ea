"""The app's help and command palette: both generated from what the app can do.

:func:`help_sections` lists every key by pane from the bindings themselves (as
the user remapped them), so the help is never typed twice;
:func:`reader_commands` is the reader's part of the command palette (ctrl+p).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding

from reader.app.document import ENTITY_KINDS, KIND_LABELS
from reader.app.widgets.entity_panel import EntityDetailsList, EntityList
from reader.app.widgets.search_pane import QueryInput, ResultsList
from reader.app.widgets.viewer import ArticleViewer

if TYPE_CHECKING:
    from reader.app.screens.help import HelpSection


#: The :class:`reader.app.app.ReaderApp`; not imported, even for type checking, since it
#: imports this module (``tests/test_layout.py`` forbids circles).
ReaderApp = Any


def help_sections(app: ReaderApp) -> list[HelpSection]:
    """Every key, by pane, as ``app``'s keymap has them."""
    from reader.app.screens.help import HelpSection, help_rows
    from reader.app.screens.highlights import HighlightsScreen

    keymap = app.settings.keymap
    parts = [
        ("Anywhere (not while typing)", [*App.BINDINGS, *type(app).BINDINGS]),
        ("Query box", QueryInput.BINDINGS),
        ("Results", ResultsList.BINDINGS),
        ("Article", ArticleViewer.BINDINGS),
        ("Entities", [*EntityList.BINDINGS, *EntityDetailsList.BINDINGS]),
        ("Highlights view", HighlightsScreen.BINDINGS),
        *explore_help(),
    ]
    sections = [HelpSection(title, help_rows(app, b, keymap)) for title, b in parts]
    palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Commands")
    extra = help_rows(app, [palette], {})
    sections[0] = HelpSection(sections[0].title, sections[0].rows + extra)
    return sections


def known_binding_ids(app: ReaderApp) -> set[str]:
    """Every binding id a user can remap: the app's, its panes', its screens' and
    dialogs' (their modules are imported here, after the first frame)."""
    import importlib

    from textual.dom import DOMNode

    for name in ("confirm", "export", "help", "highlights", "note", "problems"):
        importlib.import_module(f"reader.app.screens.{name}")
    ids: set[str] = set()
    todo: list[type] = [DOMNode]
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("reader.") or cls is type(app):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def reader_commands(app: ReaderApp) -> Iterator[SystemCommand]:
    """The reader's commands in the palette, after Textual's own."""
    other = "date" if app.search.request.sort == "relevance" else "relevance"
    yield SystemCommand(f"Sort by {other}", "Order the results by " + other, app.action_toggle_sort)
    for kind in ENTITY_KINDS:
        label = KIND_LABELS[kind]
        state = "Show" if kind in app.main.viewer.hidden_kinds else "Hide"
        yield SystemCommand(
            f"{state} {label.lower()}",
            f"Toggle the colouring of {label.lower()} in the article",
            lambda kind=kind: app.action_toggle_kind(kind),
        )
    yield SystemCommand(
        "Compact results",
        "One line per result, or title and snippet (l)",
        app.action_toggle_compact,
    )
    yield SystemCommand("Rebuild index", "Re-read every article", app.action_rebuild)
    yield SystemCommand(
        "Import…",
        "Saved pages, a URL, a feed, OPML or urls file, or a read-later export",
        app.action_import,
    )
    yield SystemCommand(
        "Update feeds", "Fetch the new items of this corpus's feeds", app.action_update_feeds
    )
    yield SystemCommand(
        "Export",
        "Highlights or search passages as Markdown, JSON, YAML, CSV or W3C annotations",
        app.action_export,
    )
    yield SystemCommand(
        "Highlights", "Every highlight: open, edit, delete, copy", app.action_highlights
    )
    yield SystemCommand("Index problems", "Files that could not be indexed", app.action_problems)
    yield SystemCommand("Clear filters", "Search the whole corpus again", app.action_clear_filters)
    yield SystemCommand("Entity panel", "Show or hide the side panel", app.action_toggle_entities)
    yield from explore_commands(app)
    yield SystemCommand("Help", "Every key, by pane", app.action_help)


def explore_help() -> list[tuple[str, list[Binding]]]:
    """The Explore mode's keys, by view (its module loads when help opens)."""
    from reader.app.explore.agreements import AgreementsScreen
    from reader.app.explore.screen import EntityPageList, EntityPageScreen, ExploreScreen
    from reader.app.explore.widgets import FacetList, KwicView, TimelineList

    return [
        ("Explore (E)", ExploreScreen.BINDINGS),
        ("Explore · facets", FacetList.BINDINGS),
        ("Explore · timeline", TimelineList.BINDINGS),
        ("Explore · keyword in context", KwicView.BINDINGS),
        ("Entity page", [*EntityPageScreen.BINDINGS, *EntityPageList.BINDINGS]),
        ("Agreements table", AgreementsScreen.BINDINGS),
    ]  # type: ignore[list-item]


def explore_commands(app: ReaderApp) -> Iterator[SystemCommand]:
    """Each Explore view by its name in the palette."""
    views = {
        "Explore": "Facets of the results: top people, places and agreements",
        "Timeline": "The results by publication date; choose a range to filter",
        "Keyword in context": "Every hit of the query on one line, aligned on the hit",
        "Agreements": "The corpus's agreement records: sort, filter by party, open reports",
    }
    for name, help_text in views.items():
        yield SystemCommand(name, help_text, lambda name=name: app.action_explore(name))
