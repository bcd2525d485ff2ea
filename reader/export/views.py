"""Exports of the Explore views (facets, timeline, keyword in context, an entity's page).

A view is a table: a name, its columns and rows of plain values, and the query and
filters that made it. :func:`render_view` writes it as CSV (the query and filters
in two leading columns of every row, cells neutralised for spreadsheets), JSON
(``{"view", "query", "filters", "columns", "rows"}``, each row an object) or
Markdown (a heading, the query and filters, a table with ``|`` escaped).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from reader.export.csv_format import safe_cell
from reader.export.model import ExportError

VIEW_FORMATS = {".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


@dataclass(frozen=True, slots=True)
class ViewTable:
    """One Explore view as rows of plain values."""

    view: str
    query: str
    filters: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def view_format(suffix: str) -> str:
    """The format a file suffix asks for; ExportError names the ones that work."""
    try:
        return VIEW_FORMATS[suffix.lower()]
    except KeyError:
        raise ExportError(
            f"unknown suffix {suffix or '(none)'!r}: use .csv, .json or .md"
        ) from None


def render_view(table: ViewTable, fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["query", "filters", *table.columns])
        for row in table.rows:
            writer.writerow([safe_cell(v) for v in (table.query, table.filters, *row)])
        return out.getvalue()
    if fmt == "json":
        data = {
            "view": table.view,
            "query": table.query,
            "filters": table.filters,
            "columns": list(table.columns),
            "rows": [dict(zip(table.columns, _plain(row), strict=True)) for row in table.rows],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        lines = [f"# {table.view}", ""]
        lines.append(f"Query: {_md(table.query) or '(all articles)'}  ")
        lines.append(f"Filters: {_md(table.filters) or 'none'}")
        lines.append("")
        lines.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
        lines.append("|" + "---|" * len(table.columns))
        for row in table.rows:
            lines.append("| " + " | ".join(_md(str(v)) for v in _plain(row)) + " |")
        return "\n".join(lines) + "\n"
    raise ExportError(f"unknown view format {fmt!r}; choose csv, json or markdown")


def _plain(row: Sequence[object]) -> list[object]:
    return [v if isinstance(v, int | float | str) or v is None else str(v) for v in row]


def _md(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())
