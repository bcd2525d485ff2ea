"""The fast stand-ins for slow Whoosh queries find what Whoosh itself finds.

``reader.search.engine`` answers date ranges from the date column, sizes prefixes
without expanding them, finds fuzzy words in a cached vocabulary and counts
matches in the same pass as the top hits. Each is checked here against plain
Whoosh on an index of several segments with a deleted document in it. A prefix
scores as the OR of its words (see ``reader.search.scoring``), and is compared with
that; its documents are compared with Whoosh's prefix.
"""

from __future__ import annotations

import pytest
from whoosh import query as wq

from reader.search.engine import search
from reader.search.query import parse
from reader.search.rewrites import ColumnRange, QuickPrefix, expand_fuzzy
from reader.search.vocabulary import words_within

QUERIES = [
    "date:2014",
    "date:2021-09",
    "date:[2021-09-01 to 2021-09-30]",
    "date:[2021-10 to]",
    "date:[to 2020]",
    "date:>2021-09-11",
    "date:<=2021-09-11",
    "defen* date:2021",
    "defen*",
    "title:defen*",
    "defen* OR japan",
    "japan AND NOT date:2014",
    "export* AND NOT defen*",
]


@pytest.fixture
def segmented(index, corpus):
    """The bundled index with a second segment: one article changed, so its first
    version is a deleted document in the first segment."""
    article = sorted(corpus.glob("*.md"))[0]
    article.write_text(
        article.read_text(encoding="utf-8") + "\nDefenders exported more.\n", encoding="utf-8"
    )
    report = index.update()
    assert report.changed
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1
        assert searcher.reader().has_deletions()
        yield searcher


def _prefixes_as_words(query, reader):
    """A prefix scores as the OR of its words (Whoosh's own prefix scoring depends
    on the size of each segment); its documents are Whoosh's, checked below."""
    if isinstance(query, wq.Prefix):
        words = sorted(set(reader.expand_prefix(query.fieldname, query.text)))
        return wq.Or([wq.Term(query.fieldname, w) for w in words], boost=query.boost)
    if query.is_leaf():
        return query
    return query.apply(lambda child: _prefixes_as_words(child, reader))


def _whoosh(searcher, text, limit=None):
    query = _prefixes_as_words(parse(text, searcher.schema), searcher.reader())
    results = searcher.search(query, limit=limit)
    return [(hit["id"], round(hit.score, 6)) for hit in results], len(results)


def _ours(searcher, text, limit=None):
    results = search(searcher, text, limit=limit, snippets=0)
    return [(hit.id, round(hit.score, 6)) for hit in results.hits], results.total


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_and_scores_as_whoosh(segmented, text):
    theirs, their_total = _whoosh(segmented, text)
    ours, our_total = _ours(segmented, text)
    assert our_total == their_total
    assert sorted(ours) == sorted(theirs)


@pytest.mark.parametrize("text", [q for q in QUERIES if "*" in q])
def test_prefixes_find_the_documents_whoosh_finds(segmented, text):
    results = segmented.search(parse(text, segmented.schema), limit=None)
    ours = search(segmented, text, limit=None, snippets=0)
    assert ours.total == len(results)
    assert {hit.id for hit in ours.hits} == {hit["id"] for hit in results}


def test_the_rewrites_are_used(segmented):
    reader = segmented.reader()
    dated = expand_fuzzy(parse("date:2021", segmented.schema), reader)
    assert isinstance(dated, ColumnRange)
    prefixed = expand_fuzzy(parse("title:defen*", segmented.schema), reader)
    assert isinstance(prefixed, QuickPrefix)


@pytest.mark.parametrize("text", ["japan", "defen*", "date:2021", "japan OR vietnam", "agrement~"])
def test_total_is_exact_with_a_limit(segmented, text):
    everything = search(segmented, text, limit=None, snippets=0)
    assert everything.total > 1
    top = search(segmented, text, limit=1, snippets=0)
    assert top.total == everything.total
    assert [h.id for h in top.hits] == [h.id for h in everything.hits[:1]]


def test_date_filter_skips_deleted_and_undated(segmented, corpus):
    import datetime as dt

    from reader.search.engine import Filters

    everything = search(segmented, "", limit=None, snippets=0)
    dated = [h for h in everything.hits if h.date is not None]
    in_range = search(
        segmented,
        "",
        limit=None,
        snippets=0,
        filters=Filters(date_from=dt.date(1900, 1, 1), date_to=dt.date(2100, 1, 1)),
    )
    assert in_range.total == len(dated)
    assert len({h.id for h in in_range.hits}) == in_range.total


def test_fuzzy_words_match_whoosh_per_segment(segmented):
    reader = segmented.reader()
    for field, word in [("body", "agrement"), ("body", "japn"), ("title", "defence")]:
        expected = set()
        for leaf, _ in reader.leaf_readers():
            expected.update(leaf.terms_within(field, word, 2, prefix=1))
        assert set(words_within(reader, field, word, 2, prefix=1)) == expected


# -- bounded: match-all, wildcards and fuzzy terms (issue 15) ---------------------------------


@pytest.mark.parametrize("text", ["*", "?*", "title:*", "japan OR *"])
def test_match_all_reads_no_postings(segmented, monkeypatch, text):
    """``*`` is every article, found without reading the postings of every word
    (Whoosh read them all: seconds at 10,000 articles)."""
    from whoosh.reading import SegmentReader

    everything = search(segmented, "", limit=None, snippets=0).total
    read = []
    real = SegmentReader.postings
    monkeypatch.setattr(
        SegmentReader, "postings", lambda *a, **k: read.append(a[1:3]) or real(*a, **k)
    )
    found = search(segmented, text, limit=3, snippets=0)
    assert found.total == everything
    assert all(term == ("title", "japan") or term == ("body", "japan") for term in read), read[:5]
    assert search(segmented, "NOT *", limit=3, snippets=0).total == 0


def test_a_wildcard_matching_too_many_words_is_refused(segmented, monkeypatch):
    from reader.search import rewrites
    from reader.search.query import QueryError

    monkeypatch.setattr(rewrites, "MAX_WILDCARD_WORDS", 5)
    with pytest.raises(QueryError, match="matches more than 5 words"):
        search(segmented, "*a*", limit=10, snippets=0)
    # A narrow pattern still finds what Whoosh finds.
    results = segmented.search(parse("title:def?n*", segmented.schema), limit=None)
    ours = search(segmented, "title:def?n*", limit=None, snippets=0)
    assert {h.id for h in ours.hits} == {h["id"] for h in results} and ours.total


@pytest.mark.parametrize("text", ["government~9", "japan~3", "title:defence~5"])
def test_fuzzy_terms_allow_at_most_two_edits(segmented, text):
    from reader.search.query import QueryError

    with pytest.raises(QueryError, match="at most 2"):
        search(segmented, text, limit=10, snippets=0)
    assert search(segmented, text.split("~")[0] + "~2", limit=10, snippets=0).total
