"""Measure what indexing one huge article costs: peak memory and CPU.

    python -m reader.bench.big_article --mb 20 [--zip ZIP] [--json]

Writes a corpus of one article of about ``--mb`` megabytes, made of the ABC news
stories (:mod:`reader.bench.corpus`) one after another, each headline a line of
its own, into a scratch folder. Then runs ``reader index`` on it as a fresh
process with a scratch ``READER_HOME`` (the gazetteer cache warmed first, by
indexing a one-line article) and reports the command's peak resident set size
(``ru_maxrss`` of the largest of its processes: the command, its scan child and
any worker) and CPU time (user + system, its processes included). With
``--update``, the article is added to an index that already holds a small one,
which is the path where the scan child prepares the new file.

``--phases`` runs the build in this process instead and reports, for each phase
(prepare, add_document, commit, the entity table, the agreements catalogue), the
process's peak resident set size during it (Linux), and with ``--trace`` the peak
of Python's allocations above what was held before it (``tracemalloc``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reader.bench.corpus import DEFAULT_ZIP, read_stories
from reader.support.locations import ENV_HOME


def write_article(dest: Path, megabytes: float, zip_path: Path) -> Path:
    """One article of about ``megabytes`` MB of ABC stories, in a folder of its own."""
    stories = read_stories(zip_path)
    size = int(megabytes * 1_000_000)
    parts: list[str] = []
    total = 0
    round_ = 0
    while total < size:
        for story in stories:
            headline = story.headline if not round_ else f"{story.headline} ({round_ + 1})"
            part = headline + "\n\n" + "\n\n".join(story.paragraphs) + "\n\n"
            parts.append(part)
            total += len(part.encode("utf-8"))
            if total >= size:
                break
        round_ += 1
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "huge.md"
    front = "---\ntitle: A year of ABC news\nsource: ABC\ndate: 2006-12-31\n---\n\n"
    path.write_text(front + "".join(parts), encoding="utf-8")
    return path


def _run_index(corpus: Path, home: Path) -> dict[str, Any]:
    """``reader index`` as a fresh process: its peak RSS (MB) and CPU seconds."""
    env = dict(os.environ, **{ENV_HOME: str(home)})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--corpus", str(corpus), "index"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"reader index failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        # ru_maxrss of RUSAGE_CHILDREN is the largest of every process waited for so far.
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
        "cpu_s": round(cpu, 1),
        "wall_s": round(wall, 1),
    }


def _index(corpus: Path, home: Path) -> None:
    """``reader index`` of ``corpus`` in a child process, with ``home`` as READER_HOME."""
    subprocess.run(
        [sys.executable, "-m", "reader", "--corpus", str(corpus), "index"],
        env=dict(os.environ, **{ENV_HOME: str(home)}),
        capture_output=True,
        check=True,
    )


def measure_command(megabytes: float, zip_path: Path, *, update: bool) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="reader-big-"))
    try:
        home = scratch / "home"
        warm = scratch / "warm"
        warm.mkdir()
        (warm / "one.md").write_text("---\ntitle: One\n---\n\nRain in Canberra.\n")
        # Warm the gazetteer cache in another process (its peak is not this one's).
        _index(warm, home)
        corpus = scratch / "corpus"
        if update:
            corpus.mkdir()
            (corpus / "small.md").write_text("---\ntitle: Small\n---\n\nA small one.\n")
            _index(corpus, home)
        path = write_article(corpus, megabytes, zip_path)
        size = path.stat().st_size
        # The peak of the processes so far is not this run's: measure in a child.
        code = (
            "import json, sys; from pathlib import Path; "
            "from reader.bench.big_article import _run_index; "
            "print(json.dumps(_run_index(Path(sys.argv[1]), Path(sys.argv[2]))))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(corpus), str(home)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout)
        return {"article_mb": round(size / 1e6, 1), "update": update, **result}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _peak_rss_reset() -> None:
    """Give freed memory back to the system, then start the process's peak resident
    set size (VmHWM) again from what it holds now: each phase's peak is then its own."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")


def _rss_mb(field: str = "VmHWM") -> float:
    """The process's peak (``VmHWM``) or current (``VmRSS``) resident set size, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _write_article_elsewhere(dest: Path, megabytes: float, zip_path: Path) -> None:
    """:func:`write_article` in a child process, so that its memory is not this one's."""
    code = (
        "import sys; from pathlib import Path; "
        "from reader.bench.big_article import write_article; "
        "write_article(Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(dest), str(megabytes), str(zip_path)], check=True
    )


def measure_phases(megabytes: float, zip_path: Path, *, trace: bool) -> dict[str, Any]:
    """Each phase's peak RSS (MB; Linux) and, with ``trace``, its tracemalloc peak above
    what was held when it started, as the build runs them: prepare, add_document,
    commit, the entity table, the agreements catalogue."""
    import tracemalloc

    scratch = Path(tempfile.mkdtemp(prefix="reader-big-"))
    os.environ[ENV_HOME] = str(scratch / "home")
    try:
        from reader.agreements import catalog
        from reader.corpus.scanning import scan
        from reader.index.corpus_index import CorpusIndex
        from reader.index.documents import prepare, recognizer
        from reader.index.writers import segment_writer

        recognizer().recognize("Warm up in Canberra.")
        corpus = scratch / "corpus"
        _write_article_elsewhere(corpus, megabytes, zip_path)
        index = CorpusIndex(corpus)
        index.open()
        (source,), _ = scan(corpus)
        _peak_rss_reset()
        rss: dict[str, float] = {"held before": _rss_mb("VmRSS")}
        traced: dict[str, float] = {}
        if trace:
            tracemalloc.start()

        def phase(name: str) -> None:
            rss[name] = _rss_mb()
            _peak_rss_reset()
            rss[f"{name}, held after"] = _rss_mb("VmRSS")
            if trace:
                current, peak = tracemalloc.get_traced_memory()
                traced[name] = round((peak - traced.pop("_held", 0)) / 1e6, 1)
                traced[f"{name}, held after"] = round(current / 1e6, 1)
                tracemalloc.reset_peak()
                traced["_held"] = current

        _peak_rss_reset()
        prepared = prepare(source)
        phase("prepare")
        writer = segment_writer(index.ix)
        writer.add_document(**prepared.document)
        del prepared
        phase("add_document")
        writer.commit()
        del writer
        phase("commit")
        index.entity_table()
        phase("entity table")
        catalog.refresh(index, force=True)
        phase("agreements catalogue")
        traced.pop("_held", None)
        tracemalloc.stop()
        index.close()
        result: dict[str, Any] = {"article_mb": megabytes, "peak_rss_mb": rss}
        if trace:
            result["traced_mb"] = traced
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20, help="the article's size in MB")
    parser.add_argument("--zip", type=Path, default=DEFAULT_ZIP, help="the ABC news archive")
    parser.add_argument(
        "--update", action="store_true", help="add the article to an index that exists"
    )
    parser.add_argument(
        "--phases", action="store_true", help="peak RSS of each phase, in this process"
    )
    parser.add_argument(
        "--trace", action="store_true", help="with --phases: tracemalloc peaks too (slower)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.zip.is_file():
        parser.error(f"archive not found: {args.zip}")
    if args.phases:
        result = measure_phases(args.mb, args.zip, trace=args.trace)
    else:
        result = measure_command(args.mb, args.zip, update=args.update)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            if isinstance(value, dict):
                for name, figure in value.items():
                    print(f"  {name}: {figure}")
            else:
                print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
