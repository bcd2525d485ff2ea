"""The loader: front matter present, absent and broken; the bundled corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reader.corpus.articles import ArticleError, load_corpus, load_path, scan
from reader.support.locations import bundled_corpus


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_bundled_corpus_has_five_dated_articles():
    articles, problems = load_corpus(bundled_corpus())
    assert problems == []
    assert len(articles) == 5
    by_id = {a.id: a for a in articles}
    epoch = by_id["2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"]
    assert epoch.author == "Aldgra Fredly"
    assert epoch.date == dt.date(2021, 11, 24)
    assert epoch.title.startswith("Japan, Vietnam Oppose Bids")
    assert all(a.date is not None for a in articles)
    # Page furniture is gone: no comment threads, no "Comments are closed."
    assert not any("Comments are closed" in a.body for a in articles)
    assert not any("hai_nguyen" in a.body for a in articles)


def test_article_without_headline_gets_a_title_from_its_lead():
    articles, _ = load_corpus(bundled_corpus())
    taiwan = next(a for a in articles if "taiwan-news" in a.id)
    assert taiwan.title is None
    assert taiwan.display_title.startswith("TAIPEI (Taiwan News) — Japan and Vietnam signed")
    assert len(taiwan.display_title) <= 80


def test_front_matter_is_read(tmp_path):
    write(
        tmp_path,
        "a.md",
        "---\ntitle: A title\nsource: Somewhere\ndate: 2020-02-03\n"
        "url: https://example.org/a\ntags: [x, y]\n---\n\nThe body.\n",
    )
    (article,) = load_corpus(tmp_path)[0]
    assert (article.title, article.source, article.url) == (
        "A title",
        "Somewhere",
        "https://example.org/a",
    )
    assert article.date == dt.date(2020, 2, 3)
    assert article.body == "The body.\n"
    assert article.meta == {"tags": "x, y"}


def test_file_without_front_matter_is_all_body(tmp_path):
    write(tmp_path, "plain.txt", "Headline here\n\nFirst paragraph.\n")
    (article,) = load_corpus(tmp_path)[0]
    assert article.title is None
    assert article.display_title == "Headline here"
    assert article.body.startswith("Headline here")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("---\ntitle: never closed\n\nbody\n", "never closed"),
        ("---\n- a\n- b\n---\nbody\n", "not a mapping"),
        ("---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\na: &x [1]\nb: *x\n---\nbody\n", "aliases are not allowed"),
        ("---\nx: !!python/object/apply:os.system ['true']\n---\nbody\n", "not valid YAML"),
        ("", "empty"),
    ],
)
def test_broken_file_is_reported_and_the_rest_load(tmp_path, content, reason):
    write(tmp_path, "good.md", "---\ntitle: Good\n---\nFine.\n")
    bad = write(tmp_path, "bad.md", content)
    articles, problems = load_corpus(tmp_path)
    assert [a.title for a in articles] == ["Good"]
    (problem,) = problems
    assert problem.path == bad
    assert reason in problem.reason


def test_crlf_front_matter_and_windows_1252(tmp_path):
    write(tmp_path, "crlf.md", b"---\r\ntitle: CRLF\r\n---\r\nLine one\r\nLine two\r\n")
    write(tmp_path, "latin.txt", b"Caf\xe9 \x93quoted\x94\n")
    articles, problems = load_corpus(tmp_path)
    by_id = {a.id: a for a in articles}
    assert by_id["crlf"].title == "CRLF"
    assert by_id["crlf"].body == "Line one\nLine two\n"
    assert by_id["latin"].body == "Café “quoted”\n"
    assert [p.severity for p in problems] == ["warning"]
    assert "Windows-1252" in problems[0].reason


def test_control_characters_are_neutralised_one_for_one(tmp_path):
    write(tmp_path, "esc.md", "Title \x1b]0;pwned\x07 and \x1b[31mred\n")
    (article,) = load_corpus(tmp_path)[0]
    assert "\x1b" not in article.body and "\x07" not in article.body
    assert article.body == "Title ␛]0;pwned␇ and ␛[31mred\n"


def test_ids_are_stable_relative_paths(tmp_path):
    write(tmp_path, "sub/one.md", "One.\n")
    write(tmp_path, "sub/one.txt", "Other one.\n")
    write(tmp_path, ".hidden.md", "Hidden.\n")
    write(tmp_path, "draft.md~", "Backup.\n")
    write(tmp_path, "notes.pdf", "not an article")
    files, _ = scan(tmp_path)
    assert [f.id for f in files] == ["sub/one", "sub/one.txt"]


def test_load_path_outside_a_corpus(tmp_path):
    path = write(tmp_path, "x.md", "---\ntitle: X\n---\nBody.\n")
    assert load_path(path).title == "X"
    with pytest.raises(ArticleError, match="not found"):
        load_path(tmp_path / "missing.md")


# -- one rule for front matter values: a value no field can use is dropped with a warning ------

#: front matter line -> (field, what the article holds for it, words of the warning or None)
BAD_VALUES = {
    "date: 2021-13-45": ("date", None, "date '2021-13-45'"),
    "date: 0000-01-01": ("date", None, "date '0000-01-01'"),
    "date: 99999-01-01": ("date", None, "date '99999-01-01'"),
    "date: !!timestamp 2021-02-30": ("date", None, "date '2021-02-30'"),
    "date: 2021-09-11T10:00:00+99:00": ("date", dt.date(2021, 9, 11), None),  # the day stands
    "date: 2021-09-11T23:30:00+09:00": ("date", dt.date(2021, 9, 11), None),
    "date: 0001-01-01": ("date", dt.date(1, 1, 1), None),
    "date: 9999-12-31": ("date", dt.date(9999, 12, 31), None),
    "date: [2021-01-01]": ("date", None, "date "),
    "title: [Japan, Vietnam]": ("title", "Japan, Vietnam", None),
    "title: {x: 1}": ("title", None, "title is a dict"),
    "source: [[nested]]": ("source", None, "source is a list"),
    "tags: {a: 1}": ("meta", {}, None),
    "updated: 2021-13-45": ("meta", {"updated": "2021-13-45"}, None),
}


@pytest.mark.parametrize("line", sorted(BAD_VALUES))
def test_a_bad_front_matter_value_costs_its_field_not_the_file(tmp_path, line):
    write(tmp_path, "odd.md", f"---\n{line}\n---\n\nHanoi and Tokyo signed it.\n")
    write(tmp_path, "fine.md", "---\ntitle: Fine\ndate: 2021-09-11\n---\n\nFine text.\n")
    articles, problems = load_corpus(tmp_path)
    by_name = {a.path.name: a for a in articles}
    assert set(by_name) == {"odd.md", "fine.md"}  # the file loads, the rest too
    name, expected, warning = BAD_VALUES[line]
    assert getattr(by_name["odd.md"], name) == expected
    reasons = [p.reason for p in problems if p.path.name == "odd.md"]
    if warning is None:
        assert reasons == []
    else:
        assert [p.severity for p in problems] == ["warning"]
        assert len(reasons) == 1 and warning in reasons[0] and "ignored" in reasons[0]


def _load_in_thread(source, seconds: float = 5.0):
    """load(source) in a thread, so a load that blocks fails the test instead of hanging it."""
    import threading

    from reader.corpus.articles import load

    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(load(source))
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "loading blocked"
    return outcome[0]


def test_a_file_replaced_by_a_fifo_after_the_scan_is_refused_without_blocking(tmp_path):
    import os

    write(tmp_path, "a.md", "Some text.\n")
    (source,), _ = scan(tmp_path)
    (tmp_path / "a.md").unlink()
    os.mkfifo(tmp_path / "a.md")  # nobody ever writes to it: open() would block for ever
    outcome = _load_in_thread(source)
    assert isinstance(outcome, ArticleError)
    assert "not a regular file" in str(outcome)


def test_a_file_replaced_by_a_link_to_a_device_is_refused(tmp_path):
    import os

    write(tmp_path, "a.md", "Some text.\n")
    (source,), _ = scan(tmp_path)
    (tmp_path / "a.md").unlink()
    os.symlink("/dev/zero", tmp_path / "a.md")
    outcome = _load_in_thread(source)
    assert isinstance(outcome, ArticleError)
    assert "not a regular file" in str(outcome)


def test_neutralize_passes_clean_text_through_and_replaces_controls_one_for_one():
    """Opening a 20 MB article neutralised it with a per-character table (a second);
    clean text (what the index stores) now comes back as it is, without a copy."""
    import random

    from reader.support.textsafe import _BLOCK_TABLE, is_clean, neutralize

    clean = "Hanoi and Tokyo signed.\n\tIt is done. Ünïcode too.\n" * 1000
    assert neutralize(clean) is clean and is_clean(clean)
    dirty = "a\x1b[2Jb\x07c\x9bd\u202ee\x7f\n\t"
    assert neutralize(dirty) == "a␛[2Jb␇c\ufffdd\ufffde␡\n\t"
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(chr(rng.randrange(0, 0x2100)) for _ in range(40))
        assert neutralize(text) == text.translate(_BLOCK_TABLE)
        assert len(neutralize(text)) == len(text)
        assert is_clean(text) == (text == text.translate(_BLOCK_TABLE))
