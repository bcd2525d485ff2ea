"""Read a file only when it is a regular file, without ever blocking on it.

A name that was an article (or a config file) a moment ago can be a FIFO, a
device or a socket by the time it is opened: ``open()`` on a FIFO with no writer
blocks for ever, and ``/dev/zero`` never ends. So the file is opened
non-blocking, and the *opened descriptor* is checked (a check of the name
before opening could be raced); only then is it read, up to a limit.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

__all__ = ["NotRegularFile", "TooLarge", "read_regular", "regular_blocks"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """The name is a FIFO, device, socket or folder, not a file with contents."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(f"not a regular file ({kind})")
        self.filename = str(path)
        self.kind = kind
        self.strerror = f"not a regular file ({kind})"


class TooLarge(OSError):
    """The file holds more than the caller's limit."""

    def __init__(self, path: str | Path, limit: int) -> None:
        super().__init__(f"larger than {limit} bytes")
        self.filename = str(path)
        self.limit = limit
        self.strerror = f"larger than {limit} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


@contextlib.contextmanager
def _opened(path: str | Path, limit: int) -> Iterator[tuple[int, os.stat_result]]:
    """The descriptor of ``path`` opened non-blocking and its ``fstat``, once it is
    known to be a regular file of at most ``limit`` bytes; closed afterwards."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, _kind(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(path, limit)
        yield fd, info
    finally:
        os.close(fd)


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegularFile` or :class:`TooLarge` (both ``OSError``), or the
    ``OSError`` of opening or reading. Never blocks on a FIFO or reads a device.
    """
    with _opened(path, limit) as (fd, info):
        chunks: list[bytes] = []
        total = 0
        while True:
            # The whole file in one read when its size holds; 64 KB more at a time if it grew.
            want = max(info.st_size + 1 - total, 65536)
            chunk = os.read(fd, min(want, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise TooLarge(path, limit)
        return b"".join(chunks)


def regular_blocks(path: str | Path, limit: int, size: int) -> Iterator[bytes]:
    """The bytes of ``path`` a block of at most ``size`` bytes at a time, with the
    checks of :func:`read_regular` (made when the first block is asked for).

    For a file too big to hold whole (:mod:`reader.corpus.streaming`). The file is
    closed when the blocks end or the iterator is closed or dropped.
    """
    with _opened(path, limit) as (fd, _info):
        total = 0
        while block := os.read(fd, min(size, limit + 1 - total)):
            total += len(block)
            if total > limit:  # grew while being read
                raise TooLarge(path, limit)
            yield block
