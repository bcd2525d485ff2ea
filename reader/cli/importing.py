"""``reader import`` and ``reader update``: bring articles in from outside.

``reader.cli.main`` calls :func:`register` with its subparsers; each handler takes
``(args, corpus)`` and returns the exit status. After an import the index is
brought up to date incrementally, as every command does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.cli.common import EXIT_ERROR, CliError, open_index
from reader.support.textsafe import one_line

IMPORT_DESCRIPTION = """\
Bring articles into the corpus folder, one Markdown file each (date and title in
the name; title, source, author, date, url, retrieved and tags in the front matter).

SOURCE is any of:
  a saved page (.html, .htm) or a folder of them (searched recursively)
  the URL of an article page
  the URL (or a file) of an RSS, Atom or JSON Feed: every item becomes an article
  an OPML file of feeds, or a newsboat urls file (a URL per line, then tags)
  a Pocket CSV export, a wallabag JSON export, an Omnivore export (zip)

No article is written twice: a link or a text the corpus already holds is a
duplicate; a page that changed is updated in place. Failures are listed with their
reason and the rest continue; the exit status is 2 only when nothing could be
imported. The bundled corpus is read-only: give --corpus DIR (or run in a folder
with ./articles). --subscribe also remembers the feeds, for `reader update`.
"""


def register(subparsers: Any, *, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Add the ``import`` and ``update`` commands to ``reader``'s subparsers."""
    p = subparsers.add_parser(
        "import",
        parents=list(parents),
        help="bring in saved pages, URLs, feeds and read-later exports",
        description=IMPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="pages, folders, URLs, files")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="tag every article")
    p.add_argument(
        "--subscribe",
        action="store_true",
        help="remember the feeds (URLs, OPML or urls files) for `reader update`",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list, one object an item")
    p.set_defaults(handler=cmd_import)

    u = subparsers.add_parser(
        "update",
        parents=list(parents),
        help="fetch the new items of every subscribed feed",
        description="Fetch the new items of every feed subscribed with `reader import "
        "--subscribe`, each into the corpus folder it was subscribed for (with --corpus, "
        "only the feeds of that folder).",
    )
    u.add_argument("--json", action="store_true", help="print a JSON list, one object an item")
    u.set_defaults(handler=cmd_update)


# -- reader import -------------------------------------------------------------------------------


def writable_corpus(args: argparse.Namespace, corpus: Path) -> Path:
    """The folder to import into, created if needed; never the bundled corpus."""
    from reader.support.locations import bundled_corpus

    if corpus.resolve() == bundled_corpus().resolve():
        raise CliError(
            "the bundled corpus is read-only: say where the articles go with --corpus DIR "
            "(or run in a folder that has ./articles)"
        )
    if corpus.exists() and not corpus.is_dir():
        raise CliError(f"not a folder: {corpus}")
    try:
        corpus.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot create the corpus folder {corpus}: {error.strerror}") from None
    return corpus


def cmd_import(args: argparse.Namespace, corpus: Path) -> int:
    from reader.importing import subscriptions

    corpus = writable_corpus(args, corpus)
    sources: list[Any] = list(args.sources)
    if args.subscribe:
        feeds = _feeds_of(sources)
        try:
            added, present = subscriptions.subscribe(feeds, corpus)
        except subscriptions.SubscriptionError as error:
            raise CliError(str(error)) from None
        if not args.json:
            for subscription in added:
                print(f"subscribed: {one_line(subscription.url)}", file=sys.stderr)
            for subscription in present:
                print(f"already subscribed: {one_line(subscription.url)}", file=sys.stderr)
    return _import(args, corpus, sources, tags=args.tag)


def _feeds_of(sources: list[str]) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """The feeds a --subscribe names: URLs as given, OPML and urls files opened."""
    from reader.importing import feeds

    out: list[tuple[str, str | None, tuple[str, ...]]] = []
    for source in sources:
        if "://" in source:
            out.append((source.strip(), None, ()))
            continue
        path = Path(source).expanduser()
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CliError(f"cannot read {source}: {error.strerror}") from None
        try:
            if feeds.sniff(data) == "opml":
                refs = feeds.parse_opml(data)
            elif feeds.looks_like_urls_file(data.decode("utf-8", errors="replace")):
                refs = feeds.parse_urls_file(data.decode("utf-8", errors="replace"))
            else:
                raise CliError(f"--subscribe wants feed URLs, OPML or urls files: {source}")
        except feeds.FeedError as error:
            raise CliError(f"{source}: {error}") from None
        out.extend((r.url, r.title, r.tags) for r in refs)
    return out


def _import(
    args: argparse.Namespace, corpus: Path, sources: list[Any], *, tags: Sequence[str] = ()
) -> int:
    results = _run(args, corpus, sources, tags=tags)
    _print(args, results)
    _reindex(args, corpus, results)
    return _status(results)


def _run(args: argparse.Namespace, corpus: Path, sources: list[Any], *, tags: Sequence[str] = ()):
    from reader.importing.pipeline import Importer

    progress = None if args.json else _progress_printer()
    try:
        return Importer(corpus, tags=tags, progress=progress).run(sources)
    except OSError as error:
        raise CliError(f"cannot write in {corpus}: {error.strerror or error}") from None
    finally:
        if progress is not None:
            progress.close()


def _print(args: argparse.Namespace, results: list) -> None:
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
    for result in results:
        print(_line(result))
    print(_summary(Counter(r.status for r in results)))


def _reindex(args: argparse.Namespace, corpus: Path, results: list) -> None:
    if any(r.status in ("added", "updated") for r in results):
        try:
            open_index(corpus, quiet=args.json)
        except CliError as error:
            print(f"reader: imported, but the index was not updated: {error}", file=sys.stderr)


def _status(results: list) -> int:
    if results and all(r.status == "failed" for r in results):
        print("reader: nothing could be imported", file=sys.stderr)
        return EXIT_ERROR
    return 0


def _line(result) -> str:
    name = result.id or result.url or result.source
    text = f"{result.status:<9} {one_line(name)}"
    if result.title and result.status != "failed":
        text += f"  {one_line(result.title)[:80]}"
    if result.reason:
        text += f"  ({one_line(result.reason)})"
    return text


def _summary(counts: Counter) -> str:
    parts = [f"{counts[s]} {s}" for s in ("added", "updated", "duplicate", "failed") if counts[s]]
    return "; ".join(parts) if parts else "nothing to import"


class _progress_printer:
    """``[done/total] status title`` on one stderr line, in a terminal only."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def __call__(self, result, done: int, total: int) -> None:
        if self.live:
            label = one_line(result.title or result.url or result.source)[:60]
            sys.stderr.write(f"\r\x1b[K[{done}/{total}] {result.status} {label}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


# -- reader update -------------------------------------------------------------------------------


def cmd_update(args: argparse.Namespace, corpus: Path) -> int:
    from reader.importing import subscriptions

    try:
        followed = subscriptions.load()
    except subscriptions.SubscriptionError as error:
        raise CliError(str(error)) from None
    if getattr(args, "corpus", None) is not None:
        folder = str(corpus.expanduser().resolve())
        followed = [s for s in followed if s.corpus == folder]
    if not followed:
        raise CliError("no subscribed feeds: add some with `reader import --subscribe FEED`")
    by_corpus: dict[str, list] = {}
    for subscription in followed:
        by_corpus.setdefault(subscription.corpus, []).append(subscription)
    results = []
    for folder, group in by_corpus.items():
        if not args.json:
            print(f"updating {len(group)} feed(s) into {one_line(folder)}", file=sys.stderr)
        found = _run(args, Path(folder), [(s.url, s.tags) for s in group])
        results.extend(found)
        _reindex(args, Path(folder), found)
        try:
            subscriptions.mark_updated(group)
        except subscriptions.SubscriptionError as error:
            print(f"reader: {error}", file=sys.stderr)
    _print(args, results)
    return _status(results)
