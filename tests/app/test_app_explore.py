"""Explore mode, driven with keys: facets, timeline, keyword in context, entity page."""

from __future__ import annotations

import json

import pytest

from reader.app import make_app
from reader.app.commands import reader_commands
from reader.app.explore.screen import EntityPageScreen, ExploreScreen
from reader.app.explore.widgets import ExplorePane, FacetList, KwicView, TimelineList
from reader.app.pilot import settle
from reader.app.settings import Settings
from tests.app.test_app import run_async, type_query


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


async def explore(pilot):
    await pilot.press("escape", "E")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExploreScreen)
    return screen


def facet_rows(screen):
    return screen.query_one(FacetList).rows()


async def highlight_facet(pilot, screen, kind, name):
    facets = screen.query_one(FacetList)
    pilot.app.set_focus(facets)
    target = next(n for n, v in enumerate(facets.values) if v and (v.kind, v.name) == (kind, name))
    while facets.highlighted != target:
        await pilot.press("down" if facets.highlighted < target else "up")


@run_async
async def test_facets_of_the_whole_corpus_and_filters_that_stack(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        assert "Explore" in str(screen.query_one("#explore-title").render())
        rows = facet_rows(screen)
        assert ("place", "Japan", 5) in rows
        assert ("person", "Nobuo Kishi", 4) in rows
        await highlight_facet(pilot, screen, "person", "Fumio Kishida")
        await pilot.press("enter")
        await settle(pilot)
        assert app.request.entity == ("person", "Fumio Kishida")
        assert facet_rows(screen)[0][2] == 1  # one article mentions Kishida
        await highlight_facet(pilot, screen, "place", "Japan")
        await pilot.press("enter")
        await settle(pilot)
        assert app.request.also == (("place", "Japan"),)
        title = str(screen.query_one("#explore-title").render())
        assert "Fumio Kishida" in title and "Japan" in title and title.endswith("· 1 article")
        # Back to reading: the search pane has both filters, the results follow them.
        await pilot.press("E")
        await settle(pilot)
        assert app.screen is app.main
        assert app.results.total == 1
        # And Explore again: the same screen, its state kept.
        await pilot.press("E")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("c")
        await settle(pilot)
        assert app.request.entity is None and app.request.also == ()
        assert ("place", "Japan", 5) in facet_rows(screen)


@run_async
async def test_keyword_in_context_sorts_and_opens_the_article_at_the_hit(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        screen = await explore(pilot)
        kwic = screen.query_one(KwicView)
        assert kwic.lines and all(line.hit.lower() == "kishi" for line in kwic.lines)
        assert "hits in 4 articles" in str(screen.query_one("#kwic-status").render())
        app.set_focus(kwic)
        await pilot.press("o")
        after = [line.right.strip().casefold() for line in kwic.lines]
        assert after == sorted(after)
        assert "word after" in str(screen.query_one("#kwic-status").render())
        # The drawn row has the hit at the same column on every line.
        width = kwic.scrollable_content_region.width
        columns = {kwic.row_text(line, width).plain.find(line.hit) for line in kwic.lines}
        assert len(columns) == 1
        await pilot.press("down", "down")
        chosen = kwic.lines[2]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        assert app.document.id == chosen.article_id
        assert app.document.body[chosen.start : chosen.end] == chosen.hit
        viewer = app.main.viewer
        assert viewer.top_offset <= chosen.start


@run_async
async def test_timeline_range_filters_the_search(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        timeline = screen.query_one(TimelineList)
        labels = [row[0] for row in timeline.rows()]
        assert labels[0] == "2014" and labels[-1] == "2021"
        # The agreements' own dates, from their records, on the row of their period.
        drawn = [timeline.get_option_at_index(n).prompt.plain for n in range(len(labels))]
        assert "◆ 2014-03-18 agreement to expand maritime security relations" in drawn[0]
        assert "◆ 2021-09-11 defence equipment and technology transfer agreement" in drawn[-1]
        pilot.app.set_focus(timeline)
        await pilot.press("end", "space", "up")  # 2020 to 2021
        assert "2020 to 2021: 4 articles" in str(screen.query_one("#timeline-title").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.request.date_from.isoformat() == "2020-01-01"
        assert app.request.date_to.isoformat() == "2021-12-31"
        # The narrower span is drawn by month.
        assert [row[0] for row in timeline.rows()] == ["2021-09", "2021-10", "2021-11"]
        assert app.results.total == 4


@run_async
async def test_every_pane_maximises_and_restores(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        for view in ("facets", "timeline", "kwic"):
            pilot.app.set_focus(screen.query_one(f"#{view}"))
            await pilot.press("m")
            assert isinstance(screen.maximized, ExplorePane)
            assert screen.maximized.id == f"{view}-pane"
            await pilot.press("m")
            assert screen.maximized is None
        # / goes back to reading, in the query box.
        await pilot.press("slash")
        await settle(pilot)
        assert app.screen is app.main
        assert app.focused is app.main.search_pane.query_input


@run_async
async def test_80_by_24_stacks_the_panes(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        panes = [screen.query_one(f"#{v}-pane") for v in ("facets", "timeline", "kwic")]
        assert screen.query_one("#explore-panes").has_class("-narrow")
        tops = [pane.region.y for pane in panes]
        assert tops == sorted(tops) and len(set(tops)) == 3
        assert all(pane.region.height >= 4 and pane.region.width == 80 for pane in panes)


@run_async
async def test_views_export_with_their_query(app, tmp_path):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        screen = await explore(pilot)
        target = tmp_path / "facets.json"
        await pilot.press("x")
        await pilot.pause()
        field = app.screen.query_one("#view-export-path")
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        data = json.loads(target.read_text())
        assert data["view"] == "Facets" and data["query"] == "Kishi"
        assert {"type": "place", "name": "Japan", "articles": 4} in data["rows"]
        # The keyword-in-context view as CSV.
        app.set_focus(screen.query_one(KwicView))
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#view-export-path").value = str(tmp_path / "kwic.csv")
        await pilot.press("enter")
        await settle(pilot)
        lines = (tmp_path / "kwic.csv").read_text().splitlines()
        assert lines[0].startswith("query,filters,date,article")
        assert all(",Kishi," in line or ",kishi," in line for line in lines[1:])
        # An unknown suffix is refused with a message; nothing written.
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#view-export-path").value = str(tmp_path / "kwic.xls")
        await pilot.press("enter")
        await settle(pilot)
        assert ".csv, .json or .md" in str(app.screen.query_one("#view-export-error").render())
        assert not (tmp_path / "kwic.xls").exists()


@run_async
async def test_entity_page_moves_between_entities_and_opens_articles(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        await highlight_facet(pilot, screen, "person", "Nobuo Kishi")
        await pilot.press("i")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, EntityPageScreen)
        assert page.page.name == "Nobuo Kishi" and len(page.page.articles) == 4
        assert "Kishi" in page.page.aliases
        companions = page.query_one("#entity-companions")
        assert app.focused is companions
        first = companions.targets[companions.highlighted]
        await pilot.press("enter")
        await settle(pilot)
        assert (page.page.kind, page.page.name) == first
        articles = page.query_one("#entity-articles")
        app.set_focus(articles)
        article_id = articles.targets[articles.highlighted][1]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main and app.document.id == article_id


@run_async
async def test_views_are_in_the_palette_and_the_help(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in reader_commands(app)}
        assert {"Explore", "Timeline", "Keyword in context"} <= set(commands)
        titles = [section.title for section in app.help_sections()]
        assert "Explore (E)" in titles and "Explore · keyword in context" in titles
        # The palette's "Keyword in context" opens Explore on that view.
        commands["Keyword in context"].callback()
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen)
        assert isinstance(app.focused, KwicView)


@run_async
async def test_explore_counts_again_when_the_index_is_updated(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = await explore(pilot)
        assert "5 articles" in str(screen.query_one("#explore-title").render())
        (app.corpus / "2022-01-05-new.md").write_text(
            "---\ntitle: New\ndate: 2022-01-05\n---\n\nJapan and Vietnam met again in Hanoi.\n"
        )
        app.start_indexing()
        await settle(pilot)
        await pilot.pause(0.7)  # the screen looks at the search every half second
        await settle(pilot)
        assert "6 articles" in str(screen.query_one("#explore-title").render())
        assert ("place", "Japan", 6) in facet_rows(screen)
        assert screen.query_one(TimelineList).rows()[-1][0] == "2022"


@run_async
async def test_agreements_table_sorts_filters_by_party_and_opens_a_report(app):
    from textual.widgets import DataTable

    from reader.app.explore.agreements import AgreementsScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await explore(pilot)
        await pilot.press("a")
        await settle(pilot)
        table_screen = app.screen
        assert isinstance(table_screen, AgreementsScreen)
        table = table_screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Date",
            "Kind",
            "Parties",
            "Name",
            "Articles",
            "Status",
        ]
        names = {row.name for row in table_screen.shown}
        assert "defence equipment and technology transfer agreement" in names
        assert table.row_count == len(table_screen.rows) >= 5
        # 5 sorts by the number of articles, 5 again the other way.
        await pilot.press("5")
        counts = [row.articles for row in table_screen.shown]
        assert counts == sorted(counts)
        await pilot.press("5")
        counts = [row.articles for row in table_screen.shown]
        assert counts == sorted(counts, reverse=True) and counts[0] == 4
        # Filter by party.
        await pilot.press("slash", *"japan", "enter")
        assert table_screen.shown and all("Japan" in r.parties for r in table_screen.shown)
        assert table.row_count == len(table_screen.shown) < len(table_screen.rows)
        # Enter lists the reporting articles; Enter on one opens it at the mention.
        table.move_cursor(row=0)
        chosen = table_screen.shown[0]
        await pilot.press("enter")
        articles = table_screen.query_one("#agreement-articles")
        assert articles.option_count == len(chosen.reports)
        await pilot.press("enter")
        await settle(pilot)
        article_id, _, _, offset = chosen.reports[0]
        assert app.screen is app.main and app.document.id == article_id
        assert app.main.viewer.top_offset <= offset
