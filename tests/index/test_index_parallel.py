"""The parallel full build: worker processes write segments that the parent commits."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_hardening_index import assert_consistent, hits

from reader.index import corpus_index as index_module
from reader.index import index_writing, segments
from reader.index.corpus_index import CorpusIndex
from reader.index.manifest import Manifest
from reader.search.engine import search
from tests.conftest import kill_9_reader_when

REPO = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals and processes")

_WORDS = [
    "harbour",
    "grain",
    "rainfall",
    "drought",
    "cattle",
    "wheat",
    "export",
    "tariff",
    "minister",
    "council",
    "river",
    "science",
    "reef",
    "coral",
    "satellite",
    "vaccine",
    "research",
    "farmers",
    "market",
    "price",
    "season",
    "flood",
    "agreements",
    "agreed",
    "exporting",
    "researchers",
    "rivers",
]
_NAMES = ["John Howard", "Canberra", "Jakarta", "Alexander Downer", "Sydney", "Peter Costello"]


def make_corpus(folder: Path, count: int, broken: int = 3, seed: int = 11) -> Path:
    """``count`` articles of words and names, each with a unique marker; a few broken."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        words = [rng.choice(_WORDS) for _ in range(rng.randrange(40, 160))]
        words.insert(rng.randrange(len(words)), rng.choice(_NAMES) + " said")
        body = " ".join(words)
        (folder / f"article-{n:04d}.md").write_text(
            f"---\ntitle: {rng.choice(_WORDS).title()} report {n}\n"
            f"date: 2006-0{n % 9 + 1}-{n % 28 + 1:02d}\nsource: ABC News\n---\n"
            f"Marker{n:04d} {body}.\n\nIn {rng.choice(_NAMES)}, {body[::-1]}\n",
            encoding="utf-8",
        )
    for n in range(broken):
        (folder / f"broken-{n}.md").write_text("---\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    return folder


def snapshot(ix: CorpusIndex) -> dict:
    """Everything a user can observe: stored fields, search results, vocabularies."""
    queries = ["grain", "flood AND cattle", '"coral reef"', "title:wheat", "rive*", "farmer~"]
    queries += ["people:howard", "places:jakarta", "source:abc marker0007", "agreement"]
    with ix.searcher() as searcher:
        stored = {fields["id"]: fields for fields in searcher.all_stored_fields()}
        results = {}
        for text in queries:
            found = search(searcher, text, limit=None, snippets=0)
            results[text] = sorted((h.id, round(h.score or 0, 6)) for h in found.hits)
        reader = searcher.reader()
        vocabulary = {
            name: sorted((t, reader.frequency(name, t)) for t in reader.field_terms(name))
            for name in ("spell_body", "spell_title", "body", "people", "places")
        }
    return {"stored": stored, "results": results, "vocabulary": vocabulary}


def build(corpus: Path, root: Path, *, parallel: bool, **kwargs):
    ix = CorpusIndex(corpus, root)
    ix.open()
    threshold = index_writing._PARALLEL_THRESHOLD if parallel else 10**9
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_writing, "_PARALLEL_THRESHOLD", threshold)
        report = ix.update(**kwargs)
    return ix, report


def scratch_folders(root: Path) -> list[Path]:
    return list(root.rglob(f"{segments.SCRATCH_PREFIX}*"))


# -- planning ---------------------------------------------------------------------------------


@pytest.mark.parametrize("total", [1, 200, 1_000, 10_000, 100_000])
@pytest.mark.parametrize("workers", [2, 8])
def test_jobs_cover_every_file_start_small_and_stay_few(total, workers):
    sizes = segments.plan_jobs(total, workers)
    assert sum(sizes) == total and all(size > 0 for size in sizes)
    assert sizes[0] <= segments.FIRST_JOB  # the first results come soon
    assert max(sizes) <= max(segments.MIN_CAP, total // segments.FULL_JOBS + 1)
    # Many small segments would slow prefix and fuzzy search; each worker needs its own.
    assert len(sizes) <= 12 + 2 * workers


# -- the same index as the serial build --------------------------------------------------------


@pytest.fixture
def small_jobs(monkeypatch):
    """Jobs a fifth of their real size (planned in this process), so that a corpus of
    150 files is built in three segments as 750 would be."""
    monkeypatch.setattr(segments, "FIRST_JOB", 20)
    monkeypatch.setattr(segments, "MIN_CAP", 400)
    monkeypatch.setattr(segments, "MIN_TAIL", 50)
    monkeypatch.setattr(index_writing, "_PARALLEL_THRESHOLD", 40)


def test_parallel_build_equals_the_serial_build(tmp_path, small_jobs):
    corpus = make_corpus(tmp_path / "articles", 150)
    progress: list[tuple[int, int]] = []
    commits: list[int] = []
    manifest_file = tmp_path / "parallel" / "whoosh" / "reader-manifest.json"
    parallel, report = build(
        corpus,
        tmp_path / "parallel",
        parallel=True,
        progress=lambda done, total: progress.append((done, total)),
        on_commit=lambda: commits.append(len(Manifest.read(manifest_file).entries)),
    )
    serial, serial_report = build(corpus, tmp_path / "serial", parallel=False)

    assert len(list(parallel.live_dir.glob("*.seg"))) > 1, "expected one segment per job"
    assert report.total == serial_report.total == 150
    assert sorted(report.added) == sorted(serial_report.added)
    assert sorted(map(str, report.problems)) == sorted(map(str, serial_report.problems))
    assert len([p for p in report.problems if p.severity == "error"]) == 3
    manifest = Manifest.read(parallel.live_dir / "reader-manifest.json")
    assert manifest.entries == Manifest.read(serial.live_dir / "reader-manifest.json").entries
    assert snapshot(parallel) == snapshot(serial)
    assert_consistent(parallel, 150)
    # Results show as each segment is committed, and the progress bar moves.
    assert len(commits) > 1 and commits == sorted(commits) and commits[0] == segments.FIRST_JOB
    assert progress[-1] == (153, 153)
    assert len([done for done, total in progress if done < total]) >= 2  # it moves
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert not scratch_folders(tmp_path)
    # A later update is incremental and sees nothing to do.
    again = parallel.update()
    assert again.touched == 0 and again.total == 150
    parallel.close()
    serial.close()


def test_a_parallel_rebuild_swaps_in_a_complete_index(tmp_path, small_jobs):
    corpus = make_corpus(tmp_path / "articles", 60, broken=0)
    ix, _ = build(corpus, tmp_path / "index", parallel=False)
    (corpus / "article-0005.md").unlink()
    report = ix.rebuild()
    assert report.rebuilt and report.total == 59
    assert_consistent(ix, 59)
    assert hits(ix, "marker0005") == 0 and hits(ix, "marker0006") == 1
    assert not scratch_folders(tmp_path) and not list(ix.root.glob("build-*"))
    ix.close()


# -- cancelled ---------------------------------------------------------------------------------


def test_cancelled_first_build_keeps_whole_segments_and_resumes(tmp_path, small_jobs):
    corpus = make_corpus(tmp_path / "articles", 120, broken=0)
    ix = CorpusIndex(corpus, tmp_path / "index")
    ix.open()
    commits: list[int] = []
    started = time.monotonic()
    report = ix.update(
        on_commit=lambda: commits.append(len(ix.article_ids())),
        cancelled=lambda: bool(commits),  # the user quits once the first results show
    )
    assert report.cancelled
    assert time.monotonic() - started < 60
    assert commits == [segments.FIRST_JOB]
    assert not scratch_folders(tmp_path)
    # What was committed is whole and consistent with the manifest.
    assert_consistent(ix, segments.FIRST_JOB)
    assert hits(ix, "marker0000") == 1 and hits(ix, "marker0119") == 0
    # The next update indexes the rest, once each.
    resumed = ix.update()
    assert len(resumed.added) == 120 - segments.FIRST_JOB
    assert_consistent(ix, 120)
    ix.close()


def test_cancelled_rebuild_discards_its_folder_and_keeps_the_live_index(tmp_path, small_jobs):
    corpus = make_corpus(tmp_path / "articles", 60, broken=0)
    ix, _ = build(corpus, tmp_path / "index", parallel=False)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5

    report = ix.rebuild(cancelled=cancelled)
    assert report.cancelled
    assert not list(ix.root.glob("build-*")) and not scratch_folders(tmp_path)
    assert_consistent(ix, 60)
    ix.close()


# -- left behind by a killed build -------------------------------------------------------------


def test_a_leftover_scratch_folder_is_removed_and_ignored(tmp_path):
    corpus = make_corpus(tmp_path / "articles", 20, broken=0)
    ix, _ = build(corpus, tmp_path / "index", parallel=False)
    leftover = ix.live_dir / f"{segments.SCRATCH_PREFIX}999999-1" / "job-00000"
    leftover.mkdir(parents=True)
    (leftover / "MAIN_abcdefghij012345.seg").write_bytes(b"half a segment")
    (corpus / "late.md").write_text("Marker9999 arrives late.\n", encoding="utf-8")
    report = ix.update()
    assert report.added == ["late"]
    assert not scratch_folders(tmp_path)
    assert_consistent(ix, 21)
    ix.close()


@POSIX
def test_kill_9_during_a_first_parallel_build(tmp_path, reader_home):
    corpus = make_corpus(tmp_path / "articles", 600, broken=0)  # jobs of 100, 250, 250
    ix = CorpusIndex(corpus)
    # Kill it once the first segment is committed and more are being written.
    kill_9_reader_when(
        ["--corpus", str(corpus), "index"],
        {**os.environ, "READER_HOME": str(reader_home)},
        lambda: bool(list(ix.live_dir.glob("*.seg"))),
        timeout=120,
        waiting_for="committed a segment",
    )
    assert scratch_folders(ix.root), "the killed build left no scratch folder to test"

    ix.open()
    assert ix.notice is None
    assert len(ix.article_ids()) < 600
    ix.update()
    assert not scratch_folders(ix.root)
    assert_consistent(ix, 600)
    assert hits(ix, "marker0599") == 1
    ix.close()


# -- the writer: counted spelling postings, lengths read once ----------------------------------


def test_our_writer_writes_what_whoosh_writes(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from reader.index.corpus_index import make_schema
    from reader.index.documents import prepare
    from reader.index.writers import segment_writer

    corpus = make_corpus(tmp_path / "articles", 60, broken=0)
    documents = [prepare(source).document for source in index_module.corpus.scan(corpus)[0]]

    def build_with(make_writer, name):
        ix = FileStorage(str(tmp_path / name)).create().create_index(make_schema())
        writer = make_writer(ix)
        for document in documents:
            writer.add_document(**document)
        writer.commit()
        reader = ix.reader()
        fields = {}
        for fieldname in ix.schema.names():
            terms = list(reader.lexicon(fieldname)) if ix.schema[fieldname].indexed else []
            fields[fieldname] = [(t, reader.frequency(fieldname, t)) for t in terms]
            if not fieldname.startswith("spell_"):
                infos = [reader.term_info(fieldname, t) for t in terms]
                fields[fieldname].append(
                    [
                        (i.doc_frequency(), i.min_length(), i.max_length(), i.max_weight())
                        for i in infos
                    ]
                )
        reader.close()
        return fields

    ours = build_with(segment_writer, "ours")
    whoosh = build_with(lambda ix: SegmentWriter(ix), "whoosh")
    assert ours["spell_body"] and ours["spell_title"]
    assert ours == whoosh


_HOLD_WORKERS = """
import sys, time
from pathlib import Path
from reader.index.segments import SegmentBuild

build = SegmentBuild(Path(sys.argv[1]), [], 2).__enter__()
deadline = time.monotonic() + 60
while len(build._pool._processes) < 2 and time.monotonic() < deadline:
    time.sleep(0.05)
print(*build._pool._processes, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent_and_free_its_output_pipe(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WORKERS, str(tmp_path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        start_new_session=True,
    )
    try:
        pids = [int(pid) for pid in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # The workers inherited the output pipe: it ends only when they are gone too.
        started = time.monotonic()
        reader = threading.Thread(target=proc.stdout.read, daemon=True)
        reader.start()
        reader.join(10)
        assert not reader.is_alive(), "the workers still hold the dead parent's output pipe"
        while any(_alive(pid) for pid in pids) and time.monotonic() - started < 10:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in pids)
        assert time.monotonic() - started < 3
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
