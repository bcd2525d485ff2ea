"""What a search answers: its hits, their snippets, and the terms to highlight.

Plain data, with no Whoosh in it: the app lists the results it kept from its last
run in its first frame, before the search engine is imported
(:mod:`reader.app.first_results`); :mod:`reader.search.engine` makes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

SortOrder = Literal["relevance", "date"]


@dataclass(frozen=True, slots=True)
class Snippet:
    """A passage of an article with the hits inside it.

    ``matches`` are ``(start, end)`` ranges into ``text``; ``start`` is where
    ``text`` begins in the article body.
    """

    text: str
    matches: tuple[tuple[int, int], ...]
    start: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "matches": [list(m) for m in self.matches]}


@dataclass(frozen=True, slots=True)
class Terms:
    """What to highlight in a body: stemmed prose terms and folded name words."""

    prose: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.prose or self.names)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article that matched."""

    id: str
    path: str
    title: str
    source: str
    date: dt.date | None
    #: Whoosh's relevance score; None when the results are sorted by date.
    score: float | None
    snippets: tuple[Snippet, ...]
    author: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "score": None if self.score is None else round(self.score, 4),
            "snippets": [s.to_dict() for s in self.snippets],
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The answer to one query."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    sort: SortOrder
    terms: Terms = field(default_factory=Terms)
    suggestion: str | None = None
    seconds: float = 0.0
