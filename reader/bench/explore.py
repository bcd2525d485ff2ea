"""Measure the Explore views on a corpus: facets, timeline and keyword in context.

    python -m reader.bench.explore /tmp/abc10k [--json]

Opens (and brings up to date) the corpus's index, then times, for queries from
the whole corpus down to a few articles: the table of entities and days (once per
index version, cold), facets plus timeline of the result set (the median of five
runs), and the keyword-in-context list of up to 5,000 hits. The targets are
≤150 ms for facets and timeline and ≤300 ms for 5,000 hits.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

#: From the whole corpus to a handful of articles, on news text.
QUERIES = ("", "said", "police", "government OR minister", "australia", "iraq", "cricket")


def _median_ms(run, repeat: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``run`` (CPU time says what a busy
    machine's wall clock hides: the time spent waiting for a core)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(walls) * 1000, 1), round(statistics.median(cpus) * 1000, 1)


def measure(corpus: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, object]:
    from reader.index.corpus_index import CorpusIndex
    from reader.search.facets import CorpusTable, facets, matching_docnums, timeline
    from reader.search.kwic import concordance

    index = CorpusIndex(corpus)
    index.open()
    index.update()
    rows = []
    with index.searcher() as searcher:
        started, cpu = time.perf_counter(), time.process_time()
        table = CorpusTable(searcher)
        table_ms = round((time.perf_counter() - started) * 1000, 1)
        table_cpu_ms = round((time.process_time() - cpu) * 1000, 1)
        articles = len(table.live)
        for query in queries:
            docnums = matching_docnums(searcher, query)

            def facets_and_timeline(query: str = query) -> None:
                found = matching_docnums(searcher, query)
                chosen = None if not query else found
                facets(table, chosen)
                timeline(table, chosen)

            row: dict[str, object] = {
                "query": query,
                "articles": len(docnums),
            }
            row["facets_timeline_ms"], row["facets_timeline_cpu_ms"] = _median_ms(
                facets_and_timeline
            )
            if query:
                found = concordance(searcher, query)
                row["kwic_hits"] = len(found.lines)
                row["kwic_complete"] = found.complete
                row["kwic_ms"], row["kwic_cpu_ms"] = _median_ms(
                    lambda q=query: concordance(searcher, q), repeat=3
                )
            rows.append(row)
    index.close()
    return {
        "corpus": str(corpus),
        "articles": articles,
        "table_ms": table_ms,
        "table_cpu_ms": table_cpu_ms,
        "queries": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = measure(args.corpus)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{report['articles']:,} articles · entity table built in {report['table_ms']} ms "
        f"({report['table_cpu_ms']} ms CPU)"
    )
    print("milliseconds: wall (CPU)")
    print(f"{'query':<26}{'articles':>9}{'facets+timeline':>18}{'kwic hits':>11}{'kwic':>16}")
    for row in report["queries"]:  # type: ignore[union-attr]
        kwic = f"{row['kwic_ms']} ({row['kwic_cpu_ms']})" if "kwic_ms" in row else "-"
        hits = row.get("kwic_hits", "-")
        label = repr(row["query"])
        facet = f"{row['facets_timeline_ms']} ({row['facets_timeline_cpu_ms']})"
        print(f"{label:<26}{row['articles']:>9}{facet:>18}{hits!s:>11}{kwic:>16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
