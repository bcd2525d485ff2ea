"""Pilot tests of the app's start-up order and of the command palette's promptness
(issue #20, items 4 and 13): what the user waits for comes first. Slowness is faked;
nothing here is timed."""

from __future__ import annotations

import threading
import time

from textual.app import App

from reader.app import make_app
from reader.app.app import ReaderApp
from reader.app.backend import CorpusService
from reader.app.pilot import settle
from reader.app.settings import Settings
from tests.app.test_app import run_async, status_text


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

    release = threading.Event()
    open_index = CorpusService.open

    def stuck_open(service):
        release.wait(10)  # the index takes its time: the palette must not wait for it
        return open_index(service)

    monkeypatch.setattr(CorpusService, "open", stuck_open)
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
