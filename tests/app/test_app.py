"""Pilot tests of the reader app: keys in, widget state out."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

import pytest
from textual.widgets import Input

from reader.app import make_app
from reader.app.backend import CorpusService
from reader.app.pilot import settle
from reader.app.screens.help import HelpScreen
from reader.app.screens.problems import ProblemsScreen
from reader.app.settings import Settings
from reader.app.widgets.entity_panel import EntityList, EntityPanel
from reader.app.widgets.search_pane import QueryInput, ResultsList, SearchStatus
from reader.app.widgets.viewer import ArticleViewer

KISHI_ARTICLES = 4  # articles of the bundled corpus that mention "Kishi"


def run_async(test):
    """Run an async test on a fresh event loop (the project has no pytest-asyncio)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


async def type_query(pilot, text: str) -> None:
    await pilot.press(*typed(text))
    await settle(pilot)


def status_text(app) -> str:
    return str(app.query_one(SearchStatus).render())


def viewer_lines(viewer: ArticleViewer) -> list[str]:
    """The text of every line the viewer would draw (header and body)."""
    lines = [text.plain for text in viewer._header]
    body = viewer.document.body
    lines.extend(body[s:e].rstrip() for s, e in viewer._wrapped.lines)
    return lines


def styled_runs(viewer: ArticleViewer, y: int, component: str) -> list[str]:
    """The text drawn at screen row ``y`` with the style of ``component``."""
    style = viewer.get_component_rich_style(component)
    strip = viewer.render_line(y)
    return [
        seg.text
        for seg in strip
        if seg.style and style.bgcolor and seg.style.bgcolor == style.bgcolor
    ]


@pytest.fixture
def app(corpus):
    return make_app(corpus, restore=False, settings=Settings())


@pytest.fixture
def zebra_app(tmp_path):
    """The app over a corpus of one article, about a zebra."""
    corpus = tmp_path / "few"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: Zebras\n---\n\nThe zebra crossed.\n")
    return make_app(corpus, restore=False, settings=Settings())


@run_async
async def test_typing_searches_and_shows_count(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.focused is app.query_one(QueryInput)
        await type_query(pilot, "Kishi")
        results = app.query_one(ResultsList)
        assert len(results.article_ids) == KISHI_ARTICLES
        assert app.results.total == KISHI_ARTICLES
        assert status_text(app).startswith(f"{KISHI_ARTICLES} articles · by relevance")
        # The snippet of every result emphasises the hit.
        prompt = results.get_option_at_index(0).prompt
        hit_style = results.get_component_rich_style("results-list--hit")
        emphasised = [prompt.plain[s.start : s.end] for s in prompt.spans if s.style == hit_style]
        assert emphasised and all(word.lower() == "kishi" for word in emphasised)


@run_async
async def test_sort_order_toggles_and_shows(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Japan")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert "by date" in status_text(app)
        dates = [hit.date for hit in app.results.hits]
        assert dates == sorted(dates, reverse=True)


@run_async
async def test_no_hits_offers_did_you_mean(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "cybersecurty")
        assert app.results.total == 0
        assert "No articles match" in status_text(app)
        # Offered once: as a row of the list, not in the status line too.
        assert "Did you mean" not in status_text(app)
        suggestion = app.query_one(ResultsList).get_option_at_index(0).prompt.plain
        assert suggestion.startswith("Did you mean cybersecurity?")
        await pilot.press("enter")  # takes the suggestion
        await settle(pilot)
        assert app.query_one(QueryInput).value == "cybersecurity"
        assert app.results.total > 0


@run_async
async def test_malformed_query_says_why_and_keeps_results(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi AND (")
        # While typing, an unfinished bracket waits quietly; Enter says what is wrong.
        assert "Query error" not in status_text(app)
        before = list(app.query_one(ResultsList).article_ids)
        assert before
        await pilot.press("enter")
        await settle(pilot)
        assert "Query error" in status_text(app)
        assert "never closed" in status_text(app)
        assert app.query_one(ResultsList).article_ids == before


@run_async
async def test_enter_opens_top_result_with_hits_highlighted(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "cybersecurity")
        top = app.query_one(ResultsList).article_ids[0]
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        assert app.focused is viewer
        assert viewer.document.id == top
        lines = viewer_lines(viewer)
        assert lines[0].startswith(viewer.document.title[:20])
        assert viewer.document.hits
        assert all(
            viewer.document.body[s:e].lower() == "cybersecurity" for s, e in viewer.document.hits
        )
        # Jump to the first hit: it is drawn with the hit style.
        await pilot.press("n")
        start, end = viewer.current_target
        row = viewer._line_for_offset(start) - int(viewer.scroll_y)
        runs = "".join(styled_runs(viewer, row, "article-viewer--hit"))
        assert "cybersecurity" in runs.lower() or viewer.current_target == (start, end)
        assert "hit 1 of" in str(app.query_one("#viewer-status").render())


@run_async
async def test_down_moves_into_results_and_enter_opens(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("down")
        results = app.query_one(ResultsList)
        assert app.focused is results
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.document.id == results.article_ids[1]


@run_async
async def test_keys_typed_right_after_leaving_the_query_box_reach_the_new_pane(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")  # open the top result
        await settle(pilot)
        await pilot.press("slash", "K", "escape", "j", "j", "j")  # one burst
        await settle(pilot)
        assert app.query_one(QueryInput).value == "K"
        assert app.focused is app.query_one(ArticleViewer)
        assert app.query_one(ArticleViewer).scroll_y == 3
        await pilot.press("slash", "down", "down")  # into the results, then one down
        await settle(pilot)
        results = app.query_one(ResultsList)
        assert app.focused is results and results.highlighted == 1


@run_async
async def test_entity_selection_jumps_through_mentions(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")
        await settle(pilot)
        entities = app.query_one(EntityList)
        entities.focus()
        index = entities.get_option_index("entity:person:Nobuo Kishi")
        entities.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        assert viewer.selected_key == "person:Nobuo Kishi"
        mentions = viewer.document.entity("person:Nobuo Kishi").mentions
        assert viewer.current_target == mentions[0]
        assert "Kishi" in viewer.document.body[slice(*viewer.current_target)]
        await pilot.press("n")
        assert viewer.current_target == mentions[1]
        await pilot.press("N")
        assert viewer.current_target == mentions[0]
        assert "mention 1 of" in str(app.query_one("#viewer-status").render())
        # The selected mention is on screen.
        line = viewer._line_for_offset(mentions[0][0])
        assert viewer.scroll_y <= line < viewer.scroll_y + viewer.scrollable_content_region.height


@run_async
async def test_entity_filter_and_details(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")
        await settle(pilot)
        entities = app.query_one(EntityList)
        entities.focus()
        entities.highlighted = entities.get_option_index("entity:person:Nobuo Kishi")
        await pilot.press("f")
        await settle(pilot)
        assert app.request.entity == ("person", "Nobuo Kishi")
        assert "person: Nobuo Kishi" in status_text(app)
        assert 0 < app.results.total <= KISHI_ARTICLES
        await pilot.press("i")
        await settle(pilot)
        panel = app.query_one(EntityPanel)
        assert panel.has_class("-details")
        await pilot.press("escape")
        await pilot.press("c")
        await settle(pilot)
        assert app.request.entity is None


@run_async
async def test_brackets_step_through_results_from_viewer(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")
        await settle(pilot)
        ids = app.query_one(ResultsList).article_ids
        assert app.document.id == ids[0]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.document.id == ids[1]
        assert app.focused is app.query_one(ArticleViewer)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.document.id == ids[0]


@run_async
async def test_tab_cycles_panes_and_slash_returns_to_query(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        order = []
        for _ in range(4):
            order.append(type(app.focused).__name__)
            await pilot.press("tab")
        assert order == ["QueryInput", "ResultsList", "ArticleViewer", "EntityList"]
        assert isinstance(app.focused, QueryInput)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, EntityList)
        await pilot.press("slash")
        assert isinstance(app.focused, QueryInput)
        await pilot.press("escape")
        assert not isinstance(app.focused, Input)


@run_async
async def test_help_screen_lists_bindings(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for section in app.screen.sections for row in section.rows}
        assert {"reader.next_hit", "reader.focus_query", "entities.filter"} <= ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@run_async
async def test_q_types_in_query_box_but_quits_elsewhere(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        assert app.query_one(QueryInput).value == "q"
        assert app.is_running
        await pilot.press("escape", "q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_narrow_terminal_folds_the_entity_panel(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.query_one(EntityPanel)
        assert app.main_panes.has_class("-narrow")
        assert not panel.display
        await pilot.press("escape", "e")
        await pilot.pause()
        assert panel.display
        assert isinstance(app.focused, EntityList)
        await pilot.press("e")
        await pilot.pause()
        assert not panel.display


@run_async
async def test_keymap_from_settings(corpus):
    app = make_app(
        corpus, restore=False, settings=Settings(keymap={"reader.next_result": "ctrl+n"})
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        ids = app.query_one(ResultsList).article_ids
        first = app.document.id
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.document.id == ids[ids.index(first) + 1]
        await pilot.press("question_mark")
        rows = {row.binding_id: row.keys for s in app.screen.sections for row in s.rows}
        assert rows["reader.next_result"] == "^n"


@run_async
async def test_untrusted_text_is_shown_as_text(corpus):
    (corpus / "evil.md").write_text(
        "---\ntitle: '[bold red]Evil[/] \\e[31m'\nsource: '[link=x]src'\n---\n\n"
        "Body with [b]markup[/b] and an escape \x1b[2J here about Kishi.\n",
        encoding="utf-8",
    )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "markup")
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        assert viewer.document.id == "evil"
        lines = viewer_lines(viewer)
        assert lines[0].startswith("[bold red]Evil[/]")
        assert "[link=x]src" in lines[1]
        body = "\n".join(lines)
        assert "[b]markup[/b]" in body
        assert "\x1b" not in body and "␛" in body
        prompt = app.query_one(ResultsList).get_option_at_index(0).prompt
        assert "[bold red]Evil[/]" in prompt.plain


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/news/kishi-visit", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
    ],
)
@run_async
async def test_article_links_open_only_for_http_and_after_asking(corpus, url, opened, monkeypatch):
    from reader.app import reading
    from reader.app.screens.confirm import ConfirmDialog

    monkeypatch.setattr(reading, "browser_available", lambda: True)

    (corpus / "linked.md").write_text(
        f"---\ntitle: Linked\nurl: '{url}'\n---\n\nZanzibarian trade talks resumed.\n",
        encoding="utf-8",
    )
    app = make_app(corpus, restore=False, settings=Settings())
    asked: list[str] = []
    app.open_url = lambda link, **kwargs: asked.append(link)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Zanzibarian")
        await pilot.press("enter")
        await settle(pilot)
        assert app.document.id == "linked"
        await pilot.press("o")
        await settle(pilot)
        if not opened:
            assert not isinstance(app.screen, ConfirmDialog)
            assert any("Only http and https" in n.message for n in app._notifications)
            assert asked == []
            return
        assert isinstance(app.screen, ConfirmDialog)
        assert asked == []  # nothing opens before the answer
        await pilot.press("y")
        await settle(pilot)
        assert asked == [url]


@run_async
async def test_index_problems_are_notified_and_listed(corpus):
    (corpus / "broken.md").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("could not be indexed" in m for m in messages)
        await pilot.press("escape", "p")
        assert isinstance(app.screen, ProblemsScreen)
        assert any(Path(p.path).name == "broken.md" for p in app.screen.problems)
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


@run_async
async def test_worker_errors_become_one_notification(app, monkeypatch):
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)

        def broken(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(CorpusService, "search", broken)
        await type_query(pilot, "Japan")
        assert app.is_running
        errors = [n for n in app._notifications if n.severity == "error"]
        assert any("disk on fire" in n.message for n in errors)


@run_async
async def test_error_text_in_notifications_is_never_markup(app, monkeypatch):
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)

        def broken(*args, **kwargs):
            raise RuntimeError("[@click=app.quit]bad[/] [bold]file[/bold]")

        monkeypatch.setattr(CorpusService, "search", broken)
        await type_query(pilot, "Japan")
        await pilot.pause(0.1)
        assert app.is_running
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert any("[@click=app.quit]bad[/] [bold]file[/bold]" in text for text in toasts)
        assert all(not n.markup for n in app._notifications)


@run_async
async def test_session_is_restored(corpus):
    app = make_app(corpus, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        chosen = app.document.id
        await pilot.press("space")
        offset = app.query_one(ArticleViewer).top_offset
        assert offset > 0
        await pilot.press("q")
    again = make_app(corpus, settings=Settings())
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert again.query_one(QueryInput).value == "Kishi"
        assert again.document.id == chosen
        assert again.query_one(ArticleViewer).top_offset == offset


@run_async
async def test_session_survives_a_removed_article(corpus):
    app = make_app(corpus, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "Kishi")
        await pilot.press("enter")
        await settle(pilot)
        gone = app.document.path
        await pilot.press("q")
    Path(gone).unlink()
    again = make_app(corpus, settings=Settings())
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert any("no longer in the corpus" in n.message for n in again._notifications)
        assert again.document is not None  # something else is open, not an error


@run_async
async def test_long_article_opens_and_scrolls_to_the_end(corpus):
    # How fast is measured by `reader bench` (open_largest_ms), not asserted here.
    paragraph = "The ministers of Japan and Vietnam met again in Hanoi to talk about ships. " * 12
    (corpus / "long.md").write_text(
        "---\ntitle: A very long article\n---\n\n" + (paragraph + "\n\n") * 800,
        encoding="utf-8",
    )  # about 730 KB: more than the first part shown at once (PREVIEW_CHARS)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, timeout=120)
        await type_query(pilot, "title:long")
        await pilot.press("enter")
        await settle(pilot)
        viewer = app.query_one(ArticleViewer)
        assert viewer.document.id == "long"
        assert len(viewer.document.body) > 700_000
        await pilot.press("G")
        await pilot.pause()
        assert viewer.scroll_y == viewer.max_scroll_y > 5_000


@run_async
async def test_an_article_opened_again_reuses_its_text_entities_and_wrapping(tmp_path, monkeypatch):
    """A 10 MB article took 1.3-1.5 s to open each time: the articles opened last are
    kept whole, and opening one again finds only the hits of the query."""
    from reader.app import backend

    corpus = tmp_path / "two"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\ntitle: Alpha\n---\n\nNobuo Kishi met officials in Hanoi. Zebras crossed.\n",
        encoding="utf-8",
    )
    (corpus / "b.md").write_text(
        "---\ntitle: Beta\n---\n\nThe officials of Vietnam met zebras in Tokyo.\n",
        encoding="utf-8",
    )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "officials")
        viewer = app.query_one(ArticleViewer)
        app.reading.open("a")
        await settle(pilot)
        first = viewer.document
        assert first.id == "a" and first.entities
        app.reading.open("b")
        await settle(pilot)
        read = []
        monkeypatch.setattr(backend, "entities_from_stored", lambda *a: read.append(a) or ())
        app.reading.open("a")
        await settle(pilot)
        again = viewer.document
        assert again.id == "a" and read == []
        assert again.mentions is first.mentions and again.entities == first.entities
        assert viewer._wrapped is first.wrapped(viewer.measure)
        assert [again.body[s:e] for s, e in again.hits] == ["officials"]
        # Another query: the hits are its own.
        await pilot.press("slash", *["backspace"] * 9, *typed("zebras"))
        await settle(pilot)
        app.reading.open("b")
        await settle(pilot)
        app.reading.open("a")
        await settle(pilot)
        assert read == []
        assert [viewer.document.body[s:e] for s, e in viewer.document.hits] == ["Zebras"]


def test_an_article_kept_to_open_again_is_read_anew_once_the_index_changed(tmp_path):
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "a.md").write_text("---\ntitle: A\n---\n\nOld text.\n", encoding="utf-8")
    service = CorpusService(corpus)
    service.open()
    service.update(lambda *a: None, lambda: False, lambda: None)
    first = service.article("a")
    assert service.article("a") is first  # kept
    (corpus / "a.md").write_text("---\ntitle: A\n---\n\nNew text.\n", encoding="utf-8")
    service.update(lambda *a: None, lambda: False, lambda: None)
    assert service.article("a").body == "New text.\n"
    service.index.close()


def test_app_package_does_not_import_whoosh_at_startup():
    import subprocess
    import sys

    code = (
        "import sys; import reader.app.app; "
        "print('whoosh' in sys.modules, 'reader.index.corpus_index' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@run_async
async def test_every_listed_result_gets_its_snippet(tmp_path):
    from reader.app.workers import FIRST_PAGE, SNIPPET_CHUNK

    corpus = tmp_path / "many"
    corpus.mkdir()
    count = FIRST_PAGE + SNIPPET_CHUNK + 5  # the first page, a full chunk, part of one
    for n in range(count):
        (corpus / f"a{n:03}.md").write_text(
            f"---\ntitle: Article {n}\n---\n\nOpening line {n}. The zebra crossed at dawn.\n",
            encoding="utf-8",
        )
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "zebra")
        results = app.query_one(ResultsList)
        assert results.option_count == count
        prompts = [results.get_option_at_index(i).prompt.plain for i in range(count)]
        assert all("zebra crossed" in prompt for prompt in prompts)


@run_async
async def test_keys_typed_during_a_search_are_searched_together(zebra_app, monkeypatch):
    import threading
    import time

    app = zebra_app
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        searched: list[str] = []
        running = []
        overlapped = threading.Event()
        search = CorpusService.search

        def slow_search(service, request, *args, **kwargs):
            if running:
                overlapped.set()
            running.append(1)
            searched.append(request.query)
            time.sleep(0.2)  # a slow search: the user types on meanwhile
            try:
                return search(service, request, *args, **kwargs)
            finally:
                running.pop()

        monkeypatch.setattr(CorpusService, "search", slow_search)
        await pilot.press(*"zebra")
        await settle(pilot)
        # The first word searched at once (from two letters: one waits for the next);
        # the other keys waited for it and went together.
        assert searched[0] == "ze" and searched[-1] == "zebra"
        assert len(searched) < 5
        assert not overlapped.is_set()
        assert "1 article" in status_text(app)


@run_async
async def test_a_search_that_fails_does_not_hold_up_the_next(zebra_app, monkeypatch):
    app = zebra_app
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        search = CorpusService.search

        def broken_once(service, request, *args, **kwargs):
            if request.query == "zebr":
                raise OSError("disk went away")
            return search(service, request, *args, **kwargs)

        monkeypatch.setattr(CorpusService, "search", broken_once)
        await type_query(pilot, "zebr")
        await pilot.press("a")
        await settle(pilot)
        assert "1 article" in status_text(app)


@run_async
async def test_the_more_row_lists_another_page(tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for n in range(27):
        (corpus / f"a{n:03}.md").write_text(
            f"---\ntitle: Article {n}\n---\n\nThe zebra crossed at dawn, day {n}.\n",
            encoding="utf-8",
        )
    app = make_app(corpus, restore=False, settings=Settings(results=10))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "zebra")
        results = app.query_one(ResultsList)
        assert len(results.article_ids) == 10
        assert results.option_count == 11
        assert "17 more" in results.get_option_at_index(10).prompt.plain
        await pilot.press("down")  # into the results
        await pilot.press("end", "enter")
        await settle(pilot)
        assert len(results.article_ids) == 20
        assert results.highlighted == 10  # the first of the new page
        await pilot.press("end", "enter")
        await settle(pilot)
        assert len(results.article_ids) == 27 and results.option_count == 27
        assert "27 articles" in status_text(app) and "top" not in status_text(app)


@run_async
async def test_the_collector_paused_for_start_up_runs_again_after_the_first_frame(corpus):
    import gc

    gc.disable()  # as run_app does before it builds the app
    try:
        app = make_app(corpus, restore=False, settings=Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


class _ScanGivenBefore:
    """Stands in for the child process that scans while the app starts (reader.index.prescan)."""

    def __init__(self, scanned):
        self.scanned = scanned
        self.collected = self.closed = 0

    def changed_if_known(self):
        return None  # still scanning: the first frame does not wait for it

    def result(self):
        self.collected += 1
        return self.scanned

    def close(self):
        self.closed += 1


@run_async
async def test_the_first_update_uses_the_scan_started_before_the_app(tmp_path):
    from reader.corpus.articles import scan
    from reader.index.documents import Prepared, prepare
    from reader.index.manifest import files_fingerprint
    from reader.index.prescan import Scanned

    corpus = tmp_path / "few"
    corpus.mkdir()
    (corpus / "a.md").write_text("The zebra crossed.\n", encoding="utf-8")
    files, problems = scan(corpus)
    prepared = prepare(files[0])
    # A document unlike the file, to tell that the prepared one was written.
    marked = Prepared(files[0], {**prepared.document, "body": "The okapi crossed."}, ())
    given = _ScanGivenBefore(Scanned(files, problems, files_fingerprint(files), [marked]))
    app = make_app(corpus, restore=False, settings=Settings(), prescan=given)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert given.collected == 1
        await type_query(pilot, "okapi")
        assert [hit.id for hit in app.results.hits] == ["a"]
        await pilot.press("escape", "q")
    assert given.closed == 0  # collected: nothing was left to stop


@run_async
async def test_a_damaged_index_found_by_a_search_is_rebuilt_not_blamed_on_the_query(corpus):
    """issue 14: garbage in a segment made the search say "bad query: … UnpicklingError"."""
    from reader.index.corpus_index import CorpusIndex
    from tests.cli.test_cli import _damage_the_middle_of_the_segment

    index = CorpusIndex(corpus)
    index.open()
    index.update()
    index.close()
    _damage_the_middle_of_the_segment(corpus)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for query in ("japan", "vietnam", "kishi", "agreement"):
            app.query_one(QueryInput).value = ""
            await type_query(pilot, query)
            await settle(pilot)
            assert "Query error" not in status_text(app)
        assert app.query_one(ResultsList).article_ids  # found in the rebuilt index
    again = CorpusIndex(corpus)
    again.open()
    assert again.notice is None  # rebuilt: sound at the next start
    again.close()


# -- issue 15: big problem lists, a full cache -------------------------------------------------


@run_async
async def test_the_problems_view_lists_a_screenful_of_a_huge_list_at_once(corpus):
    from reader.app.screens.problems import MAX_ROWS
    from reader.corpus.articles import Problem

    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        many = MAX_ROWS * 3
        app.problems = [
            Problem(corpus / f"empty-{n:06d}.md", "the file is empty") for n in range(many)
        ]
        await pilot.press("escape", "p")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        table = app.screen.query_one("DataTable")
        assert table.row_count == MAX_ROWS
        summary = str(app.screen.query_one("#problems-summary").render())
        assert f"{many:,} files" in summary and "reader index" in summary


@run_async
async def test_the_problems_view_says_when_the_check_is_still_running(corpus, monkeypatch):
    import threading

    release = threading.Event()
    update = CorpusService.update

    def slow_update(service, *args, **kwargs):
        release.wait(20)
        return update(service, *args, **kwargs)

    monkeypatch.setattr(CorpusService, "update", slow_update)
    app = make_app(corpus, restore=False, settings=Settings())
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app.index_ready:
                    break
            await pilot.press("escape", "p")
            await pilot.pause(0.1)
            assert isinstance(app.screen, ProblemsScreen)
            summary = str(app.screen.query_one("#problems-summary").render())
            assert "No problems" not in summary and "checking" in summary.lower()
            release.set()
    finally:
        release.set()


@run_async
async def test_a_workers_late_word_after_the_panes_are_gone_is_dropped_quietly(app):
    from reader.app import messages as msg
    from reader.app.widgets.status import IndexBar

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        errors = []
        app.notify = lambda message, **kwargs: errors.append(message)
        # As at exit: the screen's widgets are removed while a worker still reports.
        await app.main.query_one(IndexBar).remove()
        app.post_message(msg.IndexProgress(3, 10))
        app.post_message(msg.IndexFailed("gone"))
        await pilot.pause()
    # No exception ended the app, and nothing but the index's own notice was said.
    assert app.return_code in (0, None)
    assert errors == ["gone"]


@run_async
async def test_answers_that_come_after_the_panes_are_torn_down_are_dropped(app):
    from reader.app import messages as msg

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        search = app.search
        answer = msg.SearchFinished(
            search._generation, search.request, search.results, len(search.results.hits)
        )
        # As at exit: the panes are removed while a search's answer is on its way.
        await app.main.main_panes.remove()
        app.post_message(answer)
        app.post_message(msg.IndexCommitted())
        await pilot.pause()
    # No exception ended the app (it would have ended with a traceback, code 1).
    assert app.return_code in (0, None)


@run_async
async def test_a_full_cache_says_what_is_wrong(corpus, monkeypatch):
    def full(service, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CorpusService, "update", full)
    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "No space left on device" in messages and "cannot write the index" in messages
        assert "OSError" not in messages and "went wrong" not in messages


@run_async
async def test_a_long_article_shows_its_beginning_before_the_rest_is_ready(tmp_path, monkeypatch):
    """Opening a 20 MB article took 6.6 s of blank viewer: the first part is drawn at
    once, the whole (with its entities) replaces it, the reader's place kept."""
    import time as clock

    from reader.app import backend, workers

    corpus = tmp_path / "long"
    corpus.mkdir()
    paragraphs = [f"Paragraph {n}: Nobuo Kishi met officials in Hanoi." for n in range(400)]
    (corpus / "long.md").write_text(
        "---\ntitle: Long\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    monkeypatch.setattr(workers, "PREVIEW_CHARS", 2000)
    entities = backend.entities_from_stored

    def slow_entities(*args, **kwargs):  # the slow part of the whole article
        clock.sleep(3)
        return entities(*args, **kwargs)

    app = make_app(corpus, restore=False, settings=Settings())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(backend, "entities_from_stored", slow_entities)
        await type_query(pilot, "officials")
        viewer = app.query_one(ArticleViewer)
        app.service.forget_articles()  # the first results opened it: open it as if anew
        started = clock.monotonic()
        await pilot.press("enter")
        while viewer.document is None or not viewer.document.body.startswith("Paragraph 0"):
            await pilot.pause(0.05)
            assert clock.monotonic() - started < 2.5, "nothing shown before the whole was ready"
        assert viewer.document.partial and len(viewer.document.body) <= 2000
        await pilot.press("space")  # read on in the part shown
        await pilot.pause(0.1)
        top = viewer.top_offset
        assert top > 0
        await settle(pilot)
        assert not viewer.document.partial
        assert len(viewer.document.body) > 20_000 and viewer.document.entities
        assert viewer.top_offset == top  # still where the reader was


@run_async
async def test_a_new_query_marks_its_hits_without_reloading_the_article(zebra_app, monkeypatch):
    """Each keystroke of a query reloaded the open article whole (seconds at 20 MB):
    only its hits are found again now."""
    from reader.app import backend

    app = zebra_app
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await type_query(pilot, "zebra")
        viewer = app.query_one(ArticleViewer)
        assert viewer.document is not None and len(viewer.document.hits) == 1
        loads = []
        article = CorpusService.article
        monkeypatch.setattr(
            CorpusService, "article", lambda *a, **k: loads.append(1) or article(*a, **k)
        )
        monkeypatch.setattr(backend, "entities_from_stored", lambda *a, **k: ())
        await pilot.press("space", *typed("OR crossed"))
        await settle(pilot)
        assert loads == []
        assert [viewer.document.body[s:e] for s, e in viewer.document.hits] == ["zebra", "crossed"]


def test_a_long_article_is_read_once_for_its_first_part_and_the_whole(tmp_path, monkeypatch):
    from whoosh.searching import Searcher

    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "long.md").write_text(
        "---\ntitle: Long\n---\n\n" + "A line of the long article.\n" * 100, encoding="utf-8"
    )
    service = CorpusService(corpus)
    service.open()
    service.update(lambda *a: None, lambda: False, lambda: None)
    reads = []
    document = Searcher.document
    monkeypatch.setattr(Searcher, "document", lambda s, **k: reads.append(k) or document(s, **k))
    first = service.article("long", preview=300)
    whole = service.article("long")
    assert first.partial and not whole.partial and whole.body.startswith(first.body)
    assert len(reads) == 1
    service.index.close()
