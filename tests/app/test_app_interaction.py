"""Issue 20: the search box, dialogs and lists behave the way a careful user expects."""

from __future__ import annotations

import pytest

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.settings import Settings
from reader.app.widgets.search_pane import QueryInput
from tests.app.test_app import run_async, status_text, type_query


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


@run_async
async def test_slash_in_the_query_box_is_never_typed(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = app.query_one(QueryInput)
        assert app.focused is box  # the app starts in the query box
        await pilot.press("slash")
        await type_query(pilot, "kishi")
        assert box.value == "kishi"
        # With a query in the box, / selects it: the next key replaces it.
        await pilot.press("slash")
        await type_query(pilot, "vietnam")
        assert box.value == "vietnam"
        assert "/" not in status_text(app)
