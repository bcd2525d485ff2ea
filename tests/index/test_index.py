"""The index: incremental updates, version stamps, damage and locks."""

from __future__ import annotations

import json

from conftest import article_path

from reader.index.corpus_index import CorpusIndex
from reader.search.engine import search
from reader.support.locations import cache_dir


def ids(index, text):
    with index.searcher() as searcher:
        return sorted(h.id for h in search(searcher, text, limit=None).hits)


def test_index_lives_in_the_cache_not_the_corpus(index, corpus):
    assert index.root.is_relative_to(cache_dir())
    assert sorted(p.name for p in corpus.iterdir()) == sorted(
        p.name for p in corpus.iterdir() if p.suffix == ".md"
    )
    assert index.doc_count() == 5


def test_nothing_changed_touches_nothing(index):
    report = index.update()
    assert (report.added, report.changed, report.removed) == ([], [], [])
    assert report.total == 5
    assert "up to date" in report.summary()


def test_add_modify_delete_then_search(index, corpus):
    (corpus / "new.md").write_text(
        "---\ntitle: Wombats\n---\nA wombat census in Tasmania.\n", encoding="utf-8"
    )
    report = index.update()
    assert report.added == ["new"] and not report.changed and not report.removed
    assert ids(index, "wombat") == ["new"]

    kyodo = article_path(corpus, "2021-09-11-kyodo")
    kyodo.write_text(kyodo.read_text(encoding="utf-8") + "\nPlatypus sighting.\n", encoding="utf-8")
    report = index.update()
    assert report.changed == [kyodo.stem] and not report.added
    assert ids(index, "platypus") == [kyodo.stem]

    (corpus / "new.md").unlink()
    report = index.update()
    assert report.removed == ["new"]
    assert ids(index, "wombat") == []
    assert index.doc_count() == 5


def test_a_new_process_sees_the_same_index_without_rebuilding(index, corpus):
    again = CorpusIndex(corpus)
    again.open()
    report = again.update()
    assert not report.rebuilt and report.touched == 0


def test_schema_version_change_triggers_rebuild(index, corpus):
    meta_path = index.live_dir / "reader-meta.json"
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = -1
    meta_path.write_text(json.dumps(meta))
    again = CorpusIndex(corpus)
    again.open()
    assert json.loads(meta_path.read_text())["schema_version"] != -1
    assert "format changed" in (again.notice or "")
    report = again.update()
    assert report.rebuilt and report.reason == "index format changed"
    assert again.doc_count() == 5


def test_damaged_index_is_rebuilt(index, corpus):
    for segment in index.live_dir.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in index.live_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00\x01garbage")
    index.close()
    again = CorpusIndex(corpus)
    again.open()
    assert "damaged" in (again.notice or "")
    again.update()
    assert again.doc_count() == 5
    assert ids(again, "kishi")


def test_broken_file_is_skipped_and_remembered(index, corpus):
    (corpus / "broken.md").write_text("---\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    report = index.update()
    assert [p.path.name for p in report.problems if p.severity == "error"] == ["broken.md"]
    assert report.total == 5
    # Unchanged, it is not read again, but still reported.
    again = index.update()
    assert again.touched == 0
    assert [p.path.name for p in again.problems] == ["broken.md"]


def test_second_writer_gets_read_only(index, corpus):
    writer = index.ix.writer()  # holds Whoosh's write lock, as another process would
    try:
        (corpus / "late.md").write_text("Late news.\n", encoding="utf-8")
        other = CorpusIndex(corpus)
        other.open()
        report = other.update()
        assert other.read_only
        assert "read-only" in (other.notice or "")
        assert report.total == 5
    finally:
        writer.cancel()


def test_user_gazetteer_changes_rebuild_the_index(index, corpus, reader_home):
    from reader.index.documents import recognizer

    config = reader_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    # The user names the 2014 article's "Senkaku Island chain" as the Senkaku Islands.
    (config / "gazetteer.yaml").write_text(
        "places:\n  Senkaku Islands: [Senkaku Island chain]\n", encoding="utf-8"
    )
    recognizer.cache_clear()
    try:
        again = CorpusIndex(corpus)
        again.open()
        assert "entity recognizer changed" in (again.notice or "")
        again.update()
        assert ids(again, 'place:"Senkaku Islands"')
    finally:
        (config / "gazetteer.yaml").unlink()
        recognizer.cache_clear()


def test_broken_user_gazetteer_is_reported_and_ignored(index, corpus, reader_home):
    from reader.index.documents import recognizer

    config = reader_home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "gazetteer.yaml").write_text("places: [unclosed\n", encoding="utf-8")
    recognizer.cache_clear()
    try:
        again = CorpusIndex(corpus)
        again.open()
        report = again.update()
        assert any(
            p.path.name == "gazetteer.yaml" and "ignored" in p.reason for p in report.problems
        )
        assert again.doc_count() == 5
    finally:
        (config / "gazetteer.yaml").unlink()
        recognizer.cache_clear()


def test_an_article_edited_again_and_again_leaves_no_empty_segments(index, corpus):
    from whoosh import index as whoosh_index

    kyodo = article_path(corpus, "2021-09-11-kyodo")
    for n in range(4):
        kyodo.write_text(kyodo.read_text(encoding="utf-8") + f"\nEdit {n}.\n", encoding="utf-8")
        assert index.update().changed == [kyodo.stem]
    segments = whoosh_index.open_dir(str(index.live_dir))._segments()
    assert all(segment.doc_count() for segment in segments)
    assert len(segments) <= 3  # the first build's, the article's latest, at most one more
    assert ids(index, "edit") == [kyodo.stem] and index.doc_count() == 5
    files = {p.name for p in index.live_dir.iterdir() if p.suffix == ".seg"}
    assert len(files) == len(segments)  # the dropped segments' files are gone


def test_entities_json_is_what_json_dumps_writes():
    import json

    from reader.entities import Entity, Mention
    from reader.index.documents import entities_json

    entities = [
        Entity("person", 'Nobuo "N" Kishi\\', (Mention(0, 5, "Kishi"), Mention(9, 14, "Ünï\x00"))),
        Entity("place", "Hà Nội", (Mention(20, 26, "Hà Nội"),)),
        Entity("agreement", "deal", ()),
    ]
    assert entities_json(entities) == json.dumps(
        [e.to_dict() for e in entities], ensure_ascii=False
    )
    assert entities_json([]) == "[]"


def test_stored_entities_keep_the_agreement_records(corpus):
    """The entities stored with an article are what to_dict() says, agreement records
    included (the streamed JSON once dropped kind, parties, date and evidence)."""
    import json

    from reader.corpus.articles import load_path
    from reader.index.documents import entities_json, entities_of

    article = load_path(article_path(corpus, "2021-09-12"), corpus)
    entities = entities_of(article)
    assert any(e.record for e in entities)
    assert json.loads(entities_json(entities)) == [e.to_dict() for e in entities]


def test_a_long_body_read_in_windows_keeps_agreement_records(monkeypatch):
    from reader.entities import recognizer as module

    body = (
        "Japan and Vietnam signed a defence equipment transfer agreement in Hanoi on "
        "Saturday. Filler text about the weather follows here.\n\n"
    ) * 40
    whole = module.default_recognizer().recognize(body)
    monkeypatch.setattr(module, "WINDOW_CHARS", 2000)
    windowed = module.default_recognizer().recognize(body)
    records = {e.name: e.record for e in whole if e.type == "agreement"}
    assert records and all(records.values())
    again = {e.name: e.record for e in windowed if e.type == "agreement"}
    assert again.keys() == records.keys()
    assert all(again[name] and again[name]["kind"] == records[name]["kind"] for name in records)
