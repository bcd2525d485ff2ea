"""What the Explore views show, asked of the core; every function blocks (workers only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.app.backend import CorpusService, SearchRequest

if TYPE_CHECKING:
    from reader.search.facets import FacetValue, Timeline
    from reader.search.kwic import Concordance, KwicOrder


@dataclass(frozen=True, slots=True)
class Overview:
    """Facets and timeline of one request's results."""

    request: SearchRequest
    articles: int
    facets: dict[str, list[FacetValue]]
    timeline: Timeline
    #: ``(date, name)`` of the agreement records these articles report that have a
    #: date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), for the timeline.
    dated_agreements: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class EntityPage:
    """An entity across the corpus: its articles over time, companions, aliases."""

    kind: str
    name: str
    timeline: Timeline
    articles: tuple[tuple[str, str, str, int], ...]  # id, title, date, mentions
    companions: tuple[tuple[str, str, int], ...]  # kind, name, shared articles
    aliases: tuple[str, ...]
    agreements: tuple[tuple[str, int], ...]  # name, shared articles
    #: Where each article first mentions it (the article opens there).
    first_mentions: dict[str, int]


def overview(service: CorpusService, request: SearchRequest, limit: int = 50) -> Overview:
    """Facets and timeline of ``request``'s results (every article for an empty request)."""
    from reader.search.facets import corpus_table, facets, matching_docnums, timeline

    filters = request.filters()
    with service.searching() as searcher:
        table = corpus_table(searcher)
        if request.query.strip() or filters:
            docnums: list[int] | None = matching_docnums(searcher, request.query, filters)
            articles = len(docnums)
        else:
            docnums, articles = None, len(table.live)
        ids = None if docnums is None else {table.ids[n] for n in docnums}
    return Overview(
        request,
        articles,
        facets(table, docnums, limit),
        timeline(table, docnums),
        dated_agreements(service, ids),
    )


def dated_agreements(service: CorpusService, ids: set[str] | None) -> tuple[tuple[str, str], ...]:
    """The dated agreement records reported by the articles ``ids`` (None: any)."""
    from reader.agreements import catalog
    from reader.agreements.corrections import CorrectionError

    try:
        records = catalog.load(service.index)
    except CorrectionError:
        return ()  # the agreements table says what is wrong with the corrections file
    return tuple(
        (record.date, record.name)
        for record in records
        if record.date and (ids is None or any(m.article_id in ids for m in record.members))
    )


def concordance(service: CorpusService, request: SearchRequest, order: KwicOrder) -> Concordance:
    from reader.search.kwic import concordance as make

    with service.searching() as searcher:
        return make(searcher, request.query, request.filters(), order=order)


def entity_page(service: CorpusService, kind: str, name: str) -> EntityPage:
    """The page of (kind, name), from :mod:`reader.search.entity_queries` and the facets."""
    from reader.search.engine import Filters, stored_entities
    from reader.search.entity_queries import articles_mentioning, co_occurring
    from reader.search.facets import corpus_table, matching_docnums, timeline

    with service.searching() as searcher:
        table = corpus_table(searcher)
        docnums = matching_docnums(searcher, "", Filters(entity=(kind, name)))
        articles = articles_mentioning(searcher, kind, name)
        companions = co_occurring(searcher, kind, name, limit=40)
        # Aliases: the other ways the articles write the name ("Kishi" for "Nobuo Kishi").
        aliases: dict[str, str] = {}
        dated = []
        first: dict[str, int] = {}
        for docnum in docnums:
            stored = searcher.stored_fields(docnum)
            for entity in stored_entities(stored):
                if entity.get("type") != kind or entity.get("name") != name:
                    continue
                dated.append(docnum)
                starts = [m.get("start") for m in entity.get("mentions") or ()]
                starts = [s for s in starts if isinstance(s, int)]
                first[str(stored.get("id"))] = min(starts, default=0)
                for mention in entity.get("mentions") or ():
                    text = " ".join(str(mention.get("text", "")).split())
                    if text and text.casefold() != name.casefold():
                        aliases.setdefault(text.casefold(), text)
                break
        shown = tuple(
            (a.id, a.title, a.date.isoformat() if a.date else "", a.mentions) for a in articles
        )
        return EntityPage(
            kind=kind,
            name=name,
            timeline=timeline(table, dated),
            articles=shown,
            companions=tuple((c.type, c.name, c.articles) for c in companions),
            aliases=tuple(sorted(aliases.values(), key=str.casefold)),
            agreements=tuple((c.name, c.articles) for c in companions if c.type == "agreement"),
            first_mentions=first,
        )
