"""Search the index and cut snippets around the hits.

:func:`search` returns typed results. A snippet is plain text plus the
character ranges of the hits inside it: no HTML, no markup; the screen and the
exports decide how to mark them. Snippets are cut from the stored body with
:func:`reader.analysis.term_spans`, which finds exactly the tokens the index
matched (same tokenizer, same stemming and folding) without Whoosh's slower
highlighter. Ranked by relevance, a query runs term at a time
(:mod:`reader.evaluation`), with Whoosh's scores.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.fields import DATETIME, TEXT
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from reader.analysis import _TERM_CACHE, _TOKEN_RE, analyze_token, fold
from reader.corpus import derive_title
from reader.evaluation import (
    Unsupported,
    column_bytes,
    prefix_expansion,
    remember_segment_data,
    segment_data,
    top_documents,
)
from reader.query import QueryError, parse

SortOrder = Literal["relevance", "date"]
SNIPPET_CHARS = 160
#: Snippets are looked for in this much of a body; a 20 MB article still answers fast.
SNIPPET_SCAN_CHARS = 400_000
_PROSE_FIELDS = {"title", "body"}
_NAME_FIELDS = {"people", "places", "agreements", "source", "author"}


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
class Terms:
    """What to highlight in a body: stemmed prose terms and folded name words."""

    prose: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.prose or self.names)


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow a search to sources, a date range, or articles naming an entity."""

    sources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: ``(entity type, canonical name)``, e.g. ``("person", "Nobuo Kishi")``.
    entity: tuple[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.sources or self.date_from or self.date_to or self.entity)

    def describe(self) -> str:
        parts = []
        if self.sources:
            parts.append("source: " + ", ".join(self.sources))
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"date: {start} to {end}")
        if self.entity:
            parts.append(f"{self.entity[0]}: {self.entity[1]}")
        return "; ".join(parts)


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


def search(
    searcher: Searcher,
    text: str,
    *,
    limit: int | None = 20,
    sort: SortOrder = "relevance",
    filters: Filters | None = None,
    snippets: int = 3,
    snippet_hits: int | None = None,
) -> SearchResults:
    """Run ``text`` (Whoosh's query language) and return typed results.

    An empty query lists every article, newest first. Raises QueryError for a
    query that cannot be run. Each hit gets up to ``snippets`` snippets; with
    ``snippet_hits`` only the first that many do (the rest can be filled in
    later with :func:`fill_snippets`: a screen shows the first ones at once).
    """
    started = time.perf_counter()
    text = text.strip()
    if text:
        query = parse(text, searcher.schema)
    else:
        query = wq.Every()
        sort = "date" if sort == "relevance" else sort
    query = expand_fuzzy(query, searcher.reader())
    terms = query_terms(query, searcher)
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
        raise QueryError(f"the search failed: {type(error).__name__}: {error}") from None
    suggestion = None
    if total == 0 and text:
        suggestion = suggest(searcher, text, query)
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
        stored = searcher.document(id=hits[n].id)
        if stored is None:  # gone since the search: it keeps its title, date and source
            continue
        made = make_snippets(stored.get("body", ""), results.terms, snippets)
        hits[n] = replace(hits[n], snippets=tuple(made))
    return replace(results, hits=tuple(hits))


def _find(
    searcher: Searcher, query: wq.Query, restrict: wq.Query | None, kwargs: dict[str, Any]
) -> tuple[list[tuple[dict[str, Any], float | None]], int]:
    """The stored fields and scores of the hits, best first, and how many matched.

    Ranked by relevance, the query runs term at a time (:mod:`reader.evaluation`),
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
MAX_FUZZY_EXPANSION = 64


def expand_fuzzy(query: wq.Query, reader: Any) -> wq.Query:
    """Rewrite the parts of a query that Whoosh would run slowly into equivalents
    that run fast.

    - ``word~`` becomes the index words it matches, found once in the field's
      vocabulary (Whoosh walks the term dictionary of every segment several
      times per search: estimating, matching, then again for the highlights).
    - ``prefix*`` is expanded once per segment, not twice.
    - a date range reads the date column instead of unioning the postings of
      every date term in the range.

    The documents matched are the same as Whoosh's, and so are the scores, but
    for a prefix: ranked by relevance it scores as the OR of its words (see
    :mod:`reader.evaluation`).
    """
    if isinstance(query, wq.FuzzyTerm):
        text = query.text
        typed = getattr(query, "typed", None)
        if typed and query.fieldname in _PROSE_FIELDS:
            # The parser leaves the stem of the word ("catle~" asks for "catl"), often
            # further from the words as written ("cattle") than the word as typed is.
            text = fold(typed) or text
        try:
            words = words_within(reader, query.fieldname, text, query.maxdist, query.prefixlength)
        except Exception:
            words = []
        if query.fieldname in _PROSE_FIELDS:
            # For fields with spelling data Whoosh answers with the words as written;
            # the postings hold their stems.
            words = list(dict.fromkeys(s for w in words if (s := analyze_token(w)) is not None))
        if not words:
            return wq.NullQuery
        words.sort(key=lambda w: (w != query.text, len(w), w))
        terms = [wq.Term(query.fieldname, w, boost=query.boost) for w in words]
        return wq.Or(terms[:MAX_FUZZY_EXPANSION])
    if type(query) is wq.Prefix:
        return QuickPrefix(
            query.fieldname, query.text, boost=query.boost, constantscore=query.constantscore
        )
    if type(query) in (wq.NumericRange, wq.DateRange) and query.constantscore:
        field = dict(reader.schema.items()).get(query.fieldname)
        if isinstance(field, DATETIME) and field.column_type is not None:
            return ColumnRange(
                query.fieldname,
                query.start,
                query.end,
                query.startexcl,
                query.endexcl,
                boost=query.boost,
            )
        return query
    if query.is_leaf():
        return query
    return query.apply(lambda child: expand_fuzzy(child, reader))


# -- fast equivalents of slow Whoosh queries ---------------------------------------------------


class QuickPrefix(wq.Prefix):
    """``Prefix`` without the second expansion of its words.

    Whoosh sizes every part of an OR before matching it; for a prefix that means
    expanding it and looking up the frequency of each word, in every segment,
    only to order two sub-queries. An overestimate is allowed and costs nothing.
    Matching is Whoosh's own when Whoosh's collector runs the query (results
    sorted by date); ranked by relevance, :mod:`reader.evaluation` runs it.
    """

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def estimate_min_size(self, ixreader: Any) -> int:
        return 0


class ColumnRange(wq.NumericRange):
    """A date range answered from the date field's sortable column.

    Whoosh answers a range by unioning the postings of every term of every
    precision in it: for ``date:2006`` on 10,000 articles, about 10 ms per
    segment. The column holds one number per document and reads in well under
    a millisecond.
    """

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def estimate_min_size(self, ixreader: Any) -> int:
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ids: list[int] = []
        for reader, offset in searcher.reader().leaf_readers():
            found = self.fast_ids(reader)
            if reader.has_deletions():
                found = [d for d in found if not reader.is_deleted(d)]
            ids.extend(offset + d for d in found)
        return _constant_matcher(ids, self.boost)

    def fast_ids(self, reader: Any) -> list[int]:
        """The documents of the segment ``reader`` in the range, deleted ones included,
        found by binary search in the segment's sorted column (read once)."""
        if not reader.has_column(self.fieldname):
            return []
        field = reader.schema[self.fieldname]
        values, docnums = _sorted_column(reader, self.fieldname, field.default)
        low = None if self.start is None else field.prepare_number(self.start)
        high = None if self.end is None else field.prepare_number(self.end)
        first = 0
        if low is not None:
            first = (bisect.bisect_right if self.startexcl else bisect.bisect_left)(values, low)
        last = len(values)
        if high is not None:
            last = (bisect.bisect_left if self.endexcl else bisect.bisect_right)(values, high)
        return docnums[first:last] if first < last else []


def _sorted_column(reader: Any, fieldname: str, default: Any) -> tuple[list[int], list[int]]:
    """A segment's column values in order, with the document of each; documents
    without a value (the column default) left out. Kept per segment."""
    segment = getattr(reader, "_segid", None)
    key = (segment, "sorted", fieldname)
    if segment is not None:
        found = segment_data(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    column = reader.column_reader(fieldname, translate=False)
    count = reader.doc_count_all()
    typecode = getattr(column, "_typecode", None)
    if typecode is not None and hasattr(column, "_dbfile"):
        raw = array(typecode, column_bytes(column, count))
        if sys.byteorder == "little":
            raw.byteswap()  # whoosh writes numeric columns big-endian
        values: Iterable[Any] = raw
    else:
        values = column
    pairs = sorted((v, d) for d, v in enumerate(values) if v != default)
    result = ([v for v, _ in pairs], [d for _, d in pairs])
    if segment is not None:
        remember_segment_data(key, result)
    return result


def _constant_matcher(ids: Iterable[int], boost: float) -> Any:
    from whoosh.matching import ListMatcher, NullMatcher

    ordered = sorted(ids)
    if not ordered:
        return NullMatcher()
    return ListMatcher(ordered, all_weights=boost)


# -- vocabulary: the words of a field, read once per state of the index ------------------------

_VOCABULARIES: dict[tuple[Any, ...], list[str]] = {}
_VOCABULARY_LOCK = threading.Lock()
#: Vocabularies kept: a couple of fields for the current and the previous index state.
_VOCABULARY_KEEP = 6


def vocabulary(reader: Any, fieldname: str) -> list[str]:
    """The sorted distinct words of ``fieldname`` over all segments of ``reader``.

    Segments never change once written, so the list is kept for as long as the
    index has the same segments (an update adds one and reads them again).
    """
    leaves = [r for r, _ in reader.leaf_readers()]
    segments = [getattr(r, "_segment", None) for r in leaves]
    key: tuple[Any, ...] | None = None
    if all(s is not None and hasattr(s, "segment_id") for s in segments):
        key = (fieldname, *sorted(s.segment_id() for s in segments if s is not None))
        with _VOCABULARY_LOCK:
            found = _VOCABULARIES.get(key)
        if found is not None:
            return found
    words: set[bytes] = set()
    for leaf in leaves:
        if fieldname in leaf.indexed_field_names():
            words.update(leaf.lexicon(fieldname))
    result = sorted(w.decode("utf-8", "replace") if isinstance(w, bytes) else w for w in words)
    if key is not None:
        with _VOCABULARY_LOCK:
            while len(_VOCABULARIES) >= _VOCABULARY_KEEP:
                _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
            _VOCABULARIES[key] = result
    return result


def words_within(
    reader: Any, fieldname: str, text: str, maxdist: int, prefix: int = 0
) -> list[str]:
    """Index words within ``maxdist`` edits of ``text`` (sharing its first ``prefix``
    letters), the way Whoosh's fuzzy terms find them: a Levenshtein automaton
    walked over the field's (spelling) vocabulary, skipping with a binary search."""
    from whoosh.automata.fsa import find_all_matches

    spellfield = reader.schema[fieldname].spelling_fieldname(fieldname)
    words = vocabulary(reader, spellfield)
    if not words:
        return []
    dfa = _levenshtein_dfa(text, maxdist, prefix)

    def first_at_or_after(word: str) -> str | None:
        pos = bisect.bisect_left(words, word)
        return words[pos] if pos < len(words) else None

    return list(find_all_matches(dfa, first_at_or_after))


@functools.lru_cache(maxsize=256)
def _levenshtein_dfa(text: str, maxdist: int, prefix: int) -> Any:
    """The automaton of the words within ``maxdist`` edits of ``text``. Building it
    takes milliseconds (tens for two edits of a long word) and the same word is
    looked up in several fields, by the fuzzy term and again by the suggestions."""
    from whoosh.automata.lev import levenshtein_automaton

    return levenshtein_automaton(text, maxdist, prefix).to_dfa()


class _VocabularyCorrector(Corrector):
    """Whoosh's ReaderCorrector, finding candidates with :func:`words_within`.

    Whoosh's own compares the misspelt word with every index word that shares
    its first letter, in Python, on every search that finds nothing.
    """

    def __init__(self, reader: Any, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        frequency = self.reader.frequency
        for word in words_within(self.reader, self.fieldname, text, maxdist, prefix):
            weight = frequency(self.fieldname, word) or 1
            yield 0 - (maxdist + (1.0 / weight * 0.5)), word


def _filter_query(filters: Filters | None) -> wq.Query | None:
    if not filters:
        return None
    from reader.documents import ENTITY_FIELDS, source_key

    parts: list[wq.Query] = []
    if filters.sources:
        parts.append(wq.Or([wq.Term("source_key", source_key(s)) for s in filters.sources]))
    if filters.date_from or filters.date_to:
        start = _as_datetime(filters.date_from) if filters.date_from else None
        end = _as_datetime(filters.date_to, end=True) if filters.date_to else None
        dates = wq.DateRange("date", start, end)
        parts.append(ColumnRange("date", dates.start, dates.end))
    if filters.entity:
        kind, name = filters.entity
        words = fold(name).split()
        if words:
            parts.append(
                wq.Phrase(ENTITY_FIELDS[kind], words)
                if len(words) > 1
                else wq.Term(ENTITY_FIELDS[kind], words[0])
            )
    return wq.And(parts) if parts else None


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


# -- terms and spans ---------------------------------------------------------------------------


def query_terms(query: wq.Query, searcher: Searcher | None = None) -> Terms:
    """The terms a query looks for (expanded prefixes and fuzzy terms included),
    leaving out everything under a NOT."""
    prose: set[str] = set()
    names: set[str] = set()
    reader = searcher.reader() if searcher is not None else None

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if node.is_leaf():
            for fieldname, text in _leaf_terms(node, reader):
                if fieldname in _PROSE_FIELDS:
                    prose.add(text)
                elif fieldname in _NAME_FIELDS:
                    names.add(text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return Terms(frozenset(prose), frozenset(names))


def _leaf_terms(node: wq.Query, reader: Any) -> Iterable[tuple[str, str]]:
    if isinstance(node, wq.Prefix) and reader is not None and node.fieldname in reader.schema:
        try:
            words = prefix_expansion(reader, node.fieldname, node.text)[1]
        except Unsupported:
            pass
        else:
            for word in words:
                yield node.fieldname, word.decode("utf-8", "replace")
            return
    if isinstance(node, wq.Term | wq.Phrase) or reader is None:
        raw = node.terms(phrases=True) if node.has_terms() else ()
    else:
        raw = node.existing_terms(reader, phrases=True, expand=True)
    for fieldname, text in raw:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if isinstance(text, str):
            yield fieldname, text


_FOLD_CACHE: dict[str, str] = {}
_MISSING = object()


def _folded(token: str) -> str:
    try:
        return _FOLD_CACHE[token]
    except KeyError:
        value = _FOLD_CACHE[token] = fold(token)
        if len(_FOLD_CACHE) > 200_000:
            _FOLD_CACHE.clear()
        return value


def match_spans(
    text: str, terms: Terms, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` (or the slice given) where a query term occurs."""
    if not terms:
        return []
    window = text[start:end] if (start or end is not None) else text
    spans: list[tuple[int, int]] = []
    prose, names = terms.prose, terms.names
    if names:
        for match in _TOKEN_RE.finditer(window):
            token = match.group()
            stem = analyze_token(token) if prose else None
            if (stem is not None and stem in prose) or _folded(token) in names:
                spans.append((match.start() + start, match.end() + start))
        return spans
    # term_spans, inlined: this runs on every body shown, once per token. Stemming
    # changes only the end of a word, so a term begins with its word's first letter
    # (lower-cased); a word beginning with an ASCII letter no term begins with is
    # passed over without analysing it.
    cache, missing, add = _TERM_CACHE, _MISSING, spans.append
    heads = frozenset(term[:1] for term in prose)
    for match in _TOKEN_RE.finditer(window):
        token = match.group()
        head = token[0]
        if head < "\x80" and head.lower() not in heads:
            continue
        term = cache.get(token, missing)
        if term is missing:
            term = analyze_token(token)
        if term is not None and term in prose:
            s, e = match.span()
            add((s + start, e + start))
    return spans


def make_snippets(
    body: str, terms: Terms, count: int = 3, width: int = SNIPPET_CHARS
) -> list[Snippet]:
    """Up to ``count`` non-overlapping passages of ``body`` with the most hits,
    in reading order. With no hits, the lead of the article."""
    spans = match_spans(body, terms, 0, min(len(body), SNIPPET_SCAN_CHARS)) if terms else []
    if not spans:
        return [_snippet(body, 0, min(len(body), width), [])] if body.strip() else []
    chosen: list[tuple[int, int]] = []
    remaining = spans[:500]  # enough to find the best passages; bounded work
    while remaining and len(chosen) < count:
        best = None
        best_score = (-1, -1)
        # Hits never overlap, so their ends rise with their starts: the hits of a
        # window starting at hit i are remaining[i:j], j found by bisection.
        ends = [e for _, e in remaining]
        words = [body[a:b].lower() for a, b in remaining]
        for i, (s, _) in enumerate(remaining):
            window_start = _passage_start(body, s, width // 3)
            window_end = window_start + width
            j = bisect.bisect_right(ends, window_end, i)
            score = (len(set(words[i:j])), j - i)
            if score > best_score:
                best_score, best = score, (window_start, window_end)
        assert best is not None
        chosen.append(best)
        remaining = [sp for sp in remaining if not _overlaps(sp, chosen)]
    chosen.sort()
    result = []
    for window_start, window_end in chosen:
        s, e = _word_bounds(body, window_start, min(window_end, len(body)))
        inside = [(a - s, b - s) for a, b in spans if a >= s and b <= e]
        result.append(_snippet(body, s, e, inside))
    return result


def _passage_start(body: str, hit: int, lead: int) -> int:
    """Where a passage showing ``hit`` should begin: a sentence start when one is near."""
    earliest = max(0, hit - lead)
    starts = [
        found + len(mark)
        for mark in ("\n", ". ", "? ", "! ")
        if (found := body.rfind(mark, earliest, hit)) != -1
    ]
    return max(starts, default=earliest)


def _overlaps(span: tuple[int, int], windows: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < we and span[1] > ws for ws, we in windows)


def _word_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back so that no word is cut in two."""
    if start > 0 and not body[start - 1].isspace():
        space = body.find(" ", start, start + 25)
        if space != -1:
            start = space + 1
    if end < len(body) and not body[end].isspace():
        space = body.rfind(" ", max(start, end - 25), end)
        if space != -1:
            end = space
    return start, end


def _snippet(body: str, start: int, end: int, matches: list[tuple[int, int]]) -> Snippet:
    # Newlines become spaces one for one, so the match ranges stay valid.
    text = body[start:end].replace("\n", " ").replace("\t", " ")
    return Snippet(text=text, matches=tuple(matches), start=start)


# -- did you mean ------------------------------------------------------------------------------


def suggest(searcher: Searcher, text: str, query: wq.Query | None = None) -> str | None:
    """A corrected query built from the index vocabulary, or None."""
    try:
        query = query if query is not None else parse(text, searcher.schema)
        reader = searcher.reader()
        correctors = {
            name: _VocabularyCorrector(reader, name)
            for name, fieldobj in searcher.schema.items()
            if isinstance(fieldobj, TEXT)
        }
        correction = searcher.correct_query(query, text, correctors=correctors, prefix=1, maxdist=2)
    except Exception:
        return None
    corrected = correction.string
    if not corrected or corrected.strip().lower() == text.strip().lower():
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
