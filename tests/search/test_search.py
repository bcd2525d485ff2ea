"""Search on the bundled corpus: analysis, the query language, snippets, suggestions."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.search.engine import Filters, search
from reader.search.query import QueryError
from reader.search.snippets import Terms, make_snippets


@pytest.fixture
def searcher(index):
    with index.searcher() as s:
        yield s


def hit_ids(results):
    return [h.id for h in results.hits]


def test_stemming_finds_other_forms(searcher):
    plural = search(searcher, "agreements", limit=None)
    singular = search(searcher, "agreement", limit=None)
    assert plural.total == singular.total == 5
    texts = {sn.text[a:b].lower() for h in plural.hits for sn in h.snippets for a, b in sn.matches}
    assert "agreement" in texts


def test_accents_are_folded(searcher):
    folded = search(searcher, "Phan Văn Giang", limit=None)
    plain = search(searcher, "Phan Van Giang", limit=None)
    assert folded.total == plain.total == 4
    assert hit_ids(folded) == hit_ids(plain)


def test_phrase_and_fields(searcher):
    # Kyodo's "Senkaku Islands" and the 2014 article's "Senkaku islands" (stemmed alike).
    phrase = search(searcher, '"Senkaku Islands"', limit=None)
    assert sorted(h.id[:10] for h in phrase.hits) == ["2014-03-19", "2021-09-11"]
    assert search(searcher, '"Senkaku chain"', limit=None).total == 0
    assert search(searcher, '"Senkaku Island chain"', limit=None).total == 1
    assert hit_ids(search(searcher, "source:kyodo", limit=None)) == [
        "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"
    ]
    assert search(searcher, "author:fredly", limit=None).total == 1
    assert search(searcher, "title:partnership", limit=None).total == 1
    assert hit_ids(search(searcher, "date:2014", limit=None)) == [
        "2014-03-19-japan-and-vietnam-expand-defense-partnership"
    ]
    ranged = search(searcher, "date:[2021-09-01 to 2021-09-30]", limit=None)
    assert sorted(h.date.isoformat() for h in ranged.hits) == [
        "2021-09-11",
        "2021-09-11",
        "2021-09-12",
    ]
    assert search(searcher, "date:2021-09-12", limit=None).total == 1
    assert search(searcher, "date:[2021-10 to]", limit=None).total == 1
    assert search(searcher, "date:[to 2020]", limit=None).total == 1
    assert search(searcher, "japan date:>2021-09-12", limit=None).total == 1


def test_boolean_prefix_and_fuzzy(searcher):
    assert search(searcher, "japan NOT kishi", limit=None).total == 1
    assert search(searcher, "abe OR wang", limit=None).total == 2
    assert search(searcher, "cyber*", limit=None).total == 4
    fuzzy = search(searcher, "kishy~", limit=None)
    assert fuzzy.total == 4
    # Expanded words go through the stemmer like everything else in the body.
    assert search(searcher, "agreemnts~", limit=None).total == 5
    assert "agreement" in search(searcher, "agreemnts~").terms.prose


def test_a_fuzzy_word_is_compared_as_typed_not_as_its_stem(searcher):
    # "coperation" stems to "coper", two edits from "cooperation"; as typed it is one.
    results = search(searcher, "coperation~")
    assert results.total > 0
    assert "cooper" in results.terms.prose  # the stem of "cooperation", highlighted
    assert search(searcher, "title:coperation~").total <= results.total


def test_snippet_ranges_point_at_the_hits(searcher):
    results = search(searcher, '"South China Sea" OR Senkaku', limit=None)
    assert results.hits
    for hit in results.hits:
        for snippet in hit.snippets:
            for start, end in snippet.matches:
                word = snippet.text[start:end].lower()
                assert word in {"south", "china", "sea", "seas", "senkaku"}, word


def test_snippet_offsets_are_offsets_into_the_body(index):
    with index.searcher() as s:
        stored = s.document(id="2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets")
    body = stored["body"]
    terms = Terms(prose=frozenset({"kishi"}))
    for snippet in make_snippets(body, terms):
        for start, end in snippet.matches:
            assert body[snippet.start + start : snippet.start + end] == "Kishi"


def test_not_terms_are_not_highlighted(searcher):
    results = search(searcher, "japan NOT kishi", limit=None)
    assert results.terms.prose == frozenset({"japan"})


def test_did_you_mean(searcher):
    results = search(searcher, "cybersecurty")
    assert results.total == 0
    assert results.suggestion == "cybersecurity"


def test_sort_by_date_and_filters(searcher):
    by_date = search(searcher, "japan", sort="date", limit=None)
    dates = [h.date for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    assert all(h.score is None for h in by_date.hits)
    only = search(searcher, "japan", filters=Filters(sources=("Taiwan News",)), limit=None)
    assert [h.source for h in only.hits] == ["Taiwan News"]
    window = Filters(date_from=dt.date(2021, 11, 1), date_to=dt.date(2021, 12, 31))
    assert search(searcher, "japan", filters=window, limit=None).total == 1


def test_empty_query_lists_everything_newest_first(searcher):
    results = search(searcher, "", limit=None)
    assert results.total == 5
    assert results.hits[0].date == dt.date(2021, 11, 24)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"south china', "never closed"),
        ("(japan OR vietnam", "never closed"),
        ("japan)", "never opened"),
        ("colour:red", "unknown field 'colour'"),
        ("date:yesterdayish", "cannot read the date"),
        ("date:2021-02-30", "not a real date"),
        ("date:[2021 2022]", "needs 'to'"),
        ("the and of", "very common words"),
        ("q", "single letters are not indexed"),
        ("a b", "single letters are not indexed"),
    ],
)
def test_malformed_queries_explain_themselves(searcher, text, message):
    with pytest.raises(QueryError, match=message):
        search(searcher, text)


def test_results_as_json_dicts(searcher):
    (hit,) = search(searcher, '"Shinzo Abe"').hits
    data = hit.to_dict()
    assert list(data) == ["id", "path", "title", "source", "date", "score", "snippets"]
    assert data["date"] == "2014-03-19"
    snippet = data["snippets"][0]
    start, end = snippet["matches"][0]
    assert snippet["text"][start:end] in {"Shinzo", "Abe"}


def test_snippets_for_the_first_hits_now_and_the_rest_later(searcher):
    from reader.search.engine import fill_snippets

    whole = search(searcher, "Japan", limit=None, snippets=1)
    assert len(whole.hits) >= 4 and all(hit.snippets for hit in whole.hits)
    first = search(searcher, "Japan", limit=None, snippets=1, snippet_hits=2)
    assert [hit.id for hit in first.hits] == [hit.id for hit in whole.hits]
    assert all(hit.snippets for hit in first.hits[:2])
    assert not any(hit.snippets for hit in first.hits[2:])
    assert fill_snippets(searcher, first, 2).hits == whole.hits


def test_hit_spans_are_the_tokens_the_analyzer_matches():
    """Snippets pass over words whose first letter no term has: stems keep it."""
    from reader.index.analysis import analyze_token, term_spans
    from reader.search.snippets import match_spans

    text = (
        "Économie: the ECONOMY's economists agreed. Über-agreements, 3.5 per cent, "
        "U.S. trade_deals; Ärzte and ärztlich; Yields yielded; skies, sky, _under "
        "Ökonomie Ōsaka osaka İstanbul istanbul"
    )
    words = ["economy", "agreements", "3.5", "trade_deals", "Ärzte", "skies", "Ōsaka", "İstanbul"]
    prose = frozenset(t for w in words if (t := analyze_token(w)) is not None)
    expected = [(s, e) for term, s, e in term_spans(text) if term in prose]
    assert len(expected) > len(words)
    assert match_spans(text, Terms(prose=prose)) == expected
    part = [(s + 10, e + 10) for term, s, e in term_spans(text[10:120]) if term in prose]
    assert match_spans(text, Terms(prose=prose), 10, 120) == part


def test_match_spans_finds_what_the_analyzer_finds():
    """match_spans looks only at the tokens a term could begin (a regex), and finds
    exactly the tokens of the index's tokenizer whose analysed form is a term."""
    import random

    from reader.index.analysis import _TOKEN_RE, analyze_token
    from reader.search.snippets import Terms, match_spans

    def reference(text, terms, start=0, end=None):
        window = text[start:end]
        found = []
        for match in _TOKEN_RE.finditer(window):
            if analyze_token(match.group()) in terms.prose:
                found.append((match.start() + start, match.end() + start))
        return found

    rng = random.Random(5)
    words = ["japan", "Japan", "JAPANS", "U.S", "u.s.a", "Kishi's", "a.b", "x..y", "Jap.an"]
    words += ["jäpan", "Énergie", "énergie", "3.5", "ja", "tokyo", "日本", "_japan"]
    pieces = [" ", ".", "..", ",", "'", "\n", "é", "0", "-", "\u00a0"]
    term_sets = [
        Terms(prose=frozenset({analyze_token("japan"), analyze_token("kishi")})),
        Terms(prose=frozenset({analyze_token("énergie"), analyze_token("u.s")})),
        Terms(prose=frozenset({"3.5", "ja", "日本"})),
    ]
    for _ in range(2000):
        text = "".join(rng.choice([rng.choice(words), rng.choice(pieces)]) for _ in range(25))
        for terms in term_sets:
            start = rng.randrange(0, 8)
            end = rng.choice([None, max(start, len(text) - rng.randrange(0, 5))])
            assert match_spans(text, terms, start, end) == reference(text, terms, start, end)
