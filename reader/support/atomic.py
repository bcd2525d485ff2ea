"""Writing a file so that readers see the old version or the new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path


def temp_path(path: Path) -> Path:
    """A hidden name beside ``path``, unique to this process and call."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder: fsync, rename.

    On any failure (a full disk, a permission error) the temp file is removed and the
    error raised; the old ``path`` is left as it was. ``durable=False`` skips the
    fsyncs: readers still see the old file or the new one, but after a power cut the
    file may be lost or empty. That is for caches that are rebuilt when damaged (the
    index's files; Whoosh does not fsync its own either), never for the user's work.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
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
