"""``reader highlights`` and ``reader export`` on the bundled articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reader.cli.main as cli
from reader.cli import highlights as highlight_commands
from reader.highlights.store import HighlightStore

EPOCH = "2021-11-24-japan-vietnam-oppose-bids-to-change-status-quo"
TAIWAN = "2021-09-11-taiwan-news-japan-vietnam-defense-agreement"


@pytest.fixture
def run(capsys, corpus):
    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["--corpus", str(corpus), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_add_list_remove(run):
    code, out, err = run(
        "highlights", "add", EPOCH, "--quote", "strong sense of urgency",
        "--note", "why?", "--tag", "cyber", "--tag", "urgent", "--json",
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    assert made["quote"] == "strong sense of urgency" and made["tags"] == ["cyber", "urgent"]
    assert made["status"] == "anchored"

    code, out, _ = run("highlights", "list", "--json")
    assert code == 0
    (listed,) = json.loads(out)
    assert listed["id"] == made["id"] and listed["note"] == "why?"

    code, out, _ = run("highlights", "list", EPOCH)
    assert code == 0 and made["id"][:8] in out and "strong sense of urgency" in out
    code, out, _ = run("highlights", "list", TAIWAN, "--json")
    assert code == 0 and json.loads(out) == []

    code, out, _ = run("highlights", "remove", made["id"][:8])
    assert code == 0 and out.startswith(f"removed {made['id'][:8]}")
    assert HighlightStore().all() == []


def test_ambiguous_quote_takes_the_first_and_says_so(run):
    code, out, err = run("highlights", "add", EPOCH, "--quote", "Phan Van Giang", "--json")
    assert code == 0
    assert "occurs 2 times" in err and "--occurrence" in err
    first = json.loads(out)
    code, out, err = run(
        "highlights", "add", EPOCH, "--quote", "Phan Van Giang", "--occurrence", "2", "--json"
    )
    assert code == 0 and err == ""
    assert json.loads(out)["start"] > first["start"]


def test_quote_not_in_the_article_is_an_error(run):
    code, out, err = run("highlights", "add", EPOCH, "--quote", "not in this article", "--json")
    assert code == 2
    assert json.loads(out)["error"].startswith("the quote is not in the article")
    assert err.count("\n") == 1
    code, _, err = run("highlights", "add", EPOCH, "--quote", "Tokyo", "--occurrence", "5")
    assert code == 2 and "no occurrence 5" in err
    code, _, err = run("highlights", "add", "no-such-article", "--quote", "Tokyo")
    assert code == 2 and "no article 'no-such-article'" in err
    assert HighlightStore().all() == []


def test_edit_and_unknown_ids(run):
    _, out, _ = run("highlights", "add", EPOCH, "--quote", "Tokyo", "--json")
    hid = json.loads(out)["id"]
    code, out, _ = run("highlights", "edit", hid[:6], "--note", "capital", "--json")
    assert code == 0 and json.loads(out)["note"] == "capital"
    code, _, err = run("highlights", "remove", "ffffffff")
    assert code == 2 and "no highlight" in err
    code, _, err = run("highlights")
    assert code == 2 and "add, list, edit or remove" in err


def test_user_text_is_neutralised_on_the_terminal(run):
    run("highlights", "add", EPOCH, "--quote", "Tokyo", "--note", "\x1b[2J\x1b]0;x\x07hi")
    code, out, _ = run("highlights", "list")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    code, out, _ = run("export")
    assert code == 0 and "\x1b" not in out


def test_export_to_stdout_in_every_format(run):
    run("highlights", "add", EPOCH, "--quote", "cybersecurity and military medicine")
    code, out, _ = run("export")
    assert code == 0 and out.startswith("# Highlights\n")
    assert "cybersecurity and military medicine" in out
    for fmt, start in [("json", "{"), ("yaml", "format: reader-excerpts"), ("csv", '"article_id"')]:
        code, out, _ = run("export", "--format", fmt)
        assert code == 0 and out.startswith(start), fmt
    code, out, _ = run("export", "--format", "w3c")
    assert json.loads(out)["items"][0]["motivation"] == "highlighting"
    code, out, _ = run("export", "--format", "json", "-o", "-")
    assert code == 0 and json.loads(out)["articles"] and not Path("-").exists()


def test_export_query_and_hits(run):
    run("highlights", "add", EPOCH, "--quote", "cybersecurity and military medicine")
    code, out, _ = run("export", "--query", "cybersecurity", "--format", "json")
    data = json.loads(out)
    assert [a["id"] for a in data["articles"]] == [EPOCH]
    assert data["articles"][0]["excerpts"][0]["hits"][0]["text"] == "cybersecurity"
    code, out, _ = run("export", "--query", "Senkaku", "--hits", "--passages", "1")
    assert code == 0 and out.startswith("# Passages matching Senkaku") and "*Senkaku*" in out
    code, _, err = run("export", "--hits")
    assert code == 2 and "give --query" in err
    code, _, err = run("export", "--query", '"unclosed')
    assert code == 2 and "bad query" in err
    code, _, err = run("export", "--article", "nope")
    assert code == 2 and "no article 'nope'" in err


def test_export_to_a_file_never_clobbers(run, tmp_path):
    run("highlights", "add", EPOCH, "--quote", "Tokyo")
    target = tmp_path / "out.csv"
    code, out, err = run("export", "-o", str(target))
    assert code == 0 and out == "" and "exported 1 excerpt to" in err
    assert target.read_text("utf-8").startswith('"article_id"')  # format from the suffix
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("export", "-o", str(target))
    assert code == 2 and "exists" in err and "--force" in err
    assert target.read_text("utf-8") == "keep me"
    code, _, _ = run("export", "-o", str(target), "--force", "--format", "markdown")
    assert code == 0 and target.read_text("utf-8").startswith("# Highlights")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "out.csv"]
    code, _, err = run("export", "-o", str(tmp_path / "missing" / "x.md"))
    assert code == 2 and "no such folder" in err


def test_help_explains_query_versus_hits(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    out = capsys.readouterr().out
    assert "--query QUERY --hits" in out and "keyword in context" in out


def test_cli_export_formats_match_the_exporters():
    from reader import export

    assert highlight_commands.EXPORT_FORMATS == export.FORMATS


# -- a highlight belongs to one corpus (issue 14) -------------------------------------------

V1_STORE = Path(__file__).parents[1] / "fixtures" / "highlights-v1.json"


def _main(capsys, corpus: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--corpus", str(corpus), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _lookalike(folder: Path) -> Path:
    """Another corpus with a file of the same name and other text holding the quote."""
    folder.mkdir()
    (folder / f"{EPOCH}.md").write_text(
        "---\ntitle: Growers reject change by coercion\nsource: Farm Weekly\n---\n\n"
        "Growers said any change to water rights made by coercion would be fought.\n",
        encoding="utf-8",
    )
    return folder


def test_a_highlight_is_never_cited_under_another_corpus_article(capsys, corpus, tmp_path):
    code, out, err = _main(capsys, corpus, "highlights", "add", EPOCH, "--quote", "by coercion")
    assert code == 0, err
    other = _lookalike(tmp_path / "other")
    code, out, _ = _main(capsys, other, "highlights", "list", "--json")
    assert code == 0 and json.loads(out) == []  # not that corpus's highlight
    code, out, _ = _main(capsys, other, "export", "--format", "json")
    assert "Growers reject" not in out and "by coercion" not in out
    code, out, _ = _main(capsys, corpus, "highlights", "list", "--json")
    (listed,) = json.loads(out)
    assert listed["status"] == "anchored" and listed["corpus"] == str(corpus.resolve())


def test_numbered_corpora_keep_their_highlights_apart(capsys, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, text in ((first, "Talks in Hanoi"), (second, "Floods in Wagga")):
        folder.mkdir()
        (folder / "a000001.md").write_text(
            f"---\ntitle: {text}\n---\n\n{text} went on. The deal was signed.\n", "utf-8"
        )
    assert _main(capsys, first, "highlights", "add", "a000001", "--quote", "deal")[0] == 0
    assert _main(capsys, second, "highlights", "add", "a000001", "--quote", "signed")[0] == 0
    for folder, quote, title in ((first, "deal", "Talks"), (second, "signed", "Floods")):
        out = _main(capsys, folder, "highlights", "list", "--json")[1]
        assert [(h["quote"], h["status"]) for h in json.loads(out)] == [(quote, "anchored")]
        out = _main(capsys, folder, "export", "--format", "json")[1]
        (article,) = json.loads(out)["articles"]
        assert article["title"].startswith(title)
        assert [x["quote"] for x in article["excerpts"]] == [quote]


def test_a_version_1_store_migrates_without_loss(capsys, corpus, tmp_path):
    """A store written by reader before highlights knew their corpus (the fixture was
    written by that code): every field kept, each highlight claimed by the corpus whose
    article holds the text it was made on, and no other."""
    store = HighlightStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(V1_STORE.read_bytes())
    old = json.loads(V1_STORE.read_text("utf-8"))["highlights"]
    other = _lookalike(tmp_path / "other")

    code, out, _ = _main(capsys, other, "highlights", "list", "--json")
    assert code == 0
    listed = json.loads(out)  # listed, orphaned: may be another corpus's, never lost
    assert {h["id"]: h["status"] for h in listed} == {h["id"]: "orphaned" for h in old}
    code, out, _ = _main(capsys, other, "export", "--format", "json")
    assert "Growers reject" not in out  # never cited under the look-alike's title

    code, out, _ = _main(capsys, corpus, "highlights", "list", "--json")
    listed = {h["id"]: h for h in json.loads(out)}
    assert set(listed) == {h["id"] for h in old}
    for record in old:
        now = listed[record["id"]]
        assert now["status"] == "anchored" and now["corpus"] == str(corpus.resolve())
        assert {k: now[k] for k in record} == record  # every field as it was
    saved = json.loads(store.path.read_text("utf-8"))
    assert saved["version"] == 2
    assert {h["corpus"] for h in saved["highlights"]} == {str(corpus.resolve())}
    code, out, _ = _main(capsys, other, "highlights", "list", "--json")
    assert json.loads(out) == []  # claimed: now plainly the other corpus's


# -- exports never land in the corpus (issue 14) --------------------------------------------


def test_an_export_is_never_written_into_the_corpus(capsys, corpus):
    inside = corpus / "notes" / "mine.md"
    inside.parent.mkdir()
    code, _, err = _main(capsys, corpus, "export", "-o", str(inside))
    assert code == 2 and "inside the corpus folder" in err
    assert not inside.exists()


def test_an_export_left_in_the_corpus_by_an_older_reader_is_not_indexed(capsys, corpus):
    (corpus / "reader-export-20261123.md").write_text(
        "# Highlights\n\n## Japan, Vietnam Oppose Bids\n\n> by coercion\n", "utf-8"
    )
    code, out, _ = _main(capsys, corpus, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 5
