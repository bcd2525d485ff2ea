"""Python's cycle collector paused while a burst of containers is made."""

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
