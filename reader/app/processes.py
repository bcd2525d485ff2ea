"""Let the index's process pool start from inside a running Textual app.

Textual replaces ``sys.stderr`` with a capture object whose ``fileno()`` is -1.
multiprocessing's resource tracker, started lazily by the first process pool,
passes ``sys.stderr.fileno()`` to its child, and spawning then fails with
"bad value(s) in fds_to_keep". Starting the tracker first, with stderr pointed
at a real file (the null device, so nothing it prints reaches the screen),
avoids that. Called from the index worker before an update.
"""

from __future__ import annotations

import os
import sys
import threading

_lock = threading.Lock()


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker once, with a usable stderr."""
    from multiprocessing import resource_tracker

    with _lock:
        saved = sys.stderr
        try:
            fileno = saved.fileno()
        except (AttributeError, OSError, ValueError):
            fileno = -1
        if fileno >= 0:
            resource_tracker.ensure_running()
            return
        with open(os.devnull, "w", encoding="utf-8") as devnull:
            sys.stderr = devnull
            try:
                resource_tracker.ensure_running()
            finally:
                sys.stderr = saved
