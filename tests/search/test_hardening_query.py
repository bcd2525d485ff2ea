"""Property tests: no text a user can type breaks the query parser, search or snippets.

Every answer is results, an empty list, or a :class:`QueryError` with a one-line
message. Snippet ranges always point at the same characters in the body.
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.index.analysis import TOKEN_PATTERN, analyze_token, fold
from reader.search.engine import SearchResults, search
from reader.search.query import FIELD_ALIASES, MAX_QUERY_CHARS, QueryError, check, parse
from reader.search.snippets import Terms, make_snippets, match_spans
from reader.support.locations import bundled_corpus

pytestmark = pytest.mark.filterwarnings("ignore")

# -- strategies --------------------------------------------------------------------------------

WORDS = [
    "japan", "vietnam", "defence", "defense", "agreement", "agreements", "Hanoi", "Kishi",
    "equipment", "Phan", "Văn", "Giang", "the", "and", "of", "a", "to", "is", "in",
]  # fmt: skip
STOP_WORDS = ["the", "and", "of", "a", "to", "is", "in", "an", "for", "on", "with", "be"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "OR OR", "NOT NOT", "AND AND"]
SYMBOLS = ['"', "(", ")", "[", "]", "{", "}", "*", "~", "~2", "^", "^2", ":", "'", "<", ">",
           "=", "-", "+", "\\", "/", "!", "&", "|", "?", ".", ",", "to", "TO"]  # fmt: skip
FIELDISH = [
    *(f"{name}:" for name in FIELD_ALIASES),
    *(f"{name.upper()}:" for name in ("title", "date", "person")),
    "foo:", ":bar", "date:", "date:[", "date:]", "date:[2021 to", "date:2021-13-40",
    "date:[to]", "date:>", "date:>=2014", "date:<2021-09", "date:[2014 to 2021]",
    "http://x.example", "a:b:c", "title:*", "body:~", "date:*", "id:x", "path:y",
    "date:0000", "date:9999-12-31", "date:[9999 to]", "date:>9999-12", "date:<0001",
]  # fmt: skip
CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c"]

# st.text() defaults to every category except surrogates: every script, marks, symbols.
any_text = st.text(max_size=40)
token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(STOP_WORDS),
    st.sampled_from(OPERATORS),
    st.sampled_from(SYMBOLS),
    st.sampled_from(FIELDISH),
    st.sampled_from(CONTROLS),
    st.sampled_from(BIDI),
    any_text,
    st.builds(lambda w, s: w + s, st.sampled_from(WORDS), st.sampled_from(["*", "~", "~2", "^3"])),
)
separator = st.sampled_from([" ", "", "  ", "\t", "\n"])
structured = st.lists(st.tuples(token, separator), max_size=14).map(
    lambda parts: "".join(t + s for t, s in parts)
)
only_stop_words = st.lists(st.sampled_from(STOP_WORDS), min_size=1, max_size=8).map(" ".join)
very_long = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["japan ", "(", '"', "a", "date:2014 ", "x~ ", "*", "Văn "]),
    st.integers(min_value=MAX_QUERY_CHARS // 8, max_value=MAX_QUERY_CHARS // 2 + 10),
)
queries = st.one_of(structured, any_text, st.text(), only_stop_words, very_long)


def assert_one_line(error: QueryError) -> None:
    message = str(error)
    assert message, "a QueryError without a message"
    assert "\n" not in message and "\r" not in message, message
    assert len(message) < 400, message


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory):
    """The bundled corpus indexed once for the whole module."""
    from reader.index.corpus_index import CorpusIndex

    root = tmp_path_factory.mktemp("hardening-query")
    corpus_dir = root / "articles"
    shutil.copytree(bundled_corpus(), corpus_dir)
    built = CorpusIndex(corpus_dir, index_dir=root / "index")
    built.open()
    built.update()
    yield built
    built.close()


# -- the parser --------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(queries)
def test_check_raises_only_query_errors(text):
    try:
        check(text)
    except QueryError as error:
        assert_one_line(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_parse_gives_a_query_or_a_one_line_error(shared_index, text):
    try:
        query = parse(text, shared_index.ix.schema)
    except QueryError as error:
        assert_one_line(error)
    else:
        assert query is not None


@pytest.mark.parametrize(
    "text",
    [
        "AND", "OR", "NOT", "OR OR", "NOT NOT", "AND OR NOT", "*", "~", "~2", "^", "**", "*~",
        "foo:", ":bar", "date:", "date:[", "title:", "title:(", "(", ")", "[", "]", '"', '""',
        '"the"', "( )", "[ ]", "date:[ to ]", "date:[to]", "the and of", "NOT japan",
        "japan NOT", "japan^", "japan~0", "japan~99", "ja*pan", "title:*", "date:*",
        "date:>", "date:<=", "date:[2014 to 2021", "date:2021-02-30", "person:", "Văn~",
        "\x1b]52;c;aGk=\x07", "\u202ejapan", "\x00", "\ud7ff", "𝔧𝔞𝔭𝔞𝔫", "日本", "-japan",
        "+japan", "japan:", "japan:vietnam", "a" * (MAX_QUERY_CHARS + 1), "(" * 500 + ")" * 500,
        "date:0000", "date:[9999 to]", "date:>9999-12", "date:<0001", "date:>9999",
    ],
)  # fmt: skip
def test_awkward_queries_are_results_or_a_clear_error(shared_index, text):
    with shared_index.searcher() as searcher:
        try:
            results = search(searcher, text)
        except QueryError as error:
            assert_one_line(error)
        else:
            assert isinstance(results, SearchResults)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries, st.sampled_from(["relevance", "date"]))
def test_search_gives_results_or_a_one_line_error(shared_index, text, sort):
    with shared_index.searcher() as searcher:
        try:
            results = search(searcher, text, sort=sort, limit=5)
        except QueryError as error:
            assert_one_line(error)
            return
    assert isinstance(results, SearchResults)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        stored = shared_index.stored(hit.id)
        assert stored is not None
        for snippet in hit.snippets:
            assert_snippet_points_into(stored["body"], snippet)


def test_only_stop_words_say_so(shared_index):
    with pytest.raises(QueryError, match="very common words"):
        parse("the and of", shared_index.ix.schema)


# -- snippets ----------------------------------------------------------------------------------

body_alphabet = st.one_of(
    st.characters(),  # every category but surrogates
    st.sampled_from(list(" \n\t.!?,") + CONTROLS + BIDI),
    st.sampled_from(["japan", "Japan's", "agreements", "Văn", "U.S.", "3.5", "ＪＡＰＡＮ"]),
)
bodies = st.one_of(
    st.lists(body_alphabet, max_size=300).map("".join),
    st.text(max_size=600),
    st.lists(st.sampled_from([*WORDS, " ", ". ", "\n", "  "]), max_size=200).map("".join),
)


def _prose_terms(words):
    return frozenset(t for w in words if (t := analyze_token(w)) is not None)


def _name_terms(words):
    return frozenset(f for w in words if (f := fold(w)))


term_words = st.lists(
    st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=8)), max_size=5
)
terms_strategy = st.builds(
    lambda prose, names: Terms(_prose_terms(prose), _name_terms(names)), term_words, term_words
)


def assert_snippet_points_into(body, snippet):
    assert 0 <= snippet.start <= len(body)
    assert len(snippet.text) <= len(body) - snippet.start
    for start, end in snippet.matches:
        assert 0 <= start < end <= len(snippet.text), (start, end, snippet.text)
        inside = snippet.text[start:end]
        original = body[snippet.start + start : snippet.start + end]
        # Newlines and tabs are shown as spaces, one for one; nothing else changes.
        assert inside == original.replace("\n", " ").replace("\t", " ")


@settings(max_examples=400, deadline=None)
@given(bodies, terms_strategy, st.integers(min_value=0, max_value=5), st.integers(1, 400))
def test_snippet_ranges_point_at_the_body(body, terms, count, width):
    snippets = make_snippets(body, terms, count, width)
    assert isinstance(snippets, list)
    assert len(snippets) <= max(count, 1)
    for snippet in snippets:
        assert_snippet_points_into(body, snippet)
    starts = [s.start for s in snippets]
    assert starts == sorted(starts)


@settings(max_examples=400, deadline=None)
@given(bodies, terms_strategy, st.integers(0, 50), st.one_of(st.none(), st.integers(0, 700)))
def test_match_spans_lie_inside_the_slice(body, terms, start, end):
    import re

    spans = match_spans(body, terms, start, end)
    stop = len(body) if end is None else min(end, len(body))
    token_re = re.compile(TOKEN_PATTERN)
    for s, e in spans:
        assert start <= s < e <= max(stop, start)
        assert token_re.fullmatch(body[s:e]), body[s:e]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies, queries)
def test_snippets_for_the_terms_of_any_query(shared_index, body, text):
    """The whole chain: parse a query, take its terms, cut snippets from any body."""
    from reader.search.rewrites import expand_fuzzy
    from reader.search.snippets import query_terms

    with shared_index.searcher() as searcher:
        try:
            query = parse(text, searcher.schema)
        except QueryError:
            return
        terms = query_terms(expand_fuzzy(query, searcher.reader()), searcher)
    for snippet in make_snippets(body, terms):
        assert_snippet_points_into(body, snippet)
