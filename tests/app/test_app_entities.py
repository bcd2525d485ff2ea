"""The side panel's organisations and corpus counts (issue 16), pressing keys in the app."""

from __future__ import annotations

import asyncio

import pytest

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.settings import Settings
from reader.app.widgets.entity_panel import EntityList, Legend
from reader.app.widgets.viewer import ArticleViewer


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


def option_texts(entities: EntityList) -> list[str]:
    texts = []
    for index in range(entities.option_count):
        prompt = entities.get_option_at_index(index).prompt
        if hasattr(prompt, "columns"):  # an entity: a grid of marker and text
            prompt = prompt.columns[1]._cells[0]
        texts.append(str(prompt.plain if hasattr(prompt, "plain") else prompt))
    return texts


def test_organisations_are_a_group_with_corpus_counts(app):
    async def run() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press(*"Kishi", "enter")
            await settle(pilot)
            entities = app.query_one(EntityList)
            texts = option_texts(entities)
            assert any(t.startswith("Organisations (") for t in texts)
            headings = [t.split(" (")[0] for t in texts if not t.startswith("  ") and "(" in t]
            assert headings == ["People", "Places", "Organisations", "Agreements"]
            # Mentions in this article, then articles of the corpus: Kishi is in four of five.
            assert any(t.startswith("Nobuo Kishi ") and t.endswith("· 4 articles") for t in texts)
            assert "org" in str(app.query_one(Legend).render())
            # Organisations are coloured in the article with their own style.
            viewer = app.query_one(ArticleViewer)
            kinds = {span.kind for span in viewer.document.spans}
            assert "organisation" in kinds
            colours = [
                viewer.get_component_rich_style(f"article-viewer--{kind}").color
                for kind in ("person", "place", "organisation", "agreement")
            ]
            assert None not in colours and len(set(colours)) == 4, colours

    asyncio.run(run())
