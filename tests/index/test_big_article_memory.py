"""Indexing a huge article: memory that grows little with its size, the same postings.

Memory is measured with ``tracemalloc`` (Python's allocations), never with a clock:
the peak of loading and indexing a 2 MB article against a 200 KB one.
"""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path

import pytest
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.fields import FieldType

from reader.corpus import articles as corpus
from reader.corpus.scanning import SourceFile
from reader.index import whoosh_patches
from reader.index.documents import ENV_ENTITIES, prepare
from reader.index.schema import make_schema
from reader.index.writers import segment_writer

_WORDS = [
    "minister",
    "council",
    "rainfall",
    "harbour",
    "election",
    "Canberra",
    "farmers",
    "drought",
    "hospital",
    "police",
    "budget",
    "airport",
    "union",
    "court",
    "bridge",
    "school",
]


def _article(folder: Path, size: int, seed: int = 1) -> SourceFile:
    """A file of ``size`` bytes: front matter, then paragraphs of varied words."""
    rng = random.Random(seed)
    vocabulary = _WORDS + [f"word{n}" for n in range(3000)]
    parts, total = [], 0
    while total < size:
        paragraph = " ".join(rng.choice(vocabulary) for _ in range(60)) + ".\n\n"
        parts.append(paragraph)
        total += len(paragraph)
    path = folder / f"big{size}.md"
    path.write_text("---\ntitle: Big\ndate: 2006-01-01\n---\n\n" + "".join(parts))
    st = path.stat()
    return SourceFile(path.stem, str(path), st.st_mtime_ns, st.st_size)


def _peak_of_indexing(folder: Path, source: SourceFile) -> int:
    index_dir = folder / f"index-{len(list(folder.glob('index-*')))}"
    index_dir.mkdir()
    ix = whoosh_index.create_in(str(index_dir), make_schema())
    writer = segment_writer(ix)
    tracemalloc.start()
    try:
        prepared = prepare(source)
        assert prepared.document is not None
        writer.add_document(**prepared.document)
        del prepared
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.cancel()
    ix.close()
    return peak


def test_indexing_a_big_article_costs_a_few_times_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Recognition is measured by its own tests; this is loading and Whoosh.
    monkeypatch.setenv(ENV_ENTITIES, "off")
    small = _article(tmp_path, 50_000)
    big = _article(tmp_path, 500_000)
    _peak_of_indexing(tmp_path, small)  # warm up: caches, imports
    growth = _peak_of_indexing(tmp_path, big) - _peak_of_indexing(tmp_path, small)
    # More text costs about 3.3 times its size (the body, its stored pickle, the
    # postings; 6.0 MB for 1.8 MB more). Before, each copy of the file was held at
    # once and every position was a Python int in a list: 9 times.
    assert growth < 5 * 450_000, growth


def test_loading_keeps_the_text_and_hash(tmp_path: Path) -> None:
    source = _article(tmp_path, 300_000)
    article = corpus.load(source)
    text = Path(source.location).read_text()
    body = text.split("---\n", 2)[2].strip("\n") + "\n"
    assert article.body == body
    assert article.content_hash == "sha256:" + hashlib.sha256(body.encode()).hexdigest()
    # Longer than one piece of the hash, with characters of more than one byte.
    long = ("é" * 700_000) + "x" * 700_000
    assert corpus.content_hash(long) == "sha256:" + hashlib.sha256(long.encode()).hexdigest()


def test_patched_postings_and_spelling_words_are_whooshs_own() -> None:
    text = " ".join(random.Random(3).choice(_WORDS) for _ in range(20_000)) + " the a U.S 3.5"
    whoosh_patches.apply()
    body = make_schema()["body"]
    patched_values = list(body.format.word_values(text, body.analyzer, mode="index"))
    patched_words = list(body.spellable_words(text))
    # Whoosh's own code, as it was before the patch.
    from collections import defaultdict

    poses: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, float] = defaultdict(float)
    for t in formats.tokens(text, body.analyzer, {"positions": True, "boosts": True}):
        poses[t.text].append(t.pos)
        weights[t.text] += t.boost
    own_values = [
        (w, len(p), weights[w] * body.format.field_boost, formats.Positions.encode(body.format, p))
        for w, p in poses.items()
    ]
    own_words = sorted({t.text for t in body.analyzer(text, no_morph=True)})
    assert sorted(patched_values) == sorted(own_values)
    assert patched_words == own_words
    assert FieldType.spellable_words.__module__ == whoosh_patches.__name__


def test_a_big_article_is_found_by_phrase_after_the_patches(tmp_path: Path) -> None:
    whoosh_patches.apply()
    from whoosh.qparser import QueryParser

    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = segment_writer(ix)
    words = " ".join(random.Random(5).choice(_WORDS) for _ in range(50_000))
    writer.add_document(id="a", body=words + " golden wattle blooms " + words)
    writer.commit()
    with ix.searcher() as searcher:
        query = QueryParser("body", ix.schema).parse('"golden wattle blooms"')
        assert [hit["id"] for hit in searcher.search(query)] == ["a"]
        query = QueryParser("body", ix.schema).parse('"wattle golden"')
        assert len(searcher.search(query)) == 0


def test_big_stored_entities_read_compactly_give_the_same_table() -> None:
    import json

    from reader.index.documents import BIG_ENTITIES_CHARS, load_entities
    from reader.index.entity_table import EntityTable, Record

    names = [("person", f"Person {n}") for n in range(300)] + [("place", "Canberra")]
    entities = [
        {
            "type": kind,
            "name": name,
            "mentions": [
                {"start": i, "end": i + 5, "text": name if i % 2 else name.split()[-1]}
                for i in range(0, 4000, 7)
            ],
        }
        for kind, name in names
    ]
    entities.append(
        {
            "type": "agreement",
            "name": "the trade deal",
            "mentions": [{"start": 1, "end": 9, "text": "the deal"}],
            "kind": "deal",
        }
    )
    raw = json.dumps(entities)
    assert len(raw) > BIG_ENTITIES_CHARS
    compact = load_entities(raw)
    assert all(isinstance(m, str) for m in compact[0]["mentions"])

    def table(parsed: list) -> dict:
        built = EntityTable.build("k", [Record("a", "2006-01-01", "Big", parsed)], {})
        return {i: (r.mentions, r.aliases, r.count) for i, r in built.rows.items()}

    assert table(compact) == table(json.loads(raw))
    # The agreements catalog keeps an agreement's mentions whole.
    kept = load_entities(raw, whole_mentions=("agreement",))
    assert kept[-1] == entities[-1]
    assert load_entities('[{"type": "person"}]') == [{"type": "person"}]


def test_a_big_documents_stored_fields_read_back(tmp_path: Path) -> None:
    whoosh_patches.apply()
    from whoosh import columns

    assert columns.PickleColumn.Writer.add.__module__ == whoosh_patches.__name__
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = segment_writer(ix)
    body = "Wattle é " * (whoosh_patches.BIG_STORED_CHARS // 9 + 10)
    writer.add_document(id="big", body=body, title="Big", entities="[]")
    writer.add_document(id="small", body="a small one", title="Small")
    writer.commit()
    with ix.searcher() as searcher:
        stored = {fields["id"]: fields for fields in searcher.all_stored_fields()}
    assert stored["big"] == {"id": "big", "body": body, "title": "Big", "entities": "[]"}
    assert stored["small"] == {"id": "small", "body": "a small one", "title": "Small"}


def _stored_index(folder: Path, documents: list[dict], delete: str | None = None):
    """An index of ``documents``, two segments, ``delete`` deleted from the first."""
    whoosh_patches.apply()
    ix = whoosh_index.create_in(str(folder), make_schema())
    half = len(documents) // 2
    for first, part in ((True, documents[:half]), (False, documents[half:])):
        writer = segment_writer(ix)
        for document in part:
            writer.add_document(**document)
        if delete is not None and not first:
            writer.delete_by_term("id", delete)
        writer.commit()
    return ix


@pytest.mark.parametrize("pieces", [True, False], ids=["big-pickle", "whoosh-pickle"])
def test_stored_fields_without_the_body_are_the_rest_as_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: bool
) -> None:
    from datetime import datetime

    from reader.corpus.articles import derive_title
    from reader.index import stored

    # Small sizes: read every document past 4 KB compressed without its body, and
    # pickle big ones a piece at a time (protocol 4) or as Whoosh does (protocol 2).
    monkeypatch.setattr(stored, "SKIM_BYTES", 4096)
    monkeypatch.setattr(whoosh_patches, "BIG_STORED_CHARS", 1000 if pieces else 1 << 30)
    rng = random.Random(9)
    text = " ".join(rng.choice(_WORDS) + str(rng.randrange(9999)) for _ in range(8_000))
    leads = ["", "\n\n  \n", "\u00a0\n", "\n" * 70_000, "é" * 40_000, "word " * 10_000]
    documents = [
        {"id": f"d{n}", "title": "", "body": lead + "Wattle é first line’s words\n" + text}
        for n, lead in enumerate(leads)
    ]
    documents[0].update(title="Titled", entities='[{"type": "place"}]', date=datetime(2006, 3, 4))
    documents.insert(0, {"id": "gone", "title": "Gone", "body": text})
    documents.append({"id": "small", "title": "", "body": "A small one\nand more"})
    ix = _stored_index(tmp_path, documents, delete="gone")
    with ix.searcher() as searcher:
        whole = list(searcher.all_stored_fields())
        light = list(stored.without_body(searcher))
    ids = [*(f"d{n}" for n in range(len(leads))), "small"]
    assert [f["id"] for f in light] == [f["id"] for f in whole] == ids
    for full, cut in zip(whole, light, strict=True):
        assert {k: v for k, v in cut.items() if k != "body"} == {
            k: v for k, v in full.items() if k != "body"
        }
        assert full["body"].startswith(cut["body"])
        assert derive_title(cut["body"]) == derive_title(full["body"])
    # Cut: all but those whose head is blank or one word (read whole). The one that
    # begins with a line of words longer than the head is cut: its title is in it.
    cuts = [len(cut["body"]) < 20_000 for cut in light]
    assert cuts == [True, True, True, False, False, True, True]


def _big_corpus_index(folder: Path, size: int):
    from reader.index.corpus_index import CorpusIndex

    corpus = folder / f"corpus{size}"
    corpus.mkdir()
    source = _article(corpus, size)
    text = Path(source.location).read_text()
    Path(source.location).write_text(text.replace("title: Big\n", ""))  # a derived title
    index = CorpusIndex(corpus)
    index.open()
    index.update(entity_table=False)
    return index


def _peak_of(action) -> int:
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def test_the_tables_read_a_big_article_without_its_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.agreements import catalog
    from reader.corpus.articles import derive_title

    monkeypatch.setenv(ENV_ENTITIES, "off")
    small = _big_corpus_index(tmp_path, 50_000)
    big = _big_corpus_index(tmp_path, 500_000)
    for index in (small, big):  # also warms up: imports, the gazetteer
        (article_id,) = index.article_ids()
        titles = index._build_entity_table("k").titles
        assert titles == {article_id: derive_title(index.stored(article_id)["body"])}
    table_growth = _peak_of(lambda: big._build_entity_table("k")) - _peak_of(
        lambda: small._build_entity_table("k")
    )
    catalog_growth = _peak_of(lambda: catalog.refresh(big, force=True)) - _peak_of(
        lambda: catalog.refresh(small, force=True)
    )
    # Before, each read the whole pickle and then the body: 1.9 MB more for the
    # 450 KB more, each. Now pieces of the pickle as it is decompressed: no more.
    assert table_growth < 450_000 // 2, table_growth
    assert catalog_growth < 450_000 // 2, catalog_growth
    small.close()
    big.close()


def test_big_stored_fields_are_pickled_a_piece_at_a_time(tmp_path: Path) -> None:
    import pickle
    from datetime import datetime

    from whoosh.fields import ID, STORED, Schema

    fields = {
        "id": "big",
        "body": "Wattle’s bloom \ud800 " * 1000,
        "title": "",
        "date": datetime(2006, 3, 4, 5, 6),
        "count": 70_000,
        "none": None,
        "both": [datetime(2006, 1, 1), datetime(2006, 1, 1)],
    }
    pieces: list[bytes] = []
    assert whoosh_patches.pickle_in_pieces(fields, pieces.append)
    assert pickle.loads(b"".join(pieces)) == fields
    assert not whoosh_patches.pickle_in_pieces({1: "a"}, pieces.append)

    whoosh_patches.apply()
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True), body=STORED()))
    writer = segment_writer(ix)
    body = "Wattle’s bloom " * 160_000  # 2.4 million characters, two bytes each
    tracemalloc.start()
    try:
        writer.add_document(id="big", body=body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.commit()
    with ix.searcher() as searcher:
        assert searcher.document(id="big") == {"id": "big", "body": body}
    # Before, the pickler encoded the body whole: 10.2 MB at its peak.
    assert peak < len(body) // 2, peak


def test_positions_pickled_as_they_come_are_whooshs_own() -> None:
    from collections import defaultdict

    whoosh_patches.apply()
    body = make_schema()["body"]
    rng = random.Random(11)
    fillers = [f"filler{n}" for n in range(200)]
    words: list[str] = []
    # One, two, a batch of 1000 and a batch more, with gaps of 1 to 300 positions.
    for name, count in [("one", 1), ("two", 2), ("wattle", 1000), ("rain", 1001), ("dam", 2001)]:
        for _ in range(count):
            words.append(name)
            words.extend(rng.choice(fillers) for _ in range(rng.choice([0, 1, 2, 300])))
    # Around one run of fillers: "budget" with a gap of 65,535 (kept wide), "far" with a
    # gap past two bytes.
    words += ["far", "budget", *(["farm"] * 65_534), "budget", "far"]
    text = " ".join(words)
    poses: dict[str, list[int]] = defaultdict(list)
    weights: dict[str, float] = defaultdict(float)
    for t in formats.tokens(text, body.analyzer, {"positions": True, "boosts": True}):
        poses[t.text].append(t.pos)
        weights[t.text] += t.boost
    own = sorted(
        (w, len(p), weights[w] * body.format.field_boost, formats.Positions.encode(body.format, p))
        for w, p in poses.items()
    )
    assert sorted(body.format.word_values(text, body.analyzer, mode="index")) == own
    assert poses["budget"][1] - poses["budget"][0] == 65_535
    assert poses["far"][1] - poses["far"][0] > 65_535


def test_positions_cost_two_bytes_each_while_a_document_is_analysed() -> None:
    whoosh_patches.apply()
    body = make_schema()["body"]

    def peak(words: int) -> int:
        rng = random.Random(4)
        text = " ".join(rng.choice(_WORDS) for _ in range(words))
        tracemalloc.start()
        try:
            for _ in body.format.word_values(text, body.analyzer, mode="index"):
                pass
            _, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return top

    peak(6_000)  # warm up
    growth = peak(66_000) - peak(6_000)
    # 60,000 positions more: 8.4 bytes each in arrays of 64-bit deltas (503 KB),
    # 2.8 in arrays of 16-bit ones let go of word by word (170 KB).
    assert growth < 4 * 60_000, growth


def _many_entities(count: int, mentions: int) -> str:
    from reader.entities.model import Entity, Mention
    from reader.index.documents import entities_json

    rng = random.Random(6)
    found = [
        Entity(
            "agreement" if n % 500 == 0 else "person",
            f"{rng.choice(_WORDS)} {n}",
            tuple(Mention(k * 10, k * 10 + 6, rng.choice(_WORDS)) for k in range(mentions)),
            {"kind": "deal"} if n % 500 == 0 else None,
        )
        for n in range(count)
    ]
    return entities_json(found)


def test_big_stored_entities_are_read_as_they_decompress(tmp_path: Path) -> None:
    from reader.index import stored
    from reader.index.documents import LoadedEntities, load_entities

    entities = _many_entities(2_000, 60)
    assert len(entities) > 4_000_000
    # One line past 64 KB (an unframed string): its head is cut.
    body = " ".join(random.Random(6).choice(_WORDS) for _ in range(12_000))
    ix = _stored_index(tmp_path, [{"id": "big", "body": body, "entities": entities}])
    with ix.searcher() as searcher:
        list(stored.without_body(searcher))  # warm up
        tracemalloc.start()
        try:
            (fields,) = stored.without_body(searcher)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # Read as load_entities reads the text, agreements' mentions whole.
    assert isinstance(fields["entities"], LoadedEntities)
    assert fields["entities"] == load_entities(entities, whole_mentions=("agreement",))
    first = fields["entities"][0]["mentions"][0]
    assert first["start"] == 0 and first["end"] == 6 and first["text"] in _WORDS
    # Only what is read, never the JSON whole: its UTF-8 then its text were 2.1
    # times its size (3.0 before that).
    assert peak < 0.5 * len(entities), (peak, len(entities))


def test_stored_entities_that_do_not_parse_are_read_as_whoosh_reads_them(
    tmp_path: Path,
) -> None:
    from reader.index import stored

    entities = _many_entities(2_000, 20)[:-2]  # cut short
    body = " ".join(random.Random(6).choice(_WORDS) for _ in range(12_000))
    ix = _stored_index(tmp_path, [{"id": "big", "body": body, "entities": entities}])
    with ix.searcher() as searcher:
        (fields,) = stored.without_body(searcher)
    assert fields["entities"] == entities  # the caller finds it does not parse


def test_freed_memory_is_given_back_before_the_entity_table_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.index import corpus_index
    from reader.support.collector import give_back_freed_memory

    give_back_freed_memory()  # runs anywhere (does nothing without glibc)
    calls: list[str] = []
    monkeypatch.setattr(corpus_index, "give_back_freed_memory", lambda: calls.append("give"))
    real_table = corpus_index.CorpusIndex.entity_table

    def entity_table(self, **kwargs):  # type: ignore[no-untyped-def]
        calls.append("table")
        return real_table(self, **kwargs)

    monkeypatch.setattr(corpus_index.CorpusIndex, "entity_table", entity_table)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus, 20_000)
    index = corpus_index.CorpusIndex(corpus)
    index.open()
    index.update()
    assert calls == ["give", "table"]
    calls.clear()
    index.update()  # nothing changed: nothing written, nothing to give back
    assert calls == []
    index.rebuild()
    assert calls == ["give", "table"]
    index.close()
