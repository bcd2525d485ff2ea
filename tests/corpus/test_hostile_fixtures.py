"""The fixture folder of hostile files: each gets its outcome and the rest still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus.articles import load_corpus

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hostile"

#: file -> (loads?, problem severity or None, words the reason must contain)
EXPECTED: dict[str, tuple[bool, str | None, str]] = {
    "good.md": (True, None, ""),
    "README.txt": (True, None, ""),
    "crlf.md": (True, None, ""),
    "utf16.md": (True, None, ""),
    "utf8-bom.md": (True, None, ""),
    "nul-bytes.md": (True, None, ""),
    "markup-and-escapes.md": (True, None, ""),
    "latin1.txt": (True, "warning", "not UTF-8"),
    "cp1252.md": (True, "warning", "not UTF-8"),
    "binary.md": (False, "error", "binary"),
    "empty.md": (False, "error", "empty"),
    "unterminated.md": (False, "error", "never closed"),
    "not-a-mapping.md": (False, "error", "not a mapping"),
    "python-tag.md": (False, "error", "python/object/apply"),
    "alias-bomb.md": (False, "error", "aliases are not allowed"),
    # Refused, whoever stops it: our depth cap, or PyYAML's own (6.0.4 and later) with
    # its own wording. The guarantee is that the file is reported and skipped.
    "deep-nesting.md": (False, "error", "front matter"),
}
IGNORED = [".hidden.md", ".#lock.md", "backup.md~", ".draft.md.swp", "notes.pdf"]


@pytest.fixture(scope="module")
def outcome():
    articles, problems = load_corpus(FIXTURES)
    return {a.path.name: a for a in articles}, {p.path.name: p for p in problems}


def test_the_folder_holds_every_case():
    names = {path.name for path in FIXTURES.iterdir()}
    assert names == set(EXPECTED) | set(IGNORED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_gets_its_outcome(outcome, name):
    articles, problems = outcome
    loads, severity, reason = EXPECTED[name]
    assert (name in articles) is loads
    if severity is None:
        assert name not in problems
    else:
        assert problems[name].severity == severity
        assert reason in problems[name].reason
        assert "\n" not in problems[name].reason


@pytest.mark.parametrize("name", IGNORED)
def test_hidden_temporary_and_other_files_are_ignored(outcome, name):
    articles, problems = outcome
    assert name not in articles and name not in problems


def test_decoded_text_is_right(outcome):
    articles, _ = outcome
    assert "Hanoï" in articles["latin1.txt"].body
    assert "\u201cWe agree,\u201d" in articles["cp1252.md"].body
    assert "€5 million" in articles["cp1252.md"].body
    assert articles["utf16.md"].title == "UTF-16 article"
    assert "Hà Nội" in articles["utf16.md"].body
    assert articles["utf8-bom.md"].title == "BOM article"
    crlf = articles["crlf.md"]
    assert crlf.title == "CRLF article" and "\r" not in crlf.body


def test_hostile_text_is_kept_as_inert_data(outcome):
    articles, _ = outcome
    article = articles["markup-and-escapes.md"]
    assert article.title == "[bold red]Loud[/] [@click=app.quit]quit[/]"  # literal, not markup
    body = article.body
    assert "[@click=app.quit]a click action[/]" in body
    for control in ("\x1b", "\x07", "\x9b", "\u202e", "\x00"):
        assert control not in body
    assert "␛[2J" in body  # shown, not acted on
    assert "\x00" not in articles["nul-bytes.md"].body


def test_yaml_tags_are_never_run(outcome, tmp_path):
    assert not Path("/tmp/reader-pwned").exists()


def test_the_cli_lists_every_problem_with_path_and_reason(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "READER_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    done = subprocess.run(
        # `reader index` lists the problems; other commands count them (issue 15).
        [sys.executable, "-m", "reader", "--corpus", str(FIXTURES), "index"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "\x1b" not in output
    for name, (_, severity, reason) in EXPECTED.items():
        if severity == "error":
            assert name in output and reason in output, name
