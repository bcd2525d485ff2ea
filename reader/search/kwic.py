"""Keyword in context: every hit of a query as one line, aligned on the hit.

A concordance of the results: each place a query term occurs in a matching
article, with the text before and after it, found with the index's own analyzer
(:func:`reader.search.snippets.match_spans`: the same tokens, stemming and folding
as the search). Lines come in article-date order or by the words after the hit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.corpus.articles import derive_title
from reader.search.engine import Filters
from reader.search.facets import corpus_table, matching_docnums
from reader.search.query import parse
from reader.search.rewrites import expand_fuzzy
from reader.search.snippets import Terms, match_spans, query_terms

#: Characters of context kept on each side of a hit.
CONTEXT = 60
#: Hits listed at most; the rest are counted as left out.
LIMIT = 5000

KwicOrder = Literal["date", "after"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One hit: ``left`` + ``hit`` + ``right`` read on, ``start``/``end`` in the body."""

    article_id: str
    title: str
    date: dt.date | None
    start: int
    end: int
    left: str
    hit: str
    right: str

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article_id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start,
            "end": self.end,
            "left": self.left,
            "hit": self.hit,
            "right": self.right,
        }


@dataclass(frozen=True, slots=True)
class Concordance:
    """The lines of a query; ``complete`` is False when hits past ``LIMIT`` were left out."""

    query: str
    lines: tuple[KwicLine, ...]
    articles: int
    complete: bool = True


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def lines_in(
    article_id: str,
    title: str,
    date: dt.date | None,
    body: str,
    terms: Terms,
    context: int = CONTEXT,
) -> list[KwicLine]:
    """Every hit of ``terms`` in ``body`` as a line, in reading order."""
    found = []
    for start, end in match_spans(body, terms):
        left = _flat(body[max(0, start - context) : start])[-context:]
        right = _flat(body[end : end + context])[:context]
        found.append(KwicLine(article_id, title, date, start, end, left, body[start:end], right))
    return found


def concordance(
    searcher: Searcher,
    text: str,
    filters: Filters | None = None,
    *,
    order: KwicOrder = "date",
    limit: int = LIMIT,
    context: int = CONTEXT,
) -> Concordance:
    """The hits of ``text`` in the matching articles, newest article first.

    An empty query has no hits. Raises ``reader.search.query.QueryError`` for a
    malformed query.
    """
    text = text.strip()
    if not text:
        return Concordance(text, (), 0)
    query: wq.Query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    terms = query_terms(query, searcher)
    docnums = matching_docnums(searcher, text, filters)
    table = corpus_table(searcher)
    days = table.days
    docnums.sort(key=lambda n: -days[n])
    found: list[KwicLine] = []
    complete = True
    stored_fields = searcher.stored_fields
    for docnum in docnums:
        if len(found) >= limit:
            complete = False
            break
        stored = stored_fields(docnum)
        body = stored.get("body") or ""
        day = days[docnum]
        title = stored.get("title") or derive_title(body) or stored.get("id", "")
        found.extend(
            lines_in(
                stored.get("id", ""),
                _flat(title),
                dt.date.fromordinal(day) if day else None,
                body,
                terms,
                context,
            )
        )
    lines = found[:limit]
    if len(found) > limit:
        complete = False
    return Concordance(text, tuple(sort_lines(lines, order)), len(docnums), complete)


def sort_lines(lines: Sequence[KwicLine], order: KwicOrder) -> list[KwicLine]:
    """``lines`` newest article first (in reading order within one), or by the words
    after the hit (then the hit, then the date)."""
    if order == "after":
        return sorted(
            lines,
            key=lambda line: (line.right.strip().casefold(), line.hit.casefold(), line.article_id),
        )
    return sorted(
        lines,
        key=lambda line: (
            -(line.date.toordinal() if line.date else 0),
            line.article_id,
            line.start,
        ),
    )
