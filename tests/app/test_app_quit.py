"""Quitting answers within a second in every state (issue 15).

The app runs on a pseudo-terminal, as users run it, with work that cannot be
interrupted made slow on purpose (a sleep that ignores cancellation): an index
update of a huge article, an export. ``q`` must end the process promptly anyway,
and an export the user quit during must not write its file.
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.cli.test_hardening_terminal import COLUMNS, LINES, Terminal, strip_sequences

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

#: Generous for a loaded test machine; the point is "not 60 s".
QUIT_WITHIN = 5.0

SLOW_UPDATE = """
import sys, time
from pathlib import Path
from reader.index.corpus_index import CorpusIndex

def slow_update(self, *args, **kwargs):
    time.sleep(60)  # a 20 MB article being indexed: no way to stop it half-way
    raise AssertionError("never reached")

CorpusIndex.update = slow_update
from reader.app import run_app
sys.exit(run_app(Path(sys.argv[1])))
"""

SLOW_EXPORT = """
import sys, time
from pathlib import Path
import reader.export as export

real = export.render
def slow_render(*args, **kwargs):
    time.sleep(6.5)  # the passages of a 1 MB article being rendered (> QUIT_WITHIN)
    return real(*args, **kwargs)

export.render = slow_render
from reader.app import run_app
sys.exit(run_app(Path(sys.argv[1])))
"""


def _start(script: str, corpus: Path, home: Path) -> Terminal:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "READER_HOME": str(home),
        "HOME": str(home),
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    env.pop("READER_CORPUS", None)
    env.pop("TEXTUAL", None)
    return Terminal([sys.executable, "-c", textwrap.dedent(script), str(corpus)], env)


def _quit_time(term: Terminal, key: str = "q") -> float:
    if key == "q":
        term.send("\x1b")  # out of the query box, where q is typed
        time.sleep(0.5)  # (an Escape right before a key reads as alt+key)
    started = time.monotonic()
    term.send(key)
    term.wait_for(lambda t: t.process.poll() is not None, timeout=90)
    return time.monotonic() - started


def test_q_quits_at_once_while_an_update_cannot_be_stopped(corpus, tmp_path):
    term = _start(SLOW_UPDATE, corpus, tmp_path / "home")
    try:
        assert term.wait_for(lambda t: "checking for changes" in strip_sequences(t.text()))
        took = _quit_time(term)
        assert term.process.poll() is not None, "still running after q"
        assert took < QUIT_WITHIN, f"q took {took:.1f} s"
    finally:
        term.close()


def test_q_during_an_export_quits_at_once_and_writes_nothing(corpus, tmp_path):
    home = tmp_path / "home"
    target = tmp_path / "passages.md"
    term = _start(SLOW_EXPORT, corpus, home)
    try:
        assert term.wait_for(lambda t: "5 articles" in strip_sequences(t.text()))
        term.send("Vietnam")
        assert term.wait_for(lambda t: "by relevance" in strip_sequences(t.text()))
        term.send("\x1b")  # leave the query box
        time.sleep(0.5)
        term.send("x")
        assert term.wait_for(lambda t: "Escape cancels" in strip_sequences(t.text()))
        term.send("\x15")  # ctrl+u clears the path field
        time.sleep(0.3)
        term.send(str(target))
        assert term.wait_for(lambda t: "passages.md" in strip_sequences(t.text()))
        term.send("\r")
        time.sleep(1.5)  # the dialog has closed; the export is rendering now
        took = _quit_time(term, "\x11")  # ctrl+q: the dialog is gone, the app quits
        assert term.process.poll() is not None, "still running after ctrl+q"
        assert took < QUIT_WITHIN, f"quitting took {took:.1f} s"
        time.sleep(7)  # past the end of the slow render: nothing may appear
        assert not target.exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".passages")]
    finally:
        term.close()
