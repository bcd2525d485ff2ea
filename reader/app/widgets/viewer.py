"""The article viewer: a Line API scroll view over an :class:`ArticleDocument`.

Only the lines on screen are ever styled and rendered, so a multi-megabyte
article opens as fast as the body can be wrapped (one pass of a regular
expression) and scrolls as smoothly as a short one. Article text becomes
``rich.text.Text`` objects: never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.app.document import ArticleDocument, Range, WrappedBody

#: The longest line, in cells, the body is wrapped to: wider is harder to read.
MEASURE = 100


class ArticleViewer(ScrollView, can_focus=True):
    """Shows one article: title, source, author, date, then the body with its spans.

    Query hits and entity mentions are styled by kind (component classes, so
    colours come from the theme). *Targets* are the ranges ``n``/``N`` jump
    through: the query hits, or the mentions of the selected entity.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-viewer--title",
        "article-viewer--meta",
        "article-viewer--placeholder",
        "article-viewer--hit",
        "article-viewer--person",
        "article-viewer--place",
        "article-viewer--agreement",
        "article-viewer--selected",
        "article-viewer--current",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "page_down", "Page down", show=False, id="viewer.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="viewer.page_up"),
        Binding("g", "scroll_home", "Top of article", show=False, id="viewer.top"),
        Binding("G", "scroll_end", "End of article", show=False, id="viewer.end"),
        Binding("j", "scroll_down", "Line down", show=False, id="viewer.line_down"),
        Binding("k", "scroll_up", "Line up", show=False, id="viewer.line_up"),
    ]

    #: Entity kinds whose colouring is switched off.
    hidden_kinds: reactive[frozenset[str]] = reactive(frozenset())

    @dataclass
    class PositionChanged(Message):
        """Where the reader is in the article, for the status line."""

        viewer: ArticleViewer
        line: int
        lines: int
        percent: int
        target: int
        targets: int
        target_label: str

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.document: ArticleDocument | None = None
        self._wrapped: WrappedBody | None = None
        self._wrapped_id = 0
        self._header: list[Text] = []
        self._margin = 0
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self.selected_key: str | None = None
        self.targets: tuple[Range, ...] = ()
        self.target_index = -1
        #: Body offset of the reading position (the current target); a later
        #: sentence cursor moves this.
        self.cursor = 0

    # -- data in ---------------------------------------------------------------------------------

    def show(
        self,
        document: ArticleDocument | None,
        offset: int = 0,
        wrapped: WrappedBody | None = None,
    ) -> None:
        """Show ``document`` with body ``offset`` at the top of the view.

        ``wrapped`` is the body already wrapped (in a worker) to :attr:`measure`;
        a long article then costs the event loop nothing to open.
        """
        self.document = document
        self._wrapped = wrapped
        self._wrapped_id = id(document) if wrapped is not None else 0
        self.selected_key = None
        self.targets = document.hits if document else ()
        self.target_index = -1
        self.cursor = offset
        self._layout(keep_offset=False)
        top = self._line_for_offset(offset) if offset else 0
        self.scroll_to(y=top, animate=False, immediate=True, force=True)
        self._post_position()

    def select_entity(self, key: str | None) -> None:
        """Make an entity's mentions the targets (or the query hits when ``key`` is None)."""
        document = self.document
        entity = document.entity(key) if document and key else None
        self.selected_key = entity.key if entity else None
        if entity is not None:
            self.targets = entity.mentions
        else:
            self.targets = document.hits if document else ()
        self.target_index = -1
        self._refresh_lines()
        self._post_position()

    def jump(self, step: int) -> bool:
        """Move to the next (``step`` 1) or previous (-1) target; False when there is none."""
        if not self.targets:
            return False
        if self.target_index == -1:
            top = self.top_offset
            after = [i for i, (start, _) in enumerate(self.targets) if start >= top]
            if step > 0:
                index = after[0] if after else 0
            else:
                index = (after[0] - 1) if after else len(self.targets) - 1
        else:
            index = self.target_index + step
        self.target_index = index % len(self.targets)
        start, _ = self.targets[self.target_index]
        self.cursor = start
        line = self._line_for_offset(start)
        height = self.scrollable_content_region.height
        if not self.scroll_y <= line < self.scroll_y + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)
        self._refresh_lines()
        self._post_position()
        return True

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)

    @property
    def current_target(self) -> Range | None:
        if 0 <= self.target_index < len(self.targets):
            return self.targets[self.target_index]
        return None

    @property
    def top_offset(self) -> int:
        """Body offset of the first body line in view (0 above the body)."""
        if self._wrapped is None or not self._wrapped.lines:
            return 0
        index = int(self.scroll_y) - len(self._header)
        if index <= 0:
            return 0
        index = min(index, len(self._wrapped.lines) - 1)
        return self._wrapped.lines[index][0]

    # -- layout ----------------------------------------------------------------------------------

    @property
    def measure(self) -> int:
        """The width the body is wrapped to."""
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(width, MEASURE))

    def _layout(self, keep_offset: bool = True) -> None:
        offset = self.top_offset if keep_offset else None
        width = self.scrollable_content_region.width or self.size.width or 80
        measure = self.measure
        self._margin = max(0, (width - measure) // 2) if width > measure + 8 else 0
        self._header = self._make_header(measure)
        document = self.document
        if document is None:
            self._wrapped = None
        elif (
            self._wrapped is None
            or self._wrapped.width != measure
            or self._wrapped_id != id(document)
        ):
            self._wrapped = WrappedBody(document.body, measure)
        self._wrapped_id = id(document)
        body_lines = len(self._wrapped) if self._wrapped else 0
        self._cache.clear()
        self.virtual_size = Size(measure + self._margin, len(self._header) + body_lines)
        if offset:
            self.scroll_to(
                y=self._line_for_offset(offset), animate=False, immediate=True, force=True
            )
        self.refresh()

    def _make_header(self, measure: int) -> list[Text]:
        console = self.app.console
        document = self.document
        if document is None:
            style = self.get_component_rich_style("article-viewer--placeholder")
            lines: list[Text] = [Text("")]
            for line in (
                "No article open.",
                "",
                "Press / and type to search; Enter opens the top result.",
                "Press ? for every key.",
            ):
                lines.extend(Text(line, style=style).wrap(console, measure) if line else [Text()])
            return lines
        title = Text(document.title, style=self.get_component_rich_style("article-viewer--title"))
        meta_parts = [part for part in (document.source, document.author, document.date) if part]
        meta = Text(" · ".join(meta_parts) or document.id, style=self.get_meta_style())
        header: list[Text] = []
        for block in (title, meta):
            header.extend(block.wrap(console, measure))
        header.append(Text("─" * min(measure, 40), style=self.get_meta_style()))
        header.append(Text(""))
        return header

    def get_meta_style(self) -> Style:
        return self.get_component_rich_style("article-viewer--meta")

    def _line_for_offset(self, offset: int) -> int:
        if self._wrapped is None:
            return 0
        return len(self._header) + self._wrapped.line_of(offset)

    def _refresh_lines(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._layout(keep_offset=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._layout(keep_offset=True)

    def watch_hidden_kinds(self) -> None:
        self._refresh_lines()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._post_position()

    def _post_position(self) -> None:
        total = self.virtual_size.height
        height = self.scrollable_content_region.height
        line = min(total, int(self.scroll_y) + 1)
        scrollable = max(1, total - height)
        percent = 100 if total <= height else round(100 * min(1, self.scroll_y / scrollable))
        label = "mention" if self.selected_key else "hit"
        self.post_message(
            self.PositionChanged(
                self, line, total, percent, self.target_index, len(self.targets), label
            )
        )

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_index(index, base)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_index(self, index: int, base: Style) -> Strip:
        header = self._header
        if index < len(header):
            text = header[index]
        elif self._wrapped is not None and index - len(header) < len(self._wrapped.lines):
            text = self._body_line(*self._wrapped.lines[index - len(header)])
        else:
            return Strip.blank(0, base)
        text.end = ""
        segments = list(text.render(self.app.console))
        if self._margin:
            segments.insert(0, Segment(" " * self._margin))
        return Strip(segments).apply_style(base)

    def _body_line(self, start: int, end: int) -> Text:
        document = self.document
        assert document is not None
        text = Text(document.body[start:end].replace("\t", " ").rstrip(), no_wrap=True)
        length = len(text.plain)
        hidden = self.hidden_kinds
        hits = []
        for span in document.spans_in(start, end):
            if span.kind == "hit":
                hits.append(span)
                continue
            if span.kind in hidden:
                continue
            style = self.get_component_rich_style(f"article-viewer--{span.kind}")
            if span.key == self.selected_key:
                style += self.get_component_rich_style("article-viewer--selected")
            text.stylize(style, max(span.start, start) - start, min(span.end, end) - start)
        hit_style = self.get_component_rich_style("article-viewer--hit")
        for span in hits:
            text.stylize(hit_style, max(span.start, start) - start, min(span.end, end) - start)
        current = self.current_target
        if current is not None and current[0] < end and current[1] > start:
            text.stylize(
                self.get_component_rich_style("article-viewer--current"),
                max(current[0], start) - start,
                min(current[1], end, start + length) - start,
            )
        return text
