"""Issue 20, item 14: the command line says why, instead of answering beside the point."""

from __future__ import annotations

from reader.cli.main import main


def test_index_does_not_list_skipped_files_as_added(capsys, corpus):
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    assert main(["--corpus", str(corpus), "index"]) == 0
    captured = capsys.readouterr()
    assert "5 added" in captured.out
    assert "1 file skipped" in captured.out
    assert "added: broken" not in captured.out
    assert "skipped" in captured.err and "broken.md" in captured.err


def test_a_field_name_with_no_value_is_an_error_not_a_suggestion(capsys, corpus):
    assert main(["--corpus", str(corpus), "search", "title:"]) == 2
    captured = capsys.readouterr()
    assert "title: needs a word" in captured.err
    assert "did you mean" not in captured.err + captured.out


def test_corpus_naming_a_file_says_so(capsys, corpus):
    article = next(corpus.iterdir())
    assert main(["--corpus", str(article), "list"]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err
    assert "not found" not in err


def test_from_later_than_to_says_why(capsys, corpus):
    argv = [
        "--corpus",
        str(corpus),
        "search",
        "japan",
        "--from",
        "2022-01-01",
        "--to",
        "2021-01-01",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "later than" in err
