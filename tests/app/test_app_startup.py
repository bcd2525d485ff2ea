"""Pilot tests of the app's start-up order and of the command palette's promptness
(issue #20, items 4 and 13): what the user waits for comes first. Slowness is faked;
nothing here is timed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time

import pytest
from textual.app import App

from reader.app import make_app
from reader.app.app import ReaderApp
from reader.app.backend import CorpusService
from reader.app.pilot import settle
from reader.app.settings import Settings
from tests.app.test_app import run_async, status_text

_OPEN = CorpusService.open


def _hold_index_opening(monkeypatch) -> threading.Event:
    """Opening the index waits (at most 10 s) until the returned event is set."""
    release = threading.Event()

    def stuck_open(service):
        release.wait(10)
        return _OPEN(service)

    monkeypatch.setattr(CorpusService, "open", stuck_open)
    return release


@run_async
async def test_the_index_opens_right_after_the_first_frame_not_after_a_timer(corpus, monkeypatch):
    # Every timer of the app is made a hundred times slower: a start-up that waited on
    # one before opening the index would list no results for ten seconds.
    def slow_timer(self, delay, *args, **kwargs):
        return App.set_timer(self, delay * 100, *args, **kwargs)

    monkeypatch.setattr(ReaderApp, "set_timer", slow_timer)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, timeout=5)
        assert "articles · by" in status_text(app)


@run_async
async def test_the_index_update_waits_for_the_first_search_to_answer(corpus, monkeypatch):
    events: list[str] = []
    search = CorpusService.search
    update = CorpusService.update

    def slow_search(service, *args, **kwargs):
        events.append("search")
        time.sleep(0.3)  # a slow first search: an update started meanwhile would compete
        answer = search(service, *args, **kwargs)
        events.append("answered")
        return answer

    def recorded_update(service, *args, **kwargs):
        events.append("update")
        return update(service, *args, **kwargs)

    monkeypatch.setattr(CorpusService, "search", slow_search)
    monkeypatch.setattr(CorpusService, "update", recorded_update)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert events[:3] == ["search", "answered", "update"]
        assert "5 articles · by" in status_text(app)


@run_async
async def test_the_palette_lists_the_apps_commands_at_once_while_the_index_opens(
    corpus, monkeypatch
):
    from textual.command import CommandList, CommandPalette

    # The index takes its time: the palette must not wait for it.
    release = _hold_index_opening(monkeypatch)
    app = make_app(corpus, restore=False, settings=Settings())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert not app.index_ready
            await pilot.press("ctrl+p")
            for _ in range(50):  # a few frames, not a clock
                await pilot.pause()
                palette = app.screen
                if (
                    isinstance(palette, CommandPalette)
                    and palette.query_one(CommandList).option_count
                ):
                    break
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            commands = palette.query_one(CommandList)
            prompts = [
                str(commands.get_option_at_index(n).prompt) for n in range(commands.option_count)
            ]
            assert not app.index_ready
            for name in ("Rebuild index", "Export", "Highlights", "Help", "Sort by date"):
                assert any(prompt.startswith(name) for prompt in prompts), name
            release.set()
            await pilot.press("escape")
            await settle(pilot)
    finally:
        release.set()


class _Scanned:
    """A scan of the corpus folder as :class:`reader.index.prescan.Prescan` gives it:
    ``changed`` says whether the folder differs from the index's manifest (the
    update then scans by itself)."""

    def __init__(self, changed: bool) -> None:
        self._changed = changed

    def changed_if_known(self) -> bool:
        return self._changed

    def changed(self) -> bool:
        return self._changed

    def result(self) -> None:
        return None

    def close(self) -> None:
        pass


class _SlowScan(_Scanned):
    """A scan that answers (unchanged) only after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(changed=False)
        self._ready = time.monotonic() + seconds

    def changed_if_known(self) -> bool | None:
        return None if time.monotonic() < self._ready else self._changed


async def _run_and_quit(corpus, query: str = "") -> list[str]:
    """Run the app until it settles (after typing ``query`` and Enter, if given), then
    quit as a user does; the ids listed."""
    from reader.app.widgets.search_pane import ResultsList

    app = make_app(corpus, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if query:
            await pilot.press(*query, "enter")
            await settle(pilot)
        listed = list(app.query_one(ResultsList).article_ids)
        await app.action_quit()
    return listed


def _rows(app) -> list[str]:
    """What each row of the results list shows."""
    from reader.app.widgets.search_pane import ResultsList

    results = app.query_one(ResultsList)
    return [str(results.get_option_at_index(n).prompt) for n in range(results.option_count)]


async def _first_frame(corpus, scanned, monkeypatch, within: float = 0) -> tuple[list[str], str]:
    """The ids listed and the search status while the index is still opening (given
    ``within`` seconds to list some)."""
    from reader.app.widgets.search_pane import ResultsList

    release = _hold_index_opening(monkeypatch)
    app = make_app(corpus, settings=Settings(), prescan=scanned)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            deadline = time.monotonic() + within
            while not app.query_one(ResultsList).article_ids and time.monotonic() < deadline:
                await pilot.pause(0.01)
            assert not app.index_ready
            shown = list(app.query_one(ResultsList).article_ids), status_text(app)
            kept_rows = _rows(app)
            release.set()
            await settle(pilot)
            assert "articles · by" in status_text(app)
            if shown[0]:
                # The real search replaced them with the same rows, snippets included.
                assert _rows(app)[: len(kept_rows)] == kept_rows
    finally:
        release.set()
    monkeypatch.setattr(CorpusService, "open", _OPEN)  # for the next start in this test
    return shown


@pytest.mark.parametrize(
    ("query", "status"),
    [("", "5 articles · by relevance"), ("Taiwan", "2 articles · by relevance")],
    ids=["empty query", "the query the user left"],
)
@run_async
async def test_the_first_frame_lists_the_last_runs_results_before_the_index_opens(
    corpus, monkeypatch, query, status
):
    listed = await _run_and_quit(corpus, query)
    assert len(listed) == int(status.split()[0])
    shown, shown_status = await _first_frame(corpus, _Scanned(changed=False), monkeypatch)
    assert shown == listed
    assert status in shown_status


@run_async
async def test_kept_results_wait_a_moment_for_a_scan_that_has_not_answered(corpus, monkeypatch):
    listed = await _run_and_quit(corpus)
    # The scan answers a tenth of a second after the app is made, well within the
    # wait; the index stays closed: only the kept results can be listed.
    shown, status = await _first_frame(corpus, _SlowScan(0.1), monkeypatch, within=1)
    assert shown == listed
    assert "5 articles · by" in status


@run_async
async def test_the_last_runs_results_are_not_shown_once_the_corpus_changed(corpus, monkeypatch):
    await _run_and_quit(corpus)
    # The folder differs from the index's manifest: the kept results may be wrong.
    shown, status = await _first_frame(corpus, _Scanned(changed=True), monkeypatch)
    assert shown == []
    assert "articles · by" not in status
    # An index updated since (its manifest has another fingerprint: an article was
    # added) does not vouch for them either, though the folder matches it.
    await _run_and_quit(corpus)
    (corpus / "new.md").write_text("---\ntitle: New\ndate: 2030-01-01\n---\n\nNews.\n")
    from reader.index.corpus_index import CorpusIndex

    index = CorpusIndex(corpus)
    index.open()
    index.update()
    index.close()
    shown, status = await _first_frame(corpus, _Scanned(changed=False), monkeypatch)
    assert shown == []
    assert "articles · by" not in status


@run_async
async def test_a_kept_result_chosen_before_the_index_opens_opens_once_it_is(corpus, monkeypatch):
    listed = await _run_and_quit(corpus)
    release = _hold_index_opening(monkeypatch)
    app = make_app(corpus, settings=Settings(), prescan=_Scanned(changed=False))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert not app.index_ready
            app.reading.open(listed[2])  # as Enter on the third kept result does
            await pilot.pause()
            release.set()
            await settle(pilot)
            assert app.document is not None and app.document.id == listed[2]
            assert not [n for n in app._notifications if n.severity == "error"]
    finally:
        release.set()


_FIRST_FRAME_WITHOUT_WHOOSH = """
import asyncio, sys
from pathlib import Path
from reader.app import make_app
from reader.app.app import ReaderApp
from reader.app.settings import Settings
from reader.app.widgets.search_pane import ResultsList
from reader.index.prescan import Prescan

ReaderApp.start_indexing = lambda app: None  # the index is never opened

async def main():
    corpus = Path(sys.argv[1])
    app = make_app(corpus, settings=Settings(), prescan=Prescan.start(corpus))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = len(app.query_one(ResultsList).article_ids)
        loaded = sorted(name for name in sys.modules if name.split(".")[0] == "whoosh")
        print(listed, loaded[:3])
        app.exit()

asyncio.run(main())
"""


def test_the_first_frame_lists_the_kept_results_without_importing_whoosh(corpus):
    """The kept results are listed (with their status line, which describes the
    filters) before anything imports Whoosh: its import is what they spare the user."""
    assert len(asyncio.run(_run_and_quit(corpus))) == 5
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME_WITHOUT_WHOOSH, str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "5 []"
