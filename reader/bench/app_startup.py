"""Measure start-up: the reader app's first paint and first useful screen (the
results listed) against a bare Textual app's first paint.

    python -m reader.bench.app_startup [--corpus DIR] [--runs 21]

Each run starts a fresh Python process on a pseudo-terminal (120x40) and times
from the spawn until a known piece of text is drawn to the terminal: what a
user sees; for the reader, also until the search status says how many articles
match ("… articles · by …"): the results are listed. The reader is started as
users start it (``python -m reader --corpus DIR``, the same as the ``reader``
command), with a fresh state folder so no session is restored. The two
alternate, run after run; the medians, the fastest runs and the run-by-run
ratios are compared (this machine's timings swing by a third from one minute to
the next); the goal is at most 1.5x the bare app for the first paint, 1.8x for
the results listed, whatever the corpus size (the index opens after the first
paint).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from reader.support.locations import default_corpus

_BARE = """
from textual.app import App
from textual.widgets import Footer, Static
class Bare(App):
    def compose(self):
        yield Static("Bare app painted.")
        yield Footer()
Bare().run()
"""


BARE_MARKER = b"Bare app painted."
READER_MARKER = b"No article open."
#: The search status once the first results are listed ("5 articles · by date").
RESULTS_MARKER = " articles · by ".encode()


def time_to_paint(command: list[str], marker: bytes, timeout: float = 30.0) -> float:
    """Seconds from spawning ``command`` on a pty until ``marker`` is written."""
    return time_to_markers(command, (marker,), timeout)[0]


def time_to_markers(
    command: list[str], markers: tuple[bytes, ...], timeout: float = 30.0
) -> list[float]:
    """Seconds from spawning ``command`` on a pty until each of ``markers`` is written
    (NaN for one that never is)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    elapsed = [float("nan")] * len(markers)
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-4096:]
            now = time.perf_counter() - started
            for n, marker in enumerate(markers):
                if elapsed[n] != elapsed[n] and marker in seen:  # NaN: not seen yet
                    elapsed[n] = now
            if all(e == e for e in elapsed):
                break
    finally:
        os.write(master, b"\x11")  # ctrl+q
        # Keep reading: an app writing its last frame to a full terminal cannot exit.
        deadline = time.perf_counter() + 5
        while process.poll() is None and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        try:
            process.wait(timeout=max(deadline - time.perf_counter(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench.app_startup", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    corpus = str(args.corpus.resolve())
    bare: list[float] = []
    reader: list[float] = []
    listed: list[float] = []
    bare_command = [sys.executable, "-c", _BARE]
    reader_command = [sys.executable, "-m", "reader", "--corpus", corpus]
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["READER_HOME"] = scratch  # no session to restore: the viewer is empty
        time_to_paint(reader_command, RESULTS_MARKER)  # warm the file cache, build the index
        for _ in range(args.runs):
            bare.append(time_to_paint(bare_command, BARE_MARKER))
            painted, results = time_to_markers(reader_command, (READER_MARKER, RESULTS_MARKER))
            reader.append(painted)
            listed.append(results)
    bare_ms = statistics.median(bare) * 1000
    reader_ms = statistics.median(reader) * 1000
    pairs = sorted(r / b for r, b in zip(reader, bare, strict=True))
    print(f"corpus: {corpus}")
    print(
        f"bare Textual app: median {bare_ms:.0f} ms to first paint, fastest "
        f"{min(bare) * 1000:.0f} ms ({args.runs} runs)"
    )
    print(f"reader app:       median {reader_ms:.0f} ms, fastest {min(reader) * 1000:.0f} ms")
    listed_ms = statistics.median(listed) * 1000
    print(
        f"results listed:   median {listed_ms:.0f} ms, fastest {min(listed) * 1000:.0f} ms; "
        f"ratio to the bare app's first paint: {listed_ms / bare_ms:.2f} "
        f"(median of the paired runs: "
        f"{statistics.median(sorted(r / b for r, b in zip(listed, bare, strict=True))):.2f}; "
        "goal: at most 1.8)"
    )
    print(
        f"ratio of medians: {reader_ms / bare_ms:.2f}, of the fastest runs: "
        f"{min(reader) / min(bare):.2f}, median of the {args.runs} paired runs: "
        f"{statistics.median(pairs):.2f} (goal: at most 1.5)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
