"""Pilot tests of highlighting in the app: the sentence cursor, notes, the
highlights view with undo, and the export dialog."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Select

from reader.app import make_app
from reader.app.pilot import settle
from reader.app.screens.confirm import ConfirmDialog
from reader.app.screens.export import ExportDialog, default_export_path, with_format_suffix
from reader.app.screens.highlights import HighlightsScreen
from reader.app.screens.note import NoteDialog, parse_tags
from reader.app.settings import Settings
from reader.app.widgets.viewer import ArticleViewer
from reader.highlights.boundaries import paragraph_bounds, sentence_spans
from reader.highlights.store import HighlightStore
from tests.app.test_app import run_async, type_query, typed


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


async def open_article(pilot, query: str = "cybersecurity") -> ArticleViewer:
    await settle(pilot)
    await type_query(pilot, query)
    await pilot.press("enter")
    await settle(pilot)
    viewer = pilot.app.query_one(ArticleViewer)
    assert pilot.app.focused is viewer
    return viewer


def highlighted_text(viewer: ArticleViewer, y: int) -> str:
    """The text drawn at screen row ``y`` with the highlight's background."""
    style = viewer.get_component_rich_style("article-viewer--highlight")
    return "".join(
        seg.text
        for seg in viewer.render_line(y)
        if seg.style and seg.style.bgcolor == style.bgcolor
    )


@run_async
async def test_sentence_cursor_highlight_and_note(app):
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        body = viewer.document.body
        sentences = sentence_spans(body)
        assert viewer.cursor_span == sentences[0]
        await pilot.press("right_parenthesis", "right_parenthesis", "left_parenthesis")
        assert viewer.cursor_span == sentences[1]
        await pilot.press("ctrl+down")
        assert viewer.cursor_span == sentences[2]
        await pilot.press("h")
        await settle(pilot)

        store = HighlightStore()
        (saved,) = store.all()
        assert saved.article_id == viewer.document.id
        assert saved.quote == body[slice(*sentences[2])]
        spans = [s for s in viewer.document.spans if s.kind == "highlight"]
        assert [(s.start, s.end, s.key) for s in spans] == [(*sentences[2], saved.id)]
        # The viewer draws it: move the cursor away so the cursor style does not cover it.
        await pilot.press("right_parenthesis")
        y = viewer._line_for_offset(sentences[2][0]) - int(viewer.scroll_y)
        assert highlighted_text(viewer, y).strip()
        assert highlighted_text(viewer, y).strip() in saved.quote

        # Back on the highlight, a note and tags.
        await pilot.press("left_parenthesis", "a")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*typed("worth quoting"), "tab", *typed("cyber, policy"), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, NoteDialog)
        edited = store.get(saved.id)
        assert edited.note == "worth quoting"
        assert edited.tags == ("cyber", "policy")


@run_async
async def test_shift_extends_and_paragraph_highlight(app):
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        body = viewer.document.body
        sentences = sentence_spans(body)
        await pilot.press("shift+down", "shift+down")
        assert viewer.selection == (sentences[0][0], sentences[2][1])
        await pilot.press("h")
        await settle(pilot)
        store = HighlightStore()
        (first,) = store.all()
        assert first.quote == body[sentences[0][0] : sentences[2][1]]
        assert viewer.selection_anchor is None

        assert viewer.cursor_span == sentences[2]
        await pilot.press("right_parenthesis", "right_parenthesis", "H")
        await settle(pilot)
        paragraph = paragraph_bounds(body, sentences[4][0])
        assert paragraph[1] > sentences[4][1] or paragraph == sentences[4]
        assert {h.quote for h in store.all()} == {first.quote, body[slice(*paragraph)]}


@run_async
async def test_click_places_the_cursor(app):
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        sentences = sentence_spans(viewer.document.body)
        target = sentences[4]
        line = viewer._line_for_offset(target[0]) - int(viewer.scroll_y)
        start_of_line = viewer._wrapped.lines[line + int(viewer.scroll_y) - len(viewer._header)][0]
        column = target[0] - start_of_line + viewer._margin + 1
        await pilot.click(ArticleViewer, offset=(column + 1, line))  # +1: the viewer's padding
        assert viewer.cursor_span == target


@run_async
async def test_highlights_view_delete_undo_and_open(app):
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        await pilot.press("right_parenthesis", "h")
        await settle(pilot)
        article_id = viewer.document.id
        store = HighlightStore()
        (saved,) = store.all()

        await pilot.press("escape", "slash", *typed(" Kishi"), "escape")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HighlightsScreen)
        assert list(screen.entries) == [saved.id]
        assert screen.current.article.title == viewer.document.title

        await pilot.press("d")
        await settle(pilot)
        assert store.all() == []
        assert screen.entries == {}
        await pilot.press("u")
        await settle(pilot)
        assert [h.id for h in store.all()] == [saved.id]
        assert list(screen.entries) == [saved.id]

        await pilot.press("c")
        assert saved.quote.split()[0] in app.clipboard

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, HighlightsScreen)
        assert app.document.id == article_id
        assert viewer.cursor_span == (saved.anchor.start, saved.anchor.end)


@run_async
async def test_deleting_in_the_viewer_and_undo(app):
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert len(HighlightStore().all()) == 1
        await pilot.press("d")
        await settle(pilot)
        assert HighlightStore().all() == []
        assert not [s for s in viewer.document.spans if s.kind == "highlight"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(HighlightStore().all()) == 1
        assert [s for s in viewer.document.spans if s.kind == "highlight"]


@run_async
async def test_export_dialog_writes_and_asks_before_overwriting(app, tmp_path):
    destination = tmp_path / "notes.md"
    async with app.run_test(size=(140, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("h")
        await settle(pilot)
        quote = HighlightStore().all()[0].quote

        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = str(destination)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        path_field = dialog.query_one("#export-path", Input)
        assert path_field.value == str(tmp_path / "notes.json")
        dialog.query_one("#export-scope", Select).value = "article"
        assert app.focused is path_field
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "notes.json"
        data = json.loads(written.read_text(encoding="utf-8"))
        assert quote in json.dumps(data, ensure_ascii=False)

        # Again to the same file: a question first; "n" leaves the file alone.
        written.write_text("mine", encoding="utf-8")

        async def export_again(answer: str) -> None:
            await pilot.press("x")
            await settle(pilot)
            app.screen.query_one("#export-path", Input).value = str(written)
            app.screen.query_one("#export-format", Select).value = "json"
            app.screen.query_one("#export-path", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press(answer)
            await settle(pilot)

        await export_again("n")
        assert written.read_text(encoding="utf-8") == "mine"
        # "n" comes back to the name, in the dialog as it was.
        assert isinstance(app.screen, ExportDialog)
        assert app.focused is app.screen.query_one("#export-path", Input)
        await pilot.press("escape")
        await export_again("y")
        assert quote in written.read_text(encoding="utf-8")


@run_async
async def test_export_of_search_passages_needs_no_highlights(app, tmp_path):
    async with app.run_test(size=(140, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        keys = [key for _, key in dialog.query_one("#export-scope", Select)._options]
        assert keys == ["article", "all", "results", "hits"]
        dialog.query_one("#export-scope", Select).value = "hits"
        dialog.query_one("#export-path", Input).value = str(tmp_path / "hits.md")
        dialog.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        text = (tmp_path / "hits.md").read_text(encoding="utf-8")
        assert text.startswith("# Passages matching cybersecurity")


def test_default_export_path_and_suffixes(tmp_path):
    import datetime as dt

    day = dt.date(2026, 11, 23)
    (tmp_path / "Documents").mkdir()
    assert default_export_path("csv", day, tmp_path) == (
        tmp_path / "Documents" / "reader-export-20261123.csv"
    )
    elsewhere = tmp_path / "nohome"
    elsewhere.mkdir()
    assert default_export_path("markdown", day, elsewhere).name == "reader-export-20261123.md"
    assert with_format_suffix("/x/notes.md", "w3c") == "/x/notes.jsonld"
    assert with_format_suffix("/x/notes", "yaml") == "/x/notes.yaml"
    assert parse_tags("#one, two  three,") == ("one", "two", "three")


# -- integrity (issue 14) -------------------------------------------------------------------


@run_async
async def test_a_note_edit_keeps_a_tag_changed_meanwhile_elsewhere(app):
    """`a` in the app; meanwhile the command line changes the tags; the app saves only
    the note it changed, on the current record."""
    async with app.run_test(size=(140, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("h")
        await settle(pilot)
        (made,) = HighlightStore().all()
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        HighlightStore().update(made.id, tags=["from-the-cli"])  # another process
        await pilot.press(*typed("my note"), "ctrl+s")  # Enter starts a new line in a note
        await settle(pilot)
        (saved,) = HighlightStore().all()
        assert saved.note == "my note" and saved.tags == ("from-the-cli",)
        # And the other way round: tags changed in the app keep a note changed meanwhile.
        await pilot.press("a")
        await settle(pilot)
        HighlightStore().update(made.id, note="from the cli")
        await pilot.press("tab", "end", *typed(" mine"), "enter")
        await settle(pilot)
        (saved,) = HighlightStore().all()
        assert saved.note == "from the cli" and saved.tags == ("from-the-cli", "mine")


@run_async
async def test_the_default_export_path_is_outside_the_corpus(corpus, monkeypatch, tmp_path):
    """Started inside the corpus folder, `x` then Enter wrote reader-export-….md into it,
    and the next start indexed it as an article."""
    monkeypatch.chdir(corpus)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/Documents
    (tmp_path / "home").mkdir()
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await open_article(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        path = app.screen.query_one("#export-path", Input).value
        await pilot.press("enter")
        await settle(pilot)
    written = tmp_path / "home" / path.rsplit("/", 1)[-1]
    assert path == str(written) and written.exists()
    assert sorted(p.name for p in corpus.iterdir()) == sorted(
        p.name for p in corpus.iterdir() if not p.name.startswith("reader-export-")
    )
    assert not list(corpus.glob("reader-export-*"))


@run_async
async def test_rebuild_reloads_the_open_article(app, corpus):
    """After "Rebuild index" the open article showed its old text, and `h` on it made a
    highlight that was orphaned at once."""
    async with app.run_test(size=(140, 40)) as pilot:
        viewer = await open_article(pilot)
        article = viewer.document
        path = corpus / f"{article.id}.md"
        first = viewer.document.body.split(".")[0]
        path.write_text(path.read_text("utf-8").replace(first, "A new opening sentence"), "utf-8")
        app.action_rebuild()
        await settle(pilot)
        assert app.reading.document.body.startswith("A new opening sentence")
        assert viewer.document.body.startswith("A new opening sentence")
        await pilot.press("h")
        await settle(pilot)
        (made,) = HighlightStore().all()
        placed = app.highlighting.placed[made.id]
        assert placed.status == "anchored" and made.quote.startswith("A new opening sentence")
        assert made.corpus == str(corpus.resolve())  # it belongs to this corpus
