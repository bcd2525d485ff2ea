"""Scan the corpus folder on a second core while the command imports the rest of itself.

Every command that reads the index first brings it up to date, and that starts
with a scan of the corpus folder: one ``stat`` per article file, 70-120 ms at
10,000 articles, most of it spent in the kernel. Before it can use the result,
the process spends about 250 ms importing Whoosh and the reader on one core. So
:func:`start` forks a child that scans meanwhile and sends the result back
through a pipe; :meth:`Prescan.result` collects it when the index wants it.

Forking is only done where it is safe and cheap: on Linux, in a process with a
single thread (a fork of a threaded process can deadlock in the child). Anywhere
else, or if the child fails for any reason, the caller scans as it always did.
The result is the scan as it was when the command started, which is what it
would have been had the command been quicker.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import threading
from pathlib import Path

from reader.corpus import Problem, SourceFile, scan


class Prescan:
    """A scan running in a child process."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe: int | None = pipe

    @classmethod
    def start(cls, root: Path) -> Prescan | None:
        """Start scanning ``root`` in a child process, or return None where that is unwise."""
        if sys.platform != "linux" or threading.active_count() > 1:
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: scan, send, and leave without running any exit handler
            status = 1
            try:
                os.close(read_end)
                _send(write_end, root)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> tuple[list[SourceFile], list[Problem]] | None:
        """The child's scan, or None if it failed (then scan here)."""
        if self._pipe is None:
            return None
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                self._pipe = None
                data = pipe.read()
        except OSError:
            data = b""
        if self._reap() != 0 or not data:
            return None
        try:
            files, problems = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return (
            list(map(SourceFile._make, files)),
            [Problem(Path(path), reason, severity) for path, reason, severity in problems],
        )

    def close(self) -> None:
        """Stop the child if its result was not collected."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int | None:
        if self._pid <= 0:
            return None
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return None
        finally:
            self._pid = 0
        return os.waitstatus_to_exitcode(status)


def _send(pipe: int, root: Path) -> None:
    files, problems = scan(root)
    data = marshal.dumps(
        (
            [tuple(source) for source in files],
            [(str(p.path), p.reason, p.severity) for p in problems],
        )
    )
    with os.fdopen(pipe, "wb") as out:
        out.write(data)
