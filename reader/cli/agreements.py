"""``reader agreements``: the corpus's agreements as records, and the user's corrections.

``reader.cli.main`` calls :func:`register` with its subparsers. Listing reads the
records kept beside the index (:mod:`reader.agreements.catalog`); ``edit``,
``merge`` and ``split`` add a correction (:mod:`reader.agreements.corrections`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.entities.model import AGREEMENT_KINDS
from reader.support.textsafe import neutralize, one_line

if TYPE_CHECKING:
    from reader.agreements.records import AgreementRecord

#: The kinds as command-line words (``letter-of-intent``).
KINDS = tuple(kind.replace(" ", "-") for kind in AGREEMENT_KINDS)
CSV_COLUMNS = (
    "id",
    "name",
    "kind",
    "parties",
    "signatories",
    "date",
    "place",
    "status",
    "articles",
)

DESCRIPTION = """\
The agreements the articles report, one record for each, however many articles report it:
id, name, kind, parties, signatories, date, place, status and the articles (with their
mentions in --json). Newest first.

Corrections win over recognition and survive re-indexing:
  reader agreements edit ID --name TEXT --date 1987-02 --parties "Japan, Vietnam"
  reader agreements merge ID ID [ID ...]      one agreement reported as several
  reader agreements split ID ARTICLE_ID       that article reports another agreement
"""


def register(subparsers: Any, *, parents: Sequence[argparse.ArgumentParser]) -> None:
    parents = list(parents)
    p = subparsers.add_parser(
        "agreements",
        parents=parents,
        help="agreements across the corpus: list, edit, merge, split",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _list_options(p)
    p.set_defaults(handler=cmd_agreements_list)
    actions = p.add_subparsers(dest="agreements_action", metavar="ACTION")

    ls = actions.add_parser("list", parents=parents, help="list agreements (the default)")
    _list_options(ls)
    ls.set_defaults(handler=cmd_agreements_list)

    show = actions.add_parser("show", parents=parents, help="one agreement, with its evidence")
    show.add_argument("record_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=cmd_agreements_show)

    ed = actions.add_parser(
        "edit",
        parents=parents,
        help="correct an agreement's fields",
        description="Set fields of an agreement; the values win over recognition.",
    )
    ed.add_argument("record_id", metavar="ID")
    ed.add_argument("--name", metavar="TEXT")
    ed.add_argument("--date", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD ('' clears)")
    ed.add_argument("--parties", metavar="NAMES", help='comma-separated: "Japan, Vietnam"')
    ed.add_argument("--signatories", metavar="NAMES", help="comma-separated")
    ed.add_argument("--place", metavar="TEXT")
    ed.add_argument(
        "--status",
        choices=(
            "signed",
            "proposed",
            "under negotiation",
            "in force",
            "ended",
            "rejected",
            "unknown",
        ),
    )
    ed.add_argument("--kind", choices=KINDS)
    ed.add_argument("--json", action="store_true", help="print the record as JSON")
    ed.set_defaults(handler=cmd_agreements_edit)

    mg = actions.add_parser("merge", parents=parents, help="make several agreements one")
    mg.add_argument("record_ids", nargs="+", metavar="ID")
    mg.add_argument("--json", action="store_true", help="print the record as JSON")
    mg.set_defaults(handler=cmd_agreements_merge)

    sp = actions.add_parser(
        "split", parents=parents, help="take an article's report out of an agreement"
    )
    sp.add_argument("record_id", metavar="ID")
    sp.add_argument("article_id", metavar="ARTICLE_ID")
    sp.add_argument("--json", action="store_true", help="print the new record as JSON")
    sp.set_defaults(handler=cmd_agreements_split)


def _list_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", metavar="NAME", help="only agreements NAME is party to or signed")
    p.add_argument("--kind", metavar="KIND", help=f"only this kind ({', '.join(KINDS)})")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="only dated on or after DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="only dated on or before DATE")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument("--format", choices=("table", "csv", "json"), help="output format")


# -- handlers ---------------------------------------------------------------------------------


def _records(corpus: Path, quiet: bool) -> list[AgreementRecord]:
    from reader.agreements import catalog
    from reader.agreements.corrections import CorrectionError
    from reader.cli.common import CliError, open_index

    index, _ = open_index(corpus, quiet=quiet)
    try:
        return catalog.load(index)
    except CorrectionError as error:
        raise CliError(str(error)) from None


def _date_filter(value: str | None, flag: str) -> str | None:
    from reader.cli.common import CliError

    if value is None:
        return None
    text = value.strip()
    parts = text.split("-")
    valid = (
        1 <= len(parts) <= 3
        and len(parts[0]) == 4
        and all(part.isdigit() for part in parts)
        and all(len(part) == 2 for part in parts[1:])
    )
    if not valid:
        raise CliError(f"{flag} wants a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return text


def cmd_agreements_list(args: argparse.Namespace, corpus: Path) -> int:
    from reader.agreements.records import matches

    fmt = "json" if args.json else (args.format or "table")
    args.json = fmt == "json"  # so that errors print as JSON too
    date_from = _date_filter(args.date_from, "--from")
    date_to = _date_filter(args.date_to, "--to")
    kind = args.kind.replace("-", " ") if args.kind else None
    records = [
        r
        for r in _records(corpus, quiet=fmt != "table")
        if matches(r, party=args.party, kind=kind, date_from=date_from, date_to=date_to)
    ]
    if fmt == "json":
        print(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(_csv(records))
    else:
        _print_table(records)
    return 0


def cmd_agreements_show(args: argparse.Namespace, corpus: Path) -> int:
    from reader.agreements import catalog
    from reader.agreements.corrections import CorrectionError
    from reader.agreements.records import record_text
    from reader.cli.common import CliError, open_index

    index, _ = open_index(corpus, quiet=True)
    try:
        record = catalog.find(catalog.load(index), args.record_id)
    except (LookupError, CorrectionError) as error:
        raise CliError(str(error.args[0])) from None
    if args.json:
        print(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))
        return 0
    bodies = {}
    for member in record.members:
        stored = index.stored(member.article_id)
        if stored:
            bodies[member.article_id] = stored.get("body", "")
    print(neutralize(record_text(record, bodies)))
    return 0


def _one(corpus: Path, record_id: str, quiet: bool) -> AgreementRecord:
    from reader.agreements.catalog import find
    from reader.cli.common import CliError

    try:
        return find(_records(corpus, quiet), record_id)
    except LookupError as error:
        raise CliError(str(error.args[0])) from None


def cmd_agreements_edit(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    fields: dict[str, Any] = {}
    if args.name is not None:
        if not args.name.strip():
            raise CliError("--name cannot be empty")
        fields["name"] = one_line(args.name.strip())
    if args.date is not None:
        fields["date"] = _date_filter(args.date, "--date") if args.date.strip() else None
    for name in ("parties", "signatories"):
        value = getattr(args, name)
        if value is not None:
            fields[name] = [one_line(p.strip()) for p in value.split(",") if p.strip()]
    if args.place is not None:
        fields["place"] = one_line(args.place.strip()) or None
    if args.status is not None:
        fields["status"] = args.status
    if args.kind is not None:
        fields["kind"] = args.kind.replace("-", " ")
    if not fields:
        raise CliError("say what to change: --name, --date, --parties, --signatories, ...")
    record = _one(corpus, args.record_id, quiet=args.json)
    _store({"op": "edit", "members": [m.key for m in record.members], "fields": fields})
    return _report(corpus, record.members[0].key, args, "edited")


def cmd_agreements_merge(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    if len(set(args.record_ids)) < 2:
        raise CliError("merge wants two agreements or more")
    records = [_one(corpus, rid, quiet=args.json) for rid in args.record_ids]
    if len({r.id for r in records}) < 2:
        raise CliError("those ids name one agreement")
    keys = [m.key for r in records for m in r.members]
    _store({"op": "merge", "members": keys})
    return _report(corpus, keys[0], args, "merged")


def cmd_agreements_split(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    record = _one(corpus, args.record_id, quiet=args.json)
    taken = [m.key for m in record.members if m.article_id == args.article_id]
    if not taken:
        raise CliError(f"{record.id} has no report in article {one_line(args.article_id)!r}")
    if len(taken) == len(record.members):
        raise CliError(f"{record.id} is reported by that article alone: nothing to split")
    _store({"op": "split", "members": taken})
    return _report(corpus, taken[0], args, "split off")


def _store(operation: dict[str, Any]) -> None:
    from reader.agreements.corrections import CorrectionError, Corrections
    from reader.cli.common import CliError

    try:
        Corrections().add(operation)
    except CorrectionError as error:
        raise CliError(str(error)) from None


def _report(corpus: Path, member_key: str, args: argparse.Namespace, verb: str) -> int:
    record = next(
        r for r in _records(corpus, quiet=True) if any(m.key == member_key for m in r.members)
    )
    if args.json:
        print(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{verb}: {record.id}  {one_line(record.name)}")
    return 0


# -- output -----------------------------------------------------------------------------------


def _csv(records: Sequence[AgreementRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        row = [
            r.id,
            r.name,
            r.kind,
            "; ".join(r.parties),
            "; ".join(r.signatories),
            r.date or "",
            r.place or "",
            r.status,
            "; ".join(m.article_id for m in r.members),
        ]
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = one_line(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _print_table(records: Sequence[AgreementRecord]) -> None:
    if not sys.stdout.isatty():  # plain lines, and Rich is not even imported
        for r in records:
            print(
                "\t".join(
                    one_line(v)
                    for v in (
                        r.id,
                        r.date or "-",
                        r.name,
                        r.kind,
                        ", ".join(r.parties) or "-",
                        r.status,
                        str(len(r.members)),
                    )
                )
            )
        return
    from rich.table import Table
    from rich.text import Text

    from reader.cli.output import console

    table = Table(expand=True, title=Text(f"{len(records)} agreements", style="bold"))
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("name", ratio=3)
    table.add_column("kind", no_wrap=True)
    table.add_column("parties", ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("articles", justify="right", no_wrap=True)
    for r in records:
        table.add_row(
            Text(r.id),
            Text(r.date or ""),
            Text(one_line(r.name)),
            Text(r.kind),
            Text(one_line(", ".join(r.parties))),
            Text(r.status),
            Text(str(len(r.members))),
        )
    console().print(table)
