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


def shown_total(app) -> int | None:
    results = app.search.results
    return None if results is None else results.total


@run_async
async def test_search_as_you_type_treats_the_last_word_as_a_prefix(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        totals = []
        await type_query(pilot, "g")
        for letter in "overnment":  # typed letter by letter, the list after each
            await type_query(pilot, letter)
            assert "Query error" not in status_text(app)
            totals.append(shown_total(app))
        # Each letter narrows the list, and the unfinished word never matches nothing.
        assert all(total and total > 0 for total in totals), totals
        assert totals == sorted(totals, reverse=True), totals


@run_async
async def test_an_unfinished_phrase_waits_quietly_and_enter_explains(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "kishi")
        before = shown_total(app)
        await type_query(pilot, ' "japan vi')
        assert "Query error" not in status_text(app)
        assert shown_total(app) == before  # the last results stay
        await pilot.press("enter")
        await settle(pilot)
        assert "Query error" in status_text(app)
        assert app.focused is app.query_one(QueryInput)


@run_async
async def test_enter_runs_the_exact_query_and_opens_its_top_result(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "vietna")
        assert shown_total(app)  # "vietna*" while typing
        await pilot.press("enter")
        await settle(pilot)
        # Exactly "vietna": no article has that word, so nothing opens.
        assert shown_total(app) == 0
        assert app.focused is app.query_one(QueryInput)
        await pilot.press(*["backspace"] * len("vietna"))
        await type_query(pilot, "japan")
        await pilot.press("enter")
        await settle(pilot)
        assert app.document is not None
        assert app.document.id == app.search.results.hits[0].id
        assert app.focused is app.viewer


@run_async
async def test_export_dialog_name_is_free_and_not_selected(app, tmp_path, monkeypatch):
    import datetime as dt

    from textual.widgets import Input

    from reader.app.screens.confirm import ConfirmDialog
    from reader.app.screens.export import ExportDialog, default_export_path

    day = dt.date(2026, 11, 23)
    (tmp_path / "Documents").mkdir()
    first = default_export_path("markdown", day, tmp_path)
    first.write_text("an earlier export", encoding="utf-8")
    second = default_export_path("markdown", day, tmp_path)
    assert second != first and not second.exists()
    assert second.name == "reader-export-20261123-2.md"

    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        field = dialog.query_one("#export-path", Input)
        shown = field.value
        await pilot.press("backspace")  # edits the name: one key does not replace it
        assert field.value == shown[:-1]
        field.value = str(first)
        field.cursor_position = len(field.value)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog  # back to the name, not out of the dialog
        assert app.focused is field and field.value == str(first)
        assert first.read_text(encoding="utf-8") == "an earlier export"


@run_async
async def test_note_opens_with_the_cursor_at_the_end_takes_lines_and_escape_cancels(app):
    from textual.widgets import TextArea

    from reader.app.screens.note import NoteDialog

    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(NoteDialog("A quote.", "old note", ("tag",)), results.append)
        await pilot.pause()
        note = app.screen.query_one("#note-input", TextArea)
        assert app.focused is note
        await pilot.press("space", "x", "enter", "y")
        assert note.text == "old note x\ny"  # added to, never replaced
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
        app.push_screen(NoteDialog("A quote.", "first\nsecond", ()), results.append)
        await pilot.pause()
        await pilot.press("enter", "t", "h", "i", "r", "d", "ctrl+s")
        await pilot.pause()
    # Tags left as they were come back as None: only what the user changed is saved.
    assert results == [None, ("first\nsecond\nthird", None)]


def test_settings_keep_every_valid_value_and_name_every_problem(tmp_path):
    from reader.app.settings import read_settings

    path = tmp_path / "config.yaml"
    path.write_text(
        "theme: nord\ndebounce: 0.3\nresults: 0\ncolour: red\nkeymap:\n"
        "  reader.quit: ctrl+shift+alt+banana\n  reader.next_result: ctrl+n\n"
        "  reader.focus_query: slash,ctrl+f\n"
    )
    settings, problems = read_settings(path)
    assert settings.theme == "nord" and settings.debounce == 0.3
    assert settings.results == 50  # the bad value falls back to its default, alone
    assert settings.keymap == {"reader.next_result": "ctrl+n", "reader.focus_query": "slash,ctrl+f"}
    assert len(problems) == 3
    assert any("'results'" in p for p in problems)
    assert any("'colour'" in p for p in problems)
    assert any("'reader.quit'" in p and "banana" in p for p in problems)


@run_async
async def test_unknown_binding_ids_and_impossible_keys_are_reported_and_q_still_quits(
    corpus, reader_home
):
    from reader.app.settings import config_path

    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(
        "keymap:\n  reader.nxt_result: ctrl+n\n  reader.quit: ctrl+shift+alt+banana\n"
        "  reader.next_result: ctrl+n\n"
    )
    app = make_app(corpus, restore=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "reader.nxt_result" in messages
        assert "reader.quit" in messages and "banana" in messages
        assert "reader.quit" not in app.settings.keymap
        await pilot.press("escape", "q")  # out of the query box; q quits as by default
        await pilot.pause()
        assert app.return_code == 0


@run_async
async def test_o_without_a_browser_says_so_and_offers_to_copy_the_link(corpus, monkeypatch):
    from reader.app.screens.confirm import ConfirmDialog

    url = "https://example.org/zanzibar"
    (corpus / "linked.md").write_text(
        f"---\ntitle: Linked\nurl: '{url}'\n---\n\nZanzibarian trade talks resumed.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    app = make_app(corpus, restore=False, settings=Settings())
    opened: list[str] = []
    app.open_url = lambda link, **kwargs: opened.append(link)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Zanzibarian")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "No web browser" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
    assert opened == []
    assert app.clipboard == url


def _row_backgrounds(option_list, y: int) -> set:
    """The background colours under the text drawn on row ``y`` of an option list."""
    strip = option_list.render_line(y)
    return {seg.style.bgcolor for seg in strip if seg.text.strip() and seg.style}


def _prompt_colours(option_list, index: int) -> set:
    prompt = option_list.get_option_at_index(index).prompt
    return {span.style.color for span in prompt.spans if hasattr(span.style, "color")}


@run_async
async def test_colours_follow_the_theme_and_the_selected_row_has_no_holes(app):
    from reader.app.widgets.entity_panel import EntityList
    from reader.app.widgets.search_pane import ResultsList

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "kishi")
        await pilot.press("down")  # into the results: the first row is highlighted
        await pilot.press("enter")  # open it: the entity list fills
        await settle(pilot)
        results = app.query_one(ResultsList)
        results.focus()
        await pilot.pause()
        for y in (0, 1):  # title and date lines of the highlighted result
            assert len(_row_backgrounds(results, y)) == 1
        entities = app.query_one(EntityList)
        entities.focus()
        await pilot.pause()
        row = entities.highlighted - int(entities.scroll_y)
        assert len(_row_backgrounds(entities, row)) == 1

        dark_meta = results.get_component_rich_style("results-list--meta").color
        app.theme = "textual-light"
        await settle(pilot)
        light_meta = results.get_component_rich_style("results-list--meta").color
        assert light_meta != dark_meta
        assert light_meta in _prompt_colours(results, 1)
        assert dark_meta not in _prompt_colours(results, 1)
        light_count = entities.get_component_rich_style("entity-list--count").color
        below = row + 1  # a row that is not highlighted: the count in the theme's colour
        drawn = {seg.style.color for seg in entities.render_line(below) if seg.style}
        assert light_count in drawn


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@run_async
async def test_footer_hints_are_whole_or_absent(app, size):
    from textual.widgets._footer import FooterKey

    from reader.app.widgets.footer import ReaderFooter

    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the viewer: the most hints
        await settle(pilot)
        footer = app.screen.query_one(ReaderFooter)
        keys = list(footer.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        hints = [k for k in keys if k not in palette]
        assert hints and palette
        edge = palette[0].region.x
        for hint in hints:
            drawn = "".join(seg.text for seg in hint.render_line(0))
            whole = hint.key_display + " " + hint.description
            assert hint.region.right <= edge, drawn
            assert " ".join(drawn.split()) == " ".join(whole.split())


@run_async
async def test_the_status_line_names_the_lines_on_screen_and_follows_a_resize(app):
    import re

    from reader.app.widgets.viewer import ArticleViewer

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "cybersecurity")
        await pilot.press("enter", "G")
        await settle(pilot)

        def status() -> tuple[int, int, int]:
            text = str(app.query_one("#viewer-status").render())
            found = re.search(r"lines? ([\d,]+)(?:–([\d,]+))? of ([\d,]+)", text)
            assert found, text
            first, last, total = (int((g or "0").replace(",", "")) for g in found.groups())
            return first, last, total

        _first, last, total = status()
        viewer = app.query_one(ArticleViewer)
        assert total == viewer.virtual_size.height
        assert last == total  # at the end, the last line on screen is the last line
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause(0.2)
        assert status()[2] == viewer.virtual_size.height != total  # not the old count


@run_async
async def test_compact_results_show_one_line_each_by_key_and_by_setting(corpus):
    from reader.app.widgets.search_pane import ResultsList

    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        results = app.query_one(ResultsList)
        total = len(results.article_ids)
        assert total >= 5
        assert results.get_option_at_index(0).prompt.plain.count("\n") >= 1
        await pilot.press("escape", "l")
        await settle(pilot)
        assert results.compact
        for index in range(total):
            prompt = results.get_option_at_index(index).prompt
            assert "\n" not in prompt.plain
        # Every result of the bundled corpus fits on an 80x24 screen at once.
        assert results.virtual_size.height <= results.size.height
        await pilot.press("l")
        assert not results.compact
    app = make_app(corpus, restore=False, settings=Settings(compact_results=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one(ResultsList).compact


@run_async
async def test_the_command_palette_does_not_blend_the_main_screen_behind_it(app):
    from textual.command import CommandList, CommandPalette

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        # See-through, every frame of the palette composed the whole main screen again.
        assert palette.styles.background.a == 1
        assert palette.query_one(CommandList).option_count > 5


def _add_highlights(corpus) -> list[str]:
    """Two highlights with long quotes (whole paragraphs), notes and tags."""
    from reader.corpus.articles import content_hash, load_path
    from reader.highlights.store import HighlightStore

    stem = "2021-09-11-taiwan-news-japan-vietnam-defense-agreement"
    body = load_path(corpus / f"{stem}.md").body
    paragraphs = [p for p in body.split("\n") if len(p) > 150][:2]
    assert len(paragraphs) == 2
    store = HighlightStore()
    ids = []
    for n, paragraph in enumerate(paragraphs):
        start = body.index(paragraph)
        note = f"Note {n}: " + "a long thought about this passage, " * 4 + "the end."
        added = store.add_span(
            stem,
            body,
            content_hash(body),
            start,
            start + len(paragraph),
            note=note,
            tags=("defence", f"t{n}"),
        )
        ids.append(added.id)
    return ids


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@run_async
async def test_highlights_view_fits_its_columns_and_shows_the_selected_row_whole(app, size):
    from textual.widgets import DataTable, Static

    from reader.app.screens.highlights import HighlightsScreen

    ids = _add_highlights(app.corpus)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("escape", "v")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, HighlightsScreen)
        table = view.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels == ["article", "quote", "note", "tags", "state"]
        # Every column is on screen: nothing to scroll sideways to.
        assert table.virtual_size.width <= table.size.width
        await pilot.press("down")
        await pilot.pause()
        entry = view.current
        assert entry.id in ids
        detail = str(view.query_one("#highlights-detail", Static).render())
        flat = " ".join(detail.split())
        assert " ".join(entry.excerpt.quote.split()) in flat
        assert " ".join(entry.excerpt.note.split()) in flat
        chosen = entry.id
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.current.id == chosen  # the cursor is where it was left


@run_async
async def test_keys_pressed_while_an_article_loads_apply_to_it(tmp_path, monkeypatch):
    from reader.app.widgets.viewer import ArticleViewer

    corpus = tmp_path / "big"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: Small zebra\ndate: 2021-01-02\n---\n\nA zebra.\n")
    paragraph = "The zebra herd moved across the plain in the morning light. " * 12
    (corpus / "b.md").write_text(
        "---\ntitle: Big zebra\ndate: 2021-01-01\n---\n\n" + (paragraph + "\n\n") * 300
    )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "zebra ")
        await pilot.press("escape", "s")  # by date: the small article first
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        if app.document is None or app.document.id != "a":
            app.reading.open("a")
            await settle(pilot)
        assert app.document.id == "a"
        # The next result, and its end: G arrives while the article loads (slowly here,
        # as a 10 MB one does).
        import time

        from reader.app.backend import CorpusService

        article = CorpusService.article

        def slow_article(service, *args, **kwargs):
            time.sleep(0.5)
            return article(service, *args, **kwargs)

        monkeypatch.setattr(CorpusService, "article", slow_article)
        await pilot.press("right_square_bracket", "G")
        assert app.document.id == "a"  # still loading: G waits for it
        await settle(pilot)
        assert app.document.id == "b"
        assert viewer.max_scroll_y > 1000
        assert viewer.scroll_y == viewer.max_scroll_y


@run_async
async def test_end_then_escape_with_many_hits_looks_at_the_lines_on_screen_only(
    tmp_path, monkeypatch
):
    """Issue 15: End then Escape in an article with 200,000 hits of the query left the
    app busy. The hits and mentions looked at are those of the lines drawn."""
    from reader.app import document as model
    from reader.app.widgets.viewer import ArticleViewer

    corpus = tmp_path / "hits"
    corpus.mkdir()
    line = "The zebra and the zebra foal met a zebra near Hanoi. " * 4
    (corpus / "a.md").write_text(
        "---\ntitle: Zebras\n---\n\n" + (line + "\n\n") * 2000, encoding="utf-8"
    )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, timeout=60)
        await type_query(pilot, "zebra")
        viewer = app.query_one(ArticleViewer)
        assert len(viewer.document.hits) == 24_000
        await pilot.press("escape")  # to the article
        await settle(pilot)
        seen: list[int] = []
        overlapping = model.SpanIndex.overlapping

        def counted(index, start, end):
            found = overlapping(index, start, end)
            seen.append(len(found))
            return found

        monkeypatch.setattr(model.SpanIndex, "overlapping", counted)
        await pilot.press("end")
        await settle(pilot)
        assert viewer.scroll_y == viewer.max_scroll_y > 1000
        await pilot.press("escape")
        await settle(pilot)
        assert viewer.has_focus and viewer.scroll_y == viewer.max_scroll_y
        # A screenful of lines, each with its few spans: not the article's 24,000 hits.
        assert seen and sum(seen) < 2000


@run_async
async def test_the_hits_of_a_query_typed_on_stop_being_found_at_once(tmp_path, monkeypatch):
    """Each key of a query found its hits in the whole open article (a 20 MB article:
    a pass of a second or more each, all run to their end): a pass a newer query has
    made useless stops after the piece it is in."""
    import time

    from reader.app import workers
    from reader.app.widgets.viewer import ArticleViewer
    from reader.search import snippets
    from reader.search.snippets import Terms

    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\ntitle: Herd\n---\n\n" + "The zebra herd met a lion.\n" * 400, encoding="utf-8"
    )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.reading.open("a")
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        monkeypatch.setattr(workers, "HITS_CHUNK", 100)  # about 100 pieces
        read = {"zebra": 0, "lion": 0}  # characters looked at for each query
        match_spans = snippets.match_spans

        def slow(text, terms, start=0, end=None):
            read[next(iter(terms.prose))] += (len(text) if end is None else end) - start
            time.sleep(0.02)
            return match_spans(text, terms, start, end)

        monkeypatch.setattr(snippets, "match_spans", slow)
        zebra, lion = (
            Terms(frozenset({"zebra"}), frozenset()),
            Terms(frozenset({"lion"}), frozenset()),
        )
        app.article_worker("a", zebra, 0, "hits", viewer.measure)
        await pilot.pause(0.2)
        app.article_worker("a", lion, 0, "hits", viewer.measure)
        await settle(pilot)
        body = viewer.document.body
        assert 0 < read["zebra"] < len(body) / 3 and read["lion"] == len(body)
        assert [viewer.document.body[s:e] for s, e in viewer.document.hits] == ["lion"] * 400
