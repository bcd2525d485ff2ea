"""Strings from file names, articles and queries never reach the terminal raw (issue 15)."""

from __future__ import annotations

import csv
import io
import shutil

from reader.cli.main import main
from reader.support.textsafe import is_clean

ESC_NAME = "reset-\x1bc-\x1b]0;owned\x07"


def _corpus_with_hostile_name(corpus):
    source = next(corpus.glob("2014-*.md"))
    shutil.copy(source, corpus / f"{ESC_NAME}.md")
    return corpus


def test_index_prints_added_ids_without_escape_sequences(capsys, corpus):
    main(["--corpus", str(corpus), "index"])
    capsys.readouterr()
    _corpus_with_hostile_name(corpus)
    assert main(["--corpus", str(corpus), "index"]) == 0
    captured = capsys.readouterr()
    assert "added: reset-␛c-␛]0;owned␇" in captured.out
    assert is_clean(captured.out.replace("\n", "")) and is_clean(captured.err.replace("\n", ""))


def test_csv_export_cites_article_ids_without_escape_sequences(capsys, corpus):
    _corpus_with_hostile_name(corpus)
    code = main(
        ["--corpus", str(corpus), "export", "--format", "csv", "--query", "Vietnam", "--hits"]
    )
    out = capsys.readouterr().out
    assert code == 0
    ids = {row["article_id"] for row in csv.DictReader(io.StringIO(out))}
    assert "reset-␛c-␛]0;owned␇" in ids
    assert all(is_clean(i) for i in ids)


def test_did_you_mean_on_stderr_has_no_raw_control_characters(capsys, corpus):
    code = main(["--corpus", str(corpus), "search", "cybersecurty \x1bc", "--json"])
    captured = capsys.readouterr()
    assert code == 0 and captured.out.strip() == "[]"
    assert "did you mean" in captured.err
    assert is_clean(captured.err.replace("\n", ""))
