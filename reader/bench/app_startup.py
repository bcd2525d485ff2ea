"""Measure start-up: the reader app's first paint and first useful screen (the
results listed) against a bare Textual app's first paint.

    python -m reader.bench.app_startup [--corpus DIR] [--runs 21] [--palette] [--query Q]

Each run starts a fresh Python process on a pseudo-terminal (120x40) and times
from the spawn until a known piece of text is drawn to the terminal: what a
user sees; for the reader, also until the search status says how many articles
match ("… articles · by …"): the results are listed. The reader is started as
users start it (``python -m reader --corpus DIR``, the same as the ``reader``
command), with a fresh state folder: the index is built first, then a warm-up
run quits as a user does, so the runs after it start as a user's second start
does (an empty query, whose first results were kept at quit). The two
alternate, run after run; the medians, the fastest runs and the run-by-run
ratios are compared (this machine's timings swing by a third from one minute to
the next); the goal is at most 1.5x the bare app for the first paint, 1.8x for
the results listed, whatever the corpus size (the index opens after the first
paint). The CPU time each process had used by then (user and system, from
``/proc``) is compared too: on a loaded machine it is the steadier figure.
With ``--palette``, once the results are listed the command palette is opened
(ctrl+p) and timed until its commands are on screen (goal: under 150 ms). With
``--query``, every run starts as a user's does who quit with that query typed: it
is restored, and its first results were kept at the last quit.
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
#: A command's help in the palette (ctrl+p), on its first screen: the commands are listed.
PALETTE_MARKER = b"Every highlight: open"
PALETTE_KEY = b"\x10"  # ctrl+p
#: Seconds the app is given to settle (the index updated) before the palette is opened.
PRESS_AFTER = 1.5


def time_to_paint(command: list[str], marker: bytes, timeout: float = 30.0) -> float:
    """Seconds from spawning ``command`` on a pty until ``marker`` is written."""
    return time_to_markers(command, (marker,), timeout)[0]


def _drain(master: int, seconds: float) -> None:
    """Read (and drop) what the app writes for ``seconds``."""
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        if select.select([master], [], [], min(left, 0.05))[0]:
            try:
                os.read(master, 65536)
            except OSError:
                return


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user and system) process ``pid`` has used so far; NaN where
    ``/proc`` cannot tell (not Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    # After the command's name: state is field 3, utime 14 and stime 15 (man 5 proc).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_markers(
    command: list[str],
    markers: tuple[bytes, ...],
    timeout: float = 30.0,
    cpu: list[float] | None = None,
    press: tuple[int, bytes] | None = None,
    linger: float = 0.0,
) -> list[float]:
    """Seconds from spawning ``command`` on a pty until each of ``markers`` is written
    (NaN for one that never is). With ``cpu``, the CPU seconds the process had used by
    then are appended to it, one per marker: on a loaded machine the wall clock
    measures the other processes as much as this one.

    With ``press`` (``n``, a key's bytes): once marker ``n`` is seen and the app has
    had :data:`PRESS_AFTER` seconds to settle, the key is typed; the markers after
    ``n`` are then timed (wall and CPU) from the key. With ``linger``, the app runs
    that many seconds more after the last marker before it is asked to quit.
    """
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
    used = [float("nan")] * len(markers)
    base, base_cpu = started, 0.0
    try:
        while time.perf_counter() - started < timeout:
            if press is not None and elapsed[press[0]] == elapsed[press[0]]:
                _drain(master, PRESS_AFTER)
                seen = b""
                base, base_cpu = time.perf_counter(), process_cpu(process.pid)
                os.write(master, press[1])
                press = None
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-4096:]
            now = time.perf_counter() - base
            for n, marker in enumerate(markers):
                if elapsed[n] != elapsed[n] and marker in seen:  # NaN: not seen yet
                    elapsed[n] = now
                    used[n] = process_cpu(process.pid) - base_cpu
            if all(e == e for e in elapsed):
                _drain(master, linger)
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
    if cpu is not None:
        cpu.extend(used)
    return elapsed


def _leave_query(query: str, corpus: str) -> None:
    """The next start restores ``query``, with no article open (as a user left it)."""
    if query:
        from reader.app.session import Session, save_session

        save_session(Path(corpus), Session(query=query))


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench.app_startup", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--palette",
        action="store_true",
        help="also open the command palette (ctrl+p) once the results are listed and "
        "time it until its commands are on screen",
    )
    parser.add_argument(
        "--query", default="", help="the query every run restores (as if the user left it)"
    )
    args = parser.parse_args(argv)
    corpus = str(args.corpus.resolve())
    bare: list[float] = []
    reader: list[float] = []
    listed: list[float] = []
    palette: list[float] = []
    palette_cpu: list[float] = []
    bare_cpu: list[float] = []
    reader_cpu: list[float] = []
    bare_command = [sys.executable, "-c", _BARE]
    reader_command = [sys.executable, "-m", "reader", "--corpus", corpus]
    markers = (READER_MARKER, RESULTS_MARKER)
    press = None
    if args.palette:
        markers, press = (*markers, PALETTE_MARKER), (1, PALETTE_KEY)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["READER_HOME"] = scratch  # no session to restore: the viewer is empty
        # Build the index, then warm the file cache.
        subprocess.run([*reader_command, "index"], check=True, capture_output=True)
        # The warm-up run settles before it quits, as a user's run does: the first
        # results it keeps are what the timed runs start with.
        _leave_query(args.query, corpus)
        time_to_markers(reader_command, (RESULTS_MARKER,), linger=PRESS_AFTER)
        for _ in range(args.runs):
            _leave_query(args.query, corpus)
            used: list[float] = []
            bare.append(time_to_markers(bare_command, (BARE_MARKER,), cpu=used)[0])
            bare_cpu.append(used[0])
            used = []
            times = time_to_markers(reader_command, markers, cpu=used, press=press)
            reader.append(times[0])
            listed.append(times[1])
            reader_cpu.append(used[1])
            if args.palette:
                palette.append(times[2])
                palette_cpu.append(used[2])
    bare_ms, reader_ms, listed_ms = _median_ms(bare), _median_ms(reader), _median_ms(listed)
    pairs = sorted(r / b for r, b in zip(reader, bare, strict=True))
    print(f"corpus: {corpus}" + (f", query restored: {args.query!r}" if args.query else ""))
    print(
        f"bare Textual app: median {bare_ms:.0f} ms to first paint, fastest "
        f"{min(bare) * 1000:.0f} ms ({args.runs} runs)"
    )
    print(f"reader app:       median {reader_ms:.0f} ms, fastest {min(reader) * 1000:.0f} ms")
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
    bare_cpu_ms, listed_cpu_ms = _median_ms(bare_cpu), _median_ms(reader_cpu)
    print(
        f"CPU time (user + system, the process alone; steadier on a loaded machine): "
        f"bare app to first paint {bare_cpu_ms:.0f} ms, reader to results listed "
        f"{listed_cpu_ms:.0f} ms, ratio {listed_cpu_ms / bare_cpu_ms:.2f}"
    )
    if args.palette:
        print(
            f"command palette (ctrl+p until its commands are on screen): median "
            f"{_median_ms(palette):.0f} ms, fastest {min(palette) * 1000:.0f} ms, CPU "
            f"{_median_ms(palette_cpu):.0f} ms (goal: under 150 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
