"""Snapshot tests (pytest-textual-snapshot) of the main screen, help, and 80x24.

Each waits for the index worker and the searches to finish (``settle``) before
the picture is taken, so the snapshots do not depend on timing. Update them
with ``pytest tests/test_app_snapshots.py --snapshot-update`` after a
deliberate change, and look at the report before committing.
"""

from __future__ import annotations

import pytest

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.settings import Settings

# The pictures are of a first start: the index is built as the app opens.
pytestmark = pytest.mark.first_build


def _app(corpus):
    app = make_app(corpus, restore=False, settings=Settings(theme="textual-dark"))
    return app


def _script(*steps: str | tuple[str, ...]):
    """Press each step's keys (a text typed into a box is one step), then wait until
    the app is idle."""

    async def run_before(pilot) -> None:
        # Toasts expire on a timer, and one posted by a worker can land after the last
        # settle on a loaded machine: the pictures never show them.
        pilot.app.notify = lambda *args, **kwargs: None
        await settle(pilot)
        for step in steps:
            await pilot.press(*((step,) if isinstance(step, str) else step))
            await settle(pilot)
        # And any toast posted before the script began.
        pilot.app.clear_notifications()
        # Hide the text cursor's blink phase from the picture.
        pilot.app.query_one("#query").cursor_blink = False
        await pilot.pause()

    return run_before


def _typed(text: str) -> tuple[str, ...]:
    return tuple("space" if c == " " else c for c in text)


@pytest.fixture
def snapshot_corpus(corpus):
    return corpus


def test_main_screen(snap_compare, snapshot_corpus):
    keys = (_typed("Kishi"), "enter", "tab", "enter", "n")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(140, 40), run_before=_script(*keys))


def test_help_screen(snap_compare, snapshot_corpus):
    keys = ("escape", "question_mark")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(120, 40), run_before=_script(*keys))


def test_narrow_terminal(snap_compare, snapshot_corpus):
    keys = (_typed("cybersecurity"), "enter")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(80, 24), run_before=_script(*keys))


def test_narrow_terminal_with_entity_panel(snap_compare, snapshot_corpus):
    keys = (_typed("cybersecurity"), "enter", "e")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(80, 24), run_before=_script(*keys))


_HIGHLIGHT = (
    _typed("Kishi"),
    "enter",
    "right_parenthesis",
    "h",
    "right_parenthesis",
    "right_parenthesis",
    "shift+down",
    "h",
    "a",
    _typed("Joint stance"),
    "tab",
    _typed("japan"),
    "enter",
)


def test_viewer_with_highlights_and_cursor(snap_compare, snapshot_corpus):
    keys = (*_HIGHLIGHT, "right_parenthesis")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(140, 40), run_before=_script(*keys))


def test_highlights_view(snap_compare, snapshot_corpus):
    keys = (*_HIGHLIGHT, "v")
    assert snap_compare(_app(snapshot_corpus), terminal_size=(140, 40), run_before=_script(*keys))


def _explore_script(*steps: str | tuple[str, ...]):
    """Press each step's keys (typed text is one step), waiting for the app after each."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for step in steps:
            await pilot.press(*((step,) if isinstance(step, str) else step))
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_explore_screen(snap_compare, snapshot_corpus):
    keys = (_typed("Japan"), "escape", "E", "tab", "tab", "down", "down")
    assert snap_compare(
        _app(snapshot_corpus), terminal_size=(140, 40), run_before=_explore_script(*keys)
    )


def test_explore_narrow_terminal(snap_compare, snapshot_corpus):
    keys = (_typed("Kishi"), "escape", "E")
    assert snap_compare(
        _app(snapshot_corpus), terminal_size=(80, 24), run_before=_explore_script(*keys)
    )


def test_entity_page(snap_compare, snapshot_corpus):
    keys = ("escape", "E", "down", "i")
    assert snap_compare(
        _app(snapshot_corpus), terminal_size=(140, 40), run_before=_explore_script(*keys)
    )


def test_agreements_table(snap_compare, snapshot_corpus):
    keys = ("escape", "E", "a", "enter")
    assert snap_compare(
        _app(snapshot_corpus), terminal_size=(140, 40), run_before=_explore_script(*keys)
    )
