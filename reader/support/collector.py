"""Python's cycle collector paused while a burst of containers is made; freed memory
given back to the system after a big job."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block (left as it was if something else
    paused it). Tens of thousands of new tuples, lists or dicts made at once (a cache
    loaded, a 20 MB article's mentions and lines) would otherwise set off a collection
    over the whole heap again and again; none of them is cyclic garbage."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def give_back_freed_memory() -> None:
    """Return the C library's free memory to the system (glibc's ``malloc_trim``).

    After a huge article is indexed, the memory of its copies is free but kept by
    the C library in pieces it does not reuse for the next big blocks: the entity
    table read afterwards then grew the process past it. Nothing where there is
    no glibc.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
