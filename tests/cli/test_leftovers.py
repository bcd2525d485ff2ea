"""What a reader process killed half-way leaves is removed when the next one starts
(issue 14: 50 kill -9s of an export left 106 MB of hidden temp files in the user's
folder; killed `highlights add` left temp stores)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.support.locations import cache_dir, data_dir

REPO = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")

#: A writer that stops for good at its fsync: its temp file is written, not yet renamed.
_STUCK_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    os.fsync = lambda fd: time.sleep(3600)
    what, target = sys.argv[1], Path(sys.argv[2])
    if what == "export":
        from reader.export import write_new_file
        write_new_file(target, "x" * 5_000_000)
    else:
        from reader.support.atomic import write_atomic
        write_atomic(target, b"{}" * 2_000_000)
    """
)


def _kill_while_writing(what: str, target: Path, temp_folder: Path) -> list[Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _STUCK_WRITER, what, str(target)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 60
        while not (temps := list(temp_folder.glob(".*.tmp"))):
            assert proc.poll() is None and time.monotonic() < deadline, "never wrote"
            time.sleep(0.02)
        time.sleep(0.2)  # the whole temp file written
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    return temps


@POSIX
def test_a_killed_export_leaves_nothing_in_the_users_folder(tmp_path, corpus, capsys):
    destination = tmp_path / "Documents"
    destination.mkdir()
    scratch = cache_dir() / "scratch"  # the reader's home is on the same file system
    (temp,) = _kill_while_writing("export", destination / "notes.md", scratch)
    assert temp.stat().st_size == 5_000_000
    assert list(destination.iterdir()) == []  # never in the user's folder
    assert main(["--corpus", str(corpus), "list"]) == 0  # the next start
    capsys.readouterr()
    assert not temp.exists()


@POSIX
def test_a_killed_store_write_is_cleaned_at_the_next_start(corpus, capsys):
    store = data_dir() / "highlights.json"
    store.parent.mkdir(parents=True, exist_ok=True)
    (temp,) = _kill_while_writing("store", store, store.parent)
    assert main(["--corpus", str(corpus), "highlights", "list"]) == 0
    capsys.readouterr()
    assert not temp.exists()
    assert not list(store.parent.glob(".*.tmp"))


def test_temp_files_of_live_processes_and_other_files_are_left_alone(tmp_path):
    from reader.support.atomic import remove_leftovers, tracked_temp

    target = tmp_path / "file.json"
    with tracked_temp(target) as tmp:
        tmp.write_bytes(b"being written")
        assert remove_leftovers() == 0  # this process is alive
        assert tmp.exists()
    assert not tmp.exists()
    # A note naming a file that is not a temp file of that process is never acted on.
    (keep := tmp_path / "precious.txt").write_text("mine", "utf-8")
    from reader.support import atomic

    note = atomic._pending_dir() / "999999999-abc"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(str(keep), "utf-8")
    atomic.remove_leftovers()
    assert keep.read_text("utf-8") == "mine" and not note.exists()
