"""``reader entities`` and ``reader entity``: the entities of articles and of the corpus.

With no paths, every article of the corpus, read from the index (recognition
ran when it was indexed). With paths, those files, inside or outside the corpus,
recognised now. Every entity carries its ``id``, the same in every article
(:mod:`reader.entities.identity`); ids of the corpus's articles also link a lone
surname to the one full name in the corpus that has it, ids of files given by
path do not. ``--all`` gives one row per id across the corpus, and ``reader
entity ID`` one entity's articles and the entities it appears with, both from
the table the index keeps (:mod:`reader.index.entity_table`).
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
from reader.support.wording import counted

TYPE_ORDER = ("person", "place", "organisation", "agreement")


def entities_command(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    if args.all:
        if args.paths:
            raise CliError("--all takes no paths: it lists the entities of the whole corpus")
        return _all_command(args, corpus)
    if args.type:
        raise CliError("--type goes with --all")
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
    from reader.index.documents import entities_of, recognizer

    records, failures = [], []
    for path in paths:
        try:
            article = load_path(path)
        except ArticleError as error:
            failures.append(f"{one_line(str(path))}: {error}")
            continue
        from reader.entities.identity import entity_id

        codes = recognizer().gazetteer.place_codes
        entities = entities_of(article)
        records.append(
            {
                "path": str(article.path),
                "title": article.display_title,
                "entities": [
                    {"id": entity_id(e.type, e.name, codes), **e.to_dict()} for e in entities
                ],
            }
        )
    return records, failures


def _from_index(corpus: Path, quiet: bool) -> list[dict[str, Any]]:
    from reader.cli.common import open_index
    from reader.corpus.articles import derive_title
    from reader.entities.identity import entity_id
    from reader.search.engine import stored_entities

    index, _ = open_index(corpus, quiet=quiet)
    table = _table(index)
    records = []
    with index.searcher() as searcher:
        for stored in searcher.all_stored_fields():
            entities = []
            for entity in stored_entities(stored):
                kind, name = entity.get("type", ""), entity.get("name", "")
                ident = table.id_of(stored["id"], kind, name) or entity_id(kind, name)
                entities.append({"id": ident, **entity})
            records.append(
                {
                    "path": stored.get("path", ""),
                    "title": stored.get("title") or derive_title(stored.get("body", "")),
                    "entities": entities,
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


# -- the corpus-wide table ----------------------------------------------------------------------


def _table(index: Any, *, summary_only: bool = False) -> Any:
    from reader.cli.common import CliError

    try:
        return index.entity_table(summary_only=summary_only)
    except OSError as error:
        raise CliError(f"cannot read the index: {error.strerror or error}") from None


def _all_command(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import open_index

    index, _ = open_index(corpus, quiet=args.json)
    rows = _table(index, summary_only=True).ranked(args.type)
    if args.json:
        # Not indented: the C encoder prints thousands of rows in milliseconds.
        print(json.dumps([row.summary() for row in rows], ensure_ascii=False))
        return 0
    lines = []
    for row in rows:
        aliases = "; ".join(one_line(a) for a in row.aliases)
        lines.append(
            f"{one_line(row.id)}\t{row.type}\t{row.count}\t{row.mentions}\t"
            f"{row.first or '-'}\t{row.last or '-'}\t{one_line(row.name)}\t{aliases}"
        )
    header = "id\ttype\tarticles\tmentions\tfirst\tlast\tname\taliases"
    sys.stdout.write("\n".join([header, *lines]) + "\n")
    return 0


def entity_command(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError, open_index

    if args.limit < 0:
        raise CliError("--limit must be 0 or more")
    index, _ = open_index(corpus, quiet=args.json)
    table = _table(index)
    row = table.rows.get(args.id)
    if row is None:
        raise CliError(
            f"no entity {one_line(args.id)!r} in this corpus (ids: reader entities --all)"
        )
    articles = [
        {"id": a, "title": table.titles.get(a, ""), "date": table.dates.get(a)}
        for a in sorted(row.articles, key=lambda a: (table.dates.get(a) or "", a))
    ]
    together = table.cooccurring(row.id)[: args.limit]
    if args.json:
        print(
            json.dumps(
                {
                    **row.summary(),
                    "article_ids": [a["id"] for a in articles],
                    "articles_list": articles,
                    "cooccurring": [
                        {"id": other.id, "type": other.type, "name": other.name, "shared": n}
                        for other, n in together
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    out = [
        f"{one_line(row.name)} ({row.type}, {one_line(row.id)})",
        f"{counted(row.count, 'article')}, {counted(row.mentions, 'mention')}, "
        f"{row.first or '-'} to {row.last or '-'}",
    ]
    if row.aliases:
        out.append("also written: " + "; ".join(one_line(a) for a in row.aliases))
    out.append("")
    out.append("articles:")
    out.extend(
        f"  {a['date'] or '-'}\t{one_line(a['id'])}\t{one_line(a['title'])}" for a in articles
    )
    out.append("")
    out.append("appears with (shared articles):")
    out.extend(
        f"  {n}\t{other.type}\t{one_line(other.name)}\t{one_line(other.id)}"
        for other, n in together
    )
    sys.stdout.write("\n".join(out) + "\n")
    return 0
