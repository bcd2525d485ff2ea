"""The reader app (Textual): search, read and study a corpus, keyboard first.

:func:`make_app` is the one way to build the app (the CLI and the tests use
it); :func:`run_app` runs it. Importing this package is cheap: Textual loads
when the app is built, and the index (Whoosh) only inside the app's workers,
after the first frame is painted.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.app.app import ReaderApp

__all__ = ["make_app", "run_app"]

#: After the app has stopped drawing and given the terminal back, work still
#: running in its threads (an article being indexed, an export being rendered)
#: gets this long to notice it was cancelled; then the process ends without it.
QUIT_GRACE = 0.3


def make_app(corpus: Path, **options: Any) -> ReaderApp:
    """Build the app over ``corpus``.

    Options: ``settings`` (a :class:`reader.app.settings.Settings`, instead of
    reading the config file), ``restore`` (False: neither restore nor save
    the session) and ``prescan`` (a scan of the corpus already under way,
    :mod:`reader.index.prescan`).
    """
    from reader.app.app import ReaderApp

    return ReaderApp(Path(corpus), **options)


def run_app(corpus: Path) -> int:
    """Run the app until the user quits; returns the exit status.

    Python's cyclic garbage collector is paused from here until the app's first
    frame is on screen (the app resumes it): while Textual and the app are imported
    and the first frame is built it would run some 130 times, for 50-60 ms of the
    start-up (measured with ``gc.callbacks``), and find almost nothing to free.
    """
    import asyncio

    from reader.index.prescan import Prescan

    # Scanned on another core while Textual loads and the first frame is built.
    prescan = Prescan.start(corpus)
    gc.disable()
    # A loop of our own: asyncio.run() would wait at its end for every thread the
    # app started (quitting while a 20 MB article was indexed took 90 s).
    loop = asyncio.new_event_loop()
    try:
        app = make_app(corpus, prescan=prescan)
        app.run(loop=loop)
    finally:
        gc.enable()
    code = app.return_code or 0
    end_without_waiting(code)
    loop.close()
    return code


def end_without_waiting(code: int, grace: float = QUIT_GRACE) -> None:
    """End the process now if threads of the app's work outlive ``grace`` seconds.

    Python would otherwise wait for every one of them at exit (an index update, a
    process pool's manager). Their work is safe to drop: index commits and file
    writes are atomic, and build workers end with their parent.
    """
    deadline = time.monotonic() + grace
    main = threading.main_thread()
    for thread in threading.enumerate():
        if thread is not main and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    if any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
