"""Search the index and cut snippets around the hits.

:func:`search` returns typed results. A snippet is plain text plus the
character ranges of the hits inside it: no HTML, no markup; the screen and the
exports decide how to mark them. Snippets are cut from the stored body with
:func:`reader.index.analysis.term_spans`, which finds exactly the tokens the index
matched (same tokenizer, same stemming and folding) without Whoosh's slower
highlighter. Ranked by relevance, a query runs term at a time
(:mod:`reader.search.scoring`), with Whoosh's scores.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import replace
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.searching import Searcher

from reader.corpus.articles import derive_title
from reader.index.analysis import fold
from reader.index.schema import IndexDamaged
from reader.search.filters import Filters
from reader.search.query import QueryError, parse
from reader.search.results import SearchHit, SearchResults, SortOrder
from reader.search.rewrites import ColumnRange, expand_fuzzy
from reader.search.scoring import (
    Unsupported,
    top_documents,
)
from reader.search.snippets import (
    Terms,
    make_snippets,
    query_terms,
)
from reader.search.vocabulary import best_correction


def search(
    searcher: Searcher,
    text: str,
    *,
    limit: int | None = 20,
    sort: SortOrder = "relevance",
    filters: Filters | None = None,
    snippets: int = 3,
    snippet_hits: int | None = None,
    suggest_for: str | None = None,
) -> SearchResults:
    """Run ``text`` (Whoosh's query language) and return typed results.

    An empty query lists every article, newest first. Raises QueryError for a
    query that cannot be run, and :class:`reader.index.schema.IndexDamaged` when
    reading the index fails (damaged files: never the query's fault). Each hit
    gets up to ``snippets`` snippets; with ``snippet_hits`` only the first that
    many do (the rest can be filled in later with :func:`fill_snippets`: a screen
    shows the first ones at once).
    When nothing matches, the did-you-mean is made for ``suggest_for`` (default:
    ``text``; the app searches a typed query with its last word as a prefix, and
    corrects the words as typed).
    """
    started = time.perf_counter()
    text = text.strip()
    if text:
        query = parse(text, searcher.schema)
    else:
        query = wq.Every()
        sort = "date" if sort == "relevance" else sort
    # From here on the query is sound: whatever fails is the index's files failing.
    try:
        query = expand_fuzzy(query, searcher.reader())
        terms = query_terms(query, searcher)
    except QueryError:
        raise
    except Exception as error:
        raise index_damaged(error) from None
    restrict = _filter_query(filters)
    # No block-quality skipping: it saves little here and makes Whoosh run the whole
    # query a second time to count the matches.
    kwargs: dict[str, Any] = {"limit": limit, "optimize": False}
    if restrict is not None:
        kwargs["filter"] = restrict
    if sort == "date":
        kwargs["sortedby"] = "date"
        kwargs["reverse"] = True
    try:
        found, total = _find(searcher, query, restrict, kwargs)
        by_relevance = sort == "relevance"
        hits = tuple(
            _make_hit(
                stored,
                score if by_relevance else None,
                terms,
                snippets if snippet_hits is None or n < snippet_hits else 0,
            )
            for n, (stored, score) in enumerate(found)
        )
    except QueryError:
        raise
    except Exception as error:
        raise index_damaged(error) from None
    suggestion = None
    if total == 0 and text:
        if suggest_for is None or suggest_for.strip() == text:
            suggestion = suggest(searcher, text, query)
        elif suggest_for.strip():
            suggestion = suggest(searcher, suggest_for.strip())
    return SearchResults(
        query=text,
        hits=hits,
        total=total,
        sort=sort,
        terms=terms,
        suggestion=suggestion,
        seconds=time.perf_counter() - started,
    )


def fill_snippets(
    searcher: Searcher,
    results: SearchResults,
    start: int,
    snippets: int = 1,
    stop: int | None = None,
) -> SearchResults:
    """``results`` with snippets made for the hits from ``start`` up to ``stop`` (see
    ``snippet_hits``)."""
    hits = list(results.hits)
    for n in range(start, len(hits) if stop is None else min(stop, len(hits))):
        try:
            stored = searcher.document(id=hits[n].id)
        except Exception as error:
            raise index_damaged(error) from None
        if stored is None:  # gone since the search: it keeps its title, date and source
            continue
        made = make_snippets(stored.get("body", ""), results.terms, snippets)
        hits[n] = replace(hits[n], snippets=tuple(made))
    return replace(results, hits=tuple(hits))


def index_damaged(error: BaseException) -> IndexDamaged:
    """The one-line error for a failure to read the index while a query runs."""
    text = str(error).split("\n")[0][:120]
    what = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return IndexDamaged(f"the index is damaged ({what})")


def _find(
    searcher: Searcher, query: wq.Query, restrict: wq.Query | None, kwargs: dict[str, Any]
) -> tuple[list[tuple[dict[str, Any], float | None]], int]:
    """The stored fields and scores of the hits, best first, and how many matched.

    Ranked by relevance, the query runs term at a time (:mod:`reader.search.scoring`),
    with Whoosh's scores; sorted by date, or when that cannot run the query,
    Whoosh's collector runs it.
    """
    if "sortedby" not in kwargs:
        try:
            best, total = top_documents(searcher, query, kwargs.get("limit"), restrict)
        except Unsupported:
            pass
        else:
            stored_fields = searcher.stored_fields
            return [(stored_fields(docnum), score) for docnum, score in best], total
    results = _run(searcher, query, kwargs)
    return [(hit.fields(), hit.score) for hit in results], len(results)


def _run(searcher: Searcher, query: wq.Query, kwargs: dict[str, Any]) -> Any:
    """Run ``query`` so that the total is counted in the same pass as the top hits.

    Whoosh's top-N collector either skips blocks that cannot reach the top
    (``optimize=True``), and then runs the whole query a second time when asked
    how many documents matched, or, without skipping, still drops parts of the
    query once the top N are full, and then counts too few. Asked not to
    replace its matcher, it visits every match once and counts them exactly.
    """
    collector = searcher.collector(**kwargs)
    inner = collector
    while hasattr(inner, "child"):
        inner = inner.child
    if isinstance(inner, TopCollector):
        inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


#: A fuzzy term matching more index words than this keeps the closest ones only.
def _filter_query(filters: Filters | None) -> wq.Query | None:
    if not filters:
        return None
    from reader.index.documents import ENTITY_FIELDS, source_key

    parts: list[wq.Query] = []
    if filters.sources:
        parts.append(wq.Or([wq.Term("source_key", source_key(s)) for s in filters.sources]))
    if filters.date_from or filters.date_to:
        start = _as_datetime(filters.date_from) if filters.date_from else None
        end = _as_datetime(filters.date_to, end=True) if filters.date_to else None
        dates = wq.DateRange("date", start, end)
        parts.append(ColumnRange("date", dates.start, dates.end))
    for kind, name in (filters.entity, *filters.also) if filters.entity else filters.also:
        words = fold(name).split()
        if words:
            parts.append(
                wq.Phrase(ENTITY_FIELDS[kind], words)
                if len(words) > 1
                else wq.Term(ENTITY_FIELDS[kind], words[0])
            )
    if filters.record:
        ids = filters.record[1]
        parts.append(wq.Or([wq.Term("id", i) for i in ids]) if ids else wq.NullQuery)
    return wq.And(parts) if parts else None


#: The restriction a search's filters make, for other questions over the same results
#: (:mod:`reader.search.facets`, :mod:`reader.search.kwic`).
filter_query = _filter_query


def _as_datetime(day: dt.date, end: bool = False) -> dt.datetime:
    if end:
        return dt.datetime(day.year, day.month, day.day, 23, 59, 59)
    return dt.datetime(day.year, day.month, day.day)


def _make_hit(
    stored: dict[str, Any], score: float | None, terms: Terms, snippets: int
) -> SearchHit:
    body = stored.get("body", "")
    date = stored.get("date")
    return SearchHit(
        id=stored["id"],
        path=stored.get("path", ""),
        title=stored.get("title") or derive_title(body) or stored["id"],
        source=stored.get("source", ""),
        date=date.date() if isinstance(date, dt.datetime) else None,
        score=float(score) if score is not None else None,
        snippets=tuple(make_snippets(body, terms, snippets)) if snippets else (),
        author=stored.get("author", ""),
    )


# -- did you mean ------------------------------------------------------------------------------


#: A word of the query that a did-you-mean may correct: a plain word (after ``title:``,
#: ``body:`` or ``text:`` if any), not a field name, a prefix or a fuzzy term.
_CORRECTABLE = re.compile(
    r"(?<![\w:*~])((?:(?:title|body|text):)?)([^\W\d_][\w'’]*)(?![\w'’]*[:*~])", re.IGNORECASE
)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def suggest(searcher: Searcher, text: str, query: wq.Query | None = None) -> str | None:
    """A corrected query, or None: each word no article has is replaced by the
    corpus word nearest to it, the most common first (see
    :func:`reader.search.vocabulary.best_correction`); the corrected query must
    find articles. ``query`` is kept for callers that parsed ``text`` already."""
    reader = searcher.reader()
    outside = _quoted_spans(text)
    changed = False

    def correct(match: re.Match[str]) -> str:
        nonlocal changed
        field, word = match.group(1), match.group(2)
        if word in _OPERATORS or any(a <= match.start() < b for a, b in outside):
            return match.group(0)
        try:
            better = best_correction(reader, word)
        except Exception:
            better = None
        if better is None:
            return match.group(0)
        changed = True
        return field + (better.capitalize() if word[:1].isupper() else better)

    corrected = _CORRECTABLE.sub(correct, text)
    if not changed or corrected.strip().lower() == text.strip().lower():
        return None
    try:
        # Re-parse: the corrected words must go through the analyzer (stemming) again.
        corrected_query = expand_fuzzy(parse(corrected, searcher.schema), reader)
        try:
            found = top_documents(searcher, corrected_query, 1)[1]
        except Unsupported:
            found = len(searcher.search(corrected_query, limit=1))
        if not found:
            return None
    except Exception:
        return None
    return corrected


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where the ``date:`` values are: their words (``to``) are not misspellings."""
    return [m.span() for m in re.finditer(r"\bdate:(\[[^\]]*\]?|\S+)", text, re.IGNORECASE)]


def stored_entities(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """The entity list stored with an indexed article."""
    raw = stored.get("entities")
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return value if isinstance(value, list) else []
