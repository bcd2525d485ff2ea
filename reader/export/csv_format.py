"""CSV export: one row a highlight (or search-hit passage), safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(or their full-width forms, which some spreadsheets also accept) could run as a
formula. Following the OWASP "CSV injection" guidance, such a cell gets a
leading single quote, so the spreadsheet shows it as text; every cell is quoted.
"""

from __future__ import annotations

import csv
import io

from reader.export.model import ArticleInfo, Excerpt, ExcerptSet
from reader.highlights.model import format_time
from reader.support.textsafe import one_line

COLUMNS = (
    "article_id",
    "title",
    "source",
    "author",
    "date",
    "url",
    "path",
    "kind",
    "highlight_id",
    "status",
    "quote",
    "note",
    "tags",
    "entities",
    "start",
    "end",
    "created",
    "updated",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """``value`` as a cell a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS) or text.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _row(article: ArticleInfo, x: Excerpt) -> list[str]:
    entities = "; ".join(dict.fromkeys(f"{m.name} ({m.type})" for m in x.entities))
    values = [
        one_line(article.id),  # a file name: never raw control characters
        article.display_title,
        article.source,
        article.author,
        article.date.isoformat() if article.date else "",
        article.url,
        article.path,
        x.kind,
        x.highlight_id or "",
        x.status,
        x.quote,
        x.note,
        "; ".join(x.tags),
        entities,
        x.start,
        x.end,
        format_time(x.created) if x.created else "",
        format_time(x.updated) if x.updated else "",
    ]
    return [safe_cell(v) for v in values]


def render_csv(excerpts: ExcerptSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for article, excerpt in excerpts.excerpts():
        writer.writerow(_row(article, excerpt))
    return out.getvalue()
