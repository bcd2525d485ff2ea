"""``reader bench``: measure the whole path on a corpus, reproducibly.

The corpus is copied to a scratch folder and indexed with a scratch
``READER_HOME``, so nothing of the user's is touched. Measured:

- a full index build from empty, entity recognition included (articles/s);
- start-up with nothing changed and after one file changed, each as a fresh
  ``reader index`` process, against the same command on a five-article corpus
  (medians of rounds that take the three in turn);
- search latency p50/p95 over a mixed query set derived from the corpus
  vocabulary (single terms, AND, phrases, fields, prefix, fuzzy), each with the
  top-10 snippets the app shows;
- opening the largest article (stored fields, entities and hit spans);
- peak memory (resident set size) of this process and of its worker processes.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.index.documents import ENV_ENTITIES
from reader.support.locations import ENV_HOME, bundled_corpus


@dataclass(frozen=True, slots=True)
class BenchQuery:
    kind: str
    text: str


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * fraction
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def derive_queries(index: Any, count: int = 120, seed: int = 7) -> list[BenchQuery]:
    """A mixed query set from the corpus's own vocabulary, the same for the same corpus."""
    rng = random.Random(seed)
    with index.searcher() as searcher:
        reader = searcher.reader()
        docs = searcher.doc_count()
        words = [
            w.decode("utf-8")
            for w, info in reader.iter_field("spell_body")
            if w.isalpha() and len(w) > 3
        ]
        bodies = [
            stored.get("body", "")
            for _, stored in zip(range(400), searcher.all_stored_fields(), strict=False)
        ]
        sources = sorted(
            {s for s in (st.get("source") for st in searcher.all_stored_fields()) if s}
        )[:5]
    if not words or not bodies:
        raise ValueError("the corpus has no words to build queries from")
    # Terms of middle frequency: neither in every article nor in almost none.
    frequent = [w for w in words if 0.002 * docs <= _doc_freq(index, w) <= 0.2 * docs] or words
    phrases = []
    for body in bodies:
        tokens = re.findall(r"[A-Za-z]{4,}", body)
        for i in range(0, max(len(tokens) - 1, 0), 15):
            phrases.append(f'"{tokens[i]} {tokens[i + 1]}"')
    queries: list[BenchQuery] = []
    kinds = ["term", "and", "phrase", "field", "prefix", "fuzzy"]
    for n in range(count):
        kind = kinds[n % len(kinds)]
        word = rng.choice(frequent)
        if kind == "term":
            text = word
        elif kind == "and":
            text = f"{word} AND {rng.choice(frequent)}"
        elif kind == "phrase":
            text = rng.choice(phrases) if phrases else word
        elif kind == "field":
            options = [f"title:{word}", f"body:{word} date:2006"]
            if sources:
                options.append(f"source:{rng.choice(sources).split()[0].lower()} {word}")
            text = rng.choice(options)
        elif kind == "prefix":
            text = word[:4] + "*"
        else:
            i = rng.randrange(1, len(word) - 1)
            text = word[:i] + rng.choice("aeiou") + word[i + 1 :] + "~"
        queries.append(BenchQuery(kind, text))
    return queries


_DF_CACHE: dict[str, int] = {}


def _doc_freq(index: Any, word: str) -> int:
    if word not in _DF_CACHE:
        from reader.index.analysis import analyze_token

        term = analyze_token(word)
        with index.searcher() as searcher:
            _DF_CACHE[word] = searcher.doc_frequency("body", term) if term else 0
    return _DF_CACHE[word]


#: Rounds of the start-up measurements; each figure is the median of its rounds.
START_UP_ROUNDS = 7


def _time_start_ups(
    corpus: Path, small: Path, env: dict[str, str], rounds_wanted: int = START_UP_ROUNDS
) -> tuple[float, float, float]:
    """Median wall times of ``reader index`` in a fresh process: on ``corpus`` with nothing
    changed, on the five-article ``small`` corpus with nothing changed, and on ``corpus``
    after one file changed.

    The three are measured in turn in each round, so that a machine that slows down
    for a while slows all three alike and their ratios stay true.
    """
    command = [sys.executable, "-m", "reader", "--corpus"]
    changed_file = next(p for p in sorted(corpus.rglob("*")) if p.suffix in {".md", ".txt"})

    def timed(folder: Path) -> float:
        started = time.perf_counter()
        subprocess.run([*command, str(folder), "index"], env=env, check=True, capture_output=True)
        return time.perf_counter() - started

    timed(small)  # the small corpus's index is built here, not timed
    rounds: list[tuple[float, float, float]] = []
    for n in range(rounds_wanted):
        nochange, nochange_small = timed(corpus), timed(small)
        with open(changed_file, "a", encoding="utf-8") as handle:
            handle.write(f"\nBenchmark edit {n}.\n")
        rounds.append((nochange, nochange_small, timed(corpus)))
    nochange, nochange_small, incremental = (
        statistics.median(values) for values in zip(*rounds, strict=True)
    )
    return nochange, nochange_small, incremental


def _build_seconds(corpus: Path, home: Path, entities: bool) -> float:
    """Time a full build of ``corpus`` from empty in a fresh process."""
    env = {**os.environ, ENV_HOME: str(home), ENV_ENTITIES: "on" if entities else "off"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "--corpus", str(corpus), "index"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def run(
    corpus: Path,
    *,
    queries: int = 120,
    progress: Any = None,
    compare_entities: bool = False,
    rounds: int = START_UP_ROUNDS,
) -> dict[str, Any]:
    """Run the benchmark on a scratch copy of ``corpus``; return the figures."""
    from reader.index.corpus_index import CorpusIndex
    from reader.search.engine import search, stored_entities
    from reader.search.snippets import match_spans

    say = progress or (lambda message: None)
    scratch = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    old_home = os.environ.get(ENV_HOME)
    try:
        copy = scratch / "corpus"
        say(f"copying {corpus} to a scratch folder")
        shutil.copytree(corpus, copy, symlinks=False)
        small = scratch / "five"
        shutil.copytree(bundled_corpus(), small)
        home = scratch / "home"
        os.environ[ENV_HOME] = str(home)
        env = {**os.environ, ENV_HOME: str(home)}

        say("building the index from empty")
        # A fresh process, as a user's first `reader index` would be.
        build_s = _build_seconds(copy, home, entities=True)
        index = CorpusIndex(copy)
        index.open()
        articles = len(index.article_ids())

        without_entities_s = None
        if compare_entities:
            say("building again without entity recognition, for comparison")
            without_entities_s = _build_seconds(copy, scratch / "home-plain", entities=False)

        say("timing start-up with nothing changed, and after one file changed")
        nochange, nochange_small, incremental = _time_start_ups(copy, small, env, rounds)

        say("timing searches")
        index = CorpusIndex(copy)
        index.open()
        index.update()
        query_set = derive_queries(index, count=queries)
        timings: dict[str, list[float]] = {}
        with index.searcher() as searcher:
            for q in query_set[:10]:  # warm caches the way a session would
                search(searcher, q.text, limit=10)
            for q in query_set:
                started = time.perf_counter()
                search(searcher, q.text, limit=10, snippets=3)
                timings.setdefault(q.kind, []).append((time.perf_counter() - started) * 1000)
        all_ms = [t for values in timings.values() for t in values]

        say("opening the largest article")
        largest = max(copy.rglob("*.*"), key=lambda p: p.stat().st_size if p.is_file() else 0)
        largest_id = largest.relative_to(copy).as_posix().rsplit(".", 1)[0]
        started = time.perf_counter()
        stored = index.stored(largest_id) or {}
        stored_entities(stored)
        with index.searcher() as searcher:
            terms = search(searcher, query_set[0].text, limit=1, snippets=0).terms
        match_spans(stored.get("body", ""), terms)
        open_ms = (time.perf_counter() - started) * 1000

        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {
            "corpus": str(corpus),
            "articles": articles,
            "build_s": round(build_s, 2),
            "build_docs_per_s": round(articles / build_s, 1) if build_s else None,
            "build_without_entities_s": round(without_entities_s, 2)
            if without_entities_s
            else None,
            "entities_build_overhead": round(build_s / without_entities_s - 1, 3)
            if without_entities_s
            else None,
            "nochange_start_s": round(nochange, 3),
            "nochange_start_five_s": round(nochange_small, 3),
            "nochange_start_ratio": round(nochange / nochange_small, 2),
            "incremental_s": round(incremental, 3),
            "incremental_ratio": round(incremental / nochange, 2),
            "start_up_rounds": rounds,
            "search_p50_ms": round(statistics.median(all_ms), 2),
            "search_p95_ms": round(_percentile(all_ms, 0.95), 2),
            "search_by_kind_p95_ms": {
                kind: round(_percentile(values, 0.95), 2) for kind, values in timings.items()
            },
            "queries": len(all_ms),
            "open_largest_ms": round(open_ms, 2),
            "largest_article_bytes": largest.stat().st_size,
            "peak_rss_mb": round(self_rss, 1),
            "peak_worker_rss_mb": round(child_rss, 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()}",
        }
    finally:
        if old_home is None:
            os.environ.pop(ENV_HOME, None)
        else:
            os.environ[ENV_HOME] = old_home
        shutil.rmtree(scratch, ignore_errors=True)


def format_report(figures: dict[str, Any]) -> str:
    lines = [
        f"corpus: {figures['corpus']} ({figures['articles']} articles)",
        f"machine: {figures['machine']}",
        f"full build: {figures['build_s']} s, {figures['build_docs_per_s']} articles/s "
        "(entity recognition included)",
        *(
            [
                f"full build without entity recognition: {figures['build_without_entities_s']} s "
                f"(recognition adds {figures['entities_build_overhead']:.0%})"
            ]
            if figures.get("build_without_entities_s")
            else []
        ),
        f"start-up, nothing changed: {figures['nochange_start_s']} s "
        f"(five-article corpus: {figures['nochange_start_five_s']} s, "
        f"{figures['nochange_start_ratio']}x), median of {figures['start_up_rounds']} rounds",
        f"update after one file changed: {figures['incremental_s']} s "
        f"({figures['incremental_ratio']}x nothing changed)",
        f"search with top-10 snippets: p50 {figures['search_p50_ms']} ms, "
        f"p95 {figures['search_p95_ms']} ms over {figures['queries']} queries",
        "  p95 by kind: "
        + ", ".join(f"{k} {v} ms" for k, v in figures["search_by_kind_p95_ms"].items()),
        f"open the largest article ({figures['largest_article_bytes']} bytes): "
        f"{figures['open_largest_ms']} ms",
        f"peak memory: {figures['peak_rss_mb']} MB (index workers: "
        f"{figures['peak_worker_rss_mb']} MB)",
    ]
    return "\n".join(lines)


def main_json(figures: dict[str, Any]) -> str:
    return json.dumps(figures, indent=2)
