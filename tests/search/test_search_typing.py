"""Issue 20: search as you type, and did-you-mean ranked by the corpus."""

from __future__ import annotations

import pytest

from reader.index.corpus_index import CorpusIndex
from reader.search.engine import search
from reader.search.query import while_typing


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("go", "go*"),
        ("japan vietn", "japan vietn*"),
        ("title:jap", "title:jap*"),
        ("japan ", "japan "),  # a space ends the word: searched as written
        ("japan v", "japan"),  # one letter: wait for the next
        ("japan AND", "japan"),
        ("date:2021", "date:2021"),
        ("cattle~", "cattle~"),
        ('"japan vietnam"', '"japan vietnam"'),
        ("g", None),
        ('japan "defence agre', None),  # an unfinished phrase waits quietly
        ("(japan OR vietnam", None),
        ("date:[2021 to", None),
        ("title:", None),
    ],
)
def test_while_typing(typed, searched):
    assert while_typing(typed) == searched


def test_a_prefix_finds_words_whose_stem_is_shorter(index):
    # "government" is indexed as the stem "govern": "governm*" must still find it.
    with index.searcher() as searcher:
        whole = search(searcher, "government", limit=None).total
        assert whole > 0
        for prefix in ("gov", "govern", "governm", "governmen", "government"):
            assert search(searcher, prefix + "*", limit=None).total >= whole


def _article(folder, name, title, body):
    (folder / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n\n{body}\n")


@pytest.fixture
def spelling_searcher(tmp_path):
    """A corpus where the common word and a rare near miss differ: the minister is in
    six articles, the monster and the muster in one each; Howard in four, a hoard in one."""
    folder = tmp_path / "spelling"
    folder.mkdir()
    for n in range(6):
        _article(folder, f"m{n}", f"Report {n}", f"The minister spoke to farmers, day {n}.")
    _article(folder, "monster", "Loch", "A monster was seen by farmers.")
    _article(folder, "muster", "Cattle", "The muster began at dawn.")
    for n in range(4):
        _article(folder, f"h{n}", f"Cricket {n}", f"Howard led the drought appeal {n}.")
    _article(folder, "hoard", "Coins", "A hoard of coins was found.")
    built = CorpusIndex(folder)
    built.open()
    built.update()
    with built.searcher() as searcher:
        yield searcher
    built.close()


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("minster", "minister"),
        ("howrd", "howard"),
        ("Minster", "Minister"),
        ("minster farmrs", "minister farmers"),  # each word corrected
        ("howrd AND drougth", "howard AND drought"),
        ("title:cricet", "title:cricket"),
    ],
)
def test_did_you_mean_prefers_the_nearest_most_common_word(spelling_searcher, query, meant):
    results = search(spelling_searcher, query)
    assert results.total == 0
    assert results.suggestion == meant
