"""Writing a file so that readers see the old version or the new one, never half of it.

Every temp file is noted, while it exists, in the state folder's ``pending/``
(one small note per temp file, named after the writing process). A process
killed half-way (``kill -9``, a power cut) leaves its temp file and its note;
:func:`remove_leftovers`, run when ``reader`` starts, removes the temp files of
processes that are no longer alive.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

#: A temp file's name: hidden, the target's name, the writer's pid, a random part.
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")


def temp_path(path: Path, folder: Path | None = None) -> Path:
    """A hidden name for a temp file of ``path`` (in ``folder``, by default beside it),
    unique to this process and call."""
    where = folder if folder is not None else path.parent
    return where / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"


def _pending_dir() -> Path:
    from reader.support.locations import state_dir

    return state_dir() / "pending"


@contextlib.contextmanager
def tracked_temp(path: Path, folder: Path | None = None) -> Iterator[Path]:
    """A temp file name for ``path``, noted for :func:`remove_leftovers` while in use.

    The caller creates the file and renames (or links) it into place; whatever is
    left at that name on the way out is removed.
    """
    tmp = temp_path(path, folder)
    note: Path | None = _pending_dir() / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        note.write_text(str(tmp.absolute()), encoding="utf-8", errors="surrogateescape")
    except OSError:
        note = None  # no state folder: the temp file is still removed on the way out
    try:
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if note is not None:
            with contextlib.suppress(OSError):
                note.unlink()


def remove_leftovers() -> int:
    """Remove the temp files of writers that died half-way; how many were removed.

    Only files named as :func:`temp_path` names them, by a process id that is not
    running, are touched.
    """
    removed = 0
    try:
        notes = list(os.scandir(_pending_dir()))
    except OSError:
        return 0
    for note in notes:
        pid_text = note.name.split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            tmp = Path(Path(note.path).read_text(encoding="utf-8", errors="surrogateescape"))
            match = _TEMP_NAME.match(tmp.name)
            if match and match.group(1) == pid_text:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                    removed += 1
        with contextlib.suppress(OSError):
            os.unlink(note.path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder: fsync, rename.

    On any failure (a full disk, a permission error) the temp file is removed and the
    error raised; the old ``path`` is left as it was. ``durable=False`` skips the
    fsyncs: readers still see the old file or the new one, but after a power cut the
    file may be lost or empty. That is for caches that are rebuilt when damaged (the
    index's files; Whoosh does not fsync its own either), never for the user's work.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with tracked_temp(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    if durable:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
