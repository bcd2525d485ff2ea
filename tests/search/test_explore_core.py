"""Facets, timeline and keyword in context on the bundled corpus (reader.search.facets, kwic)."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.search.engine import Filters
from reader.search.facets import CorpusTable, corpus_table, facets, matching_docnums, timeline
from reader.search.kwic import concordance, sort_lines
from reader.search.query import QueryError


@pytest.fixture
def searcher(index):
    with index.searcher() as s:
        yield s


def counts(found, kind):
    return {v.name: v.articles for v in found.get(kind, [])}


def test_whole_corpus_facets_count_articles_per_entity(searcher):
    table = corpus_table(searcher)
    found = facets(table, None)
    assert list(found)[:2] == ["person", "place"]
    assert counts(found, "place")["Japan"] == 5
    assert counts(found, "person")["Nobuo Kishi"] == 4
    # Whole names, not the words of the analysed field.
    assert "South China Sea" in counts(found, "place")
    assert "south" not in {n.lower() for n in counts(found, "place")}


def test_facets_follow_the_query_and_filters(searcher):
    table = corpus_table(searcher)
    docnums = matching_docnums(searcher, "kyodo OR fredly")
    assert len(docnums) == 2
    narrowed = facets(table, docnums)
    assert counts(narrowed, "place")["Japan"] == 2
    assert "Aldgra Fredly" in counts(narrowed, "person")
    only_2014 = matching_docnums(searcher, "", Filters(date_to=dt.date(2014, 12, 31)))
    assert len(only_2014) == 1
    assert counts(facets(table, only_2014), "person").get("Fumio Kishida") is None


def test_bad_query_raises_a_query_error(searcher):
    with pytest.raises(QueryError):
        matching_docnums(searcher, '"unclosed')


def test_table_is_cached_per_index_version(index):
    with index.searcher() as s:
        first = corpus_table(s)
        assert corpus_table(s) is first
        assert isinstance(first, CorpusTable) and len(first.live) == 5


def test_timeline_chooses_the_period_by_span(searcher):
    table = corpus_table(searcher)
    everything = timeline(table, None)
    assert everything.granularity == "year"
    assert [b.label for b in everything.buckets] == [str(y) for y in range(2014, 2022)]
    assert everything.buckets[0].articles == 1 and everything.buckets[-1].articles == 4
    assert everything.buckets[3].articles == 0  # empty years kept
    autumn = matching_docnums(searcher, "date:[2021-09-01 to 2021-12-31]")
    months = timeline(table, autumn)  # 74 days: months
    assert [(b.label, b.articles) for b in months.buckets] == [
        ("2021-09", 3),
        ("2021-10", 0),
        ("2021-11", 1),
    ]
    september = matching_docnums(searcher, "date:2021-09")
    days = timeline(table, september)
    assert [(b.label, b.articles) for b in days.buckets] == [("2021-09-11", 2), ("2021-09-12", 1)]
    assert days.total == 3


def test_kwic_lines_align_on_the_hit(searcher):
    found = concordance(searcher, "kishi")
    assert found.complete and found.articles == 4
    assert found.lines
    for line in found.lines:
        assert line.hit.lower() == "kishi"
        assert "\n" not in line.left + line.right
    dates = [line.date for line in found.lines]
    assert dates == sorted(dates, reverse=True)
    by_after = sort_lines(found.lines, "after")
    keys = [line.right.strip().casefold() for line in by_after]
    assert keys == sorted(keys)


def test_kwic_limit_says_lines_were_left_out(searcher):
    found = concordance(searcher, "japan", limit=7)
    assert len(found.lines) == 7 and not found.complete
    assert concordance(searcher, "").lines == ()


FINDER_QUERIES = [
    "japan",
    "agreements",
    "kishi OR giang",
    "defen*",
    "person:kishi",
    "u.s",
    "phan văn",
    "kishy~",
]


@pytest.mark.parametrize("query", FINDER_QUERIES)
def test_hit_finder_finds_what_match_spans_finds(searcher, query):
    from reader.search.kwic import HitFinder
    from reader.search.query import parse
    from reader.search.snippets import match_spans, query_terms

    terms = query_terms(parse(query, searcher.schema), searcher)
    bodies = [stored.get("body", "") for _, stored in searcher.reader().iter_docs()]
    bodies.append("...japan, u.s.japan x.japan _japan Japan's JAPANESE defence.defended Kishi")
    bodies.append("Phan Văn Giang and Phan Van Giang; naïve Japón, Japan")
    finder = HitFinder(terms)
    for body in bodies:
        assert finder.spans(body) == match_spans(body, terms)


def test_any_entity_type_the_index_holds_becomes_a_facet():
    """An ``organisation`` type (not recognised yet) is counted as soon as it is stored."""
    import json as json_module

    from whoosh.filedb.filestore import RamStorage

    from reader.index.schema import make_schema

    ix = RamStorage().create_index(make_schema())
    writer = ix.writer()
    for n, orgs in enumerate((["Kyodo News", "NATO"], ["NATO"], [])):
        entities = [{"type": "organisation", "name": o, "mentions": []} for o in orgs]
        entities.append({"type": "place", "name": "Japan", "mentions": []})
        writer.add_document(
            id=f"a{n}",
            body="Japan",
            date=dt.datetime(2021, 9, 10 + n),
            entities=json_module.dumps(entities),
        )
    writer.commit()
    with ix.searcher() as s:
        found = facets(CorpusTable(s), None)
    assert list(found) == ["place", "organisation"]
    assert counts(found, "organisation") == {"NATO": 2, "Kyodo News": 1}
    assert counts(found, "place") == {"Japan": 3}
