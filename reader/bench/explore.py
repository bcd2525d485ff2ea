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


def _median_ms(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def measure(corpus: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, object]:
    from reader.index.corpus_index import CorpusIndex
    from reader.search.facets import CorpusTable, facets, matching_docnums, timeline
    from reader.search.kwic import concordance

    index = CorpusIndex(corpus)
    index.open()
    index.update()
    rows = []
    with index.searcher() as searcher:
        started = time.perf_counter()
        table = CorpusTable(searcher)
        table_ms = round((time.perf_counter() - started) * 1000, 1)
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
                "facets_timeline_ms": _median_ms(facets_and_timeline),
            }
            if query:
                found = concordance(searcher, query)
                row["kwic_hits"] = len(found.lines)
                row["kwic_complete"] = found.complete
                row["kwic_ms"] = _median_ms(lambda q=query: concordance(searcher, q), repeat=3)
            rows.append(row)
    index.close()
    return {"corpus": str(corpus), "articles": articles, "table_ms": table_ms, "queries": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = measure(args.corpus)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['articles']:,} articles · entity table built in {report['table_ms']} ms")
    print(f"{'query':<26}{'articles':>9}{'facets+timeline':>17}{'kwic hits':>11}{'kwic':>9}")
    for row in report["queries"]:  # type: ignore[union-attr]
        kwic = f"{row['kwic_ms']} ms" if "kwic_ms" in row else "-"
        hits = row.get("kwic_hits", "-")
        label = repr(row["query"])
        print(
            f"{label:<26}{row['articles']:>9}{str(row['facets_timeline_ms']) + ' ms':>17}"
            f"{hits!s:>11}{kwic:>9}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
