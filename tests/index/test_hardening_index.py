"""Index and state faults: damaged files, a vanished folder, two writers, kill -9, a full disk."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.index import corpus_index as index_module
from reader.index.corpus_index import CorpusIndex, IndexUnusable
from reader.search.engine import search
from reader.search.query import QueryError
from reader.support import atomic as atomic_module
from tests.conftest import kill_9_reader_when

REPO = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and processes")

_WORDS = [
    "harbour", "grain", "rainfall", "drought", "cattle", "wheat", "export", "tariff", "minister",
    "council", "river", "science", "reef", "coral", "satellite", "vaccine", "research", "farmers",
    "market", "price", "season", "flood",
]  # fmt: skip


def generate_corpus(folder: Path, count: int, seed: int = 7) -> Path:
    """``count`` small articles of random words, each with a unique marker word."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        words = " ".join(rng.choice(_WORDS) for _ in range(120))
        (folder / f"article-{n:04d}.md").write_text(
            f"---\ntitle: Report {n}\ndate: 2006-01-{n % 28 + 1:02d}\n---\n"
            f"Marker{n:04d} {words}.\n\n{words[::-1]}\n",
            encoding="utf-8",
        )
    return folder


def hits(ix: CorpusIndex, text: str) -> int:
    with ix.searcher() as searcher:
        return search(searcher, text, limit=None).total


def one_line_message(error: BaseException) -> str:
    message = str(error)
    assert message and "\n" not in message, repr(message)
    return message


def assert_consistent(ix: CorpusIndex, expected: int) -> None:
    """Every article indexed exactly once, and the manifest agrees."""
    assert ix.doc_count() == expected
    assert len(ix.article_ids()) == expected
    with ix.searcher() as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(ids) == len(set(ids)) == expected


# -- damaged files -----------------------------------------------------------------------------


@pytest.mark.parametrize("victim", ["*.seg", "_MAIN_*.toc"])
@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_truncated_index_files_are_rebuilt(corpus, tmp_path, victim, keep):
    root = tmp_path / "index"
    first = CorpusIndex(corpus, root)
    first.open()
    first.update()
    expected = first.doc_count()
    first.close()
    (path,) = (root / "whoosh").glob(victim)
    os.truncate(path, int(path.stat().st_size * keep))

    again = CorpusIndex(corpus, root)
    again.open()
    assert again.notice and "damaged" in again.notice
    one_line_message(Exception(again.notice))
    report = again.update()
    assert report.rebuilt and "damaged" in report.reason
    assert_consistent(again, expected)
    assert hits(again, "vietnam") == expected
    again.close()


# -- the index folder vanishes under a live CorpusIndex ---------------------------------------


def _run_or_clear_error(action):
    """Run ``action``; a failure must be one of ours, with a one-line message."""
    try:
        return action()
    except (IndexUnusable, QueryError) as error:
        one_line_message(error)
        return error


@pytest.mark.parametrize("what", ["live folder", "whole index root"])
@pytest.mark.parametrize("searcher_open", [False, True])
def test_deleted_index_folder_gives_a_clear_error_or_recovers(
    corpus, tmp_path, what, searcher_open
):
    root = tmp_path / "index"
    ix = CorpusIndex(corpus, root)
    ix.open()
    ix.update()
    expected = ix.doc_count()
    if searcher_open:
        assert hits(ix, "vietnam") == expected
    shutil.rmtree(root / "whoosh" if what == "live folder" else root)

    _run_or_clear_error(lambda: hits(ix, "vietnam"))
    outcome = _run_or_clear_error(ix.update)
    if not isinstance(outcome, Exception):
        assert hits(ix, "vietnam") == expected  # recovered: rebuilt from the articles
    # Whatever happened, the object is not left broken: it closes and rebuilds.
    ix.close()
    ix.rebuild()
    assert_consistent(ix, expected)
    ix.close()


def test_rebuild_after_the_folder_vanished(corpus, tmp_path):
    """With no searcher open, an explicit rebuild recovers (what the app offers)."""
    root = tmp_path / "index"
    ix = CorpusIndex(corpus, root)
    ix.open()
    ix.update()
    expected = ix.doc_count()
    ix.close()
    shutil.rmtree(root)
    ix.rebuild()
    assert_consistent(ix, expected)
    ix.close()


# -- two writers -------------------------------------------------------------------------------

_UPDATER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from reader.index.corpus_index import CorpusIndex, IndexUnusable
    ix = CorpusIndex(Path(sys.argv[1]), Path(sys.argv[2]))
    try:
        ix.open()
        report = ix.update()
    except IndexUnusable as error:
        print(json.dumps({"error": str(error)}))
        raise SystemExit(3)
    print(json.dumps({"read_only": ix.read_only, "summary": report.summary(),
                      "total": report.total, "notice": ix.notice}))
    """
)


@POSIX
@pytest.mark.parametrize("start", ["no index yet", "empty index"])
def test_two_processes_update_at_once(tmp_path, start):
    count = 240  # above the threshold where an update prepares files in worker processes
    corpus_dir = generate_corpus(tmp_path / "articles", count)
    root = tmp_path / "index"
    if start == "empty index":
        CorpusIndex(corpus_dir, root).open()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", _UPDATER, str(corpus_dir), str(root)]
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
        for _ in range(2)
    ]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode in (0, 3), err.decode(errors="replace")[-2000:]
        (line,) = out.decode().strip().splitlines()
        outcomes.append(json.loads(line))
    for outcome in outcomes:
        if "error" in outcome:
            assert "another reader process" in outcome["error"]
        elif outcome["read_only"]:
            assert "read-only" in outcome["notice"]
    assert any(o.get("total") == count and not o.get("read_only") for o in outcomes), outcomes

    after = CorpusIndex(corpus_dir, root)
    after.open()
    assert after.notice is None
    report = after.update()
    assert not report.touched, report.summary()
    assert_consistent(after, count)
    assert hits(after, "marker0123") == 1
    after.close()


# -- kill -9 in the middle of a rebuild --------------------------------------------------------


@POSIX
def test_kill_9_in_the_middle_of_a_rebuild(tmp_path):
    count = 400
    corpus_dir = generate_corpus(tmp_path / "articles", count)
    first = CorpusIndex(corpus_dir)
    first.open()
    first.update()
    assert first.doc_count() == count
    first.close()
    root = first.root

    kill_9_reader_when(
        ["--corpus", str(corpus_dir), "index", "--rebuild"],
        dict(os.environ),
        lambda: bool(list(root.glob("build-*"))),
        timeout=60,
        waiting_for="started the rebuild",
        then_wait=0.5,  # some documents prepared, nothing swapped in yet
    )
    assert list(root.glob("build-*")), "the killed rebuild left no half-built folder to test"

    # The live index is untouched and usable at once, and what the dead rebuild left is
    # gone at the next start (issue 14), not at the next rebuild.
    again = CorpusIndex(corpus_dir)
    again.open()
    assert again.notice is None
    assert not list(root.glob("build-*"))
    assert hits(again, "marker0042") == 1
    (corpus_dir / "article-9999.md").write_text("Marker9999 arrives late.\n", encoding="utf-8")
    report = again.update()
    assert report.added == ["article-9999"]
    assert_consistent(again, count + 1)
    # The next rebuild clears what the killed one left.
    again.rebuild()
    assert not list(root.glob("build-*")) and not list(root.glob("old-*"))
    assert_consistent(again, count + 1)
    again.close()


# -- a full disk -------------------------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fail_replace(monkeypatch):
    monkeypatch.setattr(index_module.os, "replace", _no_space)


def _fail_open_for_writing(monkeypatch, module):
    real_open = open

    def fake_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            _no_space()
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(module, "open", fake_open, raising=False)


@pytest.mark.parametrize("fault", ["replace", "open"])
def test_full_disk_during_an_update_keeps_the_index(corpus, tmp_path, monkeypatch, fault):
    root = tmp_path / "index"
    ix = CorpusIndex(corpus, root)
    ix.open()
    ix.update()
    before = ix.doc_count()
    manifest_before = (root / "whoosh" / "reader-manifest.json").read_bytes()
    (corpus / "late.md").write_text("---\ntitle: Late\n---\nZanzibar news.\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        if fault == "replace":
            _fail_replace(patch)
        else:
            _fail_open_for_writing(patch, atomic_module)
        with pytest.raises(OSError) as raised:
            ix.update()
    assert raised.value.errno == errno.ENOSPC
    assert "No space left" in one_line_message(raised.value)
    # The manifest on disk is the old one, whole; the index still answers.
    assert (root / "whoosh" / "reader-manifest.json").read_bytes() == manifest_before
    assert hits(ix, "vietnam") == before
    ix.close()
    # With space again, a fresh open catches up, without duplicates.
    later = CorpusIndex(corpus, root)
    later.open()
    later.update()
    assert_consistent(later, before + 1)
    assert hits(later, "zanzibar") == 1
    later.close()


def test_full_disk_leaves_no_temporary_files(corpus, tmp_path, monkeypatch):
    root = tmp_path / "index"
    ix = CorpusIndex(corpus, root)
    ix.open()
    ix.update()
    (corpus / "late.md").write_text("Zanzibar news.\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        _fail_replace(patch)
        with pytest.raises(OSError):
            ix.update()
    ix.close()
    assert not list((root / "whoosh").glob(".*.tmp"))


def test_full_disk_during_a_rebuild_keeps_the_live_index(corpus, tmp_path, monkeypatch):
    root = tmp_path / "index"
    ix = CorpusIndex(corpus, root)
    ix.open()
    ix.update()
    before = ix.doc_count()
    with monkeypatch.context() as patch:
        _fail_replace(patch)
        with pytest.raises(OSError):
            ix.rebuild()
    assert not list(root.glob("build-*"))
    assert hits(ix, "vietnam") == before
    ix.close()
    again = CorpusIndex(corpus, root)
    again.open()
    assert again.notice is None
    assert_consistent(again, before)
    again.close()


def test_full_disk_is_one_line_from_the_cli(corpus, monkeypatch, capsys):
    from reader.cli.main import main

    assert main(["--corpus", str(corpus), "index"]) == 0
    capsys.readouterr()
    (corpus / "late.md").write_text("Zanzibar news.\n", encoding="utf-8")
    _fail_replace(monkeypatch)
    assert main(["--corpus", str(corpus), "index"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("reader: cannot write the index") and "No space left" in err
    assert "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize("fault", ["replace", "open"])
def test_full_disk_while_saving_highlights_keeps_them(monkeypatch, tmp_path, fault):
    from reader.corpus.articles import content_hash, load_path
    from reader.highlights import store as hl
    from reader.support.locations import bundled_corpus

    stem = "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"
    body = load_path(bundled_corpus() / f"{stem}.md").body
    store = hl.HighlightStore(tmp_path / "highlights.json")
    kept = store.add_span(stem, body, content_hash(body), 0, 20, note="kept")
    saved = store.path.read_bytes()
    with monkeypatch.context() as patch:
        if fault == "replace":
            patch.setattr(hl.os, "replace", _no_space)
        else:
            _fail_open_for_writing(patch, atomic_module)
        with pytest.raises(OSError) as raised:
            store.add_span(stem, body, content_hash(body), 30, 60, note="lost")
    assert raised.value.errno == errno.ENOSPC
    assert store.path.read_bytes() == saved
    assert not [p for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    reopened = hl.HighlightStore(store.path)
    assert [h.id for h in reopened.all()] == [kept.id]
    assert reopened.notice is None


def test_full_disk_while_saving_highlights_is_one_line_from_the_cli(corpus, monkeypatch, capsys):
    from reader.cli.main import main
    from reader.highlights import store as hl

    stem = "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"
    assert main(["--corpus", str(corpus), "index"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(hl.os, "replace", _no_space)  # the index is written: only the store fails
    code = main(["--corpus", str(corpus), "highlights", "add", stem, "--quote", "Japan"])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("reader: cannot use the highlights file") and "No space left" in err
    assert "\n" not in err
