"""``reader entities``: the people, places and agreements of articles.

With no paths, every article of the corpus, read from the index (recognition
ran when it was indexed). With paths, those files, inside or outside the corpus,
recognised now.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from reader.support.textsafe import one_line

TYPE_ORDER = ("person", "place", "agreement")


def entities_command(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    if args.paths:
        records, failures = _from_files(args.paths)
        if failures and not records:
            raise CliError("; ".join(failures))
        for failure in failures:
            print(f"reader: skipped {failure}", file=sys.stderr)
    else:
        records = _from_index(corpus, quiet=args.json)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        _print_tables(records)
    return 0


def _from_files(paths: list[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    from reader.corpus.articles import ArticleError, load_path
    from reader.index.documents import entities_of

    records, failures = [], []
    for path in paths:
        try:
            article = load_path(path)
        except ArticleError as error:
            failures.append(f"{one_line(str(path))}: {error}")
            continue
        entities = entities_of(article)
        records.append(
            {
                "path": str(article.path),
                "title": article.display_title,
                "entities": [e.to_dict() for e in entities],
            }
        )
    return records, failures


def _from_index(corpus: Path, quiet: bool) -> list[dict[str, Any]]:
    from reader.cli.common import open_index
    from reader.corpus.articles import derive_title
    from reader.search.engine import stored_entities

    index, _ = open_index(corpus, quiet=quiet)
    records = []
    with index.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            records.append(
                {
                    "path": stored.get("path", ""),
                    "title": stored.get("title") or derive_title(stored.get("body", "")),
                    "entities": stored_entities(stored),
                    "_id": stored["id"],
                }
            )
    records.sort(key=lambda r: r.pop("_id"))
    return records


def _print_tables(records: list[dict[str, Any]]) -> None:
    from reader.cli.output import console, is_terminal

    out = console()
    for record in records:
        entities = sorted(
            record["entities"],
            key=lambda e: (
                TYPE_ORDER.index(e["type"]) if e["type"] in TYPE_ORDER else 9,
                -len(e["mentions"]),
                e["name"],
            ),
        )
        if not is_terminal():
            print(f"{one_line(record['title'])}\t{one_line(record['path'])}")
            for entity in entities:
                forms = sorted({one_line(m["text"]) for m in entity["mentions"]})
                print(
                    f"  {entity['type']}\t{one_line(entity['name'])}\t"
                    f"{len(entity['mentions'])}\t{'; '.join(forms)}"
                )
            continue
        table = Table(
            title=Text(one_line(record["title"]), style="bold"),
            title_justify="left",
            caption=Text(one_line(record["path"]), style="dim"),
            caption_justify="left",
            expand=True,
        )
        table.add_column("type", no_wrap=True)
        table.add_column("name", ratio=2)
        table.add_column("mentions", justify="right", no_wrap=True)
        table.add_column("as written", ratio=3, style="dim")
        for entity in entities:
            forms = sorted({one_line(m["text"]) for m in entity["mentions"]})
            table.add_row(
                Text(entity["type"]),
                Text(one_line(entity["name"])),
                Text(str(len(entity["mentions"]))),
                Text("; ".join(forms)),
            )
        out.print(table)
