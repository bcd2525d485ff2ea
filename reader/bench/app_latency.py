"""Measure keystroke-to-results in the app, and the app's peak memory.

    python -m reader.bench.app_latency [--corpus DIR] [--queries N] [--json]

Runs the real app headless (Textual's pilot, 140x40) on the corpus with its index
brought up to date first, then for each query of the benchmark's mixed set
(:func:`reader.bench.run.derive_queries`: terms, AND, phrases, fields, prefixes, fuzzy)
goes to the query box, types the query and times from the moment the app receives
the last key until it has handled that query's first answer: the first screen of
results in the list and the hit count in the status line (the screen repaints in
the next frame, a few milliseconds later; the rest of a long list follows).
A debounce wait (``debounce`` in the settings; the default, 0, is used) would be
part of that time; the figure without it is shown too. Every result is then opened
in the viewer, so the peak memory (the process's maximum resident set) covers
searching and reading.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from reader.support.locations import default_corpus


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * fraction
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _keys(text: str) -> list[str]:
    named = {" ": "space", '"': "quotation_mark", "*": "asterisk", "~": "tilde", ":": "colon"}
    return [named.get(c, c) for c in text]


def _prepare(corpus: str, count: int) -> list[str]:
    """Update the corpus's index; the benchmark's queries for it, without repeats."""
    from reader.bench import run as bench
    from reader.index.corpus_index import CorpusIndex

    index = CorpusIndex(Path(corpus))
    index.open()
    index.update()
    queries = [query.text for query in bench.derive_queries(index, count)]
    index.close()
    return list(dict.fromkeys(queries))


async def measure(corpus: Path, count: int) -> dict[str, Any]:
    from textual import events

    from reader.app import make_app
    from reader.app import messages as msg
    from reader.app.pilot import settle
    from reader.app.settings import Settings

    # The index is brought up to date, and the queries made, in another process, so
    # that the peak memory below is the app's alone.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        queries = pool.submit(_prepare, str(corpus), count).result()

    finished: dict[str, float] = {}
    last_key: list[float] = []

    def hook(message: Any) -> None:
        if isinstance(message, events.Key) and not last_key:
            last_key.append(time.perf_counter())  # the first dispatch of the key being timed
        elif isinstance(message, msg.SearchFinished):
            query = message.request.query

            def handled() -> None:
                finished.setdefault(query, time.perf_counter())

            # The hook runs as the message is dispatched: the time is taken once the app
            # has handled it (the results are in the list).
            app.call_next(handled)

    settings = Settings()  # the defaults, so that runs compare
    app = make_app(corpus, restore=False, settings=settings)
    seconds: list[float] = []
    async with app.run_test(size=(140, 40), message_hook=hook) as pilot:
        await settle(pilot, timeout=600)
        for query in queries:
            # Leave the query box, come back: its text is selected and typing replaces it.
            await pilot.press("escape", "slash")
            keys = _keys(query)
            await pilot.press(*keys[:-1])
            await settle(pilot)
            finished.clear()
            last_key.clear()
            await pilot.press(keys[-1])
            while query not in finished:
                if last_key and time.perf_counter() - last_key[0] > 30:
                    raise RuntimeError(f"no results for {query!r} after 30 s")
                await asyncio.sleep(0.001)
            # The first answer: the first screen of results is in the list (and the status
            # line); the screen repaints in its next frame.
            seconds.append(finished[query] - last_key[0])
            await pilot.press("enter")  # open the top result
            await settle(pilot)
    debounce = settings.debounce
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "corpus": str(corpus),
        "queries": len(seconds),
        "debounce_ms": round(debounce * 1000, 1),
        "keystroke_to_results_p50_ms": round(statistics.median(seconds) * 1000, 1),
        "keystroke_to_results_p95_ms": round(_percentile(seconds, 0.95) * 1000, 1),
        "after_debounce_p50_ms": round((statistics.median(seconds) - debounce) * 1000, 1),
        "after_debounce_p95_ms": round((_percentile(seconds, 0.95) - debounce) * 1000, 1),
        "app_peak_rss_mb": round(rss_kb / 1024 if sys.platform != "darwin" else rss_kb / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench.app_latency", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    figures = asyncio.run(measure(args.corpus.expanduser().resolve(), args.queries))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"corpus: {figures['corpus']} ({figures['queries']} queries)")
    print(
        f"last key to results on screen: p50 {figures['keystroke_to_results_p50_ms']} ms, "
        f"p95 {figures['keystroke_to_results_p95_ms']} ms "
        f"(including the {figures['debounce_ms']} ms debounce)"
    )
    print(
        f"after the debounce: p50 {figures['after_debounce_p50_ms']} ms, "
        f"p95 {figures['after_debounce_p95_ms']} ms (goal: at most 100 ms)"
    )
    print(f"app peak memory: {figures['app_peak_rss_mb']} MB (goal: at most 250 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
