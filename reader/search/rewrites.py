"""Queries Whoosh would run slowly, rewritten into equivalents that run fast:
fuzzy terms expanded once against the vocabulary, prefixes, date ranges from the
date column."""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Iterable
from typing import Any

from whoosh import query as wq
from whoosh.fields import DATETIME

from reader.index.analysis import analyze_token, fold
from reader.search.scoring import (
    column_bytes,
    remember_segment_data,
    segment_data,
)
from reader.search.snippets import PROSE_FIELDS
from reader.search.vocabulary import vocabulary, words_within

MAX_FUZZY_EXPANSION = 64
#: A wildcard pattern (``*a*``, ``gov*nt``) may stand for at most this many index
#: words; one that matches more is refused with a message (``*a*`` matched most of
#: the vocabulary and took seconds to score at 10,000 articles).
MAX_WILDCARD_WORDS = 500


def expand_fuzzy(query: wq.Query, reader: Any) -> wq.Query:
    """Rewrite the parts of a query that Whoosh would run slowly into equivalents
    that run fast.

    - ``word~`` becomes the index words it matches, found once in the field's
      vocabulary (Whoosh walks the term dictionary of every segment several
      times per search: estimating, matching, then again for the highlights).
    - ``prefix*`` is expanded once per segment, not twice.
    - a date range reads the date column instead of unioning the postings of
      every date term in the range.
    - ``*`` (and a pattern of only ``*`` and ``?``) is every article, answered from
      the document count (Whoosh read every posting of the field to find them).
    - a wildcard pattern becomes the OR of the words it matches, read once; more
      than :data:`MAX_WILDCARD_WORDS` words is a :class:`QueryError`.

    The documents matched are the same as Whoosh's, and so are the scores, but
    for a prefix: ranked by relevance it scores as the OR of its words (see
    :mod:`reader.search.scoring`).
    """
    if isinstance(query, wq.FuzzyTerm):
        text = query.text
        typed = getattr(query, "typed", None)
        if typed and query.fieldname in PROSE_FIELDS:
            # The parser leaves the stem of the word ("catle~" asks for "catl"), often
            # further from the words as written ("cattle") than the word as typed is.
            text = fold(typed) or text
        try:
            words = words_within(reader, query.fieldname, text, query.maxdist, query.prefixlength)
        except Exception:
            words = []
        if query.fieldname in PROSE_FIELDS:
            # For fields with spelling data Whoosh answers with the words as written;
            # the postings hold their stems.
            words = list(dict.fromkeys(s for w in words if (s := analyze_token(w)) is not None))
        if not words:
            return wq.NullQuery
        words.sort(key=lambda w: (w != query.text, len(w), w))
        terms = [wq.Term(query.fieldname, w, boost=query.boost) for w in words]
        return wq.Or(terms[:MAX_FUZZY_EXPANSION])
    if isinstance(query, wq.Every) or (type(query) is wq.Wildcard and not query.text.strip("*?")):
        return AllDocuments(boost=query.boost)
    if type(query) is wq.Wildcard:
        return _wildcard_words(query, reader)
    if type(query) is wq.Prefix:
        quick = QuickPrefix(
            query.fieldname, query.text, boost=query.boost, constantscore=query.constantscore
        )
        if query.fieldname not in PROSE_FIELDS:
            return quick
        # The postings of the prose fields hold stems: "governm*" matches no stem
        # ("government" is indexed as "govern"). The words as written that start with
        # the prefix bring the stems that the prefix alone misses.
        missed = [
            wq.Term(query.fieldname, stem, boost=query.boost)
            for stem in _stems_of_prefix(reader, query.fieldname, query.text)
            if not stem.startswith(query.text)
        ]
        return wq.Or([quick, *missed[:MAX_FUZZY_EXPANSION]]) if missed else quick
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


def _stems_of_prefix(reader: Any, fieldname: str, prefix: str) -> list[str]:
    """The stems of the words as written (the field's spelling vocabulary) that start
    with ``prefix``; empty when the field keeps no such vocabulary."""
    try:
        spellfield = reader.schema[fieldname].spelling_fieldname(fieldname)
        words = vocabulary(reader, spellfield)
    except Exception:
        return []
    stems: dict[str, None] = {}
    for pos in range(bisect.bisect_left(words, prefix), len(words)):
        word = words[pos]
        if not word.startswith(prefix):
            break
        stem = analyze_token(word)
        if stem is not None:
            stems[stem] = None
    return list(stems)


def _wildcard_words(query: wq.Wildcard, reader: Any) -> wq.Query:
    """The OR of the index words ``query`` matches, or QueryError when there are too many."""
    from reader.search.query import QueryError

    if query.fieldname not in reader.schema:
        return wq.NullQuery
    field = reader.schema[query.fieldname]
    words = []
    for btext in query._btexts(reader):
        words.append(field.from_bytes(btext))
        if len(words) > MAX_WILDCARD_WORDS:
            raise QueryError(
                f"{query.text} matches more than {MAX_WILDCARD_WORDS} words; "
                "make the pattern longer (or use * alone for every article)"
            )
    if not words:
        return wq.NullQuery
    return wq.Or([wq.Term(query.fieldname, w, boost=query.boost) for w in words])


# -- fast equivalents of slow Whoosh queries ---------------------------------------------------


class AllDocuments(wq.Every):
    """Every article, each with the same score: ``*``.

    Whoosh's ``Every`` of a field reads the postings of every word of that field to
    find the documents that have one (seconds at 10,000 articles); every article
    has a title or a body, so this is every document, which the reader lists
    without reading anything.
    """

    def __init__(self, boost: float = 1.0) -> None:
        super().__init__(None, boost=boost)

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def estimate_min_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count())

    def fast_ids(self, reader: Any) -> range:
        """Every document of the segment ``reader``, deleted ones included."""
        return range(reader.doc_count_all())


class QuickPrefix(wq.Prefix):
    """``Prefix`` without the second expansion of its words.

    Whoosh sizes every part of an OR before matching it; for a prefix that means
    expanding it and looking up the frequency of each word, in every segment,
    only to order two sub-queries. An overestimate is allowed and costs nothing.
    Matching is Whoosh's own when Whoosh's collector runs the query (results
    sorted by date); ranked by relevance, :mod:`reader.search.scoring` runs it.
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
