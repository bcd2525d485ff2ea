"""Plain tests of the app's non-screen parts: the viewer model, settings, session."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.app.document import ArticleDocument, Entity, Span, WrappedBody, _wrap_paragraph, wrap
from reader.app.session import Session, load_session, save_session
from reader.app.settings import Settings, SettingsError, load_settings

# -- wrapping ----------------------------------------------------------------------------------

_text = st.text(alphabet=st.sampled_from("ab cd\n東京 -\t"), max_size=300)


@given(_text, st.integers(min_value=1, max_value=40))
def test_wrap_covers_the_body_in_order_within_the_width(body, width):
    lines = wrap(body, width)
    position = 0
    for start, end in lines:
        assert start >= position
        # Only whitespace (or a newline) is skipped between lines.
        assert body[position:start].strip(" \t\n") == ""
        assert cell_len(body[start:end].rstrip().replace("\t", " ")) <= max(width, 2)
        position = end
    assert body[position:].strip(" \t\n") == ""


def _wrapped_word_by_word(body: str, width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    position = 0
    for paragraph in body.split("\n"):
        if len(paragraph) <= width:
            lines.append((position, position + len(paragraph)))
        else:
            _wrap_paragraph(paragraph, position, width, lines)
        position += len(paragraph) + 1
    return lines


@given(
    st.lists(st.sampled_from(["ab", "c", " ", "   ", "\t", "\n", "é", "’", "\ufffd"])).map("".join),
    st.integers(min_value=1, max_value=12),
)
def test_one_cell_text_is_wrapped_by_the_regex_as_word_by_word(body, width):
    # The regex (a 20 MB article: 0.2 s of CPU) breaks lines where the word loop
    # (1.2 s) did, spaces before and after long words included.
    assert wrap(body, width) == _wrapped_word_by_word(body, max(1, width))


def test_a_wide_paragraph_among_one_cell_ones_is_wrapped_by_cells():
    body = "one two three\n東京 東京 東京\n\nfour five six\n"
    lines = [body[s:e].rstrip() for s, e in wrap(body, 8)]
    assert lines == ["one two", "three", "東京", "東京", "東京", "", "four", "five six", ""]


def test_wrap_breaks_at_spaces_and_keeps_paragraphs():
    body = "one two three four\n\nfive"
    lines = [body[s:e].rstrip() for s, e in wrap(body, 9)]
    assert lines == ["one two", "three", "four", "", "five"]


def test_wrapped_body_finds_the_line_of_an_offset():
    body = "alpha beta gamma delta"
    wrapped = WrappedBody(body, 11)
    assert wrapped.line_of(0) == 0
    assert wrapped.line_of(body.index("gamma")) == 1


def test_spans_in_finds_overlapping_spans_only():
    body = "Nobuo Kishi met Phan Van Giang in Hanoi."
    document = ArticleDocument(
        id="a",
        title="t",
        body=body,
        hits=((6, 11),),
        entities=(
            Entity("person", "Nobuo Kishi", ((0, 11),)),
            Entity("place", "Hanoi", ((34, 39),)),
        ),
    )
    kinds = [span.kind for span in document.spans_in(8, 20)]
    assert sorted(kinds) == ["hit", "person"]
    assert list(document.spans_in(12, 30)) == []
    assert document.spans_in(30, 40)[0] == Span(34, 39, "place", "place:Hanoi")
    assert [e.name for e in document.entities_of("person")] == ["Nobuo Kishi"]


def test_a_copy_with_other_hits_shares_the_mentions_and_the_wrapping():
    from dataclasses import replace

    body = "Nobuo Kishi met Phan Van Giang in Hanoi."
    document = ArticleDocument(
        id="a", title="t", body=body, entities=(Entity("place", "Hanoi", ((34, 39),)),)
    )
    document.set_highlights([(0, 11, "h1")])
    wrapped = document.wrapped(12)
    again = replace(document, hits=((16, 20),))
    assert again.mentions is document.mentions and again.wrapped(12) is wrapped
    assert [(s.kind, s.start) for s in again.spans_in(0, 40)] == [
        ("highlight", 0),
        ("hit", 16),
        ("place", 34),
    ]
    assert document.spans_in(14, 22) == []  # the original keeps its own hits


# -- settings ----------------------------------------------------------------------------------


def test_settings_default_when_missing(tmp_path):
    assert load_settings(tmp_path / "config.yaml") == Settings()


def test_settings_read_and_validated(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\ndebounce: 0.3\nkeymap:\n  reader.quit: ctrl+x\n")
    settings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.debounce == 0.3
    assert settings.keymap == {"reader.quit": "ctrl+x"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("colour: red\n", "colour"),
        ("debounce: slow\n", "debounce"),
        ("results: 0\n", "results"),
        ("keymap: [a]\n", "keymap"),
        ("keymap:\n  reader.quit: 3\n", "reader.quit"),
        ("theme: [\n", "YAML"),
    ],
)
def test_bad_settings_name_the_problem(tmp_path, text, named):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=named):
        load_settings(path)


# -- session -----------------------------------------------------------------------------------


def test_session_round_trip_per_corpus(tmp_path):
    path = tmp_path / "sessions.json"
    first, second = tmp_path / "a", tmp_path / "b"
    save_session(first, Session(query="Kishi", article_id="x", offset=120), path)
    save_session(second, Session(query="ships", sort="date"), path)
    assert load_session(first, path) == Session(query="Kishi", article_id="x", offset=120)
    assert load_session(second, path).sort == "date"


def test_damaged_session_is_forgotten(tmp_path):
    path = tmp_path / "sessions.json"
    path.write_text("{not json")
    assert load_session(tmp_path, path) == Session()
    key = str(tmp_path.resolve())
    path.write_text(json.dumps({key: {"offset": "ten", "sort": "sideways"}}))
    assert load_session(tmp_path, path) == Session()


def _load_in_thread(path, seconds: float = 5.0):
    """load_settings(path) in a thread, so a read that blocks fails instead of hanging."""
    import threading

    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(load_settings(path))
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "reading the config file blocked"
    return outcome[0]


def test_a_config_file_that_is_a_fifo_or_a_device_is_refused_at_once(tmp_path):
    """A FIFO left the app blank (open() blocks); a link to /dev/zero read 3 GB."""
    import os

    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    outcome = _load_in_thread(fifo)
    assert isinstance(outcome, SettingsError) and "not a regular file" in str(outcome)
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    outcome = _load_in_thread(link)
    assert isinstance(outcome, SettingsError) and "not a regular file" in str(outcome)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    outcome = _load_in_thread(huge)
    assert isinstance(outcome, SettingsError) and "larger than" in str(outcome)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"theme: caf\xe9\n")
    assert isinstance(_load_in_thread(latin), SettingsError)


def test_loading_an_article_pauses_the_cycle_collector_and_restores_it():
    import gc

    from reader.support.collector import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # paused by someone else: left as it was
    finally:
        gc.enable()
