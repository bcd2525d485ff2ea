"""Printing for the command line: Rich in a terminal, plain text when piped.

Article text is untrusted. It is always neutralised (:mod:`reader.support.textsafe`)
and handed to Rich as ``Text`` objects, never as markup.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reader.search.engine import SearchResults
from reader.search.snippets import Snippet
from reader.support.textsafe import one_line
from reader.support.wording import counted

HIT_STYLE = "bold reverse"


def console() -> Console:
    # highlight=False: Rich's repr highlighter would colour numbers and URLs in article text.
    return Console(highlight=False, soft_wrap=False)


def is_terminal() -> bool:
    return sys.stdout.isatty()


def snippet_text(snippet: Snippet, style: str = HIT_STYLE) -> Text:
    """A snippet as Rich ``Text`` with its hits styled."""
    text = Text(one_line_keep_length(snippet.text))
    for start, end in snippet.matches:
        text.stylize(style, start, end)
    return text


def one_line_keep_length(text: str) -> str:
    """Neutralise ``text`` without changing its length (so match ranges stay valid)."""
    from reader.support.textsafe import neutralize

    return neutralize(text).replace("\n", " ").replace("\t", " ")


def print_article_list(rows: Sequence[dict[str, Any]]) -> None:
    if not is_terminal():
        for row in rows:
            cells = [row["id"], row["path"], row["title"], row["source"] or "", row["date"] or ""]
            print("\t".join(one_line(str(c)) for c in cells))
        return
    table = Table(show_lines=False, header_style="bold", expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("source", overflow="fold", max_width=20)
    table.add_column("title", overflow="fold", ratio=3)
    table.add_column("id", overflow="fold", ratio=2, style="dim")
    for row in rows:
        table.add_row(
            Text(row["date"] or ""),
            Text(one_line(row["source"] or "")),
            Text(one_line(row["title"])),
            Text(one_line(row["id"])),
        )
    console().print(table)
    console().print(Text(counted(len(rows), "article"), style="dim"))


def print_results(results: SearchResults) -> None:
    terminal = is_terminal()
    out = console()
    if not results.hits:
        message = "no results"
        if results.suggestion:
            message += f"; did you mean: {one_line(results.suggestion)}"
        print(message)
        return
    shown = len(results.hits)
    heading = f"{results.total} result{'s' if results.total != 1 else ''}"
    if shown < results.total:
        heading += f", showing {shown}"
    heading += f" (sorted by {results.sort})"
    for rank, hit in enumerate(results.hits, start=1):
        meta = " · ".join(
            p for p in (one_line(hit.source), hit.date.isoformat() if hit.date else "") if p
        )
        if terminal:
            line = Text.assemble((f"{rank:>2}. ", "dim"), (one_line(hit.title), "bold"))
            if meta:
                line.append(f"  {meta}", style="dim")
            out.print(line)
            out.print(Text(f"    {one_line(hit.id)}", style="dim"))
            for snippet in hit.snippets:
                out.print(Text.assemble("    … ", snippet_text(snippet), " …"))
            out.print()
        else:
            print(f"{rank}. {one_line(hit.title)}" + (f"  [{meta}]" if meta else ""))
            print(f"   {one_line(hit.id)}")
            for snippet in hit.snippets:
                print(f"   … {one_line_keep_length(snippet.text)} …")
            print()
    if terminal:
        out.print(Text(heading, style="dim"))
    else:
        print(heading)


def plain_lines(lines: Iterable[str]) -> None:
    for line in lines:
        print(one_line(line))
