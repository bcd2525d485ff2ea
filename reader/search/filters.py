"""What narrows a search besides its words: sources, dates, entities, an agreement.

Plain data, with no Whoosh in it: the app describes the filters of the results it
lists in its first frame, before the search engine is imported (the engine turns
them into Whoosh queries, :func:`reader.search.engine.filter_query`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow a search to sources, a date range, or articles naming an entity."""

    sources: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: ``(entity type, canonical name)``, e.g. ``("person", "Nobuo Kishi")``.
    entity: tuple[str, str] | None = None
    #: An agreement record across the corpus: ``(its name, the ids of the articles
    #: that report it)`` (:mod:`reader.agreements`).
    record: tuple[str, tuple[str, ...]] | None = None
    #: More entities every article must mention too (filters stacked from Explore).
    also: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.sources
            or self.date_from
            or self.date_to
            or self.entity
            or self.record
            or self.also
        )

    def describe(self) -> str:
        parts = []
        if self.sources:
            parts.append("source: " + ", ".join(self.sources))
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"date: {start} to {end}")
        for kind, name in (self.entity, *self.also) if self.entity else self.also:
            parts.append(f"{kind}: {name}")
        if self.record:
            parts.append(f"agreement record: {self.record[0]}")
        return "; ".join(parts)
