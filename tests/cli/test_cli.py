"""The command line: JSON outputs, errors, and finding the bundled corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from reader.cli.main import main


def run_json(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_list_json(capsys, corpus):
    code, rows = run_json(capsys, "--corpus", str(corpus), "list", "--json")
    assert code == 0
    assert len(rows) == 5
    for row in rows:
        assert set(row) == {"id", "path", "title", "source", "date"}
        assert os.path.isabs(row["path"])
    titles = {r["title"] for r in rows}
    assert "Japan and Vietnam Expand Defense Partnership" in titles


def test_search_json(capsys, corpus):
    code, hits = run_json(
        capsys, "--corpus", str(corpus), "search", "Senkaku", "--json", "--limit", "1"
    )
    assert code == 0 and len(hits) == 1
    hit = hits[0]
    assert list(hit) == ["id", "path", "title", "source", "date", "score", "snippets"]
    snippet = hit["snippets"][0]
    start, end = snippet["matches"][0]
    assert snippet["text"][start:end] == "Senkaku"


def test_bad_query_is_one_line_exit_2_and_valid_json(capsys, corpus):
    code = main(["--corpus", str(corpus), "search", '"unclosed', "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out) == {
        "error": 'bad query: a phrase is opened with " but never closed'
    }
    assert captured.err.count("\n") == 1 and captured.err.startswith("reader: bad query")


def test_missing_corpus_is_an_error(capsys, tmp_path):
    code = main(["--corpus", str(tmp_path / "nope"), "list"])
    assert code == 2
    assert "corpus folder not found" in capsys.readouterr().err


def test_plain_search_output_when_piped(capsys, corpus):
    assert main(["--corpus", str(corpus), "search", "cybersecurity", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "results, showing 2 (sorted by relevance)" in out


def test_index_command_reports_changes(capsys, corpus):
    assert main(["--corpus", str(corpus), "index"]) == 0
    assert "5 added" in capsys.readouterr().out
    (corpus / "extra.txt").write_text("Extra story about rice.\n", encoding="utf-8")
    assert main(["--corpus", str(corpus), "index"]) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 changed, 0 removed; 6 articles" in out
    assert "added: extra" in out


def test_one_bad_date_costs_only_that_field(capsys, corpus):
    """issue 14: `date: 2021-13-45` made `reader index` print a traceback, nothing indexed."""
    (corpus / "bad-date.md").write_text(
        "---\ntitle: Bad date\ndate: 2021-13-45\n---\n\nRice prices in Hanoi.\n",
        encoding="utf-8",
    )
    assert main(["--corpus", str(corpus), "index"]) == 0
    captured = capsys.readouterr()
    assert "6 added" in captured.out
    assert "Traceback" not in captured.err
    (warning,) = [line for line in captured.err.splitlines() if "bad-date.md" in line]
    assert "date '2021-13-45'" in warning and "ignored" in warning
    code, rows = run_json(capsys, "--corpus", str(corpus), "list", "--json")
    assert code == 0
    bad = next(r for r in rows if r["id"] == "bad-date")
    assert (bad["title"], bad["date"]) == ("Bad date", None)


def list_from(folder, reader_home):
    """``reader list --json`` run as a new process from ``folder``, without $READER_CORPUS."""
    env = {k: v for k, v in os.environ.items() if k != "READER_CORPUS"}
    env["READER_HOME"] = str(reader_home)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "list", "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bundled_corpus_found_from_another_folder(tmp_path, reader_home):
    assert len(list_from(tmp_path, reader_home)) == 5


def test_local_articles_folder_wins_over_the_bundled_corpus(tmp_path, reader_home):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "only.md").write_text("The only article.\n", encoding="utf-8")
    assert [r["id"] for r in list_from(tmp_path, reader_home)] == ["only"]


def _damage_the_middle_of_the_segment(corpus) -> None:
    """50 KB of garbage in the middle of the segment's postings (where the order of the
    parts inside the segment file, which varies, does not matter)."""
    import random

    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    from reader.support.locations import index_dir_for

    (segment,) = index_dir_for(corpus.resolve()).glob("whoosh/*.seg")
    parts = CompoundStorage(FileStorage(str(segment.parent)).open_file(segment.name))
    (postings,) = [info for name, info in parts._dir.items() if name.endswith(".pst")]
    parts.close()
    data = bytearray(segment.read_bytes())
    start = postings["offset"] + postings["length"] // 2 - 25600
    data[start : start + 51200] = random.Random(14).randbytes(51200)
    segment.write_bytes(bytes(data))


def test_a_damaged_index_is_rebuilt_never_blamed_on_the_query(capsys, corpus, reader_home):
    """issue 14: garbage in a segment made `search` say "bad query: … UnpicklingError"."""
    queries = ["japan", "vietnam", "kishi", "agreement", "defense"]
    clean = {}
    for query in queries:
        code, rows = run_json(capsys, "--corpus", str(corpus), "search", query, "--json")
        clean[query] = [row["id"] for row in rows]
    _damage_the_middle_of_the_segment(corpus)
    errors = ""
    for query in queries:
        code = main(["--corpus", str(corpus), "search", query, "--json"])
        captured = capsys.readouterr()
        errors += captured.err
        assert code == 0 and [row["id"] for row in json.loads(captured.out)] == clean[query]
    assert "bad query" not in errors
    assert errors.count("the index is damaged") == 1  # found once, rebuilt, then sound
    assert "rebuilding it from the articles" in errors


def test_damage_found_by_a_search_is_rebuilt_at_the_next_start(corpus, tmp_path):
    """When the rebuild that follows cannot run (the process is killed, say)."""
    from reader.index.corpus_index import CorpusIndex
    from reader.index.schema import IndexDamaged

    index = CorpusIndex(corpus, tmp_path / "index")
    index.open()
    index.update()
    index.mark_damaged(IndexDamaged("the index is damaged (UnpicklingError: test)"))
    again = CorpusIndex(corpus, tmp_path / "index")
    again.open()
    assert again.notice == (
        "the index is damaged (UnpicklingError: test); rebuilding it from the articles"
    )
    report = again.update()
    assert report.rebuilt and report.total == 5
    again.close()
    third = CorpusIndex(corpus, tmp_path / "index")
    third.open()
    assert third.notice is None
    third.close()


def test_skipped_files_are_counted_in_one_line_and_listed_by_index(capsys, corpus):
    for n in range(30):
        (corpus / f"empty-{n:02d}.md").write_text("", encoding="utf-8")
    assert main(["--corpus", str(corpus), "index"]) == 0
    listed = capsys.readouterr().err.splitlines()
    assert len([line for line in listed if "empty-" in line and "empty" in line]) == 30
    for _ in range(2):  # first after the build, then with the failures remembered
        assert main(["--corpus", str(corpus), "search", "Kishi"]) == 0
        err = capsys.readouterr().err
        assert err.splitlines() == ["reader: 30 files skipped ('reader index' lists them)"]
    assert main(["--corpus", str(corpus), "index"]) == 0
    captured = capsys.readouterr()
    assert "30 files skipped" in captured.out
    assert len([line for line in captured.err.splitlines() if "empty-" in line]) == 30


def test_entities_json_carries_ids_the_same_in_every_article(capsys, corpus):
    code, records = run_json(capsys, "--corpus", str(corpus), "entities", "--json")
    assert code == 0
    ids = {(e["type"], e["name"]): e["id"] for r in records for e in r["entities"]}
    assert ids[("place", "United States")] == "place:US"
    assert ids[("person", "Nobuo Kishi")] == "person:nobuo-kishi"
    kishi_articles = [
        r for r in records if any(e["id"] == "person:nobuo-kishi" for e in r["entities"])
    ]
    assert len(kishi_articles) == 4
    assert any(e["type"] == "organisation" for r in records for e in r["entities"])


def test_entities_all_gives_one_row_per_id(capsys, corpus):
    code, rows = run_json(capsys, "--corpus", str(corpus), "entities", "--all", "--json")
    assert code == 0
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == len(rows)
    vietnam = by_id["place:VN"]
    assert set(vietnam) == {
        "id", "type", "name", "aliases", "articles", "mentions", "first", "last"
    }  # fmt: skip
    assert (vietnam["articles"], vietnam["first"], vietnam["last"]) == (
        5,
        "2014-03-19",
        "2021-11-24",
    )
    code, people = run_json(
        capsys, "--corpus", str(corpus), "entities", "--all", "--type", "person", "--json"
    )
    assert {row["type"] for row in people} == {"person"}
    assert people[0]["id"] == "person:nobuo-kishi"


def test_entity_gives_its_articles_and_company(capsys, corpus):
    code, found = run_json(
        capsys, "--corpus", str(corpus), "entity", "person:nobuo-kishi", "--json"
    )
    assert code == 0
    assert found["name"] == "Nobuo Kishi" and len(found["article_ids"]) == 4
    company = {c["id"]: c["shared"] for c in found["cooccurring"]}
    assert company["place:VN"] == 4 and company["person:phan-van-giang"] == 4
    shared = [c["shared"] for c in found["cooccurring"]]
    assert shared == sorted(shared, reverse=True)


def test_unknown_entity_is_one_line_and_valid_json(capsys, corpus):
    code = main(["--corpus", str(corpus), "entity", "person:nobody", "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "no entity" in json.loads(captured.out)["error"]


def test_entities_all_refuses_paths(capsys, corpus):
    code = main(["--corpus", str(corpus), "entities", "--all", str(corpus)])
    assert code == 2
    assert "--all takes no paths" in capsys.readouterr().err


def test_org_field_finds_an_organisation_by_name_or_acronym(capsys, corpus):
    for query in ('org:"North Atlantic Treaty Organization"', "org:NATO", "org:Kyodo"):
        code, hits = run_json(capsys, "--corpus", str(corpus), "search", query, "--json")
        assert code == 0 and hits, query
    code, hits = run_json(capsys, "--corpus", str(corpus), "search", "org:Hanoi", "--json")
    assert hits == []


def test_the_entity_table_is_written_by_reader_index_and_built_when_stale(capsys, corpus):
    from reader.index.entity_table import SUMMARY_FILE
    from reader.support.locations import LIVE_INDEX, index_dir_for

    summary = index_dir_for(corpus) / LIVE_INDEX / SUMMARY_FILE
    assert main(["--corpus", str(corpus), "search", "Kishi", "--json"]) == 0
    assert not summary.exists()  # a search does not pay for the table
    assert main(["--corpus", str(corpus), "index"]) == 0
    # Nothing changed since the search indexed the corpus: the table is built when read.
    capsys.readouterr()
    code, rows = run_json(capsys, "--corpus", str(corpus), "entities", "--all", "--json")
    assert code == 0 and summary.exists()
    (corpus / "norway.md").write_text(
        "---\ntitle: Norway\ndate: 2022-01-02\n---\nNobuo Kishi visited Norway.\n", encoding="utf-8"
    )
    stamp = summary.stat().st_mtime_ns
    assert main(["--corpus", str(corpus), "index"]) == 0
    assert summary.stat().st_mtime_ns != stamp  # reader index brought it up to date
    capsys.readouterr()
    code, rows = run_json(capsys, "--corpus", str(corpus), "entities", "--all", "--json")
    assert {row["id"]: row["articles"] for row in rows}["place:NO"] == 1


def test_a_plain_start_of_the_app_does_not_build_every_commands_parser(tmp_path):
    """``reader`` / ``reader --corpus DIR`` / ``reader app`` go straight to the app: the
    other commands' modules are not imported before its first frame."""
    from reader.cli.main import app_arguments

    assert app_arguments([]).corpus is None
    assert app_arguments(["--corpus", "x"]).corpus.name == "x"
    assert app_arguments(["--corpus=x", "app"]).corpus.name == "x"
    assert app_arguments(["app", "--corpus", "app"]).corpus.name == "app"
    for other in (
        ["list"],
        ["--corpus"],
        ["--corpus", "-h"],
        ["-h"],
        ["app", "app"],
        ["--version"],
    ):
        assert app_arguments(other) is None, other
    script = (
        "import sys\n"
        "import reader.cli.main as cli\n"
        "seen = []\n"
        "cli.cmd_app = lambda args, corpus: seen.append(corpus) or 0\n"
        f"code = cli.main(['--corpus', {str(tmp_path)!r}])\n"
        "print(code, seen[0].name, 'reader.cli.agreements' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", tmp_path.name, "False"]
