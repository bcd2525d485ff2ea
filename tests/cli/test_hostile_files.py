"""Folders nobody here wrote: every odd file gets the right outcome, the rest load."""

from __future__ import annotations

import codecs
import os
import sys

import pytest

from reader.corpus.articles import load_corpus, scan

GOOD = "---\ntitle: Good\n---\nA good article about Hanoi.\n"


def make(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def outcome(folder):
    articles, problems = load_corpus(folder)
    return {a.path.name: a for a in articles}, {p.path.name: p for p in problems}


def test_encodings_and_line_ends(tmp_path):
    make(
        tmp_path,
        "utf16.md",
        codecs.BOM_UTF16_LE + "---\ntitle: Sixteen\n---\nBody\n".encode("utf-16-le"),
    )
    make(tmp_path, "bom.md", codecs.BOM_UTF8 + b"---\ntitle: Bommed\n---\nBody\n")
    make(tmp_path, "crlf.md", b"---\r\ntitle: Windows\r\n---\r\nBody\r\n")
    make(tmp_path, "cr.txt", b"Old Mac\rline ends\r")
    make(tmp_path, "latin1.txt", "Dvořák café".encode().replace(b"\xc3\xa9", b"\xe9"))
    articles, problems = outcome(tmp_path)
    assert articles["utf16.md"].title == "Sixteen"
    assert articles["bom.md"].title == "Bommed"  # the BOM does not hide the front matter
    assert articles["crlf.md"].title == "Windows" and articles["crlf.md"].body == "Body\n"
    assert articles["cr.txt"].body == "Old Mac\nline ends\n"
    assert "latin1.txt" in articles and problems["latin1.txt"].severity == "warning"


def test_binary_empty_and_nul(tmp_path):
    make(tmp_path, "good.md", GOOD)
    make(tmp_path, "image.md", bytes(range(256)) * 40)
    make(tmp_path, "empty.md", b"")
    make(tmp_path, "blank.txt", b"\n\n   \n")
    make(tmp_path, "nul.txt", b"Text with one stray \x00 NUL byte.\n")
    articles, problems = outcome(tmp_path)
    assert set(articles) == {"good.md", "nul.txt"}
    assert "\x00" not in articles["nul.txt"].body  # shown as a visible placeholder
    assert "binary" in problems["image.md"].reason
    assert "empty" in problems["empty.md"].reason
    assert "empty" in problems["blank.txt"].reason


def test_hostile_yaml(tmp_path):
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n---\nx\n"
    )
    make(tmp_path, "bomb.md", bomb)
    make(tmp_path, "python.md", "---\nx: !!python/object/apply:os.system ['touch pwned']\n---\nx\n")
    make(tmp_path, "nested.md", "---\nx: " + "[" * 200 + "]" * 200 + "\n---\nx\n")
    make(
        tmp_path,
        "huge.md",
        "---\n" + "".join(f"k{i}: {'v' * 60}\n" for i in range(2000)) + "---\nx\n",
    )
    make(tmp_path, "scalar.md", "---\njust a string\n---\nx\n")
    make(tmp_path, "open.md", "---\ntitle: never closed\nbody text\n")
    make(tmp_path, "good.md", GOOD)
    articles, problems = outcome(tmp_path)
    assert set(articles) == {"good.md"}
    assert "aliases" in problems["bomb.md"].reason
    assert "not valid YAML" in problems["python.md"].reason
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")
    assert problems["nested.md"].reason.startswith("front matter")  # reported and skipped
    assert "larger than" in problems["huge.md"].reason
    assert "not a mapping" in problems["scalar.md"].reason
    assert "never closed" in problems["open.md"].reason


def test_big_files_and_long_lines(tmp_path):
    paragraph = "Growers in the Riverina say the rain came too late. " * 20 + "\n\n"
    make(
        tmp_path, "twenty.md", "---\ntitle: Big\n---\n" + paragraph * (20_000_000 // len(paragraph))
    )
    make(tmp_path, "longline.txt", "word " * 400_000 + "\n")
    articles, problems = outcome(tmp_path)
    assert len(articles["twenty.md"].body) > 19_000_000
    assert len(articles["longline.txt"].body) == 2_000_001
    assert not problems


def test_hidden_temporary_and_other_files_are_ignored(tmp_path):
    for name in (
        ".hidden.md",
        ".#lock.md",
        "#autosave.md#",
        "draft.md~",
        ".draft.md.swp",
        "notes.tmp",
        "picture.png",
        "data.json",
    ):
        make(tmp_path, name, "ignored\n")
    make(tmp_path, ".git/HEAD.md", "ignored\n")
    make(tmp_path, "kept.markdown", GOOD)
    files, problems = scan(tmp_path)
    assert [f.id for f in files] == ["kept"] and not problems


def test_symlink_loops_and_broken_links(tmp_path):
    make(tmp_path, "real/a.md", GOOD)
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    files, problems = scan(tmp_path)
    assert [f.id for f in files] == ["real/a"]
    reasons = sorted(p.reason for p in problems)
    assert reasons == ["broken symbolic link", "symbolic link loop; folder skipped"]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="needs POSIX permissions that apply (not root)",
)
def test_unreadable_file(tmp_path):
    make(tmp_path, "good.md", GOOD)
    secret = make(tmp_path, "secret.md", GOOD)
    secret.chmod(0)
    try:
        articles, problems = outcome(tmp_path)
    finally:
        secret.chmod(0o644)
    assert set(articles) == {"good.md"}
    assert problems["secret.md"].reason == "permission denied"


def test_file_that_vanishes_between_scan_and_read(tmp_path):
    from reader.corpus.articles import ArticleError, load

    make(tmp_path, "good.md", GOOD)
    gone = make(tmp_path, "gone.md", GOOD)
    files, _ = scan(tmp_path)
    gone.unlink()
    source = next(f for f in files if f.id == "gone")
    with pytest.raises(ArticleError, match="disappeared"):
        load(source)


def test_index_survives_a_folder_of_hostile_files(tmp_path, capsys):
    from reader.cli.main import main

    make(tmp_path, "good.md", GOOD)
    make(tmp_path, "image.md", bytes(range(256)) * 40)
    make(tmp_path, "bomb.md", "---\na: &a [1]\nb: *a\n---\nx\n")
    make(tmp_path, "longline.txt", "Hanoi " * 30_000 + "\n")  # one 180 KB line
    assert main(["--corpus", str(tmp_path), "index"]) == 0
    captured = capsys.readouterr()
    assert "2 files skipped" in captured.out
    assert "image.md: binary file" in captured.err
    assert "bomb.md: YAML aliases are not allowed" in captured.err
    assert main(["--corpus", str(tmp_path), "search", "hanoi", "--json"]) == 0
    assert '"id": "good"' in capsys.readouterr().out


HOSTILE = (
    '---\ntitle: "[bold red]Pwned[/] \\e]0;evil title\\a"\nsource: "[@click=app.quit]x[/]"\n---\n'
    "Hanoi [link=https://evil.example]click[/link] \x1b[2J\x1b]52;c;aGk=\x07 \x9b31m"
    " \u202egnp.exe\n"
)


@pytest.mark.parametrize("terminal", [False, True])
def test_cli_output_never_carries_markup_or_escapes(tmp_path, capsys, monkeypatch, terminal):
    from reader.cli import output
    from reader.cli.main import main

    monkeypatch.setattr(output, "is_terminal", lambda: terminal)
    make(tmp_path, "hostile.md", HOSTILE)
    for argv in (["search", "hanoi"], ["list"], ["entities"], ["search", "hanoi", "--json"]):
        assert main(["--corpus", str(tmp_path), *argv]) == 0
        out = capsys.readouterr().out
        assert "\x1b]" not in out and "\x07" not in out and "\x9b" not in out
        assert "\u202e" not in out
        if not terminal and "--json" not in argv:
            assert "\x1b" not in out
    assert main(["--corpus", str(tmp_path), "search", "hanoi"]) == 0
    out = capsys.readouterr().out
    assert "[link=https://evil.example]click[/link]" in out  # shown, not obeyed
    assert "[bold red]Pwned[/]" in out
