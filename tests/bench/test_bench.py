"""``reader bench`` runs end to end and reports the figures the README quotes."""

from __future__ import annotations

import json

from reader.cli.main import main


def test_bench_json_on_the_bundled_corpus(capsys, corpus, reader_home):
    assert (
        main(
            [
                "bench",
                "--corpus",
                str(corpus),
                "--json",
                "--queries",
                "12",
                "--rounds",
                "1",
                "--compare-entities",
            ]
        )
        == 0
    )
    figures = json.loads(capsys.readouterr().out)
    for key in (
        "build_docs_per_s",
        "search_p50_ms",
        "search_p95_ms",
        "nochange_start_s",
        "incremental_s",
        "nochange_start_ratio",
        "incremental_ratio",
        "peak_rss_mb",
        "build_without_entities_s",
    ):
        assert isinstance(figures[key], int | float) and figures[key] > 0, key
    assert figures["articles"] == 5 and figures["queries"] == 12
    assert figures["start_up_rounds"] == 1
    assert figures["search_p50_ms"] <= figures["search_p95_ms"]
    # The user's corpus and per-user folders are untouched: the bench works on copies.
    assert sorted(p.name for p in corpus.iterdir()) == sorted(
        p.name for p in corpus.iterdir() if p.suffix == ".md"
    )
    assert not (reader_home / "cache" / "indexes").exists()


def test_explore_bench_measures_every_query(capsys, corpus):
    from reader.bench.explore import main as explore_main

    assert explore_main([str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 5 and report["table_ms"] > 0
    rows = {row["query"]: row for row in report["queries"]}
    assert rows[""]["articles"] == 5 and "kwic_ms" not in rows[""]
    assert rows["said"]["kwic_hits"] > 0 and rows["said"]["kwic_ms"] > 0
    assert all(row["facets_timeline_ms"] > 0 for row in rows.values())


def test_open_article_bench_opens_an_article_twice(capsys, corpus):
    from reader.bench.open_article import main as open_main

    article = min(corpus.rglob("*.md")).relative_to(corpus).with_suffix("").as_posix()
    assert open_main(["--corpus", str(corpus), "--query", "Kishi", "--json", article]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["article"] == article and row["chars"] > 0
    for figures in (row["first_open"], row["second_open"], row["end"], row["escape"]):
        assert figures["cpu_ms"] >= 0 and figures["wall_ms"] >= 0
