"""Messages the app's thread workers post back to the app.

Workers never touch widgets: they post one of these, and a handler on the app
(on the event loop) updates the screen. Widget messages (a result chosen, an
entity picked) are nested on the widgets that send them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from reader.app.backend import (
    AgreementView,
    EntityDetails,
    ExportRequest,
    OpenedIndex,
    SearchRequest,
)
from reader.app.document import ArticleDocument, WrappedBody

if TYPE_CHECKING:
    from pathlib import Path

    from reader.corpus.articles import Problem
    from reader.export import ExcerptSet
    from reader.highlights.model import Highlight, Placed
    from reader.search.engine import SearchResults


@dataclass
class IndexOpened(Message):
    """The index is open; searches can run on what it already holds."""

    opened: OpenedIndex


@dataclass
class IndexProgress(Message):
    """The index worker has prepared ``done`` of ``total`` changed files."""

    done: int
    total: int


@dataclass
class IndexCommitted(Message):
    """A batch of articles was committed: searches now see more of the corpus."""


@dataclass
class IndexUpdated(Message):
    """An update or rebuild finished (or was cancelled)."""

    summary: str
    articles: int
    problems: list[Problem]
    cancelled: bool = False
    #: Ids of articles that changed on disk or went away.
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass
class IndexDamaged(Message):
    """Reading the index failed during a search: it is damaged (never the query)."""

    message: str


@dataclass
class IndexFailed(Message):
    """The index could not be opened; the message is one line."""

    message: str


@dataclass
class SearchFinished(Message):
    """The answer to search number ``generation``.

    A long answer comes twice: first its top hits (``complete`` False), which fill
    the first screen at once, then all of them with their snippets. ``listed`` is
    how many hits the whole answer holds.
    """

    generation: int
    request: SearchRequest
    results: SearchResults
    listed: int
    complete: bool = True


@dataclass
class SearchFailed(Message):
    """Search number ``generation`` could not run (a malformed query, say)."""

    generation: int
    request: SearchRequest
    message: str


@dataclass
class ArticleLoaded(Message):
    """An article is ready for the viewer (``document`` is None when it is gone)."""

    article_id: str
    document: ArticleDocument | None
    #: Body offset to show at the top (restoring a session), else 0.
    offset: int = 0
    #: Why the article was opened: "user", "restore" or "navigate".
    reason: str = "user"
    #: The body wrapped to the viewer's width in the worker (None: wrap on arrival).
    wrapped: WrappedBody | None = None
    #: The article's highlights, placed in its current text (orphans included).
    highlights: tuple[Placed, ...] = ()
    #: The first screenfuls of a long article, shown while the rest is prepared.
    partial: bool = False


@dataclass
class AgreementRecordLoaded(Message):
    """An agreement's record across the corpus, with its evidence (None: not found)."""

    view: AgreementView | None
    name: str


@dataclass
class EntityDetailsLoaded(Message):
    """Other articles and co-occurring entities of one entity."""

    details: EntityDetails


@dataclass
class HighlightsChanged(Message):
    """A highlight was added, edited, deleted or restored.

    ``placed`` holds the open article's highlights afterwards (None when the
    change did not touch the open article).
    """

    what: str
    highlight: Highlight
    article_id: str
    placed: tuple[Placed, ...] | None = None
    #: Set when ``what`` is "deleted": the highlight, for undo.
    deleted: Highlight | None = None


@dataclass
class HighlightsListed(Message):
    """Every highlight, as excerpts with their article, for the highlights view."""

    excerpts: ExcerptSet


@dataclass
class StoreProblem(Message):
    """A highlight operation failed, or the store has something to say (one line)."""

    message: str
    severity: str = "error"


@dataclass
class ExportFinished(Message):
    """An export was written."""

    path: Path
    count: int


@dataclass
class ExportNeedsConfirmation(Message):
    """The destination exists: ask before overwriting."""

    request: ExportRequest


@dataclass
class ExportFailed(Message):
    """An export could not be written; ``message`` is one line."""

    message: str
