"""The side panel: people, places, organisations and agreements of the open article.

Each entity shows its mentions in the article and, when the index's entity table
knows it, how many articles of the corpus mention it ("5× · 12 articles").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.lazy import Lazy
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.app.backend import EntityDetails
from reader.app.document import ENTITY_KINDS, KIND_LABELS, ArticleDocument, entity_key
from reader.app.widgets.themed import ThemedOptionList, foreground

_ENTITY = "entity:"
#: The entities of a kind listed, most mentioned first: an article of 20 MB has
#: thousands, which took the list seconds to lay out (the heading gives the count).
ENTITY_ROWS = 200
_ARTICLE = "article:"
_COMPANION = "with:"


def hanging(marker: str, text: Text, width: int = 0) -> Table | Text:
    """``marker`` then ``text``, whose wrapped lines line up under its first (a hanging indent).

    When ``width`` (the cells a prompt surely has) is known and the whole fits in it,
    plain text, drawn the same: the list measures that tens of times faster than a grid.
    """
    if 0 < len(marker) + text.cell_len <= width:
        return Text.assemble(marker, text, end="")
    grid = Table.grid(expand=True)
    grid.add_column(width=len(marker), no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(marker, text)
    return grid


class Legend(Static):
    """Which colour is which: the same component styles the viewer uses."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "legend--hit",
        "legend--person",
        "legend--place",
        "legend--organisation",
        "legend--agreement",
        "legend--highlight",
        "legend--off",
    }

    hidden_kinds: reactive[frozenset[str]] = reactive(frozenset())

    def on_mount(self) -> None:
        self._draw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._draw()

    def watch_hidden_kinds(self) -> None:
        self._draw()

    def _draw(self) -> None:
        text = Text()
        labels = [
            ("hit", "hit"),
            *((kind, "org" if kind == "organisation" else kind) for kind in ENTITY_KINDS),
            ("highlight", "highlight"),
        ]
        for index, (kind, label) in enumerate(labels):
            if index:
                text.append(" ")
            if kind in self.hidden_kinds:
                text.append(f" {label} ", style=self.get_component_rich_style("legend--off"))
            else:
                text.append(f" {label} ", style=self.get_component_rich_style(f"legend--{kind}"))
        self.update(text)


class EntityList(ThemedOptionList):
    """The entities of the open article, grouped by type, most mentioned first."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"entity-list--heading", "entity-list--count"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Mentions / record", id="entities.select"),
        Binding("f", "filter", "Filter by it", id="entities.filter"),
        Binding("i", "details", "Other articles", id="entities.details"),
        Binding("escape", "clear", "Clear entity", show=False, id="entities.clear"),
    ]

    @dataclass
    class Action(Message):
        """The user did something with an entity: ``what`` is select, filter or details."""

        what: str
        kind: str
        name: str

    @dataclass
    class Cleared(Message):
        """No entity is selected any more."""

    def show_document(self, document: ArticleDocument | None) -> None:
        self._redraw = lambda: self._show_document(document)
        self._show_document(document)

    def _prompt_width(self) -> int:
        """The cells a prompt surely has: 0 before the list is laid out (the option's
        padding, its gutter and a scrollbar that may come are left out)."""
        padding = self.get_component_styles("option-list--option").padding
        return max(0, self.scrollable_content_region.width - padding.width - 4)

    def _show_document(self, document: ArticleDocument | None) -> None:
        options: list[Option | None] = []
        heading = foreground(self.get_component_rich_style("entity-list--heading"))
        count_style = foreground(self.get_component_rich_style("entity-list--count"))
        width = self._prompt_width()
        if document is not None:
            for kind in ENTITY_KINDS:
                entities = document.entities_of(kind)
                label = Text(f"{KIND_LABELS[kind]} ({len(entities)})", style=heading)
                options.append(Option(label, id=f"heading:{kind}", disabled=True))
                for entity in entities[:ENTITY_ROWS]:
                    count = f"{len(entity.mentions)}×"
                    corpus = document.corpus_counts.get(entity.key)
                    if corpus:
                        count += f" · {corpus} article{'s' if corpus != 1 else ''}"
                    prompt = Text.assemble(entity.name, " ", (count, count_style))
                    if entity.detail:  # an agreement: its date and parties
                        prompt.append(" · " + entity.detail, style=count_style)
                    option = hanging("  ", prompt, width)
                    options.append(Option(option, id=_ENTITY + entity.key))
                if len(entities) > ENTITY_ROWS:
                    more = f"  … {len(entities) - ENTITY_ROWS:,} more, mentioned less"
                    options.append(Option(Text(more, style=count_style), disabled=True))
        self.set_options(options)
        self.highlighted = next(
            (i for i, option in enumerate(options) if option and not option.disabled), None
        )

    def _highlighted_entity(self) -> tuple[str, str] | None:
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        if not option_id.startswith(_ENTITY):
            return None
        kind, _, name = option_id.removeprefix(_ENTITY).partition(":")
        return kind, name

    def _post(self, what: str) -> None:
        entity = self._highlighted_entity()
        if entity is not None:
            self.post_message(self.Action(what, *entity))

    def action_select(self) -> None:
        entity = self._highlighted_entity()
        # An agreement opens its record; its mentions are still a key away (n / N).
        if entity is not None and entity[0] == "agreement":
            self.post_message(self.Action("record", *entity))
        self._post("select")

    def action_filter(self) -> None:
        self._post("filter")

    def action_details(self) -> None:
        self._post("details")

    def action_clear(self) -> None:
        self.post_message(self.Cleared())

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_select()


class EntityDetailsList(ThemedOptionList):
    """Other articles that mention the entity, and the entities that appear beside it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"entity-details--heading", "entity-details--count"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open / filter", id="details.select"),
        Binding("escape", "close", "Close details", id="details.close"),
    ]

    @dataclass
    class Chosen(Message):
        """An article to open (``article_id``) or an entity to filter by."""

        article_id: str | None = None
        entity: tuple[str, str] | None = None

    @dataclass
    class Closed(Message):
        """The user closed the details."""

    def show_details(self, details: EntityDetails, current: str | None) -> None:
        self._redraw = lambda: self.show_details(details, current)
        heading = foreground(self.get_component_rich_style("entity-details--heading"))
        count = foreground(self.get_component_rich_style("entity-details--count"))
        options: list[Option | None] = [
            Option(Text(f"Articles naming {details.name}", style=heading), disabled=True)
        ]
        for article in details.articles:
            marker = "• " if article.id == current else "  "
            date = article.date.isoformat() if article.date else ""
            prompt = Text.assemble(article.title, " ", (f"{date} ×{article.mentions}", count))
            options.append(Option(hanging(marker, prompt), id=_ARTICLE + article.id))
        options.append(Option(Text("Appears with", style=heading), disabled=True))
        for companion in details.companions:
            prompt = Text.assemble(
                companion.name, " ", (f"{companion.type} · {companion.articles}", count)
            )
            key = _COMPANION + entity_key(companion.type, companion.name)
            options.append(Option(hanging("  ", prompt), id=key))
        self.set_options(options)
        self.highlighted = 1 if len(options) > 1 and not options[1].disabled else None

    def action_close(self) -> None:
        self.post_message(self.Closed())

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(_ARTICLE):
            self.post_message(self.Chosen(article_id=option_id.removeprefix(_ARTICLE)))
        elif option_id.startswith(_COMPANION):
            kind, _, name = option_id.removeprefix(_COMPANION).partition(":")
            self.post_message(self.Chosen(entity=(kind, name)))


class EntityPanel(Vertical):
    """The legend, the entity list, and (on request) an entity's details."""

    def compose(self) -> ComposeResult:
        # The panel is empty until an article opens (after the index): its contents are
        # mounted just after the first frame, which then comes sooner.
        yield Lazy(Legend(id="legend"))
        yield Lazy(EntityList(id="entities"))
        yield Lazy(EntityDetailsList(id="entity-details"))

    def show_document(self, document: ArticleDocument | None) -> None:
        self.query_one(EntityList).show_document(document)
        self.close_details()

    def show_details(self, details: EntityDetails, current: str | None) -> None:
        details_list = self.query_one(EntityDetailsList)
        details_list.show_details(details, current)
        self.add_class("-details")

    def close_details(self) -> None:
        self.remove_class("-details")
