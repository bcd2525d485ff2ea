"""Measure opening long articles in the app, the first time and again.

    python -m reader.bench.open_article --corpus DIR [--query TEXT] [--json] [ID ...]

Runs the real app headless (Textual's pilot, 120x36) on the corpus (its index
brought up to date first, not timed). With a query, its hits are marked in the
articles (searched first, not timed). Each article (by default every article of
the corpus, largest last) is opened, then the smallest other one, then it again
(the first time as if never opened: nothing kept from an earlier open); for each
open the figures are the process's CPU time (every thread: the workers and the
event loop) and the wall time from the open until the whole article is on
screen, its first part (a long article's preview) when that came, and the
number of hits. Then ``End`` and ``Escape`` are pressed in the open article,
and their CPU time is reported too (issue 15 reported them leaving the app busy
for minutes in a 19 MB article with 200,000 hits).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from reader.support.locations import default_corpus


class _Clock:
    def __init__(self) -> None:
        self.cpu = time.process_time()
        self.wall = time.perf_counter()

    def ms(self) -> dict[str, float]:
        return {
            "cpu_ms": round((time.process_time() - self.cpu) * 1000, 1),
            "wall_ms": round((time.perf_counter() - self.wall) * 1000, 1),
        }


async def measure(corpus: Path, ids: list[str], query: str) -> list[dict[str, Any]]:
    from reader.app import make_app
    from reader.app.pilot import settle
    from reader.app.settings import Settings
    from reader.app.widgets.search_pane import QueryInput
    from reader.app.widgets.viewer import ArticleViewer

    app = make_app(corpus, restore=False, settings=Settings())
    rows: list[dict[str, Any]] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, timeout=3600)
        sizes = {
            p.relative_to(corpus).with_suffix("").as_posix(): p.stat().st_size
            for p in corpus.rglob("*.md")
        }
        by_size = sorted(sizes, key=sizes.__getitem__)
        ids = ids or by_size
        if query:
            # The whole query at once (typed key by key, each key would mark the hits of
            # what is typed so far in the article the first results open).
            box = app.query_one(QueryInput)
            box.focus()
            box.value = query
            await settle(pilot, timeout=600)
        viewer = app.query_one(ArticleViewer)

        async def open_one(article_id: str, first_time: bool = False) -> dict[str, Any]:
            if first_time:  # as if it had not been opened yet (the first results open one)
                app.service.forget_articles()
            clock = _Clock()
            first: dict[str, float] | None = None
            app.reading.open(article_id)
            while True:
                document = viewer.document
                if document is not None and document.id == article_id:
                    if document.partial and first is None:
                        first = clock.ms()
                    elif not document.partial and not viewer.awaiting_article:
                        break
                await asyncio.sleep(0.001)
            figures = clock.ms()
            await settle(pilot, timeout=600)
            return {**figures, "first_part": first, "hits": len(viewer.document.hits)}

        for article_id in ids:
            other = next((a for a in by_size if a != article_id), article_id)
            row: dict[str, Any] = {"article": article_id}
            row["first_open"] = await open_one(article_id, first_time=True)
            row["chars"] = len(viewer.document.body)
            await open_one(other)
            row["second_open"] = await open_one(article_id)
            viewer.focus()
            for key in ("end", "escape"):
                clock = _Clock()
                await pilot.press(key)
                await settle(pilot, timeout=600)
                row[key] = clock.ms()
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reader.bench.open_article", description=__doc__
    )
    parser.add_argument("ids", nargs="*", help="articles to open (default: all, largest last)")
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--query", default="", help="a query whose hits are marked")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = asyncio.run(measure(args.corpus, args.ids, args.query))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        first, second = row["first_open"], row["second_open"]
        part = first["first_part"]
        print(
            f"{row['article']} ({row['chars']:,} characters, {first['hits']:,} hits): "
            f"first open {first['cpu_ms']:.0f} ms CPU ({first['wall_ms']:.0f} ms wall"
            + (f"; first part after {part['cpu_ms']:.0f} ms CPU" if part else "")
            + f"), again {second['cpu_ms']:.0f} ms CPU ({second['wall_ms']:.0f} ms wall); "
            f"End {row['end']['cpu_ms']:.0f} ms, Escape {row['escape']['cpu_ms']:.0f} ms CPU"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
