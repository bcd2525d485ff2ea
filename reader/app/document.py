"""The viewer's model of an article: body text, styled spans, and line wrapping.

Nothing here draws: :class:`ArticleDocument` holds the body exactly as the index
stored it (already neutralised) and a sorted list of :class:`Span` ranges into
it, each with a *kind* (``hit``, ``person``, ``place``, ``organisation``, ``agreement``,
``highlight``). The viewer turns a wrapped line plus the spans that overlap it
into styled text. A highlight span's ``key`` is the highlight's id.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rich.cells import cell_len

from reader.entities.model import ENTITY_TYPES

#: The entity types the core recognises, in the order the panel lists them.
ENTITY_KINDS = ENTITY_TYPES
#: Plural headings for the entity panel and the legend.
KIND_LABELS = {
    "person": "People",
    "place": "Places",
    "organisation": "Organisations",
    "agreement": "Agreements",
}

Range = tuple[int, int]
#: The kind of span a user's highlight is drawn as.
HIGHLIGHT = "highlight"


class Span(NamedTuple):
    """A range of the body with a kind; ``key`` ties mentions to one entity.

    A tuple (made and sorted several times faster than a dataclass: a 20 MB
    article has hundreds of thousands of spans), ordered by start, then end.
    """

    start: int
    end: int
    kind: str
    key: str = ""


_START, _END = operator.itemgetter(0), operator.itemgetter(1)


class SpanIndex:
    """Ranges (``(start, end, ...)`` tuples) sorted by start, found by overlap in
    logarithmic time."""

    __slots__ = ("_longest", "_starts", "ranges")

    def __init__(self, ranges: Iterable[tuple[Any, ...]] = ()) -> None:
        # By start alone, in C (a 20 MB article has 120,000 mentions or more): ranges
        # with the same start keep the order they came in.
        self.ranges = sorted(ranges, key=_START)
        self._starts = list(map(_START, self.ranges))
        ends = map(_END, self.ranges)
        self._longest = max(map(operator.sub, ends, self._starts), default=0)

    def __len__(self) -> int:
        return len(self.ranges)

    def overlapping(self, start: int, end: int) -> list[Any]:
        """The ranges that overlap ``[start, end)``, in order of their start."""
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        return [r for r in self.ranges[first:last] if r[1] > start]


_NO_SPANS = SpanIndex()


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity of the open article with the ranges where it is mentioned."""

    kind: str
    name: str
    mentions: tuple[Range, ...]
    #: What the side panel shows after the name: an agreement's date and parties.
    detail: str = ""

    @property
    def key(self) -> str:
        return entity_key(self.kind, self.name)


def entity_key(kind: str, name: str) -> str:
    return f"{kind}:{name}"


@dataclass(slots=True)
class ArticleDocument:
    """An article ready for the viewer.

    Its spans are kept in three :class:`SpanIndex` layers, entity mentions, query
    hits and highlights, so that a copy with other hits (a new query, the article
    opened again) or other highlights reuses the sorted mentions of a long article,
    and :meth:`spans_in` finds those that touch a range in logarithmic time, which
    keeps rendering a line of a multi-megabyte article as cheap as a line of a short one.
    """

    id: str
    title: str
    body: str
    source: str = ""
    author: str = ""
    date: str = ""
    path: str = ""
    url: str = ""
    #: The hash of the body the index stored (highlights are anchored to it).
    content_hash: str = ""
    hits: tuple[Range, ...] = ()
    entities: tuple[Entity, ...] = ()
    #: Only the beginning of the body (a preview of a long article, no entities).
    partial: bool = False
    #: Entity key -> how many articles of the corpus mention it (the index's entity table).
    corpus_counts: dict[str, int] = field(default_factory=dict)
    #: The mentions of ``entities``, made from them when not given (copies share them).
    mentions: SpanIndex | None = field(default=None, repr=False, compare=False)
    highlight_spans: SpanIndex = field(default=_NO_SPANS, repr=False, compare=False)
    #: The body wrapped to each width asked (copies share them: the body is the same).
    wrappings: dict[int, WrappedBody] = field(default_factory=dict, repr=False, compare=False)
    _hits: SpanIndex = field(default=_NO_SPANS, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mentions is None:
            self.mentions = SpanIndex(mention_spans(self.entities))
        self._hits = SpanIndex(self.hits) if self.hits else _NO_SPANS

    @property
    def spans(self) -> list[Span]:
        """Every span, sorted (the hits, mentions and highlights)."""
        assert self.mentions is not None
        hits = [Span(start, end, "hit") for start, end in self.hits]
        return sorted([*hits, *self.mentions.ranges, *self.highlight_spans.ranges])

    def wrapped(self, width: int) -> WrappedBody:
        """The body wrapped to ``width`` (wrapped once per width, the last two kept)."""
        found = self.wrappings.get(width)
        if found is None:
            found = WrappedBody(self.body, width)
            for old in list(self.wrappings)[:-1]:
                self.wrappings.pop(old, None)
            self.wrappings[width] = found
        return found

    def set_highlights(self, highlights: Iterable[tuple[int, int, str]]) -> None:
        """Replace the highlight spans with ``(start, end, highlight id)`` ranges."""
        length = len(self.body)
        self.highlight_spans = SpanIndex(
            Span(start, end, HIGHLIGHT, key)
            for start, end, key in highlights
            if 0 <= start < end <= length
        )

    def highlights_in(self, start: int, end: int) -> list[Span]:
        """The highlight spans that overlap ``[start, end)`` (or touch ``start`` when empty)."""
        return self.highlight_spans.overlapping(start, max(end, start + 1))

    def spans_in(self, start: int, end: int) -> list[Span]:
        """Spans that overlap ``[start, end)``, in order of their start."""
        assert self.mentions is not None
        hits = [Span(s, e, "hit") for s, e in self._hits.overlapping(start, end)]
        found = self.mentions.overlapping(start, end)
        highlights = self.highlight_spans.overlapping(start, end)
        if hits or highlights:
            found = sorted([*found, *hits, *highlights])
        return found

    def entity(self, key: str) -> Entity | None:
        for entity in self.entities:
            if entity.key == key:
                return entity
        return None

    def entities_of(self, kind: str) -> list[Entity]:
        """The entities of one kind, most mentioned first."""
        found = [e for e in self.entities if e.kind == kind]
        return sorted(found, key=lambda e: (-len(e.mentions), e.name.lower()))


def mention_spans(entities: Iterable[Entity]) -> list[Span]:
    spans = []
    for entity in entities:
        kind, key = entity.kind, entity.key  # once: a 20 MB article has 350,000 mentions
        spans.extend(Span(s, e, kind, key) for s, e in entity.mentions)
    return spans


def entities_from_stored(raw: Sequence[dict], body_length: int) -> tuple[Entity, ...]:
    """Entities from the index's stored list, keeping only mentions inside the body."""
    entities = []
    for item in raw:
        kind, name = item.get("type"), item.get("name")
        if kind not in ENTITY_KINDS or not isinstance(name, str) or not name:
            continue
        mentions = []
        for mention in item.get("mentions", ()):
            try:
                start, end = int(mention["start"]), int(mention["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= start < end <= body_length:
                mentions.append((start, end))
        if mentions:
            detail = agreement_detail(item) if kind == "agreement" else ""
            entities.append(Entity(kind, name, tuple(sorted(mentions)), detail))
    return tuple(entities)


def agreement_detail(item: dict) -> str:
    """ "2021-09-11 · Japan, Vietnam": an agreement's date and parties, when the text gives them."""
    bits = []
    date = item.get("date")
    if isinstance(date, str) and date:
        bits.append(date)
    parties = item.get("parties")
    if isinstance(parties, list) and parties:
        bits.append(", ".join(str(p) for p in parties))
    return " · ".join(bits)


# -- wrapping --------------------------------------------------------------------------------

_WORD = re.compile(r"\s*\S+\s*")


def text_cells(text: str) -> int:
    # The viewer draws a tab as one space; rich would count it as zero cells.
    return len(text) if text.isascii() else cell_len(text.replace("\t", " "))


def wrap(body: str, width: int) -> list[Range]:
    """Break ``body`` into lines of at most ``width`` cells, at spaces where possible.

    Returns ``(start, end)`` offsets into ``body``; a line's text is
    ``body[start:end]`` (it may end with spaces, which the viewer crops). Each
    newline starts a new line; words longer than the width are cut.

    Paragraphs of one-cell characters (nearly all text) are broken by one regular
    expression, a match a line; a paragraph with a character of another width word
    by word (:func:`_wrap_paragraph`, which breaks one-cell text the same way but
    took 1.2 s of CPU on a 20 MB article, against 0.15 s).
    """
    width = max(1, width)
    lines: list[Range] = []
    line_re = _line_pattern(width)
    span = re.Match.span
    position = 0
    size = len(body)
    while (other := _NOT_ONE_CELL.search(body, position)) is not None:
        start = body.rfind("\n", 0, other.start()) + 1
        end = body.find("\n", other.start())
        end = size if end == -1 else end
        if start > position:  # the one-cell paragraphs before this one
            lines.extend(map(span, line_re.finditer(body, position, start - 1)))
        paragraph = body[start:end]
        if text_cells(paragraph) <= width:
            lines.append((start, end))
        else:
            _wrap_paragraph(paragraph, start, width, lines)
        position = end + 1
    if position <= size:
        lines.extend(map(span, line_re.finditer(body, position)))
    return lines


#: Characters one cell wide (a tab is drawn as one space), ranges of the main alphabets,
#: punctuation, and the marks :func:`reader.support.textsafe.neutralize` puts in.
_ONE_CELL = (
    "\t\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u2400-\u2426\ufffd"
)
_NOT_ONE_CELL = re.compile(f"[^\n{_ONE_CELL}]")


@functools.lru_cache(maxsize=8)
def _line_pattern(width: int) -> re.Pattern[str]:
    """One wrapped line of paragraphs of one-cell characters: a paragraph of spaces
    alone (or none); else as many words as fit in ``width`` (the line ends at the end
    of a word) and the spaces after them; else ``width`` characters of a word (or of
    the spaces before it) wider than the line."""
    return re.compile(
        rf"^[^\S\n]*$|[^\n]{{0,{width - 1}}}\S(?!\S)[^\S\n]*|[^\n]{{{width}}}", re.MULTILINE
    )


def _wrap_paragraph(paragraph: str, offset: int, width: int, lines: list[Range]) -> None:
    line_start = 0
    used = 0
    for match in _WORD.finditer(paragraph):
        word = match.group()
        visible = text_cells(word.rstrip())
        if used and used + visible > width:
            lines.append((offset + line_start, offset + match.start()))
            line_start, used = match.start(), 0
        if visible > width:
            # A word wider than the line: cut it into pieces that fit.
            start = match.start()
            piece_start, piece_used = start, 0
            for index, char in enumerate(word.rstrip(), start):
                char_cells = text_cells(char)
                if piece_used + char_cells > width:
                    lines.append((offset + piece_start, offset + index))
                    piece_start, piece_used = index, 0
                piece_used += char_cells
            line_start, used = piece_start, piece_used + (len(word) - len(word.rstrip()))
            continue
        used += text_cells(word)
    lines.append((offset + line_start, offset + len(paragraph)))


class WrappedBody:
    """The lines of a body wrapped to one width, with a fast offset-to-line look-up."""

    def __init__(self, body: str, width: int) -> None:
        self.width = width
        self.lines = wrap(body, width)
        self._starts = [start for start, _ in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """The index of the line that holds body ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)
