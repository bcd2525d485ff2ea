"""Parse the user's query with Whoosh's query language, and explain a bad one.

The language: words (all must match), ``AND``/``OR``/``NOT``, ``"phrases"``,
``field:value`` (title, body, source, author, date, person, place, agreement),
``prefix*``, ``fuzzy~`` (or ``fuzzy~2``), and date ranges such as
``date:[2021-01-01 to 2021-12-31]`` or ``date:2014``.

Whoosh's parser accepts nearly anything and quietly turns mistakes into
something else. :func:`parse` checks first for the mistakes people make
(unbalanced quotes or brackets, unknown fields, unreadable dates) and raises
:class:`QueryError` with a message that says what is wrong.
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.query import NullQuery, Query

#: The fields a query can name, with the index field each one means.
FIELD_ALIASES = {
    "title": "title",
    "body": "body",
    "text": "body",
    "source": "source",
    "author": "author",
    "date": "date",
    "person": "people",
    "people": "people",
    "place": "places",
    "places": "places",
    "agreement": "agreements",
    "agreements": "agreements",
}
QUERY_FIELDS = ("title", "body", "source", "author", "date", "person", "place", "agreement")

MAX_QUERY_CHARS = 2000
_FIELD_RE = re.compile(r"(?<![\w.])([A-Za-z_][\w]*):(?!//)")


class QueryError(ValueError):
    """A query that cannot be run; the message says why, in one line."""


def _strip_quoted(text: str) -> str:
    """``text`` with the insides of double-quoted phrases blanked out."""
    return re.sub(r'"[^"]*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def check(text: str) -> None:
    """Raise QueryError for the mistakes Whoosh would silently reinterpret."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    if text.count('"') % 2:
        raise QueryError('a phrase is opened with " but never closed')
    outside = _strip_quoted(text)
    depth = 0
    for char in outside:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("a ) closes a bracket that was never opened")
    if depth > 0:
        raise QueryError("a ( is opened but never closed")
    if outside.count("[") != outside.count("]"):
        raise QueryError("a date range needs both [ and ], as in date:[2021-01-01 to 2021-12-31]")
    for match in _FIELD_RE.finditer(outside):
        name = match.group(1)
        if name.lower() not in FIELD_ALIASES:
            fields = ", ".join(QUERY_FIELDS)
            raise QueryError(f"unknown field {name!r}: use one of {fields} (or quote the words)")


class _Parser:
    """A configured Whoosh parser; built once per schema."""

    def __init__(self, schema) -> None:  # type: ignore[no-untyped-def]
        self.date_errors: list[str] = []
        parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.GtLtPlugin())
        parser.add_plugin(DateParserPlugin(callback=self.date_errors.append))
        aliases: dict[str, list[str]] = {}
        for alias, real in FIELD_ALIASES.items():
            if alias != real:
                aliases.setdefault(real, []).append(alias)
        parser.add_plugin(qparser.FieldAliasPlugin(aliases))
        self.parser = parser

    def parse(self, text: str) -> Query:
        self.date_errors.clear()
        try:
            query = self.parser.parse(_normalise_fields(text))
        except Exception as error:
            raise QueryError(f"cannot read the query: {error}") from None
        if self.date_errors:
            raise QueryError(
                f"cannot read the date {self.date_errors[0]!r}: "
                "use YYYY, YYYY-MM, YYYY-MM-DD or a range like [2021-01 to 2021-06]"
            )
        return query


def _normalise_fields(text: str) -> str:
    """Field names are case-insensitive for the user; Whoosh's are lower case."""
    return _FIELD_RE.sub(lambda m: m.group(1).lower() + ":", text)


def parse(text: str, schema) -> Query:  # type: ignore[no-untyped-def]
    """Parse ``text`` into a Whoosh query, or raise QueryError with the reason."""
    check(text)
    # A parser per call: cheap, and its date-error list is never shared between threads.
    query = _Parser(schema).parse(text)
    if query is NullQuery or isinstance(query, type(NullQuery)):
        raise QueryError(
            "the query has only very common words (like 'the' or 'and'), which are not indexed"
        )
    return query
