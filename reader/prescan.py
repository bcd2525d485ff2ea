"""Scan the corpus folder on a second core while the command imports the rest of itself.

Every command that reads the index first brings it up to date, and that starts
with a scan of the corpus folder: one ``stat`` per article file, 70-120 ms at
10,000 articles, most of it spent in the kernel. Before it can use the result,
the process spends about 250 ms importing Whoosh and the reader on one core. So
:meth:`Prescan.start` forks a child that scans meanwhile and sends the result
back through a pipe; :meth:`Prescan.result` collects it when the index wants it.

When the scan differs from the index's manifest in a few files, the child also
prepares them (reads them and recognises their entities, :mod:`reader.documents`):
the update then only writes them. The index still decides what to update from its
own manifest; a prepared file is used only for the very version (path, time, size)
the update reads.

Forking is only done where it is safe and cheap: on Linux, in a process with a
single thread (a fork of a threaded process can deadlock in the child). Anywhere
else, or if the child fails for any reason, the caller scans as it always did.
The result is the scan as it was when the command started, which is what it
would have been had the command been quicker.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from reader.corpus import Problem, SourceFile
    from reader.documents import Prepared

# The modules that scan and prepare are imported by the child, not here: the app
# starts a scan before its first frame and must not wait for them.

#: The child prepares the changed files only when there are this many or fewer: it
#: does so while the command imports (about 250 ms), and more would keep it waiting.
PREPARE_AHEAD = 16


class Scanned(NamedTuple):
    """A scan of the corpus folder, with the files already prepared for the update."""

    files: list[SourceFile]
    problems: list[Problem]
    fingerprint: str
    prepared: list[Prepared]


class Prescan:
    """A scan running in a child process."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe: int | None = pipe

    @classmethod
    def start(cls, root: Path) -> Prescan | None:
        """Start scanning ``root`` in a child process, or return None where that is unwise."""
        from reader import manifest
        from reader.locations import LIVE_INDEX, index_dir_for

        return cls.start_with(root, index_dir_for(root) / LIVE_INDEX / manifest.FILE)

    @classmethod
    def start_with(cls, root: Path, manifest: Path | None) -> Prescan | None:
        """Like :meth:`start`, with the manifest that tells which files to prepare."""
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
                _send(write_end, root, manifest)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def result(self) -> Scanned | None:
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
            # The child is this process forked a moment ago: its pickle is trusted.
            scanned = pickle.loads(data)
        except Exception:
            return None
        return scanned if isinstance(scanned, Scanned) else None

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


def _send(pipe: int, root: Path, manifest: Path | None) -> None:
    from reader.corpus import scan
    from reader.documents import prepare
    from reader.manifest import files_fingerprint

    files, problems = scan(root)
    fingerprint = files_fingerprint(files)
    prepared = [prepare(source) for source in _to_prepare(files, fingerprint, manifest)]
    data = pickle.dumps(Scanned(files, problems, fingerprint, prepared), pickle.HIGHEST_PROTOCOL)
    with os.fdopen(pipe, "wb") as out:
        out.write(data)


def _to_prepare(files: list[SourceFile], fingerprint: str, path: Path | None) -> list[SourceFile]:
    """The files an update will read, when they are few; none when unsure."""
    from reader.manifest import Manifest, ManifestError, changes

    if path is None:
        return []
    try:
        manifest = Manifest.read(path)
        if manifest.summary.fingerprint == fingerprint:
            return []
        todo = changes(manifest.entries, files).todo
    except ManifestError:
        return []
    return todo if len(todo) <= PREPARE_AHEAD else []
