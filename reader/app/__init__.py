"""The reader app (Textual): search, read and study a corpus, keyboard first.

:func:`make_app` is the one way to build the app (the CLI and the tests use
it); :func:`run_app` runs it. Importing this package is cheap: Textual loads
when the app is built, and the index (Whoosh) only inside the app's workers,
after the first frame is painted.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.app.app import ReaderApp

__all__ = ["make_app", "run_app"]


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
    from reader.index.prescan import Prescan

    # Scanned on another core while Textual loads and the first frame is built.
    prescan = Prescan.start(corpus)
    gc.disable()
    try:
        app = make_app(corpus, prescan=prescan)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0
