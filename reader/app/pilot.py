"""Helpers for driving the app headless (tests, screenshots): wait until it is idle."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual.worker import WorkerState

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from reader.app.app import ReaderApp


def is_idle(app: ReaderApp) -> bool:
    """True when the index is open and updated, no search is due and no worker runs."""
    busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
    return app.index_ready and not app.indexing and not app.search_pending and not busy


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until the app is idle and has repainted; raise TimeoutError after ``timeout``.

    It polls with plain sleeps (the app's message loop runs meanwhile) and asks the
    pilot to process messages and repaint only once the app looks idle: every
    ``pilot.pause`` repaints the whole screen.
    """
    app: ReaderApp = pilot.app  # type: ignore[assignment]
    deadline = time.monotonic() + timeout
    while True:
        await asyncio.sleep(0.01)
        if is_idle(app):
            # One more round: messages posted by the last worker are handled now.
            await pilot.pause()
            if is_idle(app):
                break
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not settle")
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
