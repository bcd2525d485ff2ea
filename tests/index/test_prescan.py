"""The corpus scan made in a child process while a command starts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader.corpus.articles import scan
from reader.index import prescan
from reader.support.locations import bundled_corpus

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the child scan is Linux-only")


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter: one thread, as a command starts."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@linux_only
@pytest.mark.parametrize("folder", [bundled_corpus(), HOSTILE], ids=["bundled", "hostile"])
def test_the_child_scan_equals_a_scan_here(folder, tmp_path):
    link_loop = tmp_path / "corpus"
    if folder == HOSTILE:  # a folder with a link loop and a broken link besides
        import shutil

        shutil.copytree(folder, link_loop, symlinks=True)
        (link_loop / "loop").symlink_to(link_loop)
        (link_loop / "gone.md").symlink_to(tmp_path / "nowhere.md")
        folder = link_loop
    out = run_python(
        "import sys; from pathlib import Path\n"
        "from reader.index.prescan import Prescan\n"
        "from reader.corpus.articles import scan\n"
        f"root = Path({str(folder)!r})\n"
        "child = Prescan.start(root)\n"
        "assert child is not None, 'no child started'\n"
        "got = child.result()\n"
        "assert got is not None, 'the child failed'\n"
        "files, problems = scan(root)\n"
        "assert got.files == files, (got.files[:3], files[:3])\n"
        "assert [(str(p.path), p.reason, p.severity) for p in got.problems] == "
        "[(str(p.path), p.reason, p.severity) for p in problems]\n"
        "print(len(files), len(problems))\n"
    )
    files, problems = scan(folder)
    assert out.split() == [str(len(files)), str(len(problems))]
    assert files


@linux_only
def test_a_failing_child_leaves_the_scan_to_the_caller(tmp_path):
    out = run_python(
        "from pathlib import Path\n"
        "from reader.corpus import scanning\n"
        "from reader.index import prescan\n"
        "def broken(root):\n"
        "    raise OSError('disk on fire')\n"
        "scanning.scan = broken\n"
        f"child = prescan.Prescan.start(Path({str(tmp_path)!r}))\n"
        "assert child.changed()  # unknown: the caller gets ready for changes\n"
        "print(child.result())\n"
        "import os\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    print('a child is left')\n"
        "except ChildProcessError:\n"
        "    print('no child left')\n"
    )
    assert out.split("\n")[:2] == ["None", "no child left"]


@linux_only
def test_a_result_nobody_collects_does_not_leave_a_child(tmp_path):
    out = run_python(
        "import os\nfrom pathlib import Path\n"
        "from reader.index.prescan import Prescan\n"
        f"child = Prescan.start(Path({str(bundled_corpus())!r}))\n"
        "child.close()\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    print('a child is left')\n"
        "except ChildProcessError:\n"
        "    print('no child left')\n"
    )
    assert out.strip() == "no child left"


def test_no_child_is_forked_from_a_process_with_threads():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert prescan.Prescan.start(bundled_corpus()) is None
    finally:
        stop.set()
        thread.join()


def test_the_index_command_sees_changes_made_just_before_it(corpus, reader_home):
    def index() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "reader", "--corpus", str(corpus), "index"],
            capture_output=True,
            text=True,
            env={**os.environ, "READER_HOME": str(reader_home)},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "5 added" in index()
    assert "up to date: 5 articles" in index()
    (corpus / "wombats.md").write_text("A wombat census in Tasmania.\n", encoding="utf-8")
    out = index()
    assert "1 added" in out and "added: wombats" in out
    (corpus / "wombats.md").unlink()
    assert "1 removed" in index()


@linux_only
def test_the_child_prepares_the_few_changed_files(index, corpus, reader_home):
    kyodo = next(corpus.glob("2021-09-11-kyodo*"))
    kyodo.write_text(kyodo.read_text(encoding="utf-8") + "\nA platypus.\n", encoding="utf-8")
    for n in range(3):
        (corpus / f"new-{n}.md").write_text(f"Wombat number {n} in Hobart.\n", encoding="utf-8")
    manifest = index.live_dir / "reader-manifest.json"
    out = run_python(
        "from pathlib import Path\n"
        "from reader.index.prescan import Prescan\n"
        "from reader.index.documents import prepare\n"
        f"child = Prescan.start_with(Path({str(corpus)!r}), Path({str(manifest)!r}))\n"
        "assert child.changed()\n"
        "got = child.result()\n"
        "for p in got.prepared:\n"
        "    assert p.document == prepare(p.source).document, p.source\n"
        "print(' '.join(sorted(p.source.id for p in got.prepared)))\n",
        env={"READER_HOME": str(reader_home)},
    )
    assert out.split() == ["2021-09-11-kyodo" + kyodo.stem[len("2021-09-11-kyodo") :]] + [
        f"new-{n}" for n in range(3)
    ]


def _scanned_and_prepared(index, corpus, reader_home) -> list[int]:
    """How many files a scan started in a child process found, and how many it prepared."""
    manifest = index.live_dir / "reader-manifest.json"
    out = run_python(
        "from pathlib import Path\n"
        "from reader.index.prescan import Prescan\n"
        f"got = Prescan.start_with(Path({str(corpus)!r}), Path({str(manifest)!r})).result()\n"
        "print(len(got.files), len(got.prepared))\n",
        env={"READER_HOME": str(reader_home)},
    )
    return [int(n) for n in out.split()]


@linux_only
def test_many_changed_files_are_left_to_the_index(index, corpus, reader_home):
    for n in range(prescan.PREPARE_AHEAD + 1):
        (corpus / f"new-{n}.md").write_text(f"Wombat number {n}.\n", encoding="utf-8")
    assert _scanned_and_prepared(index, corpus, reader_home) == [5 + prescan.PREPARE_AHEAD + 1, 0]


@linux_only
def test_a_huge_changed_file_is_left_to_the_index(index, corpus, reader_home):
    words = "Wombats graze near Hobart. " * (prescan.PREPARE_AHEAD_BYTES // 27 + 1)
    (corpus / "huge.md").write_text(words + "\n", encoding="utf-8")
    assert _scanned_and_prepared(index, corpus, reader_home) == [6, 0]


def test_prepared_files_are_used_only_for_the_version_the_update_reads(index, corpus):
    from reader.corpus.articles import scan
    from reader.index.documents import Prepared, prepare
    from reader.index.manifest import files_fingerprint
    from reader.index.prescan import Scanned
    from reader.search.engine import search

    def found(word: str) -> list[str]:
        with index.searcher() as searcher:
            return [hit.id for hit in search(searcher, word).hits]

    new = corpus / "new.md"
    new.write_text("Wombats in Hobart.\n", encoding="utf-8")
    files, problems = scan(corpus)
    (source,) = [f for f in files if f.id == "new"]
    prepared = prepare(source)
    # A document that differs from the file, to tell whether it was written.
    marked = Prepared(source, {**prepared.document, "body": "Koalas in Hobart."}, ())
    report = index.update(scanned=Scanned(files, problems, files_fingerprint(files), [marked]))
    assert report.added == ["new"]
    assert found("koalas") == ["new"] and found("wombats") == []
    # Prepared for a version the update does not read: ignored, the file is read.
    new.write_text("Platypus in Hobart, a longer text.\n", encoding="utf-8")
    files, problems = scan(corpus)
    report = index.update(scanned=Scanned(files, problems, files_fingerprint(files), [marked]))
    assert report.changed == ["new"]
    assert found("platypus") == ["new"] and found("koalas") == []


def test_changes_worked_out_against_another_manifest_are_not_used(index, corpus):
    from reader.corpus.articles import scan
    from reader.index.manifest import Changes, Manifest, files_fingerprint
    from reader.index.prescan import Scanned

    (corpus / "new.md").write_text("Wombats in Hobart.\n", encoding="utf-8")
    files, problems = scan(corpus)
    nothing = Changes()  # "nothing changed": false, to tell whether it is used
    other = Scanned(files, problems, files_fingerprint(files), [], ("0" * 32, nothing))
    assert index.update(scanned=other).added == ["new"]
    (corpus / "new.md").unlink()
    files, problems = scan(corpus)
    current = Manifest.read(index.live_dir / "reader-manifest.json").summary.fingerprint
    same = Scanned(files, problems, files_fingerprint(files), [], (current, nothing))
    assert index.update(scanned=same).removed == []  # worked out against this manifest: used


@linux_only
def test_the_child_says_first_whether_anything_changed(index, corpus, reader_home):
    manifest = index.live_dir / "reader-manifest.json"
    code = (
        "from pathlib import Path\n"
        "from reader.index.prescan import Prescan\n"
        f"child = Prescan.start_with(Path({str(corpus)!r}), Path({str(manifest)!r}))\n"
        "print(child.changed(), child.changed(), len(child.result().files))\n"
    )
    assert run_python(code, env={"READER_HOME": str(reader_home)}).split() == [
        "False",
        "False",
        "5",
    ]
    (corpus / "new.md").write_text("Wombats.\n", encoding="utf-8")
    assert run_python(code, env={"READER_HOME": str(reader_home)}).split() == ["True", "True", "6"]
