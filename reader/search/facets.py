"""Facets and a timeline of a result set: who and what dominate it, and when.

The entity fields of the index (``people``, ``places``, …) are analysed into words,
so Whoosh's grouping would count "south", "china" and "sea" apart. The entity list
stored with each article has the whole names; :class:`CorpusTable` reads it once
per index version (``(generation, documents)``: a commit makes a new one) into a
compact table, document number → entity ids and publication day. Facets and the
timeline of any result set are then a count over the matching document numbers,
which Whoosh gives without loading an article (:func:`matching_docnums`).

Entity types are whatever the index holds: an ``organisation`` type appears as
soon as the recognizer stores one.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.search.engine import Filters, filter_query
from reader.search.query import parse
from reader.search.rewrites import expand_fuzzy

#: Facet kinds shown first, in this order; any other kind the index holds follows.
KIND_ORDER = ("person", "place", "organisation", "org", "agreement")

Granularity = Literal["year", "month", "day"]


@dataclass(frozen=True, slots=True)
class FacetValue:
    """One entity and the number of matching articles that mention it."""

    kind: str
    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar of the timeline: articles published from ``start`` to ``end``."""

    label: str
    start: dt.date
    end: dt.date
    articles: int


@dataclass(frozen=True, slots=True)
class Timeline:
    """The results by publication date; ``undated`` articles have no date."""

    granularity: Granularity
    buckets: tuple[Bucket, ...]
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(b.articles for b in self.buckets) + self.undated


class CorpusTable:
    """Each document's entities and day, read once from one index version.

    ``docs[docnum]`` is the tuple of entity ids of the document (into ``keys``, each a
    ``(kind, name)``); ``days[docnum]`` its publication day as an ordinal, 0 when it
    has none. Deleted documents have no entities and day 0.
    """

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        self.version = table_version(searcher)
        size = reader.doc_count_all()
        ids: dict[tuple[str, str], int] = {}
        self.keys: list[tuple[str, str]] = []
        self.docs: list[tuple[int, ...]] = [()] * size
        self.days = array("i", bytes(4 * size))
        #: The documents not deleted, ascending; ``ids[docnum]`` the article's id.
        self.live: list[int] = []
        self.ids: list[str] = [""] * size
        for docnum, stored in reader.iter_docs():
            self.live.append(docnum)
            self.ids[docnum] = str(stored.get("id", ""))
            self.docs[docnum] = self._entity_ids(stored.get("entities"), ids)
            date = stored.get("date")
            if isinstance(date, dt.datetime):
                self.days[docnum] = date.toordinal()
        self._corpus: Counter[int] | None = None

    def _entity_ids(self, raw: Any, ids: dict[tuple[str, str], int]) -> tuple[int, ...]:
        if not raw:
            return ()
        try:
            entities = json.loads(raw)
        except ValueError:
            return ()
        found: list[int] = []
        for entity in entities if isinstance(entities, list) else ():
            if not isinstance(entity, dict):
                continue
            kind, name = entity.get("type"), entity.get("name")
            if not isinstance(kind, str) or not isinstance(name, str) or not name:
                continue
            key = (kind, name)
            number = ids.get(key)
            if number is None:
                number = ids[key] = len(self.keys)
                self.keys.append(key)
            if number not in found:
                found.append(number)
        return tuple(found)

    def counts(self, docnums: Iterable[int] | None) -> Counter[int]:
        """Entity id → matching documents; ``None`` counts the whole corpus (cached)."""
        if docnums is None:
            if self._corpus is None:
                self._corpus = self._count(self.live)
            return self._corpus
        return self._count(docnums)

    def _count(self, docnums: Iterable[int]) -> Counter[int]:
        counts: Counter[int] = Counter()
        docs = self.docs
        for docnum in docnums:
            counts.update(docs[docnum])
        return counts


_TABLES: dict[Any, CorpusTable] = {}
_TABLES_LOCK = threading.Lock()


def table_version(searcher: Searcher) -> tuple[Any, ...]:
    """What identifies the index version a searcher reads."""
    reader = searcher.reader()
    storage = getattr(searcher, "_ix", None)
    folder = getattr(getattr(storage, "storage", None), "folder", None)
    return (folder, reader.generation(), reader.doc_count_all(), reader.doc_count())


def corpus_table(searcher: Searcher) -> CorpusTable:
    """The table of the index version ``searcher`` reads, built on first use.

    One table per index folder is kept: a new version replaces the old one.
    """
    version = table_version(searcher)
    with _TABLES_LOCK:
        table = _TABLES.get(version[0])
        if table is not None and table.version == version:
            return table
    table = CorpusTable(searcher)
    with _TABLES_LOCK:
        _TABLES[version[0]] = table
    return table


def matching_docnums(searcher: Searcher, text: str, filters: Filters | None = None) -> list[int]:
    """Document numbers of the articles matching ``text`` and ``filters``, ascending.

    The same query as :func:`reader.search.engine.search` (an empty one is the whole
    corpus); raises ``reader.search.query.QueryError`` for a malformed query.
    """
    text = text.strip()
    query: wq.Query = parse(text, searcher.schema) if text else wq.Every()
    query = expand_fuzzy(query, searcher.reader())
    restrict = filter_query(filters)
    if restrict is not None:
        query = wq.And([query, restrict])
    return sorted(searcher.docs_for_query(query))


def facets(
    table: CorpusTable, docnums: Sequence[int] | None, limit: int = 50
) -> dict[str, list[FacetValue]]:
    """The top ``limit`` entities of each kind among ``docnums`` (None: every article),
    most articles first, then by name; kinds in :data:`KIND_ORDER`, then any other."""
    counts = table.counts(docnums)
    by_kind: dict[str, list[FacetValue]] = {}
    keys = table.keys
    for number, articles in counts.items():
        kind, name = keys[number]
        by_kind.setdefault(kind, []).append(FacetValue(kind, name, articles))
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    ranked = {}
    for kind in sorted(by_kind, key=lambda k: (order.get(k, len(order)), k)):
        values = by_kind[kind]
        values.sort(key=lambda v: (-v.articles, v.name.casefold()))
        ranked[kind] = values[:limit]
    return ranked


def timeline(table: CorpusTable, docnums: Sequence[int] | None) -> Timeline:
    """The articles among ``docnums`` (None: every article) by publication date, in
    years, months or days as the span asks: days up to two months, months up to
    four years, years beyond; empty periods in between are kept, at zero."""
    days = table.days
    if docnums is None:
        docnums = table.live
    per_day: Counter[int] = Counter()
    undated = 0
    for docnum in docnums:
        day = days[docnum]
        if day:
            per_day[day] += 1
        else:
            undated += 1
    if not per_day:
        return Timeline("day", (), undated)
    first = dt.date.fromordinal(min(per_day))
    last = dt.date.fromordinal(max(per_day))
    span = (last - first).days
    granularity: Granularity = "day" if span <= 62 else "month" if span <= 4 * 366 else "year"
    counts: Counter[dt.date] = Counter()
    for day, n in per_day.items():
        counts[_period_start(dt.date.fromordinal(day), granularity)] += n
    buckets = []
    start = _period_start(first, granularity)
    while start <= last:
        following = _next_period(start, granularity)
        label = (
            str(start.year)
            if granularity == "year"
            else start.strftime("%Y-%m")
            if granularity == "month"
            else start.isoformat()
        )
        buckets.append(Bucket(label, start, following - dt.timedelta(days=1), counts.get(start, 0)))
        start = following
    return Timeline(granularity, tuple(buckets), undated)


def _period_start(day: dt.date, granularity: Granularity) -> dt.date:
    if granularity == "year":
        return day.replace(month=1, day=1)
    if granularity == "month":
        return day.replace(day=1)
    return day


def _next_period(start: dt.date, granularity: Granularity) -> dt.date:
    if granularity == "year":
        return start.replace(year=start.year + 1)
    if granularity == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)
