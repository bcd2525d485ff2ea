"""The ``reader`` command line.

``reader`` alone opens the app. Subcommands work on the same core: ``list``,
``search``, ``index``, ``entities``. Known failures become one line on stderr
and exit status 2; with ``--json`` the standard output stays valid JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader import __version__
from reader.cli.common import (
    EXIT_ERROR,
    CliError,
    check_corpus,
    open_index,
    rebuilding_when_damaged,
)
from reader.support.locations import ENV_CORPUS, default_corpus


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Study a body of news articles: search, people, places and agreements, "
        "highlights and exported excerpts. With no command, opens the reader app.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        type=Path,
        help=f"the folder of articles (default: ${ENV_CORPUS}, else ./articles if present, "
        "else the bundled corpus)",
    )
    # --corpus is accepted after the command too: `reader bench --corpus DIR`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="the folder of articles",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = functools.partial(commands.add_parser, parents=[common])

    p = add("list", help="list every article")
    p.set_defaults(handler=cmd_list)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("search", help="search the corpus (Whoosh query language)")
    p.set_defaults(handler=cmd_search)
    p.add_argument("query", help='e.g. agreements, "South China Sea", person:Kishi, date:2014')
    p.add_argument("--limit", type=int, default=10, metavar="N", help="results (default 10)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only on or after DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only on or before DATE")
    p.add_argument(
        "--agreement",
        metavar="ID",
        help="only the articles that report this agreement (see `reader agreements`)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("index", help="bring the index up to date and say what changed")
    p.set_defaults(handler=cmd_index)
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")

    p = add("entities", help="people, places, organisations and agreements in articles")
    p.set_defaults(handler=cmd_entities)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files (default: corpus)")
    p.add_argument(
        "--all", action="store_true", help="one row per entity across the corpus, with counts"
    )
    p.add_argument(
        "--type",
        choices=("person", "place", "organisation", "agreement"),
        help="only this type (with --all)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = add("entity", help="one entity's articles and the entities it appears with")
    p.set_defaults(handler=cmd_entity)
    p.add_argument("id", metavar="ID", help="an id from reader entities --all, e.g. place:US")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="co-occurring (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")

    from reader.cli import highlights as highlight_commands

    highlight_commands.register(commands, parents=[common])

    from reader.cli import importing as import_commands

    import_commands.register(commands, parents=[common])

    from reader.cli import agreements as agreement_commands

    agreement_commands.register(commands, parents=[common])

    p = add("bench", help="measure indexing, start-up, search and memory on a corpus")
    p.add_argument("--queries", type=int, default=120, metavar="N", help="queries to time")
    p.add_argument(
        "--compare-entities",
        action="store_true",
        help="also build without entity recognition, to measure what it adds",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=7,
        metavar="N",
        help="rounds of the start-up timings (each figure is their median; default 7)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_bench)

    p = add("app", help="open the reader app (the default)")
    p.set_defaults(handler=cmd_app)
    return parser


def app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain start of the app (``reader``, ``reader --corpus DIR``,
    ``reader app``), read without building the whole parser; None for anything else.

    Building it imports every command's module (some 25 ms of CPU): the app's first
    frame need not wait for them.
    """
    corpus: str | None = None
    command = None
    words = iter(argv)
    for word in words:
        if word == "--corpus":
            corpus = next(words, None)
            if not corpus or corpus.startswith("-"):
                return None
        elif word.startswith("--corpus="):
            corpus = word.removeprefix("--corpus=")
        elif word == "app" and command is None:
            command = word
        else:
            return None
    if corpus == "":
        return None
    return argparse.Namespace(
        corpus=Path(corpus) if corpus is not None else None, command=command, handler=cmd_app
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = app_arguments(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    corpus = (args.corpus or default_corpus()).expanduser()
    handler = getattr(args, "handler", cmd_app)
    _remove_leftovers()
    try:
        return handler(args, corpus)
    except CliError as error:
        return _fail(args, str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `reader list | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _remove_leftovers() -> None:
    """Temp files of reader processes killed half-way (the highlights store, exports,
    index files) go when the next one starts."""
    from reader.support.atomic import remove_leftovers

    with contextlib.suppress(OSError):
        remove_leftovers()


def _fail(args: argparse.Namespace, message: str) -> int:
    from reader.support.textsafe import one_line

    message = one_line(message)
    if getattr(args, "json", False):
        print(json.dumps({"error": message}))
    print(f"reader: {message}", file=sys.stderr)
    return EXIT_ERROR


# -- commands -------------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace, corpus: Path) -> int:
    check_corpus(corpus)
    try:
        from reader.app import run_app
    except ImportError:
        build_parser().print_help()
        return 0
    return run_app(corpus)


def cmd_list(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.output import print_article_list

    index, _ = open_index(corpus, quiet=args.json)
    rows = []
    with index.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            rows.append(_list_row(stored))
    rows.sort(key=lambda r: r["id"])
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_article_list(rows)
    return 0


def _list_row(stored: dict[str, Any]) -> dict[str, Any]:
    from reader.corpus.articles import derive_title

    date = stored.get("date")
    return {
        "id": stored["id"],
        "path": stored.get("path", ""),
        "title": stored.get("title") or derive_title(stored.get("body", "")) or stored["id"],
        "source": stored.get("source") or None,
        "date": date.date().isoformat() if date else None,
    }


def cmd_search(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.output import print_results
    from reader.search.engine import Filters, search
    from reader.search.query import QueryError

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    filters = Filters(
        sources=tuple(args.source),
        date_from=_date_arg(args.date_from, "--from"),
        date_to=_date_arg(args.date_to, "--to"),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise CliError(
            f"--from {filters.date_from.isoformat()} is later than "
            f"--to {filters.date_to.isoformat()}: no article can be in between"
        )
    index, _ = open_index(corpus, quiet=args.json)
    if args.agreement:
        import dataclasses

        from reader.agreements import catalog
        from reader.agreements.corrections import CorrectionError

        try:
            record = catalog.find(catalog.load(index), args.agreement)
        except (LookupError, CorrectionError) as error:
            raise CliError(str(error.args[0])) from None
        ids = tuple(dict.fromkeys(m.article_id for m in record.members))
        filters = dataclasses.replace(filters, record=(record.name, ids))

    def run() -> Any:
        with index.searcher() as searcher:
            return search(searcher, args.query, limit=args.limit, sort=args.sort, filters=filters)

    try:
        results = rebuilding_when_damaged(index, run)
    except QueryError as error:
        raise CliError(f"bad query: {error}") from None
    if args.json:
        print(json.dumps([h.to_dict() for h in results.hits], ensure_ascii=False, indent=2))
        if results.suggestion:
            from reader.support.textsafe import one_line

            suggestion = one_line(results.suggestion)
            print(f"reader: no results; did you mean: {suggestion}", file=sys.stderr)
    else:
        print_results(results)
    return 0


def _date_arg(value: str | None, flag: str):
    from reader.corpus.articles import parse_date

    if value is None:
        return None
    date = parse_date(value)
    if date is None:
        raise CliError(f"{flag} wants a date as YYYY-MM-DD, not {value!r}")
    return date


def cmd_index(args: argparse.Namespace, corpus: Path) -> int:
    from reader.support.textsafe import one_line

    index, report = open_index(corpus, rebuild=args.rebuild, list_problems=True, entity_table=True)
    if not index.read_only:
        from reader.agreements import catalog

        catalog.refresh(index)  # so that `reader agreements` is a file read
    # A file that could not be read was not added (or changed): stderr said why.
    skipped = _skipped_ids(corpus, report.problems)
    report.added = [i for i in report.added if i not in skipped]
    report.changed = [i for i in report.changed if i not in skipped]
    print(one_line(report.summary()))
    print(f"index folder: {one_line(str(index.root))}")
    if report.touched and report.touched <= 20:
        for label, ids in (
            ("added", report.added),
            ("changed", report.changed),
            ("removed", report.removed),
        ):
            for article_id in ids:
                print(f"  {label}: {one_line(article_id)}")
    return 0


def _skipped_ids(corpus: Path, problems) -> set[str]:
    """The article ids of the files that could not be indexed (a file's id is its path
    in the corpus, with or without its suffix)."""
    ids: set[str] = set()
    root = corpus.resolve()
    for problem in problems:
        if problem.severity != "error":
            continue
        try:
            relname = Path(problem.path).resolve().relative_to(root).as_posix()
        except (OSError, ValueError):
            continue
        ids.update({relname, relname.rsplit(".", 1)[0]})
    return ids


def cmd_entities(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.entities import entities_command

    return entities_command(args, corpus)


def cmd_entity(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.entities import entity_command

    return entity_command(args, corpus)


def cmd_bench(args: argparse.Namespace, corpus: Path) -> int:
    from reader.bench import run as bench

    check_corpus(corpus)
    if args.queries < 6:
        raise CliError("--queries must be at least 6")
    if args.rounds < 1:
        raise CliError("--rounds must be at least 1")
    say = None if args.json else (lambda message: print(f"… {message}", file=sys.stderr))
    try:
        figures = bench.run(
            corpus,
            queries=args.queries,
            progress=say,
            compare_entities=args.compare_entities,
            rounds=args.rounds,
        )
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        raise CliError(f"benchmark failed: {error}") from None
    print(bench.main_json(figures) if args.json else bench.format_report(figures))
    return 0
