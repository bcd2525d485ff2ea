"""Term-at-a-time evaluation finds what Whoosh finds, with Whoosh's scores.

:mod:`reader.search.scoring` reads posting lists itself instead of running Whoosh's
matchers. Each kind of query is checked here against Whoosh's own collector on
an index of a few hundred real ABC news stories, written in several segments
with changed and deleted articles in them: the same documents, the same scores,
the same total. Prefixes score as the OR of the words they expand to (Whoosh's
own scoring of a prefix depends on segment sizes), and are checked against
exactly that, and for the documents against Whoosh's prefix.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from whoosh import query as wq

from reader.search.engine import Filters, _filter_query, search
from reader.search.query import parse
from reader.search.rewrites import expand_fuzzy
from reader.search.scoring import Unsupported, top_documents
from tests.conftest import ABC_ZIP

QUERIES = [
    "rain",
    "drought AND cattle",
    "drought OR flood",
    "wheat AND NOT price",
    "NOT rain",
    '"climate change"',
    '"New South Wales"',
    '"climate change" AND farmers',
    "title:rain",
    "body:water date:2006",
    "source:rural wheat",
    "source:science",
    "date:[2006-03 to 2006-06]",
    "date:>2006-10",
    "(drought OR flood) AND NOT date:2006-01",
    "catle~",
    "scientist~2",
    "clim*",
    "title:farm*",
    "clim* AND NOT drought",
    "wat* date:2006-05",
    "clim* OR rain*",
    "zzzunknownword",
    "rain AND zzzunknownword",
]


ARTICLES = Path(__file__).resolve().parents[2] / "articles"

#: Sentences with the words the queries ask for, mixed into the articles made from the
#: bundled corpus when the ABC archive is not on this machine.
_QUERY_SENTENCES = [
    "Farmers said the rain came late this year.",
    "The drought has hit cattle producers hard.",
    "A flood cut the road to the farm.",
    "Wheat growers watched the price fall.",
    "Scientists say climate change is behind the heat.",
    "New South Wales recorded its driest month.",
    "Water restrictions start next week.",
    "A scientist measured the rainfall at the station.",
    "The climate of the region is changing, farmers say.",
    "Farming families are leaving the district.",
    "A cat and a calf were carried off by the flood.",
    "Heavy rain fell across the district overnight.",
    "The rain that the farmers wanted finally fell.",
]


def _write_bundled_variations(count: int, folder: Path) -> None:
    """``count`` articles made of sentences of the bundled articles, with query words."""
    import random

    from reader.corpus.articles import load_path

    rng = random.Random(7)
    sentences = []
    for path in sorted(ARTICLES.glob("*.md")):
        body = load_path(path).body
        sentences += [s.strip() + "." for s in body.replace("\n", " ").split(". ") if s.strip()]
    sources = ["ABC Rural", "ABC Science", "ABC News"]
    folder.mkdir(parents=True)
    for n in range(count):
        picked = rng.sample(sentences, 8) + rng.sample(_QUERY_SENTENCES, rng.randint(0, 3))
        rng.shuffle(picked)
        title = " ".join(picked[0].split()[:8]).rstrip(".")
        date = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(365))
        (folder / f"story-{n:04}.md").write_text(
            f"---\ntitle: {json.dumps(title)}\nsource: {rng.choice(sources)}\n"
            f"date: {date.isoformat()}\n---\n\n" + "\n\n".join(picked) + "\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """An index of 360 articles in several segments, with deleted documents: ABC news
    stories, or, where that archive is absent, variations of the bundled articles."""
    from reader.index.corpus_index import CorpusIndex

    root = tmp_path_factory.mktemp("evaluation")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READER_HOME", str(root / "home"))
        patch.setenv("READER_ENTITIES", "off")
        made = root / "made"
        if ABC_ZIP.exists():
            from reader.bench.corpus import read_stories, write_corpus

            write_corpus(read_stories(ABC_ZIP), 360, made)
        else:
            _write_bundled_variations(360, made)
        files = sorted(p for p in made.rglob("*") if p.is_file())
        corpus = root / "corpus"
        corpus.mkdir()

        def add(batch):
            for path in batch:
                target = corpus / path.relative_to(made)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)

        index = CorpusIndex(corpus, index_dir=root / "index")
        index.open()
        add(files[:240])
        index.update()
        add(files[240:])
        index.update()
        written = sorted(p for p in corpus.rglob("*") if p.is_file())
        for path in written[:200:20]:
            path.write_text(
                path.read_text(encoding="utf-8") + "\nFarmers said the rain came late.\n",
                encoding="utf-8",
            )
        written[5].unlink()
        index.update()
        with index.searcher() as opened:
            assert len(opened.reader().leaf_readers()) > 1
            assert opened.reader().has_deletions()
            yield opened
        index.close()


def _prefixes_as_words(query: wq.Query, reader) -> wq.Query:
    """``query`` with each prefix replaced by the OR of the index words it expands to."""
    if isinstance(query, wq.Prefix):
        words = sorted(set(reader.expand_prefix(query.fieldname, query.text)))
        terms = [wq.Term(query.fieldname, w) for w in words]
        return wq.Or(terms, boost=query.boost) if terms else wq.NullQuery
    if query.is_leaf():
        return query
    return query.apply(lambda child: _prefixes_as_words(child, reader))


def _whoosh(searcher, query, restrict=None):
    results = searcher.search(query, limit=None, filter=restrict)
    return {hit.docnum: hit.score for hit in results}


def _same(ours, theirs):
    assert set(ours) == set(theirs)
    for docnum, score in ours.items():
        assert score == pytest.approx(theirs[docnum], rel=1e-9)


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_and_scores_as_whoosh(searcher, text):
    query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    best, total = top_documents(searcher, query, None)
    ours = dict(best)
    assert total == len(ours)
    _same(ours, _whoosh(searcher, _prefixes_as_words(query, searcher.reader())))


@pytest.mark.parametrize("text", QUERIES)
def test_the_same_with_posting_lists_kept_in_memory(searcher, text, monkeypatch):
    from reader.search import scoring as evaluation

    monkeypatch.setattr(evaluation, "CACHE_MIN_POSTINGS", 4)
    monkeypatch.setattr(evaluation, "CACHE_MAX_POSTINGS", 2000)
    monkeypatch.setattr(evaluation, "_POSTINGS", type(evaluation._POSTINGS)())
    monkeypatch.setattr(evaluation, "_POSTINGS_SIZE", 0)
    query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    expected = _whoosh(searcher, _prefixes_as_words(query, searcher.reader()))
    for _ in range(2):  # the first run reads and keeps them, the second reuses them
        best, total = top_documents(searcher, query, None)
        assert total == len(best)
        _same(dict(best), expected)
    assert evaluation._POSTINGS_SIZE <= 2000
    if text in ("rain", "drought OR flood", "NOT rain"):  # whole posting lists are read
        assert evaluation._POSTINGS_SIZE > 0


@pytest.mark.parametrize("text", [q for q in QUERIES if "*" in q])
def test_a_prefix_finds_the_documents_whoosh_finds(searcher, text):
    query = parse(text, searcher.schema)
    best, total = top_documents(searcher, expand_fuzzy(query, searcher.reader()), None)
    assert total == len(best) > 0
    assert {docnum for docnum, _ in best} == set(_whoosh(searcher, query))


@pytest.mark.parametrize("limit", [1, 3, 10])
@pytest.mark.parametrize("text", ["rain", "wat*", "drought OR flood", "catle~"])
def test_the_top_hits_are_the_best_in_index_order(searcher, text, limit):
    query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    everything, total = top_documents(searcher, query, None)
    best, limited_total = top_documents(searcher, query, limit)
    assert limited_total == total > limit
    ranked = sorted(everything, key=lambda pair: (-pair[1], pair[0]))
    assert best == ranked[:limit]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(sources=("ABC Rural",)),
        Filters(date_from=dt.date(2006, 4, 1), date_to=dt.date(2006, 8, 31)),
        Filters(sources=("ABC Rural",), date_from=dt.date(2006, 6, 1)),
    ],
)
def test_filters_restrict_as_whoosh_does(searcher, filters):
    restrict = _filter_query(filters)
    query = expand_fuzzy(parse("rain OR water", searcher.schema), searcher.reader())
    best, total = top_documents(searcher, query, None, restrict)
    assert total == len(best) > 0
    _same(dict(best), _whoosh(searcher, query, restrict))


def test_search_uses_it_and_falls_back_for_date_order(searcher):
    by_relevance = search(searcher, "rain", limit=5, snippets=0)
    by_date = search(searcher, "rain", limit=None, snippets=0, sort="date")
    assert by_relevance.total == by_date.total
    dates = [h.date for h in by_date.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    assert all(h.score is None for h in by_date.hits)
    assert by_relevance.hits[0].score >= by_relevance.hits[-1].score


def test_unsupported_scoring_is_refused(searcher):
    from whoosh.scoring import TF_IDF
    from whoosh.searching import Searcher

    other = Searcher(searcher.reader(), weighting=TF_IDF(), closereader=False)
    with pytest.raises(Unsupported):
        top_documents(other, parse("rain", other.schema), 10)


def test_adjacent_words_are_whoosh_phrases_with_a_slop_of_one():
    import random

    from reader.search.scoring import _adjacent, _in_order

    rng = random.Random(5)
    for _ in range(3000):
        words = rng.randint(2, 4)
        positions = [sorted(rng.sample(range(30), rng.randint(1, 8))) for _ in range(words)]
        if rng.random() < 0.2:  # the same word twice in the phrase
            positions[1] = positions[0]
        assert _adjacent(positions) == _in_order(positions, 1), positions


@pytest.mark.parametrize("text", ['"rain fell"~3', '"climate change"~2', '"the farmers"'])
def test_phrases_with_slop_as_whoosh(searcher, text):
    query = expand_fuzzy(parse(text, searcher.schema), searcher.reader())
    best, total = top_documents(searcher, query, None)
    assert total == len(best) > 0
    _same(dict(best), _whoosh(searcher, query))
