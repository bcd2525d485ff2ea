"""Measure article import: how much of each article is kept, how much furniture dropped, how fast.

    python -m reader.bench.import_quality --pages ../shared/corpora/web-pages [--json]

The folder holds saved pages (``pages/*.html`` or ``*.html.gz``) and
``expectations.json``: for each page, sentences a good extraction keeps (``with``)
and text it leaves out (``without``). Reported: the share of ``with`` sentences
found in the imported body and of ``without`` strings absent from it (over all
sentences, and the mean of the pages' shares), pages with no article found, and
speed, twice: extraction alone in this process, and the whole import (read from
disk, extract on every core, write Markdown files into a scratch corpus), which is
what ``reader import FOLDER`` does. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reader.importing.extract import ExtractError, extract
from reader.importing.pipeline import Importer


def _pages(folder: Path) -> dict[str, tuple[bytes, dict[str, Any]]]:
    expectations = json.loads((folder / "expectations.json").read_text(encoding="utf-8"))
    pages = {}
    for name, expected in expectations.items():
        base = folder / "pages" / name
        if base.with_name(name + ".gz").is_file():
            data = gzip.decompress(base.with_name(name + ".gz").read_bytes())
        elif base.is_file():
            data = base.read_bytes()
        else:
            continue
        pages[name] = (data, expected)
    return pages


def _cpu() -> float:
    """CPU seconds used by this process and its finished children (the worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _squash(text: str) -> str:
    return " ".join(text.split())


def measure(folder: Path) -> dict[str, Any]:
    pages = _pages(folder)
    if not pages:
        raise SystemExit(f"no pages with expectations in {folder}")
    kept = wanted = dropped = unwanted = 0
    page_keep: list[float] = []
    page_drop: list[float] = []
    missing: list[str] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for name, (data, expected) in pages.items():
        try:
            body = _squash(extract(data, url=expected.get("url")).body)
        except ExtractError:
            body = ""
            missing.append(name)
        keep = [_squash(s) in body for s in expected.get("with", [])]
        drop = [_squash(s) not in body for s in expected.get("without", [])]
        kept, wanted = kept + sum(keep), wanted + len(keep)
        dropped, unwanted = dropped + sum(drop), unwanted + len(drop)
        if keep:
            page_keep.append(sum(keep) / len(keep))
        if drop:
            page_drop.append(sum(drop) / len(drop))
    extract_seconds = time.perf_counter() - started
    extract_cpu = time.process_time() - cpu_started

    with tempfile.TemporaryDirectory(prefix="reader-import-bench-") as scratch:
        saved = Path(scratch) / "saved"
        saved.mkdir()
        for number, (data, _) in enumerate(pages.values()):
            (saved / f"page{number:04d}.html").write_bytes(data)
        started, cpu_started = time.perf_counter(), _cpu()
        results = Importer(Path(scratch) / "corpus").run([str(saved)])
        import_seconds = time.perf_counter() - started
        import_cpu = _cpu() - cpu_started
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return {
        "pages": len(pages),
        "with_kept": round(kept / wanted, 4) if wanted else None,
        "without_dropped": round(dropped / unwanted, 4) if unwanted else None,
        "with_kept_page_mean": round(sum(page_keep) / len(page_keep), 4) if page_keep else None,
        "without_dropped_page_mean": round(sum(page_drop) / len(page_drop), 4)
        if page_drop
        else None,
        "with_sentences": wanted,
        "without_strings": unwanted,
        "no_article_found": len(missing),
        "extract_pages_per_second_one_process": round(len(pages) / extract_seconds, 1),
        "extract_cpu_ms_per_page": round(1000 * extract_cpu / len(pages), 1),
        "import_pages_per_second": round(len(pages) / import_seconds, 1),
        "import_cpu_ms_per_page": round(1000 * import_cpu / len(pages), 1),
        "load_average": round(os.getloadavg()[0], 2),
        "import_statuses": statuses,
        "cores": os.cpu_count(),
    }


def format_report(figures: dict[str, Any]) -> str:
    f = figures
    return "\n".join(
        [
            f"pages: {f['pages']} (no article found in {f['no_article_found']})",
            f"'with' sentences kept: {f['with_kept']:.3f} of {f['with_sentences']} "
            f"(mean per page {f['with_kept_page_mean']:.3f})",
            f"'without' strings dropped: {f['without_dropped']:.3f} of {f['without_strings']} "
            f"(mean per page {f['without_dropped_page_mean']:.3f})",
            f"extraction alone, one process: {f['extract_pages_per_second_one_process']} pages/s "
            f"({f['extract_cpu_ms_per_page']} ms of CPU a page)",
            f"whole import from disk ({f['cores']} cores): {f['import_pages_per_second']} pages/s "
            f"({f['import_cpu_ms_per_page']} ms of CPU a page, all processes) "
            f"{f['import_statuses']}",
            f"load average at the end (other work on the machine): {f['load_average']}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.bench.import_quality")
    parser.add_argument("--pages", type=Path, required=True, metavar="DIR")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.pages / "expectations.json").is_file():
        print(f"no expectations.json in {args.pages}", file=sys.stderr)
        return 2
    figures = measure(args.pages)
    print(json.dumps(figures, indent=2) if args.json else format_report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
