"""Scan the corpus folder on a second core while the command imports the rest of itself.

Every command that reads the index first brings it up to date, and that starts
with a scan of the corpus folder: one ``stat`` per article file, 70-120 ms at
10,000 articles, most of it spent in the kernel. Before it can use the result,
the process spends some 150 ms importing Whoosh and the index code, on one core.
So :meth:`Prescan.start` forks a child that scans meanwhile and sends the result
back through a pipe; :meth:`Prescan.result` collects it when the index wants it.

The child first says whether the scan differs from the index's manifest (one
byte, :meth:`Prescan.changed`), so that the caller can read its manifest while
the child goes on. When it differs, the child works out how (the update uses that
only if its own manifest has the same fingerprint), and when only a few files
changed it also prepares them (reads them and recognises their entities,
:mod:`reader.index.documents`): the update then only writes them. A prepared file is
used only for the very version (path, time, size) the update reads.

Forking is only done where it is safe and cheap: on Linux, in a process with a
single thread (a fork of a threaded process can deadlock in the child). Anywhere
else, or if the child fails for any reason, the caller scans as it always did.
The result is the scan as it was when the command started, which is what it
would have been had the command been quicker.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reader.corpus.scanning import Problem, SourceFile
    from reader.index.documents import Prepared
    from reader.index.manifest import Changes

# The modules that scan and prepare are imported by the child, not here: the app
# starts a scan before its first frame and must not wait for them.

#: The child prepares the changed files only when there are this many or fewer: it
#: does so while the command imports (some 150 ms), and more would keep it waiting.
PREPARE_AHEAD = 16
#: ... and only when they hold this many bytes or fewer. More takes seconds to
#: prepare, which the command would wait for all the same, and a huge article's
#: document crossed the pipe whole: pickled in the child, then read and unpickled
#: in the parent (a 20 MB article: 155 MB at the peak where indexing it takes 132).
PREPARE_AHEAD_BYTES = 1 << 20


class Scanned:
    """A scan of the corpus folder, with the files already prepared for the update.

    From the child, the files travel as four columns (a pickle of ten thousand
    named tuples takes 25 ms, of four lists 3 ms) and become :class:`SourceFile`
    objects only when asked for: when nothing changed, an update needs only the
    fingerprint.
    """

    __slots__ = ("_changes", "_columns", "_files", "fingerprint", "prepared", "problems")

    def __init__(
        self,
        files: list[SourceFile],
        problems: list[Problem],
        fingerprint: str,
        prepared: Sequence[Prepared] = (),
        changes: tuple[str, Changes] | None = None,
    ) -> None:
        self._files: list[SourceFile] | None = files
        self._columns: tuple[list[Any], ...] = ()
        self.problems = problems
        self.fingerprint = fingerprint
        self.prepared = list(prepared)
        #: The changes since a manifest, with that manifest's fingerprint.
        self._changes = changes

    def changes_since(self, fingerprint: str) -> Changes | None:
        """How the folder differs from a manifest with ``fingerprint``, if worked out already."""
        if self._changes is not None and self._changes[0] == fingerprint:
            return self._changes[1]
        return None

    @property
    def files(self) -> list[SourceFile]:
        if self._files is None:
            from reader.corpus.scanning import SourceFile

            self._files = list(map(SourceFile, *self._columns))
            self._columns = ()
        return self._files

    def __getstate__(self) -> tuple[Any, ...]:
        columns = tuple(map(list, zip(*self.files, strict=True))) or ([], [], [], [])
        return columns, self.problems, self.fingerprint, self.prepared, self._changes

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self._columns, self.problems, self.fingerprint, self.prepared, self._changes = state
        self._files = None


class Prescan:
    """A scan running in a child process."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid = pid
        self._pipe: int | None = pipe
        self._changed: bool | None = None

    @classmethod
    def start(cls, root: Path) -> Prescan | None:
        """Start scanning ``root`` in a child process, or return None where that is unwise."""
        from reader.index import manifest
        from reader.support.locations import LIVE_INDEX, index_dir_for

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

    def changed(self) -> bool:
        """Whether the folder differs from the index's manifest (True when unknown).

        The child tells this first, as soon as its scan is done, before it works out
        the changes and prepares files: a caller can meanwhile get ready for them.
        """
        if self._changed is None:
            flag = b""
            if self._pipe is not None:
                with suppress(OSError):
                    flag = os.read(self._pipe, 1)
            self._changed = flag != _UNCHANGED
        return self._changed

    def changed_if_known(self) -> bool | None:
        """Like :meth:`changed`, without waiting: None while the child is still scanning."""
        if self._changed is None and self._pipe is not None:
            import select

            with suppress(OSError, ValueError):
                if not select.select([self._pipe], [], [], 0)[0]:
                    return None
        return self.changed()

    def result(self) -> Scanned | None:
        """The child's scan, or None if it failed (then scan here)."""
        self.changed()  # the first byte
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
            if self._pid > 0:  # never 0: that would signal the whole process group
                with suppress(OSError):
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


#: The child's first byte: whether the folder differs from the manifest.
_CHANGED, _UNCHANGED = b"c", b"u"


def _send(pipe: int, root: Path, path: Path | None) -> None:
    from reader.corpus.scanning import scan
    from reader.index.manifest import Manifest, ManifestError, changes, files_fingerprint

    files, problems = scan(root)
    fingerprint = files_fingerprint(files)
    manifest = None
    with suppress(ManifestError):
        manifest = Manifest.read(path) if path is not None else None
    same = manifest is not None and manifest.summary.fingerprint == fingerprint
    with os.fdopen(pipe, "wb") as out:
        out.write(_UNCHANGED if same else _CHANGED)
        out.flush()
        found = None
        if manifest is not None and not same:
            with suppress(ManifestError):
                found = manifest.summary.fingerprint, changes(manifest.entries, files)
        prepared = []
        todo = found[1].todo if found is not None else []
        if 0 < len(todo) <= PREPARE_AHEAD and sum(s.size for s in todo) <= PREPARE_AHEAD_BYTES:
            from reader.index.documents import prepare

            prepared = [prepare(source) for source in todo]
        scanned = Scanned(files, problems, fingerprint, prepared, found)
        out.write(pickle.dumps(scanned, pickle.HIGHEST_PROTOCOL))
