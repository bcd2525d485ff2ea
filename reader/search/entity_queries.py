"""Questions about entities across the corpus, answered from the index.

Recognition runs at index time and its results are stored with each article,
so these functions only read: which articles mention an entity, and which other
entities appear beside it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from reader.corpus.articles import derive_title
from reader.index.analysis import fold
from reader.index.documents import ENTITY_FIELDS
from reader.search.engine import stored_entities


@dataclass(frozen=True, slots=True)
class EntityArticle:
    """An article that mentions an entity, and how often."""

    id: str
    title: str
    date: dt.date | None
    mentions: int


@dataclass(frozen=True, slots=True)
class CoOccurrence:
    """Another entity found in the same articles, and in how many of them."""

    type: str
    name: str
    articles: int


def _entity_query(kind: str, name: str) -> wq.Query | None:
    words = fold(name).split()
    if not words:
        return None
    field = ENTITY_FIELDS[kind]
    return wq.Phrase(field, words) if len(words) > 1 else wq.Term(field, words[0])


def _matching(searcher: Searcher, kind: str, name: str) -> list[tuple[dict[str, Any], int]]:
    """Stored fields of articles whose entity list holds exactly (kind, name)."""
    query = _entity_query(kind, name)
    if query is None:
        return []
    wanted = fold(name)
    found = []
    for hit in searcher.search(query, limit=None):
        stored = hit.fields()
        for entity in stored_entities(stored):
            if entity.get("type") == kind and fold(entity.get("name", "")) == wanted:
                found.append((stored, len(entity.get("mentions", []))))
                break
    return found


def articles_mentioning(searcher: Searcher, kind: str, name: str) -> list[EntityArticle]:
    """Articles that mention the entity, most mentions first, then newest."""
    rows = []
    for stored, count in _matching(searcher, kind, name):
        date = stored.get("date")
        rows.append(
            EntityArticle(
                id=stored["id"],
                title=stored.get("title") or derive_title(stored.get("body", "")) or stored["id"],
                date=date.date() if isinstance(date, dt.datetime) else None,
                mentions=count,
            )
        )
    rows.sort(key=lambda r: (-r.mentions, -(r.date.toordinal() if r.date else 0), r.id))
    return rows


def co_occurring(searcher: Searcher, kind: str, name: str, limit: int = 20) -> list[CoOccurrence]:
    """Entities that appear in the same articles, by number of shared articles."""
    counts: Counter[tuple[str, str]] = Counter()
    wanted = (kind, fold(name))
    for stored, _ in _matching(searcher, kind, name):
        seen = set()
        for entity in stored_entities(stored):
            key = (entity.get("type", ""), entity.get("name", ""))
            if (key[0], fold(key[1])) == wanted or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [CoOccurrence(k[0], k[1], n) for k, n in ranked[:limit]]
