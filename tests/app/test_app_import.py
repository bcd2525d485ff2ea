"""Importing from the app: "Import…" and "Update feeds" in the command palette."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.screens.import_dialog import ImportDialog, split_sources
from reader.app.settings import Settings
from reader.importing import subscriptions
from reader.support.locations import bundled_corpus

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "importing"
sys.path.insert(0, str(TESTS / "importing"))
from local_site import serving  # noqa: E402  (the import tests' local web server)


@pytest.fixture
def site():
    with serving() as server:
        yield server


@pytest.fixture
def small_corpus(tmp_path):
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "zebra.md").write_text("---\ntitle: Zebras\n---\n\nThe zebra crossed.\n")
    return corpus


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*typed(command))
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.2)


async def until_imported(pilot, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while pilot.app.importing.running:
        if time.monotonic() > deadline:
            raise TimeoutError("the import did not end")
        await pilot.pause(0.1)
    await settle(pilot)


def test_the_sources_box_splits_like_a_shell():
    assert split_sources("a.html 'my pages' https://x/f.xml") == [
        "a.html",
        "my pages",
        "https://x/f.xml",
    ]
    assert split_sources('"unclosed') == ['"unclosed']


def test_import_from_the_palette_adds_the_article_and_it_can_be_searched(site, small_corpus):
    site.page("/harbour", "harbour.html")

    async def run():
        app = make_app(small_corpus, restore=False, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, "Import")
            assert isinstance(app.screen, ImportDialog)
            await pilot.press(*typed(site.url("/harbour")))
            await pilot.press("enter")
            await until_imported(pilot)
            assert not isinstance(app.screen, ImportDialog)
            (written,) = [p for p in small_corpus.iterdir() if p.name != "zebra.md"]
            assert written.name.startswith("2024-03-18-harbour-council")
            await pilot.press("/", *typed("fishermen"))
            await settle(pilot)
            assert app.main.search_pane.results_list.article_ids == [written.stem]

    asyncio.run(run())


def test_imported_articles_can_be_searched_before_the_import_ends(site, small_corpus):
    site.page("/harbour", "harbour.html")
    site.add("/orchard", (FIXTURES / "orchard.html").read_bytes(), delay=6)
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Coast</title>'
        f"<item><title>Sea wall</title><link>{site.url('/harbour')}</link></item>"
        f"<item><title>Orchards</title><link>{site.url('/orchard')}</link></item>"
        "</channel></rss>"
    )
    feed = site.add("/rss", rss, type="application/rss+xml")

    async def run():
        app = make_app(small_corpus, restore=False, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, "Import")
            await pilot.press(*typed(feed), "enter")
            await pilot.press("/", *typed("fishermen"))
            deadline = time.monotonic() + 5
            while not app.main.search_pane.results_list.article_ids:
                assert time.monotonic() < deadline, "the first article never showed"
                await pilot.pause(0.2)
            assert app.importing.running  # the slow page is still being fetched
            await until_imported(pilot)

    asyncio.run(run())


def test_update_feeds_fetches_the_new_items_of_this_corpuss_feeds(site, small_corpus):
    site.page("/orchard", "orchard.html")
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley feed</title>'
        f"<item><title>Orchards</title><link>{site.url('/orchard')}</link></item>"
        "</channel></rss>"
    )
    feed = site.add("/rss", rss, type="application/rss+xml")
    subscriptions.subscribe([(feed, None, ("valley",))], small_corpus)

    async def run():
        app = make_app(small_corpus, restore=False, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, "Update feeds")
            await until_imported(pilot)
            (written,) = [p for p in small_corpus.iterdir() if p.name != "zebra.md"]
            text = written.read_text()
            assert "title: Orchards" in text and "- valley" in text
            await pilot.press("/", *typed("cellar"))
            await settle(pilot)
            assert app.main.search_pane.results_list.article_ids == [written.stem]

    asyncio.run(run())


def test_the_bundled_corpus_is_never_written(tmp_path):
    before = sorted(p.name for p in bundled_corpus().iterdir())

    async def run():
        app = make_app(bundled_corpus(), restore=False, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, "Import")
            assert not isinstance(app.screen, ImportDialog)
            messages = [n.message for n in app._notifications]
            assert any("read-only" in m for m in messages)

    asyncio.run(run())
    assert sorted(p.name for p in bundled_corpus().iterdir()) == before
