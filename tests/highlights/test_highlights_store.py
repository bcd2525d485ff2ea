"""The highlight store: operations, persistence, two writers, damage, newer formats."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from reader.corpus.articles import content_hash, load_path
from reader.highlights import store as hl
from reader.highlights.model import QuoteNotFound, locate_quote
from reader.highlights.store import HighlightNotFound, HighlightStore, StoreBusy, StoreReadOnly
from reader.support.locations import bundled_corpus, data_dir

EPOCH = "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
KYODO = "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"


def article(stem: str):
    return load_path(bundled_corpus() / f"{stem}.md")


def add_quote(store: HighlightStore, stem: str, quote: str, **kwargs):
    body = article(stem).body
    start, end, _ = locate_quote(body, quote)
    return store.add_span(stem, body, content_hash(body), start, end, **kwargs)


# -- operations --------------------------------------------------------------------------------


def test_add_get_list_update_delete_restore():
    store = HighlightStore()
    assert store.path == data_dir() / "highlights.json"
    first = add_quote(store, EPOCH, "strong sense of urgency", note="why urgent?", tags=["cyber"])
    second = add_quote(store, EPOCH, "By Aldgra Fredly")
    third = add_quote(store, KYODO, "Spratly and Paracel island groups")
    assert [h.id for h in store.all()] == [first.id, second.id, third.id]
    # By article, in reading order.
    assert [h.id for h in store.for_article(EPOCH)] == [second.id, first.id]
    assert store.get(first.id) == first
    assert store.find(first.id[:6]) == first

    changed = store.update(first.id, note="urgent because…", tags=["cyber", "japan vietnam"])
    assert changed.note == "urgent because…" and changed.tags == ("cyber", "japan-vietnam")
    assert changed.updated is not None and changed.created == first.created
    assert store.update(first.id, tags=[]).note == "urgent because…"  # None keeps the note

    removed = store.delete(second.id)
    assert store.get(second.id) is None
    store.restore(removed)  # undo
    assert store.get(second.id) == second
    assert store.restore(removed) == second  # twice is harmless
    assert len(store.all()) == 3


def test_persisted_with_a_format_version_and_read_by_a_new_store():
    store = HighlightStore()
    made = add_quote(store, EPOCH, "military medicine", note="note", tags=["a"])
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["format"] == "reader-highlights" and data["version"] == hl.SCHEMA_VERSION
    assert HighlightStore().get(made.id) == made
    assert not list(store.path.parent.glob("*.tmp"))


def test_notes_and_tags_are_neutralised():
    store = HighlightStore()
    made = add_quote(store, EPOCH, "Kyodo News", note="\x1b[31mred\x07", tags=["\x1b]8;;x\x07t"])
    assert "\x1b" not in made.note and "\x07" not in made.note
    assert all("\x1b" not in tag for tag in made.tags)
    assert "\x1b" not in store.path.read_text(encoding="utf-8")


def test_unknown_and_ambiguous_ids():
    store = HighlightStore()
    with pytest.raises(HighlightNotFound):
        store.find("abcdef")
    with pytest.raises(HighlightNotFound):
        store.delete("nope")
    made = add_quote(store, EPOCH, "Tokyo")
    with pytest.raises(HighlightNotFound):
        store.find(made.id[:2])  # too short to be taken as a prefix


def test_locate_quote_occurrences():
    body = article(EPOCH).body
    start, _, count = locate_quote(body, "Phan Van Giang")
    assert count == 2
    second = locate_quote(body, "Phan Van Giang", 2)
    assert second[0] > start and body[second[0] : second[1]] == "Phan Van Giang"
    with pytest.raises(QuoteNotFound):
        locate_quote(body, "Phan Van Giang", 3)
    with pytest.raises(QuoteNotFound):
        locate_quote(body, "not in this article")


# -- two writers -------------------------------------------------------------------------------


def test_two_store_objects_do_not_overwrite_each_other():
    one, two = HighlightStore(), HighlightStore()
    a = add_quote(one, EPOCH, "Tokyo")
    assert two.all() == [a]  # two has now cached the file
    b = add_quote(two, EPOCH, "Singapore")
    c = add_quote(one, EPOCH, "Indonesia")  # one's copy is stale: it must re-read
    assert {h.id for h in HighlightStore().all()} == {a.id, b.id, c.id}
    one.delete(a.id)
    two.update(b.id, note="kept")
    final = {h.id: h for h in HighlightStore().all()}
    assert set(final) == {b.id, c.id} and final[b.id].note == "kept"
    with pytest.raises(HighlightNotFound):
        two.update(a.id, note="deleted by the other instance")


def test_threads_with_their_own_stores_lose_nothing():
    def work(n: int) -> None:
        store = HighlightStore()
        for _ in range(10):
            add_quote(store, EPOCH, "cybersecurity", note=f"thread {n}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(HighlightStore().all()) == 40


WRITER = textwrap.dedent(
    """
    import sys
    from reader.corpus.articles import content_hash, load_path
    from reader.highlights.store import HighlightStore
    from reader.support.locations import bundled_corpus

    name, count = sys.argv[1], int(sys.argv[2])
    body = load_path(bundled_corpus() / "{stem}.md").body
    store = HighlightStore()
    for i in range(count):
        store.add_span("{stem}", body, content_hash(body), 0, 16, note=f"{{name}} {{i}}")
    """
).format(stem=EPOCH)


def test_two_processes_do_not_overwrite_each_other(reader_home):
    env = {**os.environ, "READER_HOME": str(reader_home)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, name, "30"], env=env)
        for name in ("first", "second", "third")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    notes = sorted(h.note for h in HighlightStore().all())
    expected = sorted(f"{name} {i}" for name in ("first", "second", "third") for i in range(30))
    assert notes == expected


def test_a_held_lock_makes_a_change_wait_then_fail(monkeypatch):
    store = HighlightStore()
    monkeypatch.setattr(hl, "LOCK_TIMEOUT", 0.2)
    with hl._locked(store.lock_path), pytest.raises(StoreBusy):
        add_quote(store, EPOCH, "Tokyo")
    add_quote(store, EPOCH, "Tokyo")  # free again


# -- damage, newer versions, atomic writes -----------------------------------------------------


def test_corrupt_store_is_kept_aside_and_reported():
    store = HighlightStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text('{"format": "reader-highlights", "version": 1, "highli', "utf-8")
    assert store.all() == []
    assert store.notice and "damaged" in store.notice
    (aside,) = store.path.parent.glob("highlights.damaged-*.json")
    assert aside.read_text("utf-8").endswith('"highli')  # the user's data is still there
    assert aside.name in store.notice
    made = add_quote(store, EPOCH, "Tokyo")
    assert HighlightStore().all() == [made]


def test_one_bad_record_keeps_the_others():
    store = HighlightStore()
    good = add_quote(store, EPOCH, "Tokyo")
    data = json.loads(store.path.read_text("utf-8"))
    data["highlights"].append({"id": "broken", "quote": 3})
    store.path.write_text(json.dumps(data), "utf-8")
    fresh = HighlightStore()
    assert fresh.all() == [good]
    assert "1 unreadable highlight record" in (fresh.notice or "")
    (aside,) = store.path.parent.glob("highlights.damaged-*.json")
    assert "broken" in aside.read_text("utf-8")
    assert "broken" not in store.path.read_text("utf-8")


def test_damage_found_while_changing_is_kept_aside_too():
    store = HighlightStore()
    add_quote(store, EPOCH, "Tokyo")
    store.path.write_bytes(b"\xff\xfe not json")
    made = add_quote(store, EPOCH, "Singapore")
    assert HighlightStore().all() == [made]
    assert len(list(store.path.parent.glob("highlights.damaged-*.json"))) == 1
    assert "damaged" in (store.notice or "")


def _store_with_one_bad_record(count: int = 3) -> tuple[HighlightStore, list, bytes]:
    store = HighlightStore()
    quotes = ("Tokyo", "Singapore", "Philippines")[:count]
    good = [add_quote(store, EPOCH, quote) for quote in quotes]
    data = json.loads(store.path.read_text("utf-8"))
    data["highlights"].insert(1, {"id": "broken", "quote": 3})
    store.path.write_text(json.dumps(data), "utf-8")
    return store, good, store.path.read_bytes()


def _disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


def test_a_full_disk_during_a_repair_leaves_the_damaged_file_where_it_is(monkeypatch):
    """issue 14: the damaged file was renamed aside before the recovered copy was
    written; on a full disk the next start found no store and showed 0 highlights."""
    store, good, damaged = _store_with_one_bad_record()
    with monkeypatch.context() as patched:
        patched.setattr(hl, "write_atomic", _disk_full)
        for _ in range(2):  # at every start, not once
            fresh = HighlightStore()
            assert fresh.all() == good
            assert fresh.read_only
            assert "cannot be saved (No space left on device)" in (fresh.notice or "")
            assert store.path.read_bytes() == damaged
            assert not list(store.path.parent.glob("highlights.damaged-*"))
        with pytest.raises((StoreReadOnly, OSError)):
            add_quote(fresh, EPOCH, "by coercion")
        assert store.path.read_bytes() == damaged
    # Space again: the repair happens, nothing was lost.
    repaired = HighlightStore()
    assert repaired.all() == good
    assert not repaired.read_only and "kept as" in (repaired.notice or "")
    (aside,) = store.path.parent.glob("highlights.damaged-*.json")
    assert aside.read_bytes() == damaged


def test_a_damaged_copy_with_no_store_beside_it_is_recovered_not_replaced():
    """The state an older reader left after that failure: the damaged copy aside, no store."""
    store, good, damaged = _store_with_one_bad_record()
    aside = store.path.with_name("highlights.damaged-20261201T000000000000Z.json")
    store.path.rename(aside)
    fresh = HighlightStore()
    assert fresh.all() == good
    assert aside.name in (fresh.notice or "") and "recovered" in fresh.notice
    assert HighlightStore().all() == good  # saved as the store
    assert aside.read_bytes() == damaged  # and the copy is kept


def test_a_change_never_starts_an_empty_store_over_an_unrecovered_copy():
    store, good, _ = _store_with_one_bad_record()
    store.path.rename(store.path.with_name("highlights.damaged-20261201T000000000000Z.json"))
    made = add_quote(HighlightStore(), KYODO, "Spratly and Paracel island groups")
    assert HighlightStore().all() == [*good, made]


def test_store_from_a_newer_version_is_read_only():
    store = HighlightStore()
    made = add_quote(store, EPOCH, "Tokyo")
    data = json.loads(store.path.read_text("utf-8"))
    data["version"] = hl.SCHEMA_VERSION + 1
    data["something_new"] = {"x": 1}
    store.path.write_text(json.dumps(data), "utf-8")
    before = store.path.read_bytes()

    newer = HighlightStore()
    assert [h.id for h in newer.all()] == [made.id]  # still readable
    assert newer.read_only
    assert "newer version of reader" in (newer.notice or "")
    with pytest.raises(StoreReadOnly, match="read-only"):
        add_quote(newer, EPOCH, "Singapore")
    with pytest.raises(StoreReadOnly):
        newer.delete(made.id)
    assert store.path.read_bytes() == before
    assert not list(store.path.parent.glob("highlights.damaged-*"))


def test_failed_write_leaves_the_old_file(monkeypatch):
    store = HighlightStore()
    made = add_quote(store, EPOCH, "Tokyo")
    before = store.path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(hl.os, "fsync", broken_fsync)
        add_quote(store, EPOCH, "Singapore")
    assert store.path.read_bytes() == before
    assert HighlightStore().all() == [made]
    assert not [p for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]


def test_times_are_utc_to_the_second():
    store = HighlightStore()
    made = add_quote(store, EPOCH, "Tokyo")
    assert made.created.tzinfo is not None and made.created.utcoffset() == dt.timedelta(0)
    assert made.to_dict()["created"].endswith("Z")


# -- re-anchoring through the store ------------------------------------------------------------


def test_reanchor_saves_moved_highlights_and_keeps_orphans(corpus: Path):
    store = HighlightStore()
    moved = add_quote(store, EPOCH, "strong sense of urgency")
    doomed = add_quote(store, EPOCH, "The Associated Press contributed to this article.")
    body = article(EPOCH).body
    edited = "Updated on Nov. 25.\n\n" + body.replace(doomed.quote, "")
    placed = {p.highlight.id: p for p in store.reanchor(EPOCH, edited, content_hash(edited))}
    assert placed[moved.id].status == "reanchored"
    assert placed[doomed.id].orphaned
    saved = HighlightStore().get(moved.id)
    assert saved.anchor.start == moved.anchor.start + len("Updated on Nov. 25.\n\n")
    assert saved.anchor.content_hash == content_hash(edited)
    assert HighlightStore().get(doomed.id) == doomed  # never dropped
    # Now anchored at the new place; the orphan is still an orphan.
    statuses = {p.highlight.id: p.status for p in store.placed(EPOCH, edited, content_hash(edited))}
    assert statuses == {moved.id: "anchored", doomed.id: "orphaned"}


def test_article_gone_from_the_corpus_orphans_its_highlights():
    store = HighlightStore()
    made = add_quote(store, EPOCH, "Tokyo")
    (placed,) = store.placed(EPOCH, None, "")
    assert placed.orphaned and placed.highlight == made
