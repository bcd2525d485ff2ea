"""``reader highlights`` and ``reader export``: the command-line side of highlights.

``reader.cli.main`` calls :func:`register` with its subparsers; each handler takes
``(args, corpus)`` and returns the exit status. Failures the user can act on are
raised as ``reader.cli.main.CliError`` (one line on stderr, exit status 2).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.support.textsafe import one_line

#: The same as ``reader.export.FORMATS`` (a test checks), written out so that every
#: ``reader`` command does not pay for importing the exporters.
EXPORT_FORMATS = ("markdown", "json", "yaml", "csv", "w3c")

if TYPE_CHECKING:
    from reader.highlights.model import Placed
    from reader.highlights.store import HighlightStore

QUOTE_CHARS = 70

EXPORT_DESCRIPTION = """\
Export highlights, or the passages a search finds, to standard output or a file.

Which excerpts:
  (nothing)            every highlight of every article
  --article ID         the highlights of this article (repeatable)
  --query QUERY        the highlights of the articles QUERY matches, in ranked order,
                       with the query's hits marked inside the quotes
  --query QUERY --hits no highlights needed: the passages around QUERY's hits in each
                       matching article (keyword in context), --passages N per article
--article and --query together keep the matching articles among those given.

Formats: markdown (entities in **bold**, query hits in *italics*), json and yaml (one
schema; json can be read back), csv (one row a highlight, safe to open in a
spreadsheet), w3c (W3C Web Annotation JSON-LD). Orphaned highlights (passage no longer
in the article) are exported too, flagged. With -o the file is written whole or not at
all; an existing file is only replaced with --force. Without --format, the suffix of
-o chooses (.md .json .yaml .csv .jsonld), else markdown.
"""


def register(subparsers: Any, *, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Add the ``highlights`` and ``export`` commands to ``reader``'s subparsers.

    ``parents`` are handed to each new parser (the CLI's common ``--corpus`` option).
    """
    parents = list(parents)

    p = subparsers.add_parser(
        "highlights",
        parents=parents,
        help="add, list and remove highlights",
        description="Highlights are kept in the user's data folder and shared by the app.",
    )
    p.set_defaults(handler=_missing_action(p))
    actions = p.add_subparsers(dest="highlights_action", metavar="ACTION")

    a = actions.add_parser(
        "add",
        parents=parents,
        help="highlight a quote of an article",
        description="Highlight QUOTE in ARTICLE_ID. The quote must be in the article "
        "(white space and the style of quote marks may differ). When it occurs more than "
        "once the first occurrence is taken, and the command says so; --occurrence N "
        "takes the N-th.",
    )
    a.add_argument("article_id", metavar="ARTICLE_ID", help="the article (see `reader list`)")
    a.add_argument("--quote", required=True, metavar="TEXT", help="the exact passage")
    a.add_argument("--note", metavar="TEXT", help="a note about it")
    a.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    a.add_argument("--occurrence", type=int, metavar="N", help="which occurrence (1 = first)")
    a.add_argument("--json", action="store_true", help="print the highlight as JSON")
    a.set_defaults(handler=cmd_highlights_add)

    ls = actions.add_parser(
        "list",
        parents=parents,
        help="list highlights",
        description="List every highlight, or those of one article, with where each is "
        "now: anchored, reanchored (the article changed and the passage was found again) "
        "or orphaned (the passage is no longer in the article).",
    )
    ls.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", help="only this article")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(handler=cmd_highlights_list)

    rm = actions.add_parser(
        "remove",
        parents=parents,
        help="remove a highlight",
        description="Remove a highlight by its id or the start of it (as `list` shows).",
    )
    rm.add_argument("highlight_id", metavar="HIGHLIGHT_ID")
    rm.add_argument("--json", action="store_true", help="print the removed highlight as JSON")
    rm.set_defaults(handler=cmd_highlights_remove)

    ed = actions.add_parser(
        "edit",
        parents=parents,
        help="change the note or tags of a highlight",
        description="Change the note and/or replace the tags of a highlight.",
    )
    ed.add_argument("highlight_id", metavar="HIGHLIGHT_ID")
    ed.add_argument("--note", metavar="TEXT", help="the new note ('' removes it)")
    ed.add_argument("--tag", action="append", metavar="TAG", help="the new tags (repeatable)")
    ed.add_argument("--no-tags", action="store_true", help="remove every tag")
    ed.add_argument("--json", action="store_true", help="print the highlight as JSON")
    ed.set_defaults(handler=cmd_highlights_edit)

    ex = subparsers.add_parser(
        "export",
        parents=parents,
        help="export highlights or search-hit passages",
        description=EXPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("--format", choices=EXPORT_FORMATS, help="output format (default: markdown)")
    ex.add_argument(
        "--article", action="append", default=[], metavar="ID", help="only this article"
    )
    ex.add_argument("--query", metavar="QUERY", help="only articles matching QUERY")
    ex.add_argument(
        "--hits", action="store_true", help="export QUERY's hit passages, not highlights"
    )
    ex.add_argument(
        "--passages",
        type=int,
        default=None,
        metavar="N",
        help="with --hits: at most N passages per article, those with the most hits "
        "(default: every sentence with a hit)",
    )
    ex.add_argument(
        "-o", "--output", type=Path, metavar="PATH", help="write to PATH (- for standard output)"
    )
    ex.add_argument("--force", action="store_true", help="replace PATH if it exists")
    ex.set_defaults(handler=cmd_export)


def _missing_action(parser: argparse.ArgumentParser):
    def handler(args: argparse.Namespace, corpus: Path) -> int:
        from reader.cli.common import CliError

        raise CliError("say what to do with highlights: add, list, edit or remove")

    return handler


# -- helpers ---------------------------------------------------------------------------------


def _store() -> HighlightStore:
    from reader.highlights.store import HighlightStore

    return HighlightStore()


def _say_notice(store: HighlightStore) -> None:
    if store.notice:
        print(f"reader: {one_line(store.notice)}", file=sys.stderr)


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@contextlib.contextmanager
def _store_errors() -> Iterator[None]:
    """Turn store failures into one-line CLI errors."""
    from reader.cli.common import CliError
    from reader.highlights.model import HighlightError

    try:
        yield
    except HighlightError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot use the highlights file: {error.strerror or error}") from None


def _claim(store: HighlightStore, index: Any) -> None:
    """Highlights from before highlights knew their corpus become this corpus's when
    they are of its articles' text (the store's migration; see :mod:`reader.highlights.model`)."""
    from reader.highlights.model import HighlightError, corpus_key

    def text_of(article_id: str) -> tuple[str, str] | None:
        stored = index.stored(article_id)
        return (stored.get("body", ""), stored.get("content_hash", "")) if stored else None

    # A store that cannot be written now (busy, read-only) is claimed another time.
    with contextlib.suppress(HighlightError, OSError):
        store.claim(corpus_key(index.corpus_dir), text_of)


def _placed_dict(placed: Placed) -> dict[str, Any]:
    data = placed.highlight.to_dict()
    data["status"] = placed.status
    return data


# -- highlights ------------------------------------------------------------------------------


def cmd_highlights_add(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError, open_index
    from reader.highlights.model import QuoteNotFound, corpus_key, locate_quote

    if args.occurrence is not None and args.occurrence < 1:
        raise CliError("--occurrence counts from 1")
    quote = args.quote.strip()
    if not quote:
        raise CliError("the quote is empty")
    index, _ = open_index(corpus, quiet=args.json)
    stored = index.stored(args.article_id)
    if stored is None:
        raise CliError(
            f"no article {one_line(args.article_id)!r} in the corpus (see `reader list`)"
        )
    body = stored.get("body", "")
    try:
        start, end, count = locate_quote(body, quote, args.occurrence)
    except QuoteNotFound as error:
        raise CliError(f"{error}: {_short(quote, 50)!r}") from None
    store = _store()
    with _store_errors():
        highlight = store.add_span(
            args.article_id,
            body,
            stored.get("content_hash", ""),
            start,
            end,
            note=args.note,
            tags=args.tag,
            corpus=corpus_key(index.corpus_dir),
        )
    _say_notice(store)
    if count > 1 and args.occurrence is None:
        print(
            f"reader: the quote occurs {count} times; highlighted the first "
            "(choose another with --occurrence N)",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps({**highlight.to_dict(), "status": "anchored"}, ensure_ascii=False))
    else:
        where = one_line(args.article_id)
        print(f"highlighted {highlight.short_id} in {where}: “{_short(highlight.quote)}”")
    return 0


def cmd_highlights_list(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError, open_index
    from reader.highlights.model import corpus_key, place_highlight

    index, _ = open_index(corpus, quiet=True)
    key = corpus_key(index.corpus_dir)
    store = _store()
    _claim(store, index)
    with _store_errors():
        highlights = store.for_article(args.article_id, key) if args.article_id else store.all(key)
    _say_notice(store)
    if args.article_id and not highlights and index.stored(args.article_id) is None:
        raise CliError(f"no article {one_line(args.article_id)!r} in the corpus")
    bodies: dict[str, tuple[str | None, str]] = {}
    placed_all = []
    for highlight in highlights:
        if highlight.article_id not in bodies:
            stored = index.stored(highlight.article_id)
            bodies[highlight.article_id] = (
                (stored.get("body", ""), stored.get("content_hash", "")) if stored else (None, "")
            )
        body, content_hash = bodies[highlight.article_id]
        placed_all.append(place_highlight(highlight, body, content_hash, key))
    if args.json:
        print(json.dumps([_placed_dict(p) for p in placed_all], ensure_ascii=False, indent=2))
        return 0
    if not placed_all:
        print("no highlights", file=sys.stderr)
    for placed in placed_all:
        h = placed.highlight
        flag = "" if placed.status == "anchored" else f"  [{placed.status}]"
        print(f"{h.short_id}  {one_line(h.article_id)}{flag}")
        print(f"    “{_short(h.quote)}”")
        if h.tags:
            print("    " + " ".join(f"#{one_line(t)}" for t in h.tags))
        if h.note:
            print(f"    note: {_short(h.note)}")
    return 0


def cmd_highlights_remove(args: argparse.Namespace, corpus: Path) -> int:
    store = _store()
    with _store_errors():
        removed = store.delete(store.find(args.highlight_id).id)
    _say_notice(store)
    if args.json:
        print(json.dumps(removed.to_dict(), ensure_ascii=False))
    else:
        print(f"removed {removed.short_id}: “{_short(removed.quote)}”")
    return 0


def cmd_highlights_edit(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError

    if args.note is None and args.tag is None and not args.no_tags:
        raise CliError("nothing to change: give --note, --tag or --no-tags")
    tags = [] if args.no_tags else args.tag
    store = _store()
    with _store_errors():
        highlight = store.update(store.find(args.highlight_id).id, note=args.note, tags=tags)
    _say_notice(store)
    if args.json:
        print(json.dumps(highlight.to_dict(), ensure_ascii=False))
    else:
        print(f"changed {highlight.short_id}: “{_short(highlight.quote)}”")
    return 0


# -- export ------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, corpus: Path) -> int:
    from reader.cli.common import CliError, open_index, rebuilding_when_damaged
    from reader.export import (
        DestinationExists,
        ExportError,
        Scope,
        collect,
        format_for_path,
        refuse_inside_corpus,
        render,
        write_new_file,
    )

    if args.hits and not (args.query or "").strip():
        raise CliError("--hits exports the passages a query finds: give --query")
    if args.passages is not None and args.passages < 1:
        raise CliError("--passages must be at least 1")
    if args.output is not None and str(args.output) == "-":
        args.output = None  # the usual spelling of standard output
    fmt = args.format or (format_for_path(args.output) if args.output else "markdown")
    if args.output is not None and args.output.exists() and not args.force:
        # Checked before any work; write_new_file checks again at the moment of writing.
        raise CliError(f"{args.output} exists; overwrite it with --force")
    if args.output is not None:
        try:
            refuse_inside_corpus(args.output, corpus)
        except ExportError as error:
            raise CliError(str(error)) from None
    index, _ = open_index(corpus, quiet=True)
    store = None if args.hits else _store()
    if store is not None:
        _claim(store, index)
    scope = Scope(article_ids=tuple(args.article), query=args.query or None, hits=args.hits)
    try:
        with _store_errors():
            excerpts = rebuilding_when_damaged(
                index, lambda: collect(index, store, scope, passages_per_article=args.passages)
            )
        text = render(excerpts, fmt, path_base=index.corpus_dir)
        if store is not None:
            _say_notice(store)
        if args.output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_new_file(args.output, text, overwrite=args.force)
    except DestinationExists as error:
        raise CliError(str(error)) from None
    except ExportError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot write {args.output}: {error.strerror or error}") from None
    count = len(excerpts)
    if not count:
        print("reader: nothing to export", file=sys.stderr)
    elif args.output is not None:
        orphans = sum(1 for _, x in excerpts.excerpts() if x.orphaned)
        extra = f" ({orphans} orphaned)" if orphans else ""
        noun = "excerpt" if count == 1 else "excerpts"
        print(f"exported {count} {noun}{extra} to {one_line(str(args.output))}", file=sys.stderr)
    return 0
