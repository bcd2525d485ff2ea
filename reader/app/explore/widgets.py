"""The Explore views' widgets: facet list, timeline, keyword-in-context list.

Every text shown (entity names, titles, article text) is untrusted: it becomes
``rich.text.Text``, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.app.document import KIND_LABELS
from reader.search.facets import FacetValue, Timeline
from reader.search.kwic import KwicLine, KwicOrder, sort_lines
from reader.support.wording import counted

#: Headings of facet kinds the reader has no label for (an ``organisation`` type).
EXTRA_LABELS = {"organisation": "Organisations", "org": "Organisations"}
BAR = "█"
BAR_WIDTH = 32


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or EXTRA_LABELS.get(kind) or kind.capitalize() + "s"


class ExplorePane(Vertical):
    """One view of the Explore screen, headed by its name; it can be maximised."""

    ALLOW_MAXIMIZE = True


class FacetList(OptionList):
    """The top entities of the results by kind, with the number of articles each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose('filter')", "Filter to it", id="facets.filter"),
        Binding("i", "choose('page')", "Entity page", id="facets.page"),
    ]

    @dataclass
    class Chosen(Message):
        """``what`` is "filter" (narrow the search to it) or "page" (open its page)."""

        what: str
        kind: str
        name: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.values: list[FacetValue | None] = []

    def show(self, facets: dict[str, list[FacetValue]]) -> None:
        self.clear_options()
        self.values = []
        options: list[Option] = []
        for kind, values in facets.items():
            options.append(Option(Text(kind_label(kind), style="bold"), disabled=True))
            self.values.append(None)
            width = max((len(str(v.articles)) for v in values), default=1)
            for value in values:
                options.append(
                    Option(Text.assemble(f"{value.articles:>{width}}  ", (value.name, "")))
                )
                self.values.append(value)
        if not options:
            options.append(Option(Text("No entities in these articles."), disabled=True))
            self.values.append(None)
        self.add_options(options)
        first = next((n for n, v in enumerate(self.values) if v is not None), None)
        self.highlighted = first

    @property
    def current(self) -> FacetValue | None:
        index = self.highlighted
        return self.values[index] if index is not None and index < len(self.values) else None

    def action_choose(self, what: str) -> None:
        value = self.current
        if value is not None:
            self.post_message(self.Chosen(what, value.kind, value.name))

    def rows(self) -> list[tuple[str, str, int]]:
        return [(v.kind, v.name, v.articles) for v in self.values if v is not None]


class TimelineList(OptionList):
    """The results by period, one bar a row; a range chosen with the keys filters."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark range start", id="timeline.mark"),
        Binding("enter", "choose", "Filter to range", id="timeline.filter"),
        Binding("escape", "unmark", "Unmark", show=False, id="timeline.unmark"),
    ]

    @dataclass
    class RangeChosen(Message):
        start: dt.date
        end: dt.date

    @dataclass
    class Marked(Message):
        """The range being chosen changed (a mark set or cleared)."""

        label: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.timeline: Timeline | None = None
        self.anchor: int | None = None

    def show(self, timeline: Timeline, events: Sequence[tuple[str, str]] = ()) -> None:
        """Draw ``timeline``; ``events`` are ``(date, name)`` (agreement dates) shown on
        the row of their period."""
        self.timeline = timeline
        self.anchor = None
        self.clear_options()
        peak = max((b.articles for b in timeline.buckets), default=0)
        options = []
        for bucket in timeline.buckets:
            size = round(BAR_WIDTH * bucket.articles / peak) if peak else 0
            if bucket.articles and not size:
                size = 1
            row = Text.assemble((f"{bucket.label:<10} ", "bold"), BAR * size, f" {bucket.articles}")
            dated = [(d, n) for d, n in events if d.startswith(bucket.label)]
            for date, name in dated[:2]:
                row.append(f"  ◆ {date} {' '.join(name.split())}", "italic")
            if len(dated) > 2:
                row.append(f"  +{len(dated) - 2} more", "italic")
            options.append(Option(row))
        if timeline.undated:
            options.append(Option(Text(f"(no date)  {timeline.undated}"), disabled=True))
        if not options:
            options.append(Option(Text("No articles."), disabled=True))
        self.add_options(options)
        self.highlighted = 0 if timeline.buckets else None

    def selected_range(self) -> tuple[int, int] | None:
        if self.timeline is None or not self.timeline.buckets or self.highlighted is None:
            return None
        cursor = min(self.highlighted, len(self.timeline.buckets) - 1)
        anchor = cursor if self.anchor is None else self.anchor
        return min(anchor, cursor), max(anchor, cursor)

    def range_label(self) -> str:
        chosen = self.selected_range()
        if chosen is None or self.timeline is None:
            return ""
        first, last = (self.timeline.buckets[n] for n in chosen)
        count = sum(b.articles for b in self.timeline.buckets[chosen[0] : chosen[1] + 1])
        span = first.label if first is last else f"{first.label} to {last.label}"
        return f"{span}: {counted(count, 'article')}"

    def action_mark(self) -> None:
        if self.highlighted is not None and self.timeline and self.timeline.buckets:
            self.anchor = min(self.highlighted, len(self.timeline.buckets) - 1)
            self.post_message(self.Marked(self.range_label()))

    def action_unmark(self) -> None:
        self.anchor = None
        self.post_message(self.Marked(""))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)  # scrolls to it
        if self.anchor is not None:
            self.post_message(self.Marked(self.range_label()))

    def action_choose(self) -> None:
        chosen = self.selected_range()
        if chosen is None or self.timeline is None:
            return
        buckets = self.timeline.buckets
        self.anchor = None
        self.post_message(self.RangeChosen(buckets[chosen[0]].start, buckets[chosen[1]].end))

    def rows(self) -> list[tuple[str, str, str, int]]:
        if self.timeline is None:
            return []
        return [
            (b.label, b.start.isoformat(), b.end.isoformat(), b.articles)
            for b in self.timeline.buckets
        ]


class KwicView(ScrollView, can_focus=True):
    """Every hit as one line, left and right context aligned on the hit; drawn lazily
    (only the lines on screen are made)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open at hit", id="kwic.open"),
        Binding("o", "toggle_order", "Sort date/after", id="kwic.order"),
        Binding("down,j", "move(1)", "Down", show=False, id="kwic.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="kwic.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="kwic.page_down"),
        Binding("pageup,b", "page(-1)", "Page up", show=False, id="kwic.page_up"),
        Binding("home,g", "edge(0)", "First", show=False, id="kwic.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="kwic.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"kwic--hit", "kwic--cursor", "kwic--date"}

    DEFAULT_CSS = """
    KwicView > .kwic--hit { text-style: bold; color: $text-accent; }
    KwicView > .kwic--cursor { background: $block-cursor-background; }
    KwicView > .kwic--date { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Chosen(Message):
        line: KwicLine

    @dataclass
    class OrderChanged(Message):
        order: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: list[KwicLine] = []
        self.order: KwicOrder = "date"

    def show(self, lines: Sequence[KwicLine], order: KwicOrder | None = None) -> None:
        if order is not None:
            self.order = order
        self.lines = list(lines)
        self.virtual_size = Size(self.size.width, len(self.lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = 0
        self.refresh()

    def action_toggle_order(self) -> None:
        self.order = "after" if self.order == "date" else "date"
        self.show(sort_lines(self.lines, self.order))
        self.post_message(self.OrderChanged(self.order))

    def watch_cursor(self, old: int, new: int) -> None:
        height = max(1, self.scrollable_content_region.height)
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= self.scroll_y + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.lines:
            self.cursor = max(0, min(len(self.lines) - 1, self.cursor + step))

    def action_page(self, step: int) -> None:
        self.action_move(step * max(1, self.scrollable_content_region.height - 1))

    def action_edge(self, end: int) -> None:
        if self.lines:
            self.cursor = len(self.lines) - 1 if end else 0

    def action_open(self) -> None:
        if 0 <= self.cursor < len(self.lines):
            self.post_message(self.Chosen(self.lines[self.cursor]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.lines))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self.lines):
            if not self.lines and y == 0:
                return Strip([Segment("No hits: type words to search for.", base)]).crop_extend(
                    0, width, base
                )
            return Strip.blank(width, base)
        text = self.row_text(self.lines[index], width)
        if index == self.cursor and self.has_focus:
            text.stylize(self.get_component_rich_style("kwic--cursor", partial=True))
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).simplify()

    def row_text(self, line: KwicLine, width: int) -> Text:
        """``date  …left context HIT right context…`` with the hit at a fixed column."""
        date = line.date.isoformat() if line.date else "no date   "
        side = max(8, (width - 12 - cell_len(line.hit)) // 2)
        left = line.left
        while cell_len(left) > side:
            left = left[1:]
        left = " " * (side - cell_len(left)) + left
        text = Text(no_wrap=True, overflow="crop", end="")
        text.append(date + " ", self.get_component_rich_style("kwic--date", partial=True))
        text.append(left)
        text.append(line.hit, self.get_component_rich_style("kwic--hit", partial=True))
        text.append(line.right)
        text.truncate(width)
        return text

    def rows(self) -> list[tuple[str, str, str, int, str, str, str]]:
        return [
            (
                line.date.isoformat() if line.date else "",
                line.article_id,
                line.title,
                line.start,
                line.left,
                line.hit,
                line.right,
            )
            for line in self.lines
        ]
