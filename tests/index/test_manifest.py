"""The manifest: the quick nothing-changed check, what it notices, and damage."""

from __future__ import annotations

import json
import os

import pytest
from conftest import article_path

from reader.corpus.articles import scan
from reader.index.corpus_index import CorpusIndex
from reader.index.manifest import FILE, Manifest, ManifestError, files_fingerprint
from reader.support import atomic


def reopen(corpus) -> CorpusIndex:
    again = CorpusIndex(corpus)
    again.open()
    return again


def test_nothing_changed_is_told_by_the_summary_alone(index, corpus, monkeypatch):
    again = reopen(corpus)

    def no_entries(self):
        raise AssertionError("the entries were parsed")

    monkeypatch.setattr(Manifest, "entries", property(no_entries))
    report = again.update()
    assert (report.touched, report.total, report.rebuilt) == (0, 5, False)
    assert (
        files_fingerprint(scan(corpus)[0])
        == Manifest.read(again.live_dir / FILE).summary.fingerprint
    )


@pytest.mark.parametrize(
    "change",
    ["touch", "same-size edit", "rename suffix", "add", "remove"],
)
def test_every_kind_of_change_defeats_the_quick_check(index, corpus, change):
    kyodo = article_path(corpus, "2021-09-11-kyodo")
    if change == "touch":  # same bytes, a new modification time
        stat = kyodo.stat()
        os.utime(kyodo, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    elif change == "same-size edit":
        text = kyodo.read_text(encoding="utf-8")
        kyodo.write_text(text.replace("Japan", "Jaban", 1), encoding="utf-8")
        os.utime(kyodo, ns=(kyodo.stat().st_atime_ns, kyodo.stat().st_mtime_ns + 1_000_000))
    elif change == "rename suffix":
        kyodo.rename(kyodo.with_suffix(".txt"))
    elif change == "add":
        (corpus / "extra.md").write_text("A note on wombats.\n", encoding="utf-8")
    else:
        kyodo.unlink()
    report = reopen(corpus).update()
    expected = {"add": "added", "remove": "removed"}.get(change, "changed")
    assert report.touched == 1 and getattr(report, expected), (change, report)


def test_a_broken_file_is_still_reported_when_nothing_changed(index, corpus):
    (corpus / "broken.md").write_bytes(b"---\ntitle: [oops\n---\nbody\n")
    index.update()
    report = reopen(corpus).update()
    assert report.touched == 0 and report.total == 5
    assert [(p.path.name, p.severity) for p in report.problems] == [("broken.md", "error")]


def test_a_manifest_from_the_previous_version_is_still_read(index, corpus):
    path = index.live_dir / FILE
    entries = Manifest.read(path).entries
    path.write_text(json.dumps(entries), encoding="utf-8")  # the old format: entries only
    again = reopen(corpus)
    assert again.notice is None
    report = again.update()
    assert report.touched == 0 and not report.rebuilt and report.total == 5


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) - 40], "manifest cut short"),
        (lambda data: b"{nonsense" + data, "manifest damaged"),
        (lambda data: data.replace(b'"articles": 5', b'"articles": "five"'), "summary damaged"),
    ],
)
def test_a_damaged_manifest_rebuilds_the_index(index, corpus, damage, reason):
    path = index.live_dir / FILE
    path.write_bytes(damage(path.read_bytes()))
    again = reopen(corpus)
    assert reason in (again.notice or "")
    report = again.update()
    assert report.rebuilt and report.total == 5 and again.doc_count() == 5


def test_entries_damaged_after_opening_rebuild_at_the_next_change(index, corpus):
    again = reopen(corpus)
    path = again.live_dir / FILE
    head, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(head + b"\n" + b"x" * len(body))  # same length: the summary reads fine
    (corpus / "extra.md").write_text("A note on wombats.\n", encoding="utf-8")
    report = again.update()
    assert report.rebuilt and "manifest damaged" in report.reason
    assert report.total == 6 and again.doc_count() == 6
    assert Manifest.read(again.live_dir / FILE).entries.keys() == set(again.article_ids())


def test_manifest_read_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(ManifestError, match="unreadable"):
        Manifest.read(tmp_path / FILE)


def test_the_index_manifest_is_written_without_fsync_but_highlights_are(tmp_path, monkeypatch):
    synced: list[int] = []
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: synced.append(fd))
    Manifest({"a": ["/x/a.md", 1, 2, None]}).write(tmp_path / FILE)
    assert synced == []
    assert Manifest.read(tmp_path / FILE).entries == {"a": ["/x/a.md", 1, 2, None]}
    atomic.write_atomic(tmp_path / "highlights.json", b"{}")
    assert len(synced) == 2  # the file, then its folder


@pytest.mark.parametrize("change", ["edit", "add", "remove", "broken", "several"])
def test_the_summary_written_after_an_update_is_that_of_the_entries(index, corpus, change):
    from reader.index.manifest import entries_fingerprint

    kyodo = article_path(corpus, "2021-09-11-kyodo")
    if change in ("edit", "several"):
        kyodo.write_text(kyodo.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    if change in ("add", "several"):
        (corpus / "extra.md").write_text("A note on wombats.\n", encoding="utf-8")
    if change in ("remove", "several"):
        next(p for p in sorted(corpus.iterdir()) if p != kyodo).unlink()
    if change in ("broken", "several"):
        (corpus / "broken.md").write_bytes(b"---\ntitle: [oops\n---\nbody\n")
    report = reopen(corpus).update()
    assert report.touched
    written = Manifest.read(index.live_dir / FILE)
    assert written.summary.fingerprint == entries_fingerprint(written.entries)
    assert written.summary.fingerprint == files_fingerprint(scan(corpus)[0])
    assert reopen(corpus).update().touched == 0


def test_entries_read_later_come_with_their_own_summary(tmp_path):
    path = tmp_path / FILE
    Manifest({"a": ["/x/a.md", 1, 2, None]}).write(path)
    opened = Manifest.read(path)
    first = opened.summary
    # Another process updates the index meanwhile and replaces the file.
    Manifest({"a": ["/x/a.md", 3, 4, None], "b": ["/x/b.md", 5, 6, ["unreadable"]]}).write(path)
    assert opened.entries.keys() == {"a", "b"}
    assert opened.summary != first
    assert (opened.summary.articles, opened.summary.failed) == (1, {"b": ["unreadable"]})
