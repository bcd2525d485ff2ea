"""The article viewer: a Line API scroll view over an :class:`ArticleDocument`.

Only the lines on screen are ever styled and rendered, so a multi-megabyte
article opens as fast as the body can be wrapped (one pass of a regular
expression) and scrolls as smoothly as a short one. Article text becomes
``rich.text.Text`` objects: never markup.

A *sentence cursor* marks the sentence under the reading position while the
viewer has focus: ``)``/``(`` move it, shift+down/up extend a selection sentence
by sentence, a click places it and a drag selects. ``h`` and ``H`` ask the app
to highlight the selection or the paragraph (the viewer posts a message; the
app owns the store).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.app.document import HIGHLIGHT, ArticleDocument, Range, WrappedBody, text_cells
from reader.highlights.boundaries import paragraph_bounds, sentence_bounds
from reader.support.textsafe import one_line

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
        "article-viewer--organisation",
        "article-viewer--agreement",
        "article-viewer--selected",
        "article-viewer--current",
        "article-viewer--highlight",
        "article-viewer--cursor",
        "article-viewer--selection",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "page_down", "Page down", show=False, id="viewer.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="viewer.page_up"),
        Binding("g", "scroll_home", "Top of article", show=False, id="viewer.top"),
        Binding("G", "scroll_end", "End of article", show=False, id="viewer.end"),
        Binding("j", "scroll_down", "Line down", show=False, id="viewer.line_down"),
        Binding("k", "scroll_up", "Line up", show=False, id="viewer.line_up"),
        Binding(
            "right_parenthesis,ctrl+down",
            "move_sentence(1)",
            "Next sentence",
            show=False,
            id="viewer.next_sentence",
        ),
        Binding(
            "left_parenthesis,ctrl+up",
            "move_sentence(-1)",
            "Previous sentence",
            show=False,
            id="viewer.previous_sentence",
        ),
        Binding(
            "shift+down",
            "extend_sentence(1)",
            "Extend selection by a sentence",
            show=False,
            id="viewer.extend_down",
        ),
        Binding(
            "shift+up",
            "extend_sentence(-1)",
            "Shrink or extend selection upwards",
            show=False,
            id="viewer.extend_up",
        ),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="viewer.clear"),
        Binding("h", "highlight", "Highlight", id="viewer.highlight"),
        Binding(
            "H", "highlight_paragraph", "Highlight paragraph", show=False, id="viewer.paragraph"
        ),
        Binding("a", "annotate", "Note", id="viewer.note"),
        Binding("d", "remove_highlight", "Remove highlight", show=False, id="viewer.remove"),
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
        #: The last line on screen (``line`` is the first).
        last_line: int = 0

    @dataclass
    class HighlightRequested(Message):
        """The user asked to highlight ``[start, end)`` of the open article."""

        viewer: ArticleViewer
        start: int
        end: int

    @dataclass
    class NoteRequested(Message):
        """The user asked to edit the note of the highlight ``highlight_id``."""

        viewer: ArticleViewer
        highlight_id: str

    @dataclass
    class RemoveRequested(Message):
        """The user asked to remove the highlight ``highlight_id``."""

        viewer: ArticleViewer
        highlight_id: str

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
        #: Body offset of the reading position (the current target, the sentence cursor).
        self.cursor = 0
        #: The sentence under the cursor (None: no article, or no sentence found yet).
        self.cursor_span: Range | None = None
        #: Where a selection being extended started (None: the cursor sentence alone).
        self.selection_anchor: Range | None = None
        self._dragging = False
        #: An article is loading: the moves asked meanwhile (G, space, ...) wait in
        #: ``_queued`` and apply to it once it is shown, instead of to the old one.
        #: (Not Textual's ``loading``, which covers the widget and takes its focus.)
        self.awaiting_article = False
        self._queued: list[str] = []
        #: ``G`` was pressed on the first part of a long article (shown while the rest
        #: loads): the whole, when it replaces that part, opens at its end too.
        self._end_of_whole: str | None = None

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
        to_end = document is not None and not document.partial and self._end_of_whole == document.id
        self._end_of_whole = None
        self.document = document
        self._wrapped = wrapped
        self._wrapped_id = id(document) if wrapped is not None else 0
        self.selected_key = None
        self.targets = document.hits if document else ()
        self.target_index = -1
        self.cursor = offset
        self.selection_anchor = None
        self.cursor_span = self._sentence_from(offset, 1) if document else None
        self._layout(keep_offset=False)
        top = self._line_for_offset(offset) if offset else 0
        self.scroll_to(
            y=self.max_scroll_y if to_end else top, animate=False, immediate=True, force=True
        )
        self._post_position()
        self.stop_loading()

    def start_loading(self) -> None:
        """An article is on its way: moves wait for it (see :meth:`stop_loading`)."""
        self.awaiting_article = True
        self._queued.clear()

    def stop_loading(self) -> None:
        """The article is shown (or will not come): the moves asked meanwhile apply now."""
        self.awaiting_article = False
        queued, self._queued = self._queued, []
        for move in queued:
            getattr(self, f"action_{move}")()

    def _wait_for_article(self, move: str) -> bool:
        """True (and ``move`` queued) while an article loads."""
        if self.awaiting_article:
            self._queued.append(move)
        return self.awaiting_article

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
        self.selection_anchor = None
        self.cursor_span = self._sentence_from(start, 1)
        self._scroll_to_offset(start)
        self._refresh_lines()
        self._post_position()
        return True

    def _scroll_to_offset(self, offset: int) -> None:
        """Bring the line of body ``offset`` into view, a third down, if it is not."""
        line = self._line_for_offset(offset)
        height = self.scrollable_content_region.height
        if not self.scroll_y <= line < self.scroll_y + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)

    # -- the sentence cursor and the selection ---------------------------------------------------

    def _sentence_from(self, offset: int, step: int) -> Range | None:
        """The sentence at ``offset``, or the nearest one in the direction of ``step``."""
        document = self.document
        if document is None or not document.body:
            return None
        body = document.body
        offset = max(0, min(offset, len(body) - 1))
        while 0 <= offset < len(body) and body[offset].isspace():
            offset += 1 if step > 0 else -1
        if not 0 <= offset < len(body):
            return None
        return sentence_bounds(body, offset)

    def _cursor_visible(self) -> bool:
        if self.cursor_span is None:
            return False
        start, end = self.cursor_span
        top = self.scroll_y
        bottom = top + self.scrollable_content_region.height
        return self._line_for_offset(end - 1) >= top and self._line_for_offset(start) < bottom

    def move_sentence(self, step: int, extend: bool = False) -> None:
        """Move the cursor one sentence on (``step`` 1) or back (-1), or extend the selection."""
        if self.document is None:
            return
        current = self.cursor_span
        if extend and self.selection_anchor is None:
            self.selection_anchor = current
        elif not extend:
            self.selection_anchor = None
        if current is None or (not extend and not self._cursor_visible()):
            # Start from what is on screen, not from a sentence far out of view.
            found = self._sentence_from(self.top_offset, 1)
        elif step > 0:
            found = self._sentence_from(current[1], 1)
        else:
            found = self._sentence_from(current[0] - 1, -1)
        if found is None:
            found = current
        if found is None:
            return
        self.cursor_span = found
        self.cursor = found[0]
        if extend and self.selection_anchor is None:
            self.selection_anchor = found
        self._scroll_to_offset(found[1] - 1 if step > 0 else found[0])
        self._refresh_lines()

    def action_move_sentence(self, step: int) -> None:
        self.move_sentence(step)

    def action_extend_sentence(self, step: int) -> None:
        self.move_sentence(step, extend=True)

    def action_clear_selection(self) -> None:
        if self.selection_anchor is not None:
            self.selection_anchor = None
            self._refresh_lines()

    @property
    def selection(self) -> Range | None:
        """What ``h`` highlights: the cursor sentence, or the sentences selected from the anchor."""
        cursor = self.cursor_span
        anchor = self.selection_anchor
        if cursor is None:
            return None
        if anchor is None:
            return cursor
        return min(anchor[0], cursor[0]), max(anchor[1], cursor[1])

    def place_cursor(self, offset: int, extend: bool = False) -> None:
        """Put the sentence cursor on the sentence at body ``offset`` (a click, a drag)."""
        found = self._sentence_from(offset, 1)
        if found is None:
            return
        if extend:
            if self.selection_anchor is None:
                self.selection_anchor = self.cursor_span
        else:
            self.selection_anchor = None
        self.cursor_span = found
        self.cursor = found[0]
        self._refresh_lines()

    def highlight_under_cursor(self) -> str | None:
        """The id of a highlight in the selection (the first), or None."""
        if self.document is None or self.selection is None:
            return None
        found = self.document.highlights_in(*self.selection)
        return found[0].key if found else None

    def action_highlight(self) -> None:
        selection = self.selection
        if self.document is None or selection is None:
            self.app.bell()
            return
        self.post_message(self.HighlightRequested(self, *selection))
        self.selection_anchor = None
        self._refresh_lines()

    def action_highlight_paragraph(self) -> None:
        document = self.document
        if document is None or self.cursor_span is None:
            self.app.bell()
            return
        found = paragraph_bounds(document.body, self.cursor_span[0])
        if found is not None:
            self.post_message(self.HighlightRequested(self, *found))
            self.selection_anchor = None
            self._refresh_lines()

    def action_annotate(self) -> None:
        highlight_id = self.highlight_under_cursor()
        if highlight_id is None:
            self.notify("No highlight under the cursor: press h to make one.", timeout=3)
            return
        self.post_message(self.NoteRequested(self, highlight_id))

    def action_remove_highlight(self) -> None:
        highlight_id = self.highlight_under_cursor()
        if highlight_id is None:
            self.notify("No highlight under the cursor.", timeout=3)
            return
        self.post_message(self.RemoveRequested(self, highlight_id))

    def highlights_changed(self) -> None:
        """The document's highlight spans changed: draw them."""
        self._refresh_lines()

    # -- the mouse -------------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The body offset drawn at content position ``(x, y)``, or None off the body."""
        wrapped = self.document and self._wrapped
        if not wrapped:
            return None
        index = int(self.scroll_y) + y - len(self._header)
        if not 0 <= index < len(wrapped.lines):
            return None
        start, end = wrapped.lines[index]
        column = int(self.scroll_x) + x - self._margin
        cells = 0
        body = self.document.body if self.document else ""
        for position in range(start, end):
            cells += text_cells(body[position])
            if cells > column:
                return position
        return max(start, end - 1)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is None or event.button != 1:
            return
        position = self.offset_at(offset.x, offset.y)
        if position is None:
            return
        self.focus()
        self.place_cursor(position, extend=event.shift)
        self._dragging = True
        self.selection_anchor = self.selection_anchor or self.cursor_span
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = event.get_content_offset_capture(self)
        position = self.offset_at(offset.x, offset.y)
        if position is not None:
            self.place_cursor(position, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.selection_anchor == self.cursor_span:
                self.selection_anchor = None  # a click, not a drag
                self._refresh_lines()

    def on_focus(self) -> None:
        self._refresh_lines()

    def on_blur(self) -> None:
        self._refresh_lines()

    def action_scroll_home(self) -> None:
        self._end_of_whole = None
        if not self._wait_for_article("scroll_home"):
            self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def action_scroll_end(self) -> None:
        if not self._wait_for_article("scroll_end"):
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True, force=True)
            if self.document is not None and self.document.partial:
                self._end_of_whole = self.document.id

    def action_page_down(self) -> None:
        if not self._wait_for_article("page_down"):
            super().action_page_down()

    def action_page_up(self) -> None:
        self._end_of_whole = None
        if not self._wait_for_article("page_up"):
            super().action_page_up()

    def action_scroll_down(self) -> None:
        if not self._wait_for_article("scroll_down"):
            super().action_scroll_down()

    def action_scroll_up(self) -> None:
        self._end_of_whole = None
        if not self._wait_for_article("scroll_up"):
            super().action_scroll_up()

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
            self._wrapped = document.wrapped(measure)
        self._wrapped_id = id(document)
        body_lines = len(self._wrapped) if self._wrapped else 0
        self._cache.clear()
        self.virtual_size = Size(measure + self._margin, len(self._header) + body_lines)
        if offset:
            self.scroll_to(
                y=self._line_for_offset(offset), animate=False, immediate=True, force=True
            )
        self.refresh()
        # The line count changes with the width, though the scroll position may not.
        self.call_after_refresh(self._post_position)

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
        meta = Text(" · ".join(meta_parts) or one_line(document.id), style=self.get_meta_style())
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

    def watch_show_vertical_scrollbar(self) -> None:
        # The scrollbar's column is reserved in app.tcss (scrollbar-gutter: stable); should
        # a style drop that, a scrollbar appearing narrows the text without a Resize.
        self.call_after_refresh(self._rewrap_if_stale)

    def _rewrap_if_stale(self) -> None:
        if self.is_mounted and self._wrapped is not None and self._wrapped.width != self.measure:
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
        last = min(total, int(self.scroll_y) + height)
        scrollable = max(1, total - height)
        percent = 100 if total <= height else round(100 * min(1, self.scroll_y / scrollable))
        label = "mention" if self.selected_key else "hit"
        self.post_message(
            self.PositionChanged(
                self, line, total, percent, self.target_index, len(self.targets), label, last
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
        highlights = []
        for span in document.spans_in(start, end):
            if span.kind == HIGHLIGHT:
                highlights.append(span)
                continue
            if span.kind == "hit":
                hits.append(span)
                continue
            if span.kind in hidden:
                continue
            style = self.get_component_rich_style(f"article-viewer--{span.kind}")
            if span.key == self.selected_key:
                style += self.get_component_rich_style("article-viewer--selected")
            text.stylize(style, max(span.start, start) - start, min(span.end, end) - start)
        # Partial styles: a highlight's background under an entity's colour.
        highlight_style = self.get_component_rich_style("article-viewer--highlight", partial=True)
        for span in highlights:
            text.stylize(
                highlight_style, max(span.start, start) - start, min(span.end, end) - start
            )
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
        selection = self.selection if self.has_focus else None
        if selection is not None and selection[0] < end and selection[1] > start:
            kind = "cursor" if self.selection_anchor is None else "selection"
            text.stylize(
                self.get_component_rich_style(f"article-viewer--{kind}", partial=True),
                max(selection[0], start) - start,
                min(selection[1], end, start + length) - start,
            )
        return text
