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
        text = str(prompt.plain if hasattr(prompt, "plain") else prompt)
        if (entities.get_option_at_index(index).id or "").startswith("entity:"):
            text = " ".join(text.split())  # an entity as text: its marker, its lines
        texts.append(text)
    return texts


def test_an_article_with_thousands_of_entities_lists_the_most_mentioned(tmp_path, monkeypatch):
    """The panel listed every entity of a 20 MB article (7,000: 1.5 s of the event
    loop, blocked): the most mentioned of each kind now, then how many more."""
    from reader.app.widgets import entity_panel

    monkeypatch.setattr(entity_panel, "ENTITY_ROWS", 2)
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\ntitle: Cities\n---\n\nThey went to Hanoi, to Hanoi again, to Tokyo, "
        "to Tokyo, to Tokyo and to Paris.\n",
        encoding="utf-8",
    )
    app = make_app(corpus, restore=False, settings=Settings())

    async def run() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press(*"Paris", "enter")
            await settle(pilot)
            texts = option_texts(app.query_one(EntityList))
            places = texts[texts.index("Places (3)") + 1 :][:3]
            assert [t.split(" ")[0] for t in places[:2]] == ["Tokyo", "Hanoi"]
            assert places[2].strip() == "… 1 more, mentioned less"

    asyncio.run(run())


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
