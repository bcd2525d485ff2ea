"""The app's side of agreements: the panel shows date and parties, Enter shows the record."""

from __future__ import annotations

import asyncio
import functools

import pytest
from textual.widgets import OptionList, Static

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.settings import Settings
from reader.app.widgets.entity_panel import EntityList

KYODO = "2021-09-11-kyodo-japan-signs-deal-to-export-defense-assets"
NAME = "agreement allowing the export of Japanese-made defense equipment and technology"


def run_async(test):
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


async def open_kyodo(app, pilot) -> EntityList:
    await settle(pilot)
    app.reading.open(KYODO)
    await settle(pilot)
    assert app.document is not None and app.document.id == KYODO
    entities = app.query_one(EntityList)
    entities.focus()
    return entities


@run_async
async def test_panel_shows_the_agreements_date_and_parties(app):
    async with app.run_test(size=(140, 40)) as pilot:
        entities = await open_kyodo(app, pilot)
        index = entities.get_option_index(f"entity:agreement:{NAME}")
        prompt = entities.get_option_at_index(index).prompt  # a grid: marker, then the text
        text = "".join(str(cell) for column in prompt.columns for cell in column.cells)
        assert NAME in text and "2021-09-11 · Japan, Vietnam" in text


@run_async
async def test_enter_on_an_agreement_shows_its_record_and_opens_another_article(app):
    async with app.run_test(size=(140, 40)) as pilot:
        entities = await open_kyodo(app, pilot)
        entities.highlighted = entities.get_option_index(f"entity:agreement:{NAME}")
        await pilot.press("enter")
        await settle(pilot)
        from reader.app.screens.agreement import AgreementScreen

        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        fields = str(screen.query_one("#agreement-fields", Static).render())
        assert "defence equipment and technology transfer agreement" in fields
        assert "Nobuo Kishi, Phan Van Giang" in fields and "Hanoi" in fields
        assert "> TOKYO (Kyodo) – Japan and Vietnam on Saturday signed an agreement" in fields
        articles = screen.query_one("#agreement-articles", OptionList)
        ids = [articles.get_option_at_index(i).id for i in range(articles.option_count)]
        assert len([i for i in ids if i]) == 4
        # the mentions are selected in the article behind
        assert app.query_one("#viewer").selected_key == f"agreement:{NAME}"
        articles.highlighted = ids.index(
            "article:2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AgreementScreen)
        assert app.document.id == "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"


@run_async
async def test_escape_closes_the_record(app):
    async with app.run_test(size=(140, 40)) as pilot:
        entities = await open_kyodo(app, pilot)
        entities.highlighted = entities.get_option_index(f"entity:agreement:{NAME}")
        await pilot.press("enter")
        await settle(pilot)
        from reader.app.screens.agreement import AgreementScreen

        assert isinstance(app.screen, AgreementScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AgreementScreen)
        assert app.document.id == KYODO


@run_async
async def test_f_in_the_record_keeps_the_articles_that_report_it(app):
    async with app.run_test(size=(140, 40)) as pilot:
        entities = await open_kyodo(app, pilot)
        entities.highlighted = entities.get_option_index(f"entity:agreement:{NAME}")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert app.request.record is not None
        assert app.results.total == 4
        assert "agreement record: defence equipment" in str(
            app.query_one("#search-status").render()
        )
        await pilot.press("escape", "c")
        await settle(pilot)
        assert app.request.record is None and app.results.total == 5
