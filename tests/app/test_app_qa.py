"""Pilot tests for defects a QA pass found by driving the app in a real terminal."""

from __future__ import annotations

import time

import pytest
from textual import events
from textual.geometry import Region
from textual.widgets._footer import FooterKey

from reader.app import make_app
from reader.app.backend import CorpusService
from reader.app.document import text_cells
from reader.app.pilot import settle
from reader.app.screens.help import HelpScreen
from reader.app.settings import Settings
from reader.app.widgets.footer import ReaderFooter
from reader.app.widgets.search_pane import QueryInput, ResultsList, SearchStatus
from reader.app.widgets.viewer import MEASURE, ArticleViewer
from tests.app.test_app import run_async, status_text, type_query


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


def assert_wrap_fits(viewer: ArticleViewer) -> None:
    """Every body line fits the content width, and the wrap uses that width."""
    width = viewer.scrollable_content_region.width
    assert viewer._wrapped is not None
    assert viewer._wrapped.width == min(width, MEASURE)
    body = viewer.document.body
    widest = max(text_cells(body[s:e].rstrip()) for s, e in viewer._wrapped.lines)
    assert widest + viewer._margin <= width
    assert not viewer.show_horizontal_scrollbar


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@run_async
async def test_first_article_is_wrapped_to_the_viewer_width(app, size):
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        assert viewer.document is not None
        assert viewer.show_vertical_scrollbar  # the article is longer than the view
        assert_wrap_fits(viewer)
        # The wrap follows the terminal's size.
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert_wrap_fits(viewer)
        await pilot.resize_terminal(*size)
        await settle(pilot)
        assert_wrap_fits(viewer)


@run_async
async def test_brackets_pressed_in_a_burst_step_from_the_last_request(app, monkeypatch):
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")
        await settle(pilot)
        ids = app.query_one(ResultsList).article_ids
        assert len(ids) == 4
        assert app.document.id == ids[0]
        # Loading takes a moment (a long article, a slow disk): the keys come faster.
        load = CorpusService.article

        def slow_load(*args, **kwargs):
            time.sleep(0.2)
            return load(*args, **kwargs)

        monkeypatch.setattr(CorpusService, "article", slow_load)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.document.id == ids[3]
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert app.document.id == ids[0]
        assert not any("No more results" in n.message for n in app._notifications)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.document.id == ids[0]
        assert any("No more results" in n.message for n in app._notifications)


@run_async
async def test_enter_on_a_query_error_does_not_take_an_old_suggestion(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = app.query_one(QueryInput)
        await type_query(pilot, "cybersecurty")
        assert app.search_pane._suggestion == ("cybersecurty", "cybersecurity")
        box.value = ""  # cleared and retyped within the typing pause: one search
        await type_query(pilot, "foo:bar")
        assert "Query error" in status_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert box.value == "foo:bar"
        assert "Query error" in status_text(app)
        assert app.document is None or app.focused is box


def status_on_screen(app) -> str:
    """The search status as drawn: only the lines that fit its height."""
    status = app.query_one(SearchStatus)
    strips = status.render_lines(Region(0, 0, status.size.width, status.size.height))
    return " ".join(strip.text.strip() for strip in strips)


@pytest.mark.parametrize(
    ("size", "query", "ending"),
    [
        ((120, 40), "foo:bar", "(or quote the words)"),
        ((80, 24), "the and of", "which are not indexed"),
        ((80, 24), "q", "at least two letters"),
    ],
)
@run_async
async def test_query_errors_are_shown_in_full(app, size, query, ending):
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await type_query(pilot, query)
        await pilot.press("enter")  # the exact query: typing may have searched a prefix
        await settle(pilot)
        assert "Query error" in status_text(app)
        assert status_on_screen(app).endswith(ending)


async def burst(pilot, text: str) -> None:
    """Type ``text`` the way a fast typist or a paste does: every key queued at once."""
    app = pilot.app
    for char in text:
        key = {"/": "slash", " ": "space", "\t": "tab", ",": "comma"}.get(char, char)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause(0.1)
    await pilot.pause()


@run_async
async def test_keys_right_after_slash_go_to_the_query_box(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # to the viewer
        assert isinstance(app.focused, ArticleViewer)
        await burst(pilot, "/vietnam")
        await settle(pilot)
        assert isinstance(app.focused, QueryInput)
        assert app.focused.value == "vietnam"
        assert app.screen is app.screen_stack[0]  # no view opened by a stray key


@run_async
async def test_tab_in_the_note_dialog_moves_to_the_tags(app):
    from reader.app.screens.note import NoteDialog

    saved = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(NoteDialog("A quote."), saved.append)
        await burst(pilot, "my note\ttag1 tag2")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("enter")
        await pilot.pause()
    assert saved == [("my note", ("tag1", "tag2"))]


@run_async
async def test_restored_query_is_selected_at_launch(corpus, monkeypatch):
    from reader.app.session import Session, save_session

    save_session(corpus.resolve(), Session(query="vietnam"))
    app = make_app(corpus, settings=Settings())
    # In a terminal the box may be focused (its text selected) before on_mount runs: the
    # restored query must be there from the start.
    at_mount = []
    on_mount = type(app.main).on_mount

    def spy(self) -> None:
        at_mount.append(self.query_one(QueryInput).value)
        on_mount(self)

    monkeypatch.setattr(type(app.main), "on_mount", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert at_mount == ["vietnam"]
        box = app.query_one(QueryInput)
        assert box.value == "vietnam"
        assert app.focused is box
        await pilot.press("j")  # typing replaces the restored query, as after /
        assert box.value == "j"


def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query_one(ReaderFooter).query(FooterKey))


@run_async
async def test_narrow_footer_always_shows_help(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the viewer: the longest list of hints
        await pilot.pause()
        keys = [key for key in footer_keys(app.screen) if "-command-palette" not in key.classes]
        assert [key.action for key in keys[:2]] == ["help", "quit"]
        palette = app.screen.query_one(ReaderFooter).query_one(".-command-palette")
        for key in keys[:2]:
            assert key.region.width and key.region.right <= palette.region.x


@run_async
async def test_footer_follows_focus_and_is_kept_while_its_hints_stay_the_same(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        in_query = {key.action for key in footer_keys(app.screen)}
        await pilot.press("escape")  # to the results: other keys apply
        await settle(pilot)
        in_results = footer_keys(app.screen)
        assert {key.action for key in in_results} != in_query
        await pilot.press("down", "down")  # moving in the list changes no hint
        # Textual says the bindings may have changed (as at every focus change, and
        # twice when an article opens): nothing changed, so nothing is rebuilt.
        app.screen.bindings_updated_signal.publish(app.screen)
        await settle(pilot)
        assert footer_keys(app.screen) == in_results  # the same widgets
        await pilot.press("slash")
        await settle(pilot)
        assert {key.action for key in footer_keys(app.screen)} == in_query


@pytest.mark.parametrize(
    ("keys", "screen_name", "actions"),
    [
        (("h", "a"), "NoteDialog", {"cancel", "save"}),
        (("v",), "HighlightsScreen", {"cancel", "note", "delete"}),
        (("x",), "ExportDialog", {"cancel", "export"}),
    ],
)
@run_async
async def test_dialogs_show_their_own_keys_in_the_footer(app, keys, screen_name, actions):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", *keys)
        await settle(pilot)
        assert type(app.screen).__name__ == screen_name
        shown = {key.action for key in footer_keys(app.screen)}
        assert actions & shown
        assert not shown & {"highlights", "step_result(1)", "toggle_entities"}


@run_async
async def test_help_lists_pane_cycling_and_lines_up_the_ids(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = {row.binding_id: row for section in screen.sections for row in section.rows}
        assert rows["reader.next_pane"].keys == "tab"
        assert "reader.previous_pane" in rows
        assert "reader.quit" in rows  # the row that merges ctrl+q and q keeps the id
        widths = {
            static.content.columns[2].width  # type: ignore[union-attr]
            for static in screen.query(".help-section")
        }
        assert len(widths) == 1


@run_async
async def test_unknown_theme_in_the_settings_is_reported(corpus):
    app = make_app(corpus, restore=False, settings=Settings(theme="nonexistent-theme"))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Settings: unknown theme 'nonexistent-theme'" in m for m in messages)
        assert app.theme != "nonexistent-theme"
